// ferrode/string_decoder: Node 20's StringDecoder.
//
// The state follows Node's own decoder: up to 4 bytes of an incomplete character
// (`lastChar`), how many are still missing (`lastNeed`) and the character's
// total (`lastTotal`). Node's rules, reproduced here and checked against
// node:string_decoder on random chunkings (tests/node/string_decoder-*.test.mjs):
// - utf8: a chunk ending inside a character keeps that character's bytes (found
//   by walking back at most 3 continuation bytes to its lead byte); the next
//   chunk completes it, unless one of the bytes it should have continued with
//   is not a continuation byte, in which case the kept bytes decode on their own
//   (to U+FFFD) and the new byte starts afresh. end() decodes kept bytes as
//   they are (a truncated character gives one U+FFFD). Complete runs decode with the platform's WHATWG decoder, whose
//   replacement rules are V8's.
// - utf16le: an odd byte is kept; otherwise a final high surrogate is kept for
//   its pair. Lone surrogates pass through as in Node (no U+FFFD).
// - base64/base64url: 1-2 trailing bytes wait for a full 3-byte group; end()
//   encodes them (padded for base64, unpadded for base64url).
// - latin1, ascii (bytes & 0x7f), hex: no state.
import { Buffer } from './buffer.js';
import { codes } from './internal/errors.js';
import { unshared } from './internal/shared-memory.js';

const { ERR_INVALID_ARG_TYPE, ERR_INVALID_THIS, ERR_UNKNOWN_ENCODING } = codes;

const kNativeDecoder = Symbol('kNativeDecoder');

const UTF8 = 1;
const UTF16 = 2;
const BASE64 = 3;
const BASE64URL = 4;
const LATIN1 = 5;
const ASCII = 6;
const HEX = 7;

const encodingIds = {
  utf8: UTF8,
  utf16le: UTF16,
  base64: BASE64,
  base64url: BASE64URL,
  latin1: LATIN1,
  ascii: ASCII,
  hex: HEX,
};

const aliases = {
  utf8: 'utf8',
  'utf-8': 'utf8',
  ucs2: 'utf16le',
  'ucs-2': 'utf16le',
  utf16le: 'utf16le',
  'utf-16le': 'utf16le',
  latin1: 'latin1',
  binary: 'latin1',
  base64: 'base64',
  base64url: 'base64url',
  hex: 'hex',
  ascii: 'ascii',
};

function normalizeEncoding(enc) {
  if (enc == null || enc === 'utf8' || enc === 'utf-8' || enc === '') return 'utf8';
  if (typeof enc === 'string') {
    const n = aliases[enc] ?? aliases[enc.toLowerCase()];
    if (n !== undefined) return n;
  }
  throw new ERR_UNKNOWN_ENCODING(enc);
}

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf16Decoder = new TextDecoder('utf-16le', { ignoreBOM: true });
const CHUNK = 0x2000;

function fromCodes(units) {
  if (units.length <= CHUNK) return String.fromCharCode.apply(null, units);
  let out = '';
  for (let i = 0; i < units.length; i += CHUNK) out += String.fromCharCode.apply(null, units.subarray(i, i + CHUNK));
  return out;
}

/** bytes[start, end) without a new view when that is all of it (views cost). */
function whole(bytes, start, end) {
  return unshared(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}

// Short runs decode in JS (a call into TextDecoder costs more than the work);
// any invalid byte sends the run to TextDecoder, whose replacement rules are
// the reference.
const kSmallUtf8 = 24;

function decodeUtf8(bytes, start, end) {
  if (end - start > kSmallUtf8) return utf8Decoder.decode(whole(bytes, start, end));
  let s = '';
  let i = start;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      s += String.fromCharCode(b);
      i++;
      continue;
    }
    let cp;
    let n;
    if (b >= 0xc2 && b <= 0xdf) {
      n = 2;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      cp = b & 0x07;
    } else {
      return utf8Decoder.decode(whole(bytes, start, end));
    }
    if (i + n > end) return utf8Decoder.decode(whole(bytes, start, end));
    const b1 = bytes[i + 1];
    // The second byte's range depends on the lead (no overlongs, surrogates or > U+10FFFF).
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return utf8Decoder.decode(whole(bytes, start, end));
    cp = (cp << 6) | (b1 & 0x3f);
    for (let k = 2; k < n; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return utf8Decoder.decode(whole(bytes, start, end));
      cp = (cp << 6) | (c & 0x3f);
    }
    s += cp > 0xffff ? String.fromCharCode(0xd7c0 + (cp >> 10), 0xdc00 | (cp & 0x3ff)) : String.fromCharCode(cp);
    i += n;
  }
  return s;
}

