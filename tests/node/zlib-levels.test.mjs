// Compressed sizes per option against node:zlib, on realistic inputs.
//
// Why the bytes differ at all: Node 20 compresses with Chromium's zlib,
// ferrode with zlib-rs (a port of zlib-ng), a different deflate
// implementation. ferrode sets zlib-rs up so that every level runs zlib's
// algorithm with zlib's search limits (levels 2 and 3 with adjusted ones, see
// below and core/src/zlib/tuned.rs), and the header marks the level as zlib
// does. The two engines then agree on the
// Huffman-only and RLE strategies byte for byte; elsewhere small differences
// in their match finders and block splitting remain, and the sizes compare
// (measured on these inputs):
// - levels 4 to 9, every strategy, memLevel, windowBits, with or without a
//   dictionary: within 0.1% of Node's size (often the very bytes).
// - level 0 (stored): a few bytes per 64 KiB.
// - levels 1 to 3 (zlib's deflate_fast): after a match longer than the lazy
//   length zlib-rs inserts the string at its last byte into the hash table,
//   zlib inserts none, and nothing configures that away. With zlib's limits
//   that made ferrode SMALLER than Node by up to 2.6% on source text. Levels
//   2 and 3 run limits of their own that give it back (tuned.rs says how they
//   were found); measured on these inputs, every strategy, memLevel 3 with
//   windowBits 11 and the dictionary: level 2 within 0.7%, level 3 within
//   0.9% (the 1 KiB input; the large ones within 0.6%). Held to 1%. Other
//   data fits less well (CSV, 4-20 KiB slices of source: up to 1.8% smaller).
// - level 1: no setting of the four limits gets every input within 1% (the
//   closest left 1.5%, and 1.4% is the floor on 1 KiB); it keeps zlib's
//   limits and is smaller than Node by up to 2.6% on source text, 0.8% on
//   JSON, 1.2% on binary data, 2.0% on 1 KiB. Held to 5%: the one known gap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeZlib from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import * as fz from 'ferrode/zlib';
import { rng } from '../support/rng.mjs';

const root = new URL('../../', import.meta.url);

// Real source text: the crate's own Rust sources, concatenated, sorted by name.
function sources(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const u = new URL(e.name + (e.isDirectory() ? '/' : ''), dir);
    if (e.isDirectory()) out.push(...sources(u));
    else if (e.name.endsWith('.rs')) out.push(readFileSync(u));
  }
  return out;
}
const text = Buffer.concat(sources(new URL('core/src/', root))).subarray(0, 512 * 1024);

const r = rng(44);
const words = ['alpha', 'beta', 'gamma', 'delta', 'node', 'ferrode', 'zlib', 'stream', 'buffer', 'event'];
const json = Buffer.from(
  JSON.stringify(
    Array.from({ length: 3000 }, (_, i) => ({
      id: i,
      name: `${words[Math.floor(r() * words.length)]}-${Math.floor(r() * 1000)}`,
      score: Math.floor(r() * 1e6) / 100,
      tags: words.slice(0, i % 5),
      active: r() > 0.5,
    })),
  ),
);
// Binary-ish: a compiled WebAssembly module (the package's own).
const binary = readFileSync(new URL('wasm/pkg/st/ferrode_wasm_bg.wasm', root)).subarray(0, 256 * 1024);
const small = text.subarray(40000, 41024);
const inputs = { text, json, binary, small };
const dictionary = text.subarray(200000, 200000 + 16384);

