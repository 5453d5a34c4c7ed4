// The byte-level compute behind `ferrode/buffer`: encodings, search, compare,
// fill. Each function has an exact pure-JS path (small inputs, where crossing
// into wasm costs more than it saves) and, above a measured size threshold, a
// faster path (the wasm core or a platform primitive with identical results).
//
// No argument validation here: buffer.js validates before calling. Strings are
// JS strings, bytes are Uint8Array views.

import { wasm } from '#wasm';
import { encodeInto, unshared } from './shared-memory.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const B64URL_CODES = Uint8Array.from(B64URL, (c) => c.charCodeAt(0));
// Sextet value of each byte; 255 = not part of either alphabet. Node accepts
// '+/' and '-_' alike and looks characters up by their low 8 bits.
const UNB64 = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) {
  UNB64[B64.charCodeAt(i)] = i;
  UNB64[B64URL.charCodeAt(i)] = i;
}
// Nibble value of each byte; 255 = not a hex digit.
const UNHEX = new Uint8Array(256).fill(255);
for (let i = 0; i < 10; i++) UNHEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  UNHEX[0x41 + i] = 10 + i;
  UNHEX[0x61 + i] = 10 + i;
}
const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

// Node's utf8 toString keeps a leading BOM: ignoreBOM stops TextDecoder eating it.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Fatal = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const utf8Encoder = new TextEncoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// String.fromCharCode.apply takes its arguments on the stack: keep chunks small.
const CHUNK = 0x2000;

function codesToString(codes) {
  if (codes.length <= CHUNK) return String.fromCharCode.apply(null, codes);
  let out = '';
  for (let i = 0; i < codes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK));
  }
  return out;
}

// ---------------------------------------------------------------- pure JS ---

function jsBase64Encode(bytes, url) {
  const table = url ? B64URL_CODES : B64_CODES;
  const n = bytes.length;
  const full = n - (n % 3);
  const outLen = url ? Math.ceil((n * 4) / 3) : Math.ceil(n / 3) * 4;
  const out = new Uint8Array(outLen);
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = table[v >> 18];
    out[o++] = table[(v >> 12) & 63];
    out[o++] = table[(v >> 6) & 63];
    out[o++] = table[v & 63];
  }
  const rest = n - full;
  if (rest === 1) {
    const v = bytes[full];
    out[o++] = table[v >> 2];
    out[o++] = table[(v << 4) & 63];
    if (!url) {
      out[o++] = 0x3d;
      out[o++] = 0x3d;
    }
  } else if (rest === 2) {
    const v = (bytes[full] << 8) | bytes[full + 1];
    out[o++] = table[v >> 10];
    out[o++] = table[(v >> 4) & 63];
    out[o++] = table[(v << 2) & 63];
    if (!url) out[o++] = 0x3d;
  }
  return codesToString(out);
}

function jsBase64Decode(str) {
  const len = str.length;
  // Every decoded byte needs at least 4/3 input characters.
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let nacc = 0;
  for (let i = 0; i < len; i++) {
    const c = str.charCodeAt(i) & 0xff;
    if (c === 0x3d) break;
    const v = UNB64[c];
    if (v === 255) continue;
    acc = (acc << 6) | v;
    if (++nacc === 4) {
      out[o++] = acc >> 16;
      out[o++] = (acc >> 8) & 0xff;
      out[o++] = acc & 0xff;
      acc = 0;
      nacc = 0;
    }
  }
  if (nacc === 2) {
    out[o++] = acc >> 4;
  } else if (nacc === 3) {
    out[o++] = acc >> 10;
    out[o++] = (acc >> 2) & 0xff;
  }
  return o === out.length ? out : out.slice(0, o);
}

function jsHexEncode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]];
  return out;
}

function jsHexDecode(str) {
  const n = str.length >>> 1;
  const out = new Uint8Array(n);
  let i = 0;
  for (; i < n; i++) {
    const a = UNHEX[str.charCodeAt(2 * i) & 0xff];
    const b = UNHEX[str.charCodeAt(2 * i + 1) & 0xff];
    if (a === 255 || b === 255) break;
    out[i] = (a << 4) | b;
  }
  return i === n ? out : out.slice(0, i);
}

function jsLatin1Decode(bytes) {
  return codesToString(bytes);
}

function jsLatin1Encode(str) {
  const n = str.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = str.charCodeAt(i);
  return out;
}

function jsAsciiDecode(bytes) {
  if (jsIsAscii(bytes)) return codesToString(bytes);
  const masked = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) masked[i] = bytes[i] & 0x7f;
  return codesToString(masked);
}

