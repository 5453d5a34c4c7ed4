// ferrode/string_decoder against node:string_decoder: per-write output, end(),
// lastNeed/lastTotal/lastChar, errors, and random chunkings of random data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringDecoder as NodeSD } from 'node:string_decoder';
import { StringDecoder as FerrodeSD } from 'ferrode/string_decoder';
import ferrodeDefault from 'ferrode/string_decoder';
import { Buffer as FerrodeBuffer } from 'ferrode/buffer';
import { rng } from '../support/rng.mjs';

const ENCODINGS = ['utf8', 'utf16le', 'base64', 'base64url', 'latin1', 'ascii', 'hex'];

function errShape(e) {
  return { name: e.name, code: e.code, message: e.message };
}

function snapshot(d) {
  return { need: d.lastNeed, total: d.lastTotal, char: [...d.lastChar] };
}

/** Feeds the chunks to both decoders and compares every step. */
function compare(encoding, chunks, label = '') {
  const n = new NodeSD(encoding);
  const f = new FerrodeSD(encoding);
  const out = { node: [], ferrode: [] };
  for (const c of chunks) {
    out.node.push(n.write(Buffer.from(c)), snapshot(n));
    out.ferrode.push(f.write(new Uint8Array(c)), snapshot(f));
  }
  out.node.push(n.end(), snapshot(n));
  out.ferrode.push(f.end(), snapshot(f));
  assert.deepEqual(out.ferrode, out.node, `${encoding} ${label} ${JSON.stringify(chunks)}`);
}

function chunk(bytes, rand, max = 6) {
  const out = [];
  let i = 0;
  while (i < bytes.length) {
    const n = Math.floor(rand() * (max + 1)); // empty chunks too
    out.push([...bytes.slice(i, i + n)]);
    i += n;
  }
  return out;
}

test('module shape: named and default exports, prototype, encoding names', () => {
  assert.equal(ferrodeDefault.StringDecoder, FerrodeSD);
  assert.equal(FerrodeSD.length, NodeSD.length);
  const desc = (P) =>
    Object.fromEntries(
      Object.entries(Object.getOwnPropertyDescriptors(P.prototype)).map(([k, d]) => [
        k,
        { enumerable: d.enumerable, configurable: d.configurable, getter: typeof d.get, length: d.value?.length },
      ]),
    );
  assert.deepEqual(desc(FerrodeSD), desc(NodeSD));
  const cases = [
    undefined,
    null,
    '',
    'utf8',
    'UTF-8',
    'Utf8',
    'ucs2',
    'UCS-2',
    'utf16le',
    'UTF-16LE',
    'binary',
    'LATIN1',
    'base64',
    'Base64URL',
    'hex',
    'HEX',
    'ascii',
    'foo',
    'utf-16',
    'utf32',
    5,
    true,
    'raw',
  ];
  for (const enc of cases) {
    const run = (SD) => {
      try {
        const d = new SD(enc);
        return { encoding: d.encoding, keys: Object.keys(d) };
      } catch (e) {
        return errShape(e);
      }
    };
    assert.deepEqual(run(FerrodeSD), run(NodeSD), String(enc));
  }
});

test("lastChar is a live 4-byte Buffer like Node's", () => {
  const pairs = [
    [new NodeSD('utf8'), Buffer.isBuffer],
    [new FerrodeSD('utf8'), FerrodeBuffer.isBuffer],
  ];
  const seen = [];
  for (const [d, isBuffer] of pairs) {
    const lc = d.lastChar;
    assert.ok(isBuffer(lc));
    d.write(new Uint8Array([0xf0, 0x9f]));
    // The same object, updated in place.
    const same = lc === d.lastChar || lc.buffer === d.lastChar.buffer;
    seen.push([lc.length, lc.toString('hex'), d.lastChar.toString('hex'), same]);
  }
  assert.deepEqual(seen[1], seen[0]);
});

test('write() and end() argument handling', () => {
  for (const SD of [NodeSD, FerrodeSD]) assert.equal(new SD().write('str'), 'str');
  for (const bad of [5, null, undefined, {}, [1, 2], true]) {
    const run = (SD) => {
      try {
        return new SD().write(bad);
      } catch (e) {
        return errShape(e);
      }
    };
    assert.deepEqual(run(FerrodeSD), run(NodeSD));
  }
  const thisErr = (SD) => {
    try {
      return SD.prototype.write.call({}, new Uint8Array(1));
    } catch (e) {
      return errShape(e);
    }
  };
  assert.deepEqual(thisErr(FerrodeSD), thisErr(NodeSD));
  // Other views decode their bytes; end(buf) writes first; text() resets and slices.
  const bytes = Buffer.from('héllo wörld €𝄞', 'utf8');
  const even = bytes.length & ~1;
  for (const enc of ENCODINGS) {
    const views = [
      (SD) => new SD(enc).write(new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + even))),
      (SD) => new SD(enc).write(new DataView(bytes.buffer, bytes.byteOffset, bytes.length)),
      (SD) => new SD(enc).end(bytes.subarray(0, 5)),
      (SD) => new SD(enc).end('x'),
      (SD) => {
        const d = new SD(enc);
        d.write(bytes.subarray(0, 2));
        return [d.text(Buffer.from(bytes), 3), d.lastNeed, d.lastTotal, d.end()];
      },
    ];
    for (const v of views) assert.deepEqual(v(FerrodeSD), v(NodeSD), enc);
  }
});