const view = (x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

// Huffman-only and RLE (strategies 2 and 3) give Node's bytes at every level
// but 0; the other strategies give Node's bytes on many inputs at levels 4
// to 9, not on all, and are compared by size.
const sameBytes = (opts) => (opts.strategy === 2 || opts.strategy === 3) && opts.level !== 0;
const fast = (level) => level >= 1 && level <= 3;
const bound = (level) => (level === 1 ? 0.05 : 0.01);
// Sizes within the bound; levels 1-3 may also differ by 16 bytes, which only
// matters on the 1 KiB input: it is a slice of this repository's sources,
// which change from commit to commit, and on 1 KiB slices of real text these
// levels spread over -2.8%..+1.3% of Node's size (mean -0.3%; 160 slices).
const close = (a, b, level) => Math.abs(a - b) <= Math.max(bound(level) * b, fast(level) ? 16 : 0);

const cases = [];
for (let level = -1; level <= 9; level++) {
  for (const strategy of [0, 1, 2, 3, 4]) cases.push({ level, strategy });
}
for (let memLevel = 1; memLevel <= 9; memLevel++) cases.push({ memLevel });
for (let windowBits = 9; windowBits <= 15; windowBits++) cases.push({ windowBits });
for (const level of [0, 1, 2, 3, 4, 6, 9]) cases.push({ level, dictionary });
for (const level of [1, 2, 3, 6, 9]) cases.push({ level, memLevel: 3, windowBits: 11 });

const label = ({ dictionary: d, ...o }) => JSON.stringify(o) + (d ? ' + dictionary' : '');

function checkCase(name, data, opts) {
  const mine = view(fz.deflateRawSync(data, opts));
  const theirs = nodeZlib.deflateRawSync(data, opts);
  const level = opts.level ?? -1;
  const what = `${name} ${label(opts)}: ferrode ${mine.length} vs node ${theirs.length}`;
  if (sameBytes(opts)) assert.ok(mine.equals(theirs), what);
  assert.ok(close(mine.length, theirs.length, level), what);
  // Round trips both ways.
  const dopts = opts.dictionary ? { dictionary: opts.dictionary } : {};
  assert.ok(nodeZlib.inflateRawSync(mine, dopts).equals(data), `node inflates ferrode's ${what}`);
  assert.ok(view(fz.inflateRawSync(theirs, dopts)).equals(data), `ferrode inflates node's ${what}`);
}

for (const [name, data] of Object.entries(inputs)) {
  test(`deflate sizes per option equal Node's within 1% (level 1: 5%): ${name}`, () => {
    for (const opts of cases) checkCase(name, data, opts);
  });
}

test('zlib and gzip wrappers: same bytes as Node where the deflate data is, headers mark the level as zlib does', () => {
  const data = text.subarray(0, 64 * 1024);
  for (let level = -1; level <= 9; level++) {
    for (const strategy of [0, 1, 2, 3, 4]) {
      const opts = { level, strategy };
      for (const [c, d, head] of [
        ['deflateSync', 'inflateSync', 2],
        ['gzipSync', 'gunzipSync', 10],
      ]) {
        const mine = view(fz[c](data, opts));
        const theirs = nodeZlib[c](data, opts);
        const what = `${c} ${JSON.stringify(opts)}`;
        assert.deepEqual([...mine.subarray(0, head)], [...theirs.subarray(0, head)], `${what}: header`);
        if (sameBytes(opts)) assert.ok(mine.equals(theirs), what);
        assert.ok(close(mine.length, theirs.length, level), what);
        assert.ok(nodeZlib[d](mine).equals(data), `node ${d} of ferrode ${what}`);
        assert.ok(view(fz[d](theirs)).equals(data), `ferrode ${d} of node ${what}`);
      }
    }
  }
  // A preset dictionary sets the zlib header's FDICT bit beside the level marks.
  for (const level of [1, 4, 6, 9]) {
    const opts = { level, dictionary };
    const mine = view(fz.deflateSync(data, opts));
    const theirs = nodeZlib.deflateSync(data, opts);
    assert.deepEqual([...mine.subarray(0, 6)], [...theirs.subarray(0, 6)], `deflateSync level ${level} + dictionary`);
    assert.ok(nodeZlib.inflateSync(mine, { dictionary }).equals(data));
  }
});

// Runs `impl`'s createDeflate over two halves with params(to) between them
// (optionally after a full flush); returns the output and its length up to the switch.
async function paramsRun(impl, data, from, to, fullFlush) {
  const z = impl.createDeflate({ level: from });
  const chunks = [];
  z.on('data', (c) => chunks.push(view(c)));
  const done = new Promise((resolve, reject) => {
    z.on('end', resolve);
    z.on('error', reject);
  });
  const half = data.length >> 1;
  z.write(data.subarray(0, half));
  if (fullFlush) await new Promise((resolve) => z.flush(nodeZlib.constants.Z_FULL_FLUSH, resolve));
  const cut = chunks.reduce((n, c) => n + c.length, 0);
  await new Promise((resolve) => z.params(to, 0, resolve));
  z.end(data.subarray(half));
  await done;
  return { out: Buffer.concat(chunks), cut };
}

test('streams with params() in mid-stream: the new level, sizes like Node, full flush points stay independent', async () => {
  const data = text.subarray(0, 200 * 1024);
  for (const [from, to] of [
    [1, 9],
    [9, 1],
    [6, 4],
    [4, 9],
    [0, 6],
    [6, 0],
  ]) {
    for (const fullFlush of [false, true]) {
      const what = `params ${from} -> ${to}${fullFlush ? ' after a full flush' : ''}`;
      const mine = await paramsRun(fz, data, from, to, fullFlush);
      const theirs = await paramsRun(nodeZlib, data, from, to, fullFlush);
      assert.ok(nodeZlib.inflateSync(mine.out).equals(data), what);
      assert.ok(view(fz.inflateSync(theirs.out)).equals(data), what);
      // Node's own switch from a lazy level (4-9) to a fast one (1-3) costs
      // it 5-6% on this text against compressing each half at its level;
      // ferrode's continuation does not (measured: 6.1% smaller for 9 -> 1).
      const lazyToFast = from >= 4 && to >= 1 && to <= 3;
      const b = lazyToFast ? 0.07 : Math.max(bound(from), bound(to));
      const sizes = `${what}: ${mine.out.length} vs ${theirs.out.length}`;
      assert.ok(Math.abs(mine.out.length - theirs.out.length) / theirs.out.length <= b, sizes);
      if (fullFlush) {
        // Everything after a full flush decodes without what came before
        // (the last 4 bytes are the zlib trailer).
        const rest = mine.out.subarray(mine.cut, mine.out.length - 4);
        assert.ok(nodeZlib.inflateRawSync(rest).equals(data.subarray(data.length >> 1)), `${what}: independent`);
      }
    }
  }
});