function jsUtf16leDecode(bytes) {
  const units = bytes.length >>> 1;
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) {
    return codesToString(new Uint16Array(bytes.buffer, bytes.byteOffset, units));
  }
  const codes = new Uint16Array(units);
  for (let i = 0; i < units; i++) codes[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  return codesToString(codes);
}

function jsUtf16leEncode(str) {
  const n = str.length;
  if (LITTLE_ENDIAN) {
    // One store per code unit instead of two.
    const units = new Uint16Array(n);
    for (let i = 0; i < n; i++) units[i] = str.charCodeAt(i);
    return new Uint8Array(units.buffer);
  }
  const out = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >> 8;
  }
  return out;
}

function jsIndexOf(hay, needle, from) {
  const n = needle.length;
  const last = hay.length - n;
  if (from < 0) from = 0;
  const first = needle[0];
  for (let i = from; i <= last; i++) {
    if (hay[i] !== first) continue;
    let j = 1;
    while (j < n && hay[i + j] === needle[j]) j++;
    if (j === n) return i;
  }
  return -1;
}

function jsLastIndexOf(hay, needle, from) {
  const n = needle.length;
  let i = Math.min(from, hay.length - n);
  const first = needle[0];
  for (; i >= 0; i--) {
    if (hay[i] !== first) continue;
    let j = 1;
    while (j < n && hay[i + j] === needle[j]) j++;
    if (j === n) return i;
  }
  return -1;
}

function jsCompare(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function jsEquals(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function jsFill(target, pattern, start, end) {
  if (start >= end) return;
  if (pattern.length === 1) {
    target.fill(pattern[0], start, end);
    return;
  }
  const first = Math.min(pattern.length, end - start);
  target.set(first === pattern.length ? pattern : pattern.subarray(0, first), start);
  // Doubling copies: each round copies everything written so far.
  let filled = first;
  while (start + filled < end) {
    const n = Math.min(filled, end - start - filled);
    target.copyWithin(start + filled, start, start + n);
    filled += n;
  }
}

function jsIsUtf8(bytes) {
  try {
    utf8Fatal.decode(unshared(bytes));
    return true;
  } catch {
    return false;
  }
}

function jsIsAscii(bytes) {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] & 0x80) return false;
  return true;
}

// ------------------------------------------------------------- fast paths ---

const memory = wasm.bufferMemory();
// TextDecoder refuses views of shared memory (the threaded build): copy first.
const SHARED = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
const utf16Decoder = new TextDecoder('utf-16le', { ignoreBOM: true });
// Uint8Array.prototype.toBase64/toHex (Chromium, not Node 20) are exact encoders.
const HAS_TO_BASE64 = typeof Uint8Array.prototype.toBase64 === 'function';
const HAS_TO_HEX = typeof Uint8Array.prototype.toHex === 'function';
// Their inverses, Uint8Array.fromBase64/fromHex, are strict decoders.
const HAS_FROM_BASE64 = typeof Uint8Array.fromBase64 === 'function';
const HAS_FROM_HEX = typeof Uint8Array.fromHex === 'function';
// Long searches and scans go through wasm in slices: an early hit stops early
// and the scratch area stays cache-sized.
const SLICE = 1 << 18;
const CMP_SLICE = 1 << 20;
const ENCODE_SLICE = 3 << 16;
// Characters per slice of a long base64 decode (see wasmBase64Decode).
const DECODE_SLICE = 1 << 18;

// Sizes (in input units) from which the fast path wins, measured with
// bench/buffer.mjs in Node 20; `__setThreshold` overrides them for tests.
const DEFAULTS = Object.freeze({
  base64Encode: 40,
  base64Decode: 64,
  hexEncode: 48,
  hexDecode: 64,
  latin1Decode: 256,
  latin1Encode: 64,
  asciiDecode: 24,
  utf16leDecode: 512,
  search: 256,
  compare: 128,
  isUtf8: 24,
  isAscii: 64,
});
let limit = { ...DEFAULTS };
let platform = true;

/**
 * Test hook: `n` = 0 sends every call down the wasm path, Infinity down the
 * pure-JS path; no argument restores the measured defaults. Platform
 * primitives that are not the only exact option are used only by default.
 */
export function __setThreshold(n) {
  if (n === undefined) {
    limit = { ...DEFAULTS };
    platform = true;
    return;
  }
  limit = Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, n]));
  platform = false;
}

