// Bytes in and out of the crypto module: string encodings, Node's argument
// checks for binary-like values, and the one place that turns result bytes
// into the Buffer users get back.
import { codes } from './errors.js';
import { isAnyArrayBuffer } from './validators.js';
import { unshared } from './shared-memory.js';

const { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_UNKNOWN_ENCODING } = codes;

let BufferCtor = null;
/** Installs the Buffer class results are returned as (called once buffer.js is loaded). */
export function setBufferClass(Ctor) {
  BufferCtor = Ctor;
}

/**
 * The one function that turns result bytes into what Node returns (a Buffer).
 * Takes ownership of `u8`: no copy when the Buffer class can wrap it.
 */
export function makeBuffer(u8) {
  if (BufferCtor === null) return u8;
  return BufferCtor.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

/** Node's normalizeEncoding: the canonical name, or undefined when unknown. */
export function normalizeEncoding(enc) {
  if (enc == null || enc === 'utf8' || enc === 'utf-8') return 'utf8';
  switch (String(enc).toLowerCase()) {
    case 'utf8':
    case 'utf-8':
      return 'utf8';
    case 'hex':
      return 'hex';
    case 'base64':
      return 'base64';
    case 'base64url':
      return 'base64url';
    case 'latin1':
    case 'binary':
      return 'latin1';
    case 'ascii':
      return 'ascii';
    case 'ucs2':
    case 'ucs-2':
    case 'utf16le':
    case 'utf-16le':
      return 'utf16le';
    case '':
      return 'utf8';
    default:
      return undefined;
  }
}

const encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

const HEX = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i;
  HEX_VALUE[97 + i] = 10 + i;
}
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  B64_VALUE[B64.charCodeAt(i)] = i;
  B64_VALUE[B64URL.charCodeAt(i)] = i;
}

function hexToBytes(str) {
  // Like Buffer.from(str, 'hex'): stops at the first pair that is not hex.
  const n = str.length >>> 1;
  const out = new Uint8Array(n);
  let i = 0;
  for (; i < n; i++) {
    const a = str.charCodeAt(2 * i);
    const b = str.charCodeAt(2 * i + 1);
    const hi = a < 128 ? HEX_VALUE[a] : -1;
    const lo = b < 128 ? HEX_VALUE[b] : -1;
    if (hi < 0 || lo < 0) break;
    out[i] = (hi << 4) | lo;
  }
  return i === n ? out : out.subarray(0, i);
}

function base64ToBytes(str) {
  // Like Buffer.from(str, 'base64'): both alphabets, stops at '=', skips other characters.
  const out = new Uint8Array(((str.length * 3) >>> 2) + 3);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c === 61) break;
    const v = c < 128 ? B64_VALUE[c] : -1;
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

function latin1ToBytes(str) {
  const out = new Uint8Array(str.length);
  for (let i = 0; i < str.length; i++) out[i] = str.charCodeAt(i);
  return out;
}

