// Differential helpers for the buffer tests: run one closure against Node's
// `buffer` module and against ferrode's, and compare what comes back (values,
// bytes, or the thrown error's class, name, code and message).
import assert from 'node:assert/strict';
import * as nodeBuffer from 'node:buffer';
import * as ferrodeBuffer from 'ferrode/buffer';

export const node = nodeBuffer;
export const ferrode = ferrodeBuffer;

/** A comparable, JSON-like picture of a value. */
export function describe(v, seen = new Set()) {
  if (v === null || v === undefined) return v;
  switch (typeof v) {
    case 'number':
      if (Number.isNaN(v)) return { number: 'NaN' };
      if (Object.is(v, -0)) return { number: '-0' };
      return v;
    case 'bigint':
      return { bigint: String(v) };
    case 'string':
    case 'boolean':
      return v;
    case 'symbol':
      return { symbol: String(v) };
    case 'function':
      return { function: v.name };
    default:
      break;
  }
  if (seen.has(v)) return '[circular]';
  seen.add(v);
  if (ArrayBuffer.isView(v)) {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return {
      view: v.constructor.name,
      isBuffer: typeof v.readUInt8 === 'function',
      hex: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''),
    };
  }
  if (v instanceof ArrayBuffer) return { arrayBuffer: v.byteLength };
  if (v instanceof Error || (typeof DOMException !== 'undefined' && v instanceof DOMException)) {
    return describeError(v);
  }
  if (Array.isArray(v)) return v.map((x) => describe(x, seen));
  const out = {};
  for (const k of Object.keys(v)) out[k] = describe(v[k], seen);
  return out;
}

export function describeError(e) {
  if (!(e instanceof Error) && !(typeof DOMException !== 'undefined' && e instanceof DOMException)) {
    return { thrownNonError: describe(e) };
  }
  return {
    threw: e.constructor.name,
    name: e.name,
    code: e.code,
    message: e.message,
  };
}

/** Runs `fn(module)` and returns the picture of its result or of what it threw. */
export function outcome(fn, mod) {
  try {
    return { ok: describe(fn(mod)) };
  } catch (e) {
    return { error: describeError(e) };
  }
}

/**
 * Asserts that `fn` behaves the same with ferrode's buffer module as with
 * Node's: same result picture, or the same error class/name/code/message.
 */
export function same(fn, label = fn.toString()) {
  const expected = outcome(fn, node);
  const actual = outcome(fn, ferrode);
  assert.deepStrictEqual(actual, expected, label);
  return expected;
}

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (arr) => arr[int(0, arr.length - 1)];
  const bytes = (n) => Array.from({ length: n }, () => (next() < 0.5 ? int(0, 0x7f) : int(0, 255)));
  // Strings mixing ASCII, Latin-1, BMP, astral pairs and lone surrogates.
  const string = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = next();
      if (r < 0.45) s += String.fromCharCode(int(0x20, 0x7e));
      else if (r < 0.6) s += String.fromCharCode(int(0, 0xff));
      else if (r < 0.75) s += String.fromCharCode(int(0x100, 0xd7ff));
      else if (r < 0.85) s += String.fromCodePoint(int(0x10000, 0x10ffff));
      else if (r < 0.9) s += String.fromCharCode(int(0xd800, 0xdfff));
      else s += pick(['\n', ' ', '=', '-', '_', '+', '/', 'é', '€', '\u0000']);
    }
    return s;
  };
  return { next, int, pick, bytes, string };
}

/** The seed for property tests: FERRODE_SEED to replay, else a fresh one (printed on failure). */
export function seed() {
  const env = globalThis.process?.env?.FERRODE_SEED;
  return env ? Number(env) : (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
}

/** Runs `iterations` random cases; a failure names the seed and the case. */
export function property(name, iterations, body) {
  const s = seed();
  const rnd = prng(s);
  for (let i = 0; i < iterations; i++) {
    try {
      body(rnd, i);
    } catch (e) {
      e.message = `${name}: case ${i} failed with FERRODE_SEED=${s}\n${e.message}`;
      throw e;
    }
  }
}

export const ENCODINGS = [
  'utf8',
  'utf-8',
  'UTF8',
  'Utf-8',
  'utf16le',
  'utf-16le',
  'UCS2',
  'ucs-2',
  'latin1',
  'binary',
  'BINARY',
  'ascii',
  'ASCII',
  'base64',
  'Base64',
  'base64url',
  'hex',
  'HEX',
];
