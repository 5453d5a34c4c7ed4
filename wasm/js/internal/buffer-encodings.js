// The encodings Buffer understands: names (case-insensitive like Node), byte
// lengths, and how each one decodes a range, writes into a range and searches.
// The byte work goes through buffer-native.js; here is only the per-encoding
// bookkeeping Node does around it.
import * as native from './buffer-native.js';

// Short inputs go faster through plain loops than through TextDecoder/Encoder
// or a view plus a call into buffer-native.
const SMALL = 16;
const SMALL_WRITE = 64;
const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

/** UTF-8 byte count of a JS string (lone surrogates count three, as EF BF BD). */
export function utf8Length(str) {
  const n = str.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

// A plain Uint8Array view, so that no Buffer species machinery runs per call.
function view(buf, start, end) {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

function copyInto(buf, bytes, offset, length) {
  const n = Math.min(bytes.length, length);
  if (n > 0) buf.set(n === bytes.length ? bytes : bytes.subarray(0, n), offset);
  return n;
}

function utf8Slice(buf, start, end) {
  const n = end - start;
  if (n <= SMALL) {
    let out = '';
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return native.utf8Decode(view(buf, start, end));
      out += String.fromCharCode(c);
    }
    return out;
  }
  return native.utf8Decode(view(buf, start, end));
}

function utf8Write(buf, str, offset, length) {
  if (length <= 0 || str.length === 0) return 0;
  // ASCII prefix in a plain loop: most short writes end here.
  const n = Math.min(str.length, length);
  let i = 0;
  if (n <= SMALL_WRITE) {
    for (; i < n; i++) {
      const c = str.charCodeAt(i);
      if (c >= 0x80) break;
      buf[offset + i] = c;
    }
    if (i === n) return n;
  }
  // The rest through the native path, on a plain view (no Buffer species work).
  const rest = i === 0 ? str : str.slice(i);
  return i + native.utf8Write(rest, view(buf, offset + i, offset + length), 0, length - i);
}

/** UTF-8 bytes of `str`; short ASCII strings skip TextEncoder's allocation path. */
export function utf8Bytes(str) {
  const n = str.length;
  if (n <= SMALL_WRITE) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = str.charCodeAt(i);
      if (c >= 0x80) return native.utf8Encode(str);
      out[i] = c;
    }
    return out;
  }
  return native.utf8Encode(str);
}

function hexSlice(buf, start, end) {
  if (end - start <= SMALL) {
    let out = '';
    for (let i = start; i < end; i++) out += HEX[buf[i]];
    return out;
  }
  return native.hexEncode(view(buf, start, end));
}

function latin1Write(buf, str, offset, length) {
  const n = Math.min(str.length, length);
  for (let i = 0; i < n; i++) buf[offset + i] = str.charCodeAt(i);
  return n;
}

function ucs2Write(buf, str, offset, length) {
  const n = Math.min(str.length, length >>> 1);
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    buf[offset + 2 * i] = c;
    buf[offset + 2 * i + 1] = c >>> 8;
  }
  return n * 2;
}

function hexWrite(buf, str, offset, length) {
  const limit = length * 2;
  return copyInto(buf, native.hexDecode(str.length > limit ? str.slice(0, limit) : str), offset, length);
}

function base64Write(buf, str, offset, length) {
  return copyInto(buf, native.base64Decode(str), offset, length);
}

// --------------------------------------------------------------- searching ---

/**
 * Node's start position for a search of `needleLength` bytes from `offset`
 * (already truncated): negative counts from the end; -1 = no match possible.
 */
export function searchStart(length, offset, needleLength, forward) {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    if (forward || needleLength === 0) return 0;
    return -1;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  if (forward) return -1;
  return length - 1;
}

/** Search for the bytes of `needle` in `buf`; `ucs2` searches aligned 16-bit units. */
export function searchBytes(buf, needle, offset, forward, ucs2) {
  const hayLength = buf.length;
  const needleLength = needle.length;
  const start = searchStart(hayLength, offset, needleLength, forward);
  // In UTF-16 only whole code units count: an odd last byte of the haystack
  // is out of reach (the start was still resolved against the full length).
  const reach = ucs2 ? hayLength & ~1 : hayLength;
  if (needleLength === 0) return start > reach ? reach : start;
  if (hayLength === 0 || start <= -1) return -1;
  if ((forward && needleLength + start > reach) || needleLength > reach) return -1;
  const hay = view(buf, 0, hayLength);
  if (!ucs2) {
    return forward ? native.indexOf(hay, needle, start) : native.lastIndexOf(hay, needle, start);
  }
  return searchUcs2(hay, needle, start, forward);
}