test('utf8: split characters, invalid and truncated sequences', () => {
  const cases = [
    [[0xe2], [0x82], [0xac]],
    [
      [0xe2, 0x82],
      [0xac, 0x41],
    ],
    [
      [0xf0, 0x9f],
      [0x98, 0x80],
    ],
    [[0xf0], [0x9f], [0x98], [0x80]],
    [[0xe2], [0x41]],
    [
      [0xe2, 0x82],
      [0x41, 0x42],
    ],
    [[0xf0, 0x9f, 0x98], []],
    [[0xf0, 0x9f, 0x98]],
    [[0x80, 0x80, 0x80, 0x80]],
    [[0x41, 0x80], [0x80]],
    [[0xc0, 0x80]],
    [[0xc0], [0x80]],
    [[0xed, 0xa0], [0x80]],
    [[0xf4, 0x90, 0x80, 0x80]],
    [[0xf5], [0x80]],
    [[0xf8, 0x80, 0x80, 0x80, 0x80]],
    [[0xff], [0xfe]],
    [[0xef, 0xbb, 0xbf, 0x41]],
    [[0xef], [0xbb, 0xbf], [0x41]],
    [
      [0xe2, 0x82, 0xac, 0xe2],
      [0x82, 0xac],
    ],
    [[0xc3], [0xe2, 0x82], [0xac]],
    [[0xe0, 0x80], [0x80]],
    [[0xf0, 0x80, 0x80], [0x80]],
  ];
  for (const c of cases) compare('utf8', c);
});

test('utf16le: odd bytes, split surrogate pairs, lone surrogates', () => {
  const pair = [0x3d, 0xd8, 0x00, 0xde];
  const cases = [
    [pair],
    [pair.slice(0, 1), pair.slice(1)],
    [pair.slice(0, 2), pair.slice(2)],
    [pair.slice(0, 3), pair.slice(3)],
    [[0x3d, 0xd8]],
    [
      [0x3d, 0xd8],
      [0x41, 0x00],
    ],
    [[0x00, 0xde]],
    [[0x41]],
    [[0x41, 0x00, 0x3d]],
    [
      [0x3d, 0xd8, 0x3d],
      [0xd8, 0x00, 0xde],
    ],
  ];
  for (const c of cases) compare('utf16le', c);
});

test('base64/base64url carry 1-2 bytes; hex, latin1, ascii are stateless', () => {
  const data = [0, 1, 2, 250, 251, 252, 253, 254, 255, 128, 62, 63];
  const rand = rng(7);
  for (const enc of ['base64', 'base64url', 'hex', 'latin1', 'ascii']) {
    for (let i = 0; i < 50; i++) compare(enc, chunk(data, rand, 4));
    compare(enc, [[1]]);
    compare(enc, [[1, 2]]);
    compare(enc, [
      [1, 2],
      [3, 4, 5, 6, 7],
    ]);
  }
});

test('property: random bytes, random chunkings, every encoding (2000 runs)', () => {
  const rand = rng(42);
  // Bytes weighted towards UTF-8 structure: ASCII, leads, continuations, invalid.
  const pool = [
    0x41, 0x7f, 0x00, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x80, 0x82, 0x9f, 0xa0, 0xac,
    0xbf, 0xd8, 0xdb, 0xdc, 0xde,
  ];
  for (let run = 0; run < 2000; run++) {
    const len = Math.floor(rand() * 24);
    const bytes = [];
    for (let i = 0; i < len; i++) {
      bytes.push(rand() < 0.7 ? pool[Math.floor(rand() * pool.length)] : Math.floor(rand() * 256));
    }
    const enc = ENCODINGS[run % ENCODINGS.length];
    compare(enc, chunk(bytes, rand), `run ${run}`);
  }
});

test('property: random Unicode text in utf8 and utf16le, random chunkings (600 runs)', () => {
  const rand = rng(99);
  for (let run = 0; run < 600; run++) {
    let s = '';
    const len = Math.floor(rand() * 20);
    for (let i = 0; i < len; i++) {
      const r = rand();
      if (r < 0.3) s += String.fromCharCode(0x20 + Math.floor(rand() * 0x5f));
      else if (r < 0.5) s += String.fromCharCode(0x80 + Math.floor(rand() * 0x780));
      else if (r < 0.7) s += String.fromCharCode(0x800 + Math.floor(rand() * 0xd000));
      else if (r < 0.9) s += String.fromCodePoint(0x10000 + Math.floor(rand() * 0xfffff));
      else s += String.fromCharCode(0xd800 + Math.floor(rand() * 0x800)); // lone surrogate
    }
    for (const enc of ['utf8', 'utf16le']) {
      const bytes = [...Buffer.from(s, enc)];
      compare(enc, chunk(bytes, rand, 7), `text run ${run}`);
    }
  }
});

test('large inputs decode in one write like Node', () => {
  const big = Buffer.alloc(100_003);
  const rand = rng(5);
  for (let i = 0; i < big.length; i++) big[i] = Math.floor(rand() * 256);
  for (const enc of ENCODINGS) {
    const n = new NodeSD(enc);
    const f = new FerrodeSD(enc);
    assert.equal(f.write(new Uint8Array(big)), n.write(big), enc);
    assert.equal(f.end(), n.end(), enc);
  }
});
