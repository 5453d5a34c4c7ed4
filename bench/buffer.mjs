// Buffer benchmarks: ferrode's Buffer against buffer@6 (what bundlers inject)
// and Node's native Buffer, plus the platform primitive where ferrode must go
// through one (TextEncoder/TextDecoder: making or reading a JS string).
// Until ferrode/buffer exists, ferrode's rows call its compute core
// (wasm/js/internal/buffer-native.js) directly.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as native from '../wasm/js/internal/buffer-native.js';

const B6 = (await import('buffer/index.js')).Buffer;
// FERRODE_BENCH_CORE=1 measures the compute core alone (no Buffer layer).
let FB = null;
if (!process.env.FERRODE_BENCH_CORE) {
  try {
    FB = (await import('ferrode/buffer')).Buffer;
  } catch {
    FB = null;
  }
}

const SMALL = 64;
const LARGE = 16 << 20;
// The slices ferrode's base64 paths work in (wasm/js/internal/buffer-native.js):
// bytes per encode slice, characters per decode slice.
const ENCODE_SLICE = 3 << 16;
const DECODE_SLICE = 1 << 18;
// One timed call of a 64-byte row runs the operation this often: a single
// call is below the timer's resolution.
const REPS = 2000;

// buffer@6 has no 'base64url': its rows are left out there.
const B6_ENCODINGS = new Set(['base64', 'hex', 'utf8', 'latin1', 'utf16le']);

function times(n, fn) {
  if (n === 1) return fn;
  return () => {
    let r;
    for (let i = 0; i < n; i++) r = fn();
    return r;
  };
}

// A 16 MiB row makes strings of tens of MB per call: whichever implementation
// runs right after another pays for the other's garbage (measured: the same
// TextDecoder call 2x slower when timed first). So the heap is collected
// whenever the harness moves to another implementation; the harness's first
// call of each is an untimed warm-up, so the collection is never timed.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
let lastImpl = null;
function cleanStart(label, fn) {
  return () => {
    if (lastImpl !== label) {
      lastImpl = label;
      gc();
    }
    return fn();
  };
}

// Repeats each implementation for small rows and scales the byte count.
function rowOf(h, group, name, size, impls, check) {
  const n = size < 4096 ? REPS : 1;
  const wrapped = Object.fromEntries(
    Object.entries(impls).map(([k, fn]) => [k, cleanStart(`${group} ${name} ${k}`, times(n, fn))]),
  );
  return h.row(group, name, wrapped, { bytes: size * n, check });
}

// The encodings through buffer-native when ferrode/buffer is not there yet.
const CORE = {
  toString: {
    base64: (b) => native.base64Encode(b, false),
    base64url: (b) => native.base64Encode(b, true),
    hex: (b) => native.hexEncode(b),
    utf8: (b) => native.utf8Decode(b),
    latin1: (b) => native.latin1Decode(b),
    utf16le: (b) => native.utf16leDecode(b),
  },
  from: {
    base64: (s) => native.base64Decode(s),
    base64url: (s) => native.base64Decode(s),
    hex: (s) => native.hexDecode(s),
    utf8: (s) => native.utf8Encode(s),
    latin1: (s) => native.latin1Encode(s),
    utf16le: (s) => native.utf16leEncode(s),
  },
};