// Node searches whole code units over floor(length / 2) units, starting at
// unit floor(start / 2); a miss is -1.
function searchUcs2(hay, needle, start, forward) {
  if (hay.length < 2 || needle.length < 2) return -1;
  const units = hay.length >>> 1;
  const needleUnits = needle.length >>> 1;
  const hayEven = units * 2 === hay.length ? hay : hay.subarray(0, units * 2);
  const pattern = needleUnits * 2 === needle.length ? needle : needle.subarray(0, needleUnits * 2);
  let pos = Math.floor(start / 2) * 2;
  let found = -1;
  if (forward) {
    while (pos <= hayEven.length - pattern.length) {
      const i = native.indexOf(hayEven, pattern, pos);
      if (i < 0) break;
      if ((i & 1) === 0) {
        found = i;
        break;
      }
      pos = i + 1;
    }
  } else {
    pos = Math.min(pos, hayEven.length - pattern.length);
    while (pos >= 0) {
      const i = native.lastIndexOf(hayEven, pattern, pos);
      if (i < 0) break;
      if ((i & 1) === 0) {
        found = i;
        break;
      }
      pos = i - 1;
    }
  }
  return found;
}

function stringSearch(encode, ucs2) {
  return (buf, str, offset, forward) => {
    // Node searches a string in UTF-16 over the whole code units only: the
    // haystack loses an odd last byte before offsets are even resolved.
    const hay = ucs2 && buf.length % 2 === 1 ? view(buf, 0, buf.length - 1) : buf;
    return searchBytes(hay, encode(str), offset, forward, ucs2);
  };
}

// ------------------------------------------------------------------- table ---

function op(name, byteLength, slice, write, encode, ucs2 = false) {
  return { name, byteLength, slice, write, encode, ucs2, indexOf: stringSearch(encode, ucs2) };
}

const utf8 = op('utf8', utf8Length, utf8Slice, utf8Write, utf8Bytes);
const ucs2 = op(
  'utf16le',
  (s) => s.length * 2,
  (buf, s, e) => native.utf16leDecode(view(buf, s, e)),
  ucs2Write,
  native.utf16leEncode,
  true,
);
const latin1 = op(
  'latin1',
  (s) => s.length,
  (buf, s, e) => native.latin1Decode(view(buf, s, e)),
  latin1Write,
  native.latin1Encode,
);
const ascii = op(
  'ascii',
  (s) => s.length,
  (buf, s, e) => native.asciiDecode(view(buf, s, e)),
  latin1Write,
  native.latin1Encode,
);
const base64 = op(
  'base64',
  native.base64ByteLength,
  (buf, s, e) => native.base64Encode(view(buf, s, e), false),
  base64Write,
  native.base64Decode,
);
const base64url = op(
  'base64url',
  native.base64ByteLength,
  (buf, s, e) => native.base64Encode(view(buf, s, e), true),
  base64Write,
  (str) => native.base64Decode(str, true),
);
const hex = op('hex', (s) => s.length >>> 1, hexSlice, hexWrite, native.hexDecode);

/** Per-encoding operations, keyed by Node's normalized names. */
export const encodingOps = { utf8, utf16le: ucs2, latin1, ascii, base64, base64url, hex };

const byName = new Map([
  ['utf8', utf8],
  ['utf-8', utf8],
  ['ucs2', ucs2],
  ['ucs-2', ucs2],
  ['utf16le', ucs2],
  ['utf-16le', ucs2],
  ['latin1', latin1],
  ['binary', latin1],
  ['ascii', ascii],
  ['base64', base64],
  ['base64url', base64url],
  ['hex', hex],
]);

/** The operations for an encoding name (any case), or undefined. Non-strings are stringified like Node. */
export function getEncodingOps(encoding) {
  encoding += '';
  return byName.get(encoding) ?? byName.get(encoding.toLowerCase());
}

/** Node's normalizeEncoding: the canonical name, or undefined when unknown. */
export function normalizeEncoding(enc) {
  if (enc == null || enc === 'utf8' || enc === 'utf-8') return 'utf8';
  if (typeof enc !== 'string') return undefined;
  if (enc === '') return 'utf8';
  return byName.get(enc.toLowerCase())?.name;
}