function utf16leToBytes(str) {
  const out = new Uint8Array(str.length * 2);
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

// Past this size the Buffer class's (wasm, SIMD) codecs beat the JS loops here.
const BIG = 4096;

/** Encodes a string into bytes (unknown encodings fall back to UTF-8, as in crypto's C++ layer). */
export function stringToBytes(str, enc) {
  const norm = normalizeEncoding(enc);
  if (BufferCtor !== null && str.length > BIG && norm !== undefined && norm !== 'utf8') {
    const b = BufferCtor.from(str, norm);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  switch (norm) {
    case 'hex':
      return hexToBytes(str);
    case 'base64':
    case 'base64url':
      return base64ToBytes(str);
    case 'latin1':
    case 'ascii':
      return latin1ToBytes(str);
    case 'utf16le':
      return utf16leToBytes(str);
    default:
      return encoder.encode(str);
  }
}

/** A view of the bytes of any ArrayBufferView or ArrayBuffer (no copy). */
export function viewOf(data) {
  // Always a plain Uint8Array: Buffer#slice does not copy, Uint8Array#slice does.
  if (data.constructor === Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/**
 * Node's data argument of update(): a string (with `encoding`) or an
 * ArrayBufferView. Odd-length hex is an error, as in Node.
 */
export function dataBytes(data, encoding, name = 'data') {
  if (typeof data === 'string') {
    if (normalizeEncoding(encoding) === 'hex' && data.length % 2 !== 0) {
      throw new ERR_INVALID_ARG_VALUE('encoding', encoding, `is invalid for data of length ${data.length}`);
    }
    return stringToBytes(data, encoding);
  }
  if (!ArrayBuffer.isView(data)) {
    throw new ERR_INVALID_ARG_TYPE(name, ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  return viewOf(data);
}

/**
 * Node's getArrayBufferOrView: strings (UTF-8 unless `encoding`), ArrayBuffers
 * and views; anything else is ERR_INVALID_ARG_TYPE naming `name`.
 */
const BINARY_LIKE = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'];

export function binaryLike(value, name, encoding = 'utf8', expected = BINARY_LIKE) {
  if (typeof value === 'string') return stringToBytes(value, encoding);
  if (ArrayBuffer.isView(value) || isAnyArrayBuffer(value)) return viewOf(value);
  throw new ERR_INVALID_ARG_TYPE(name, expected, value);
}

function bytesToHex(u8) {
  let out = '';
  for (let i = 0; i < u8.length; i++) out += HEX[u8[i]];
  return out;
}

function bytesToBase64(u8, alphabet, pad) {
  let out = '';
  let i = 0;
  for (; i + 2 < u8.length; i += 3) {
    const n = (u8[i] << 16) | (u8[i + 1] << 8) | u8[i + 2];
    out += alphabet[n >>> 18] + alphabet[(n >>> 12) & 63] + alphabet[(n >>> 6) & 63] + alphabet[n & 63];
  }
  const rest = u8.length - i;
  if (rest === 1) {
    const n = u8[i] << 16;
    out += alphabet[n >>> 18] + alphabet[(n >>> 12) & 63] + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (u8[i] << 16) | (u8[i + 1] << 8);
    out += alphabet[n >>> 18] + alphabet[(n >>> 12) & 63] + alphabet[(n >>> 6) & 63] + (pad ? '=' : '');
  }
  return out;
}

function bytesToLatin1(u8, mask = 0xff) {
  let out = '';
  for (let i = 0; i < u8.length; i += 4096) {
    const part = u8.subarray(i, i + 4096);
    out += String.fromCharCode.apply(null, mask === 0xff ? part : part.map((b) => b & mask));
  }
  return out;
}

function bytesToUtf16le(u8) {
  let out = '';
  for (let i = 0; i + 1 < u8.length; i += 2) out += String.fromCharCode(u8[i] | (u8[i + 1] << 8));
  return out;
}

/** Encodes bytes as a string in a canonical encoding (see normalizeEncoding). */
export function bytesToString(u8, enc) {
  if (BufferCtor !== null && u8.length > BIG && enc !== 'utf8') {
    return BufferCtor.prototype.toString.call(BufferCtor.from(u8.buffer, u8.byteOffset, u8.byteLength), enc);
  }
  switch (enc) {
    case 'hex':
      return bytesToHex(u8);
    case 'base64':
      return bytesToBase64(u8, B64, true);
    case 'base64url':
      return bytesToBase64(u8, B64URL, false);
    case 'latin1':
      return bytesToLatin1(u8);
    case 'ascii':
      return bytesToLatin1(u8, 0x7f);
    case 'utf16le':
      return bytesToUtf16le(u8);
    default:
      return utf8Decoder.decode(unshared(u8));
  }
}

/**
 * digest(encoding) of Hash/Hmac: a string for a known encoding, else a Buffer
 * (Node returns a Buffer for 'buffer' and for unknown names alike).
 */
export function digestOutput(u8, encoding, temporary = false) {
  if (encoding === 'hex') return bytesToHex(u8);
  // A temporary view into wasm memory (shared memory in the threaded build,
  // which TextDecoder refuses) is copied before anything else reads it.
  if (temporary) u8 = u8.slice();
  const named = typeof encoding === 'string' && encoding !== 'buffer' && encoding.length > 0;
  const enc = named ? normalizeEncoding(encoding) : undefined;
  if (enc === undefined) return makeBuffer(u8);
  return bytesToString(u8, enc);
}

/** The canonical output encoding of a cipher, or ERR_UNKNOWN_ENCODING. */
export function outputEncoding(encoding) {
  const enc = normalizeEncoding(encoding);
  if (enc === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  return enc;
}

/**
 * What Node's StringDecoder does for the cipher's string outputs: holds back
 * the bytes of an incomplete character (UTF-8, UTF-16) or base64 group so that
 * the chunks concatenate to the encoding of the whole, cutting chunks where
 * Node cuts them (its UTF-8 rules included, for invalid input too).
 */
export class ChunkDecoder {
  constructor(encoding) {
    this.encoding = encoding;
    this.buffered = new Uint8Array(4);
    this.bufferedBytes = 0;
    this.missingBytes = 0;
  }

  write(data) {
    let prepend = '';
    let start = 0;
    let nread = data.length;
    const enc = this.encoding;
    if (this.missingBytes > 0) {
      if (enc === 'utf8') {
        // An unexpected non-continuation byte ends the incomplete character early.
        for (let i = 0; i < nread && i < this.missingBytes; i++) {
          if ((data[i] & 0xc0) !== 0x80) {
            this.missingBytes = 0;
            this.buffered.set(data.subarray(0, i), this.bufferedBytes);
            this.bufferedBytes += i;
            start += i;
            nread -= i;
            break;
          }
        }
      }
      const found = Math.min(nread, this.missingBytes);
      this.buffered.set(data.subarray(start, start + found), this.bufferedBytes);
      start += found;
      nread -= found;
      this.missingBytes -= found;
      this.bufferedBytes += found;
      if (this.missingBytes === 0) {
        prepend = bytesToString(this.buffered.subarray(0, this.bufferedBytes), enc);
        this.bufferedBytes = 0;
      }
    }
    if (nread === 0) return prepend;
    const end = start + nread;
    if (enc === 'utf8' && data[end - 1] & 0x80) {
      for (let i = end - 1; ; i--) {
        this.bufferedBytes++;
        if ((data[i] & 0xc0) === 0x80) {
          if (this.bufferedBytes >= 4 || i === start) {
            this.bufferedBytes = 0;
            break;
          }
        } else {
          if ((data[i] & 0xe0) === 0xc0) this.missingBytes = 2;
          else if ((data[i] & 0xf0) === 0xe0) this.missingBytes = 3;
          else if ((data[i] & 0xf8) === 0xf0) this.missingBytes = 4;
          else {
            this.bufferedBytes = 0;
            break;
          }
          if (this.bufferedBytes >= this.missingBytes) {
            this.missingBytes = 0;
            this.bufferedBytes = 0;
          }
          this.missingBytes -= this.bufferedBytes;
          break;
        }
      }
    } else if (enc === 'utf16le') {
      if (nread % 2 === 1) {
        this.bufferedBytes = 1;
        this.missingBytes = 1;
      } else if ((data[end - 1] & 0xfc) === 0xd8) {
        this.bufferedBytes = 2;
        this.missingBytes = 2;
      }
    } else if (enc === 'base64' || enc === 'base64url') {
      this.bufferedBytes = nread % 3;
      if (this.bufferedBytes > 0) this.missingBytes = 3 - this.bufferedBytes;
    }
    let bodyEnd = end;
    if (this.bufferedBytes > 0) {
      bodyEnd = end - this.bufferedBytes;
      this.buffered.set(data.subarray(bodyEnd, end), 0);
    }
    return prepend + (bodyEnd > start ? bytesToString(data.subarray(start, bodyEnd), enc) : '');
  }

  end(data) {
    const out = data && data.length > 0 ? this.write(data) : '';
    if (this.encoding === 'utf16le' && this.bufferedBytes % 2 === 1) this.bufferedBytes--;
    if (this.bufferedBytes === 0) {
      this.missingBytes = 0;
      return out;
    }
    const rest = bytesToString(this.buffered.subarray(0, this.bufferedBytes), this.encoding);
    this.bufferedBytes = 0;
    this.missingBytes = 0;
    return out + rest;
  }
}
