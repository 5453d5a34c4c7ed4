// zlib benchmarks: ferrode/zlib against pako, fflate, browserify-zlib,
// brotli-wasm and Node's native zlib, on 16 MiB of real text (the Rust
// standard library's sources, sorted by path, concatenated, cut to 16 MiB).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import nodeZlib from 'node:zlib';
import * as fz from 'ferrode/zlib';
import * as pako from 'pako';
import * as fflate from 'fflate';
import bzlib from 'browserify-zlib';
import { createRequire } from 'node:module';

// brotli-wasm's ESM entry fetches its wasm over HTTP; its Node entry loads it from disk.
const brotliWasm = createRequire(import.meta.url)('brotli-wasm');

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZE = 16 * 1024 * 1024;

/** The 16 MiB corpus, built once and cached in bench/.cache (git-ignored). */
export function corpus() {
  const cache = path.join(here, '.cache', 'rust-std-16MiB.txt');
  if (fs.existsSync(cache) && fs.statSync(cache).size === SIZE) return fs.readFileSync(cache);
  const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
  const lib = path.join(sysroot, 'lib', 'rustlib', 'src', 'rust', 'library');
  if (!fs.existsSync(lib)) throw new Error(`no Rust sources at ${lib}: run 'rustup component add rust-src'`);
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.rs')) files.push(path.relative(lib, p));
    }
  };
  walk(lib);
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = [];
  let total = 0;
  for (const f of files) {
    if (total >= SIZE) break;
    const b = fs.readFileSync(path.join(lib, f));
    parts.push(b);
    total += b.length;
  }
  const out = Buffer.concat(parts).subarray(0, SIZE);
  fs.mkdirSync(path.dirname(cache), { recursive: true });
  fs.writeFileSync(cache, out);
  return out;
}

const view = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const eq = (a, b) => view(a).equals(view(b));

function checkRoundTrip(input, decode) {
  return (results) => {
    for (const [label, out] of Object.entries(results)) {
      if (!eq(decode(out), input)) throw new Error(`${label}: output does not decode to the input`);
    }
  };
}

function checkSame(expected) {
  return (results) => {
    for (const [label, out] of Object.entries(results)) {
      if (!eq(out, expected)) throw new Error(`${label}: wrong output`);
    }
  };
}

function sizes(results, input) {
  return Object.entries(results)
    .map(([label, out]) => `${label} ${((out.byteLength / input.byteLength) * 100).toFixed(2)}%`)
    .join(', ');
}