function randomBytes(n, seed = 1) {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

// Mostly-ASCII text with some 2-, 3- and 4-byte characters, like real pages.
function sampleText(bytes) {
  const unit = 'The quick brown fox jumps over the lazy dog. Fünf Äpfel kosten 3 €, ça va? 東京 🙂\n';
  let s = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
  while (Buffer.byteLength(s) > bytes) s = s.slice(0, s.length - 1);
  return s.isWellFormed() ? s : s.slice(0, -1);
}

function inputFor(enc, size) {
  if (enc === 'utf8') return Buffer.from(sampleText(size));
  if (enc === 'utf16le') return Buffer.from(sampleText(size / 2), 'utf16le');
  return Buffer.from(randomBytes(size));
}

const label = (n) => (n >= 1 << 20 ? `${n >> 20}MiB` : `${n}B`);
// A ceiling row times the platform primitive ferrode's path must go through,
// on an input of the same size; its result is not the row's result.
const CEILING = ' (ceiling)';
// A floor row times a copy that ferrode's path makes and no platform primitive
// avoids (wasm reads and writes only its own memory: inputs are copied in and
// results out), plus the primitive where there is one. Where a ceiling is the
// acceptance bar (making or reading a JS string), the floor shows how much of
// the gap to it is the copy rather than ferrode's compute.
const FLOOR = ' (copy floor)';
const timedOnly = (k) => k.endsWith(CEILING) || k.endsWith(FLOOR);
const results = (r) =>
  Object.entries(r)
    .filter(([k]) => !timedOnly(k))
    .map(([, v]) => v);
const eqBytes = (r) => {
  const [first, ...rest] = results(r);
  for (const x of rest) assert.ok(Buffer.from(first).equals(Buffer.from(x)));
};
const eqValues = (r) => {
  const [first, ...rest] = results(r);
  for (const x of rest) assert.equal(x, first);
};

export default async function (h) {
  const td = new TextDecoder();
  const te = new TextEncoder();
  console.log(`ferrode rows use ${FB ? 'ferrode/buffer' : 'the compute core (wasm/js/internal/buffer-native.js)'}`);
  for (const size of [SMALL, LARGE]) {
    for (const enc of ['base64', 'base64url', 'hex', 'utf8', 'latin1', 'utf16le']) {
      const nodeBuf = inputFor(enc, size);
      const bytes = new Uint8Array(nodeBuf);
      const b6 = B6.from(bytes);
      const fb = FB ? FB.from(bytes) : bytes;
      const str = nodeBuf.toString(enc);
      const toStr = {
        ferrode: FB ? () => fb.toString(enc) : () => CORE.toString[enc](bytes),
        'buffer@6': () => b6.toString(enc),
        node: () => nodeBuf.toString(enc),
      };
      if (enc === 'utf8') toStr.TextDecoder = () => td.decode(bytes);
      if (enc === 'base64' || enc === 'base64url' || enc === 'hex') {
        // ferrode makes these strings with TextDecoder from ASCII bytes in wasm
        // memory (Node 20 has no Uint8Array.prototype.toBase64/toHex). Of the
        // decoders that give the same string, TextDecoder('utf-8') is the
        // fastest here (measured: utf-8 with or without fatal/ignoreBOM
        // within noise of each other; 'latin1' about 6x slower).
        const ascii = new Uint8Array(Buffer.from(str, 'latin1'));
        toStr[`TextDecoder.decode${CEILING}`] = () => td.decode(ascii);
        if (size === LARGE) {
          // What no JS implementation on wasm avoids: the input copied into
          // wasm memory (in the cache-sized slices ferrode uses, 192 KiB),
          // then the string made from the output.
          const area = new Uint8Array(ENCODE_SLICE);
          toStr[`set + TextDecoder${FLOOR}`] = () => {
            for (let i = 0; i < size; i += ENCODE_SLICE) area.set(bytes.subarray(i, i + ENCODE_SLICE));
            return td.decode(ascii);
          };
        }
      }
      if (!B6_ENCODINGS.has(enc)) delete toStr['buffer@6'];
      await rowOf(h, 'toString', `${enc} ${label(size)}`, size, toStr, eqValues);
      const from = {
        ferrode: FB ? () => FB.from(str, enc) : () => CORE.from[enc](str),
        'buffer@6': () => B6.from(str, enc),
        node: () => Buffer.from(str, enc),
      };
      if (enc === 'utf8') from.TextEncoder = () => te.encode(str);
      if (enc === 'base64' || enc === 'base64url' || enc === 'hex') {
        // Reading the string's characters into wasm memory: encodeInto of the
        // same string into a preallocated array.
        // (The same primitive called slice by slice into a cache-sized area,
        // as ferrode does, is faster: measured 1.5 ms against 2.8 ms at 16 MiB.)
        const into = new Uint8Array(str.length);
        from[`TextEncoder.encodeInto${CEILING}`] = () => te.encodeInto(str, into).written;
        if (size === LARGE) {
          // ferrode's path without its decoding: encodeInto slice by slice
          // into a cache-sized area (wasm memory for ferrode), and the bytes
          // copied out of it into the new result, which no JS implementation
          // on wasm avoids.
          const area = new Uint8Array(DECODE_SLICE);
          const outPerSlice = enc === 'hex' ? DECODE_SLICE / 2 : (DECODE_SLICE / 4) * 3;
          from[`encodeInto + copy out${FLOOR}`] = () => {
            const out = new Uint8Array(bytes.length);
            for (let i = 0, o = 0; i < str.length; i += DECODE_SLICE, o += outPerSlice) {
              te.encodeInto(str.substring(i, i + DECODE_SLICE), area);
              out.set(bytes.subarray(o, o + outPerSlice), o);
            }
            return out;
          };
        }
      }
      if (!B6_ENCODINGS.has(enc)) delete from['buffer@6'];
      await rowOf(h, 'from', `${enc} ${label(size)}`, size, from, eqBytes);
    }
  }

  // A 20-byte needle that first occurs near the end of 16 MiB of text.
  const hay = Buffer.from(sampleText(LARGE));
  const needle = Buffer.from('needle-0123456789-ab');
  hay.set(needle, LARGE - 1000);
  const hay6 = B6.from(hay);
  const needle6 = B6.from(needle);
  const hayF = FB ? FB.from(hay) : new Uint8Array(hay);
  const needleF = FB ? FB.from(needle) : new Uint8Array(needle);
  await h.row(
    'indexOf',
    '20B needle in 16MiB',
    {
      ferrode: FB ? () => hayF.indexOf(needleF) : () => native.indexOf(hayF, needleF, 0),
      'buffer@6': () => hay6.indexOf(needle6),
      node: () => hay.indexOf(needle),
    },
    { bytes: LARGE, check: eqValues },
  );
  // lastIndexOf scans from the end: its needle sits near the start.
  const hayL = Buffer.from(sampleText(LARGE));
  hayL.set(needle, 1000);
  const hayL6 = B6.from(hayL);
  const hayLF = FB ? FB.from(hayL) : new Uint8Array(hayL);
  await h.row(
    'lastIndexOf',
    '20B needle in 16MiB',
    {
      ferrode: FB ? () => hayLF.lastIndexOf(needleF) : () => native.lastIndexOf(hayLF, needleF, LARGE),
      'buffer@6': () => hayL6.lastIndexOf(needle6),
      node: () => hayL.lastIndexOf(needle),
    },
    { bytes: LARGE, check: eqValues },
  );

  // Equal contents (the worst case: every byte is compared).
  for (const size of [SMALL, LARGE]) {
    const a = Buffer.from(randomBytes(size, 7));
    const b = Buffer.from(a);
    const a6 = B6.from(a);
    const b6 = B6.from(b);
    const aF = FB ? FB.from(a) : new Uint8Array(a);
    const bF = FB ? FB.from(b) : new Uint8Array(b);
    const cmp = {
      ferrode: FB ? () => FB.compare(aF, bF) : () => native.compare(aF, bF),
      'buffer@6': () => B6.compare(a6, b6),
      node: () => Buffer.compare(a, b),
    };
    const eq = {
      ferrode: FB ? () => aF.equals(bF) : () => native.equals(aF, bF),
      'buffer@6': () => a6.equals(b6),
      node: () => a.equals(b),
    };
    if (size === LARGE) {
      // Both inputs copied into a wasm-sized area in the 1 MiB slices
      // ferrode's compare uses before its vector compare of each pair: the
      // copies alone, a true floor for compare through wasm (ferrode's time
      // minus this row's is the compare itself). JS has no primitive that
      // compares bytes, and a JS loop over Uint32Array views is slower than
      // these copies (measured at 16 MiB: 6.8 ms against 2.3 ms).
      const SLICE = 1 << 20;
      const area = new Uint8Array(2 * SLICE);
      const copyBoth = () => {
        for (let i = 0; i < size; i += SLICE) {
          area.set(aF.subarray(i, i + SLICE), 0);
          area.set(bF.subarray(i, i + SLICE), SLICE);
        }
        return area[0];
      };
      cmp[`TypedArray.set x2 sliced${FLOOR}`] = copyBoth;
      eq[`TypedArray.set x2 sliced${FLOOR}`] = copyBoth;
    }
    await rowOf(h, 'compare', label(size), size, cmp, eqValues);
    await rowOf(h, 'equals', label(size), size, eq, eqValues);
  }
}