function decodeUtf16(bytes, start, end) {
  const n = (end - start) >>> 1;
  // The platform decoder is fastest but turns lone surrogates into U+FFFD, which
  // Node keeps: use it only when every surrogate is part of a pair.
  let lone = false;
  const last = start + 2 * n;
  for (let i = start + 1; i < last; i += 2) {
    const hi = bytes[i];
    if ((hi & 0xf8) !== 0xd8) continue;
    if ((hi & 0xfc) === 0xd8 && i + 2 < last && (bytes[i + 2] & 0xfc) === 0xdc) {
      i += 2;
      continue;
    }
    lone = true;
    break;
  }
  if (!lone) return utf16Decoder.decode(whole(bytes, start, last));
  const abs = bytes.byteOffset + start;
  let units;
  if ((abs & 1) === 0) {
    units = new Uint16Array(bytes.buffer, abs, n);
  } else {
    units = new Uint16Array(n);
    for (let i = 0; i < n; i++) units[i] = bytes[start + 2 * i] | (bytes[start + 2 * i + 1] << 8);
  }
  return fromCodes(units);
}

function decodeLatin1(bytes, start, end, mask) {
  if (mask === 0xff) return fromCodes(bytes.subarray(start, end));
  const out = new Uint8Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = bytes[i] & mask;
  return fromCodes(out);
}

const hexPairs = [];
for (let i = 0; i < 256; i++) hexPairs.push(i.toString(16).padStart(2, '0'));

function decodeHex(bytes, start, end) {
  let s = '';
  for (let i = start; i < end; i++) s += hexPairs[bytes[i]];
  return s;
}

// Uint8Array.prototype.toBase64 (recent browsers) is exact and faster than btoa.
const hasToBase64 = typeof Uint8Array.prototype.toBase64 === 'function';
const b64Options = { alphabet: 'base64' };
const b64urlOptions = { alphabet: 'base64url', omitPadding: true };