export default async function (h) {
  const text = corpus();
  const brotli = brotliWasm;
  const MB = text.length;

  // Large gzip level 6 and raw deflate.
  const gzipImpls = {
    ferrode: () => fz.gzipSync(text, { level: 6 }),
    pako: () => pako.gzip(text, { level: 6 }),
    fflate: () => fflate.gzipSync(text, { level: 6 }),
    'browserify-zlib': () => bzlib.gzipSync(text, { level: 6 }),
    node: () => nodeZlib.gzipSync(text, { level: 6 }),
  };
  const gzResults = Object.fromEntries(Object.entries(gzipImpls).map(([k, f]) => [k, f()]));
  await h.row('zlib', 'gzip level 6 compress 16 MiB text', gzipImpls, {
    bytes: MB,
    check: checkRoundTrip(text, (o) => nodeZlib.gunzipSync(o)),
    note: `sizes: ${sizes(gzResults, text)}`,
  });
  const gz = gzResults.node;
  await h.row(
    'zlib',
    'gunzip 16 MiB text',
    {
      ferrode: () => fz.gunzipSync(gz),
      pako: () => pako.ungzip(gz),
      fflate: () => fflate.gunzipSync(gz),
      'browserify-zlib': () => bzlib.gunzipSync(gz),
      node: () => nodeZlib.gunzipSync(gz),
    },
    { bytes: MB, check: checkSame(text) },
  );

  const rawImpls = {
    ferrode: () => fz.deflateRawSync(text),
    pako: () => pako.deflateRaw(text, { level: 6 }),
    fflate: () => fflate.deflateSync(text, { level: 6 }),
    'browserify-zlib': () => bzlib.deflateRawSync(text),
    node: () => nodeZlib.deflateRawSync(text),
  };
  const rawResults = Object.fromEntries(Object.entries(rawImpls).map(([k, f]) => [k, f()]));
  await h.row('zlib', 'deflateRaw level 6 compress 16 MiB text', rawImpls, {
    bytes: MB,
    check: checkRoundTrip(text, (o) => nodeZlib.inflateRawSync(o)),
    note: `sizes: ${sizes(rawResults, text)}`,
  });
  const raw = rawResults.node;
  await h.row(
    'zlib',
    'inflateRaw 16 MiB text',
    {
      ferrode: () => fz.inflateRawSync(raw),
      pako: () => pako.inflateRaw(raw),
      fflate: () => fflate.inflateSync(raw),
      'browserify-zlib': () => bzlib.inflateRawSync(raw),
      node: () => nodeZlib.inflateRawSync(raw),
    },
    { bytes: MB, check: checkSame(text) },
  );

  // Many small inputs: what HTTP bodies and messages look like.
  for (const size of [64, 1024]) {
    const count = size === 64 ? 2000 : 500;
    const inputs = Array.from({ length: count }, (_, i) => text.subarray(i * 977, i * 977 + size));
    const total = size * count;
    const each = (f) => () => inputs.map(f);
    await h.row(
      'zlib',
      `gzip ${count} x ${size} B`,
      {
        ferrode: each((b) => fz.gzipSync(b)),
        pako: each((b) => pako.gzip(b)),
        fflate: each((b) => fflate.gzipSync(b)),
        'browserify-zlib': each((b) => bzlib.gzipSync(b)),
        node: each((b) => nodeZlib.gzipSync(b)),
      },
      { bytes: total },
    );
    const zipped = inputs.map((b) => nodeZlib.gzipSync(b));
    const eachZ = (f) => () => zipped.map(f);
    await h.row(
      'zlib',
      `gunzip ${count} x ${size} B`,
      {
        ferrode: eachZ((b) => fz.gunzipSync(b)),
        pako: eachZ((b) => pako.ungzip(b)),
        fflate: eachZ((b) => fflate.gunzipSync(b)),
        'browserify-zlib': eachZ((b) => bzlib.gunzipSync(b)),
        node: eachZ((b) => nodeZlib.gunzipSync(b)),
      },
      { bytes: total },
    );
  }

  // Brotli: quality 5 on the whole corpus, quality 11 on 1 MiB of it (q11 is ~1 MB/s).
  const Q = nodeZlib.constants.BROTLI_PARAM_QUALITY;
  for (const [quality, input] of [
    [5, text],
    [11, text.subarray(0, 1 << 20)],
  ]) {
    const impls = {
      ferrode: () => fz.brotliCompressSync(input, { params: { [Q]: quality } }),
      'brotli-wasm': () => brotli.compress(input, { quality }),
      node: () => nodeZlib.brotliCompressSync(input, { params: { [Q]: quality } }),
    };
    const results = Object.fromEntries(Object.entries(impls).map(([k, f]) => [k, f()]));
    const label = input.length === text.length ? '16 MiB' : '1 MiB';
    await h.row('zlib', `brotli quality ${quality} compress ${label} text`, impls, {
      bytes: input.length,
      check: checkRoundTrip(input, (o) => nodeZlib.brotliDecompressSync(o)),
      note: `sizes: ${sizes(results, input)}`,
      ...(quality === 11 ? { minTime: 0, warmup: 1 } : {}),
    });
    const br = results.node;
    await h.row(
      'zlib',
      `brotli decompress ${label} text (from quality ${quality})`,
      {
        ferrode: () => fz.brotliDecompressSync(br),
        'brotli-wasm': () => brotli.decompress(br),
        node: () => nodeZlib.brotliDecompressSync(br),
      },
      { bytes: input.length, check: checkSame(input) },
    );
  }
}