// Growing wasm memory can fail for huge inputs: the wasm side then throws
// ERR_MEMORY_ALLOCATION_FAILED (it never aborts, which would poison the
// module) and the call takes the pure-JS path instead.
function orJs(fast, slow) {
  try {
    return fast();
  } catch (err) {
    if (err?.code === 'ERR_MEMORY_ALLOCATION_FAILED') return slow();
    throw err;
  }
}

function putBytes(bytes) {
  const ptr = wasm.bufferInput(bytes.length);
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
}

function putPair(a, b) {
  const ptr = wasm.bufferInput(a.length + b.length);
  const heap = new Uint8Array(memory.buffer);
  heap.set(a, ptr);
  heap.set(b, ptr + a.length);
}

// Writes an all-ASCII string as bytes into the input area; false (and
// nothing usable written) when the string has other characters.
function putAscii(str) {
  const n = str.length;
  if (SHARED) {
    // encodeInto refuses shared views: encode, then copy. A string is ASCII
    // exactly when its UTF-8 form has one byte per UTF-16 code unit.
    const bytes = utf8Encoder.encode(str);
    if (bytes.length !== n) return false;
    putBytes(bytes);
    return true;
  }
  const ptr = wasm.bufferInput(n);
  const { read, written } = encodeInto(utf8Encoder, str, new Uint8Array(memory.buffer, ptr, n));
  return read === n && written === n;
}

function takeBytes(n) {
  return new Uint8Array(memory.buffer, wasm.bufferOutput(), n).slice();
}

function takeAscii(n) {
  const view = new Uint8Array(memory.buffer, wasm.bufferOutput(), n);
  return utf8Decoder.decode(SHARED ? view.slice() : view);
}

// Encodes `bytes` slice by slice into one output of `outLen` ASCII bytes and
// makes the string. A slice copied into wasm memory is still in the cache when
// the encoder reads it (measured at 16 MiB, loaded machine: 3-5% less time
// than one copy of the whole input, then one encode). Slices are a multiple
// of 3 bytes, so only the last one can end a base64 group early.
function encodeSliced(bytes, outLen, encodeAt) {
  let at = 0;
  for (let i = 0; i < bytes.length; i += ENCODE_SLICE) {
    const part = bytes.subarray(i, i + ENCODE_SLICE);
    putBytes(part);
    at += encodeAt(part.length, at);
  }
  return takeAscii(at);
}

/**
 * Node's byte length of a base64 string: three bytes per four characters, up
 * to two trailing '=' not counted. Exact for clean input, and an upper bound
 * of what the lenient decoder writes (it stops at the first '=').
 */
export function base64ByteLength(str) {
  let n = str.length;
  if (n > 0 && str.charCodeAt(n - 1) === 0x3d) n--;
  if (n > 1 && str.charCodeAt(n - 1) === 0x3d) n--;
  return (n * 3) >>> 2;
}

// Decodes a long string slice by slice: each slice is written into wasm
// memory, decoded there while still in the cache, and its bytes copied
// straight into the result, which is allocated once at Node's byte-length
// bound (exact for clean input). A slice may end inside a group of four
// characters: the wasm decoder carries it over to the next slice.
function wasmBase64Decode(str) {
  const n = str.length;
  const out = new Uint8Array(base64ByteLength(str));
  let o = 0;
  wasm.bufferBase64DecodeStart();
  for (let i = 0; i < n; i += DECODE_SLICE) {
    const part = n <= DECODE_SLICE ? str : str.substring(i, i + DECODE_SLICE);
    // Any character beyond ASCII: Node keeps only its low 8 bits, which the
    // JS decoder does for the whole string.
    if (!putAscii(part)) return jsBase64Decode(str);
    const r = wasm.bufferBase64DecodeFeed(part.length);
    const k = r < 0 ? -r - 1 : r;
    if (o + k > out.length) return jsBase64Decode(str); // never: the bound holds
    if (k > 0) out.set(new Uint8Array(memory.buffer, wasm.bufferOutput(), k), o);
    o += k;
    if (r < 0) break; // a '=' ended the input
  }
  const k = wasm.bufferBase64DecodeFinish();
  if (o + k > out.length) return jsBase64Decode(str);
  if (k > 0) out.set(new Uint8Array(memory.buffer, wasm.bufferOutput(), k), o);
  o += k;
  return o === out.length ? out : out.slice(0, o);
}

function wasmIsAscii(bytes) {
  for (let i = 0; i < bytes.length; i += SLICE) {
    const part = bytes.subarray(i, i + SLICE);
    putBytes(part);
    if (!wasm.bufferIsAscii(part.length)) return false;
  }
  return true;
}

