// Random numbers from the platform's CSPRNG (crypto.getRandomValues), with
// Node's argument checks and limits.
import { codes } from './errors.js';
import { isAnyArrayBuffer, validateBoolean, validateFunction, validateNumber, validateObject } from './validators.js';
import { makeBuffer } from './crypto-bytes.js';

const { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } = codes;

const platform = globalThis.crypto;
/** The platform's Web Crypto object (what Node exposes as crypto.webcrypto). */
export const webcrypto = platform;
/** The platform's SubtleCrypto, where present (secure contexts in browsers). */
export const subtle = platform?.subtle;

const kMaxLength = 2 ** 31 - 1;
const kMaxPossibleLength = kMaxLength;
const CHUNK = 65536;

/** Fills a byte range from the CSPRNG, in the 64 KiB pieces getRandomValues allows. */
function fillBytes(u8) {
  for (let i = 0; i < u8.length; i += CHUNK) platform.getRandomValues(u8.subarray(i, Math.min(i + CHUNK, u8.length)));
  return u8;
}

/** crypto.getRandomValues(typedArray): the platform's own, errors included. */
export function getRandomValues(data) {
  return platform.getRandomValues(data);
}

function later(fn) {
  setTimeout(fn, 0);
}

/** randomBytes(size[, callback]). */
export function randomBytes(size, callback) {
  validateNumber(size, 'size', 0, kMaxLength);
  if (callback !== undefined) validateFunction(callback, 'callback');
  const buf = new Uint8Array(Math.floor(size));
  if (callback === undefined) return makeBuffer(fillBytes(buf));
  later(() => callback.call(undefined, null, makeBuffer(fillBytes(buf))));
}

function assertOffset(offset, elementSize, length) {
  validateNumber(offset, 'offset');
  offset *= elementSize;
  const maxLength = Math.min(length, kMaxPossibleLength);
  if (Number.isNaN(offset) || offset > maxLength || offset < 0) {
    throw new ERR_OUT_OF_RANGE('offset', `>= 0 && <= ${maxLength}`, offset);
  }
  return offset >>> 0;
}

function assertSize(size, elementSize, offset, length) {
  validateNumber(size, 'size');
  size *= elementSize;
  if (Number.isNaN(size) || size > kMaxPossibleLength || size < 0) {
    throw new ERR_OUT_OF_RANGE('size', `>= 0 && <= ${kMaxPossibleLength}`, size);
  }
  if (size + offset > length) throw new ERR_OUT_OF_RANGE('size + offset', `<= ${length}`, size + offset);
  return size >>> 0;
}

function checkBuf(buf) {
  if (!isAnyArrayBuffer(buf) && !ArrayBuffer.isView(buf)) {
    throw new ERR_INVALID_ARG_TYPE('buf', ['ArrayBuffer', 'ArrayBufferView'], buf);
  }
}

function bytesOf(buf, offset, size) {
  return ArrayBuffer.isView(buf)
    ? new Uint8Array(buf.buffer, buf.byteOffset + offset, size)
    : new Uint8Array(buf, offset, size);
}

/** randomFillSync(buf[, offset[, size]]). */
export function randomFillSync(buf, offset = 0, size) {
  checkBuf(buf);
  const elementSize = buf.BYTES_PER_ELEMENT || 1;
  offset = assertOffset(offset, elementSize, buf.byteLength);
  if (size === undefined) size = buf.byteLength - offset;
  else size = assertSize(size, elementSize, offset, buf.byteLength);
  fillBytes(bytesOf(buf, offset, size));
  return buf;
}

/** randomFill(buf[, offset[, size]], callback). */
export function randomFill(buf, offset, size, callback) {
  checkBuf(buf);
  const elementSize = buf.BYTES_PER_ELEMENT || 1;
  if (typeof offset === 'function') {
    callback = offset;
    offset = 0;
    size = buf.byteLength;
  } else if (typeof size === 'function') {
    callback = size;
    offset = assertOffset(offset, elementSize, buf.byteLength);
    size = buf.byteLength - offset;
  } else {
    validateFunction(callback, 'callback');
    offset = assertOffset(offset, elementSize, buf.byteLength);
    if (size === undefined) size = buf.byteLength - offset;
    else size = assertSize(size, elementSize, offset, buf.byteLength);
  }
  later(() => {
    fillBytes(bytesOf(buf, offset, size));
    callback.call(undefined, null, buf);
  });
}

// randomInt draws 48-bit values, like Node.
const RAND_MAX = 0xffff_ffff_ffff;
const pool = new Uint8Array(6 * 1024);
let poolPos = pool.length;

function next48() {
  if (poolPos + 6 > pool.length) {
    fillBytes(pool);
    poolPos = 0;
  }
  const p = pool;
  const i = poolPos;
  poolPos += 6;
  const hi = p[i] * 2 ** 40 + p[i + 1] * 2 ** 32;
  return hi + ((p[i + 2] << 24) >>> 0) + (p[i + 3] << 16) + (p[i + 4] << 8) + p[i + 5];
}

/** randomInt([min, ]max[, callback]). */
export function randomInt(min, max, callback) {
  const minNotSpecified = typeof max === 'undefined' || typeof max === 'function';
  if (minNotSpecified) {
    callback = max;
    max = min;
    min = 0;
  }
  const isSync = typeof callback === 'undefined';
  if (!isSync) validateFunction(callback, 'callback');
  if (!Number.isSafeInteger(min)) throw new ERR_INVALID_ARG_TYPE('min', 'a safe integer', min);
  if (!Number.isSafeInteger(max)) throw new ERR_INVALID_ARG_TYPE('max', 'a safe integer', max);
  if (max <= min) throw new ERR_OUT_OF_RANGE('max', `greater than the value of "min" (${min})`, max);
  const range = max - min;
  if (!(range <= RAND_MAX)) {
    throw new ERR_OUT_OF_RANGE(`max${minNotSpecified ? '' : ' - min'}`, `<= ${RAND_MAX}`, range);
  }
  // Rejection sampling: values at or above randLimit would bias the result.
  const randLimit = RAND_MAX - (RAND_MAX % range);
  let x;
  do {
    x = next48();
  } while (x >= randLimit);
  const n = (x % range) + min;
  if (isSync) return n;
  later(() => callback.call(undefined, null, n));
}

const HEX = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

function checkUUIDOptions(options) {
  if (options !== undefined) validateObject(options, 'options');
  if (options?.disableEntropyCache !== undefined) {
    validateBoolean(options.disableEntropyCache, 'options.disableEntropyCache');
  }
}

/** The 8-4-4-4-12 form of 16 bytes, with the version and variant bits set. */
function formatUUID(b, version) {
  b[6] = (b[6] & 0x0f) | version;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => HEX[x]).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** randomUUID([options]): a version 4 UUID. */
export function randomUUID(options) {
  checkUUIDOptions(options);
  if (typeof platform.randomUUID === 'function') return platform.randomUUID();
  return formatUUID(fillBytes(new Uint8Array(16)), 0x40);
}

/** randomUUIDv7([options]): a version 7 UUID, the Unix time in milliseconds in its first 48 bits. */
export function randomUUIDv7(options) {
  checkUUIDOptions(options);
  const b = fillBytes(new Uint8Array(16));
  const now = Date.now();
  const high = Math.floor(now / 2 ** 32);
  b[0] = high >>> 8;
  b[1] = high;
  b[2] = now >>> 24;
  b[3] = now >>> 16;
  b[4] = now >>> 8;
  b[5] = now;
  return formatUUID(b, 0x70);
}