function decodeBase64(bytes, start, end, url) {
  if (hasToBase64) return whole(bytes, start, end).toBase64(url ? b64urlOptions : b64Options);
  const s = btoa(decodeLatin1(bytes, start, end, 0xff));
  if (!url) return s;
  let out = s.replace(/\+/g, '-').replace(/\//g, '_');
  while (out.endsWith('=')) out = out.slice(0, -1);
  return out;
}

function decodeRun(enc, bytes, start, end) {
  if (start >= end) return '';
  switch (enc) {
    case UTF8:
      return decodeUtf8(bytes, start, end);
    case UTF16:
      return decodeUtf16(bytes, start, end);
    case BASE64:
      return decodeBase64(bytes, start, end, false);
    case BASE64URL:
      return decodeBase64(bytes, start, end, true);
    case LATIN1:
      return decodeLatin1(bytes, start, end, 0xff);
    case ASCII:
      return decodeLatin1(bytes, start, end, 0x7f);
    default:
      return decodeHex(bytes, start, end);
  }
}

class DecoderState {
  constructor(enc) {
    this.enc = enc;
    // `lastChar` is this Buffer itself, as in Node (a live 4-byte view).
    this.chars = Buffer.alloc(4);
    this.buffered = 0;
    this.missing = 0;
  }

  decode(bytes) {
    const len = bytes.length;
    const chars = this.chars;
    let start = 0;
    let prefix = '';
    if (this.missing > 0) {
      let take = Math.min(len, this.missing);
      if (this.enc === UTF8) {
        for (let k = 0; k < take; k++) {
          if ((bytes[k] & 0xc0) !== 0x80) {
            // Not the continuation the kept bytes wait for: they end here.
            this.missing = 0;
            take = k;
            break;
          }
        }
      }
      for (let k = 0; k < take; k++) chars[this.buffered + k] = bytes[k];
      this.buffered += take;
      if (this.missing > 0) this.missing -= take;
      start = take;
      if (this.missing === 0) {
        prefix = decodeRun(this.enc, chars, 0, this.buffered);
        this.buffered = 0;
      }
    }
    if (start === len) return prefix;
    let keep = 0;
    const rest = len - start;
    switch (this.enc) {
      case UTF8:
        if (bytes[len - 1] & 0x80) {
          for (let k = len - 1; ; k--) {
            keep++;
            const b = bytes[k];
            if ((b & 0xc0) === 0x80) {
              if (keep >= 4 || k === start) {
                keep = 0;
                break;
              }
              continue;
            }
            let need;
            if ((b & 0xe0) === 0xc0) need = 2;
            else if ((b & 0xf0) === 0xe0) need = 3;
            else if ((b & 0xf8) === 0xf0) need = 4;
            else {
              keep = 0;
              break;
            }
            if (keep >= need) keep = 0;
            else this.missing = need - keep;
            break;
          }
        }
        break;
      case UTF16:
        if (rest % 2 === 1) {
          keep = 1;
          this.missing = 1;
        } else if ((bytes[len - 1] & 0xfc) === 0xd8) {
          keep = 2;
          this.missing = 2;
        }
        break;
      case BASE64:
      case BASE64URL:
        keep = rest % 3;
        if (keep > 0) this.missing = 3 - keep;
        break;
      default:
        break;
    }
    if (keep > 0) {
      for (let k = 0; k < keep; k++) chars[k] = bytes[len - keep + k];
      this.buffered = keep;
    }
    const body = decodeRun(this.enc, bytes, start, len - keep);
    return prefix === '' ? body : prefix + body;
  }

  flush() {
    if (this.enc === UTF16 && this.buffered % 2 === 1) this.buffered--;
    const out = decodeRun(this.enc, this.chars, 0, this.buffered);
    this.buffered = 0;
    this.missing = 0;
    return out;
  }
}

function stateOf(that) {
  const st = that?.[kNativeDecoder];
  if (!(st instanceof DecoderState)) throw new ERR_INVALID_THIS('StringDecoder');
  return st;
}

function toBytes(buf) {
  if (buf instanceof Uint8Array) return buf;
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Node's StringDecoder: decodes Buffers to strings without splitting characters. */
export function StringDecoder(encoding) {
  this.encoding = normalizeEncoding(encoding);
  this[kNativeDecoder] = new DecoderState(encodingIds[this.encoding]);
}

StringDecoder.prototype.write = function write(buf) {
  if (typeof buf === 'string') return buf;
  if (!ArrayBuffer.isView(buf)) throw new ERR_INVALID_ARG_TYPE('buf', ['Buffer', 'TypedArray', 'DataView'], buf);
  return stateOf(this).decode(toBytes(buf));
};

StringDecoder.prototype.end = function end(buf) {
  let ret = '';
  if (buf !== undefined) ret = this.write(buf);
  const st = stateOf(this);
  if (st.buffered > 0) ret += st.flush();
  return ret;
};

StringDecoder.prototype.text = function text(buf, offset) {
  const st = stateOf(this);
  st.missing = 0;
  st.buffered = 0;
  return this.write(buf.slice(offset));
};

Object.defineProperties(StringDecoder.prototype, {
  lastChar: {
    configurable: true,
    enumerable: true,
    get() {
      return stateOf(this).chars;
    },
  },
  lastNeed: {
    configurable: true,
    enumerable: true,
    get() {
      return stateOf(this).missing;
    },
  },
  lastTotal: {
    configurable: true,
    enumerable: true,
    get() {
      const st = stateOf(this);
      return st.buffered + st.missing;
    },
  },
});

export default { StringDecoder };