function wasmIndexOf(hay, needle, from) {
  const n = needle.length;
  for (let start = Math.max(from, 0); start + n <= hay.length; start += SLICE) {
    // Each slice overlaps the next by n - 1 bytes so no match straddles unseen.
    const part = hay.subarray(start, start + SLICE + n - 1);
    putPair(part, needle);
    const i = wasm.bufferIndexOf(part.length, n, 0);
    if (i >= 0) return start + i;
  }
  return -1;
}

function wasmLastIndexOf(hay, needle, from) {
  const n = needle.length;
  // Matches start at or before `last`; scan slices downwards from there.
  const last = Math.min(from, hay.length - n);
  for (let end = last + 1; end > 0; end -= SLICE) {
    const start = Math.max(0, end - SLICE);
    const part = hay.subarray(start, end + n - 1);
    putPair(part, needle);
    const i = wasm.bufferLastIndexOf(part.length, n, end - 1 - start);
    if (i >= 0) return start + i;
  }
  return -1;
}

function wasmCompare(a, b) {
  const n = Math.min(a.length, b.length);
  // Slices of 1 MiB each (2 MiB of wasm memory, about one L2 cache): measured
  // faster at 16 MiB than 256 KiB, as the per-slice calls and views add up.
  const size = Math.min(CMP_SLICE, n);
  const ptr = wasm.bufferInput(2 * size);
  for (let i = 0; i < n; i += CMP_SLICE) {
    const end = Math.min(i + CMP_SLICE, n);
    const heap = new Uint8Array(memory.buffer, ptr, 2 * size);
    heap.set(a.subarray(i, end), 0);
    heap.set(b.subarray(i, end), end - i);
    const c = wasm.bufferCompare(end - i, end - i);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

// ------------------------------------------------------------ the contract ---

/** Standard base64 with padding, or base64url without (`url`). */
export function base64Encode(bytes, url) {
  if (bytes.length < limit.base64Encode) return jsBase64Encode(bytes, url);
  if (platform && HAS_TO_BASE64) {
    return bytes.toBase64(url ? { alphabet: 'base64url', omitPadding: true } : undefined);
  }
  const outLen = url ? Math.ceil((bytes.length * 4) / 3) : Math.ceil(bytes.length / 3) * 4;
  return orJs(
    () => encodeSliced(bytes, outLen, (n, at) => wasm.bufferBase64EncodeAt(n, url, at, outLen)),
    () => jsBase64Encode(bytes, url),
  );
}

/**
 * Node's lenient base64 decoder: both alphabets, skips junk, stops at '='.
 * `url` only says which alphabet to expect first: the result is the same.
 */
export function base64Decode(str, url = false) {
  if (str.length < limit.base64Decode) return jsBase64Decode(str);
  if (platform && HAS_FROM_BASE64) {
    // The platform decoder is strict: when it accepts the input (one
    // alphabet, whitespace only between characters, '=' only at the end),
    // its bytes are exactly Node's. Anything else throws and goes on below.
    try {
      return Uint8Array.fromBase64(str, { alphabet: url ? 'base64url' : 'base64', lastChunkHandling: 'loose' });
    } catch {
      // Node accepts more: decode with the lenient decoder.
    }
  }
  return orJs(
    () => wasmBase64Decode(str),
    () => jsBase64Decode(str),
  );
}

/** Lowercase hex. */
export function hexEncode(bytes) {
  if (bytes.length < limit.hexEncode) return jsHexEncode(bytes);
  if (platform && HAS_TO_HEX) return bytes.toHex();
  const outLen = bytes.length * 2;
  return orJs(
    () => encodeSliced(bytes, outLen, (n, at) => wasm.bufferHexEncodeAt(n, at, outLen)),
    () => jsHexEncode(bytes),
  );
}

/** Decodes hex pairs until the first pair that is not two hex digits. */
export function hexDecode(str) {
  if (str.length < limit.hexDecode) return jsHexDecode(str);
  if (platform && HAS_FROM_HEX && str.length % 2 === 0) {
    // Strict: it accepts only an even run of hex digits, where its bytes
    // are exactly Node's; Node stops at a bad pair instead of throwing.
    try {
      return Uint8Array.fromHex(str);
    } catch {
      // Decode up to the first bad pair below.
    }
  }
  return orJs(
    () => (putAscii(str) ? takeBytes(wasm.bufferHexDecode(str.length)) : jsHexDecode(str)),
    () => jsHexDecode(str),
  );
}

/** Each byte as U+0000..U+00FF. */
export function latin1Decode(bytes) {
  if (bytes.length < limit.latin1Decode) return jsLatin1Decode(bytes);
  // ASCII decodes the same as UTF-8; otherwise widen each byte to a code unit
  // (natively) and let the UTF-16 decoder build the string: no surrogates can
  // occur below U+0100, so it replaces nothing.
  if (
    orJs(
      () => wasmIsAscii(bytes),
      () => jsIsAscii(bytes),
    )
  )
    return utf8Decoder.decode(unshared(bytes));
  return utf16Decoder.decode(new Uint16Array(bytes));
}

/** The low 8 bits of each UTF-16 code unit. */
export function latin1Encode(str) {
  if (str.length < limit.latin1Encode) return jsLatin1Encode(str);
  const out = new Uint8Array(str.length);
  const { read, written } = utf8Encoder.encodeInto(str, out);
  return read === str.length && written === str.length ? out : jsLatin1Encode(str);
}

/** Each byte with its top bit cleared, as Node's 'ascii' does. */
export function asciiDecode(bytes) {
  if (bytes.length < limit.asciiDecode) return jsAsciiDecode(bytes);
  return orJs(
    () => {
      putBytes(bytes);
      return takeAscii(wasm.bufferAsciiMask(bytes.length));
    },
    () => jsAsciiDecode(bytes),
  );
}

/** Little-endian code units; an odd trailing byte is ignored, lone surrogates kept. */
export function utf16leDecode(bytes) {
  if (bytes.length < limit.utf16leDecode) return jsUtf16leDecode(bytes);
  // The platform decoder is exact unless a lone surrogate needs keeping.
  const lone = orJs(
    () => {
      putBytes(bytes);
      return wasm.bufferHasLoneSurrogate(bytes.length);
    },
    () => true,
  );
  if (lone) return jsUtf16leDecode(bytes);
  return utf16Decoder.decode(unshared(bytes.subarray(0, bytes.length & ~1)));
}

/** Each UTF-16 code unit as two little-endian bytes. */
export function utf16leEncode(str) {
  return jsUtf16leEncode(str);
}

/** UTF-8 with WHATWG replacement of invalid sequences; a BOM is kept. */
export function utf8Decode(bytes) {
  return utf8Decoder.decode(unshared(bytes));
}

/** UTF-8; lone surrogates become EF BF BD. */
export function utf8Encode(str) {
  return utf8Encoder.encode(str);
}

/** Writes whole characters of `str` into target[offset, offset + length); returns bytes written. */
export function utf8Write(str, target, offset, length) {
  return encodeInto(utf8Encoder, str, target.subarray(offset, offset + length)).written;
}

/** First index >= from where needle occurs in hay, or -1. Needle is non-empty. */
export function indexOf(hay, needle, from) {
  if (hay.length - from < limit.search) return jsIndexOf(hay, needle, from);
  return orJs(
    () => wasmIndexOf(hay, needle, from),
    () => jsIndexOf(hay, needle, from),
  );
}

/** Last index <= from where needle occurs in hay, or -1. Needle is non-empty. */
export function lastIndexOf(hay, needle, from) {
  if (from < limit.search) return jsLastIndexOf(hay, needle, from);
  return orJs(
    () => wasmLastIndexOf(hay, needle, from),
    () => jsLastIndexOf(hay, needle, from),
  );
}

/** -1, 0 or 1: bytewise order, then length. */
export function compare(a, b) {
  if (a.length < limit.compare || b.length < limit.compare) return jsCompare(a, b);
  return orJs(
    () => wasmCompare(a, b),
    () => jsCompare(a, b),
  );
}

/** Same length and same bytes. */
export function equals(a, b) {
  if (a.length !== b.length) return false;
  if (a.length < limit.compare) return jsEquals(a, b);
  return orJs(
    () => wasmCompare(a, b) === 0,
    () => jsEquals(a, b),
  );
}

/** Repeats the non-empty `pattern` over target[start, end). */
export function fill(target, pattern, start, end) {
  jsFill(target, pattern, start, end);
}

/** Whether `bytes` is valid UTF-8. */
export function isUtf8(bytes) {
  if (bytes.length < limit.isUtf8) return jsIsUtf8(bytes);
  return orJs(
    () => {
      putBytes(bytes);
      return wasm.bufferIsUtf8(bytes.length);
    },
    () => jsIsUtf8(bytes),
  );
}

/** Whether every byte is below 0x80. */
export function isAscii(bytes) {
  if (bytes.length < limit.isAscii) return jsIsAscii(bytes);
  return orJs(
    () => wasmIsAscii(bytes),
    () => jsIsAscii(bytes),
  );
}
