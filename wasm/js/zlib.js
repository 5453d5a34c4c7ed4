// ferrode/zlib: Node 24's zlib module (zstd aside). Compression runs in the Rust core
// (zlib-rs and brotli through wasm); this file gives it Node's shape.
import { codes as errorCodes } from './internal/errors.js';
import { validateFunction, validateUint32 } from './internal/validators.js';
import { constants, legacyNames } from './internal/zlib-constants.js';
import { makeZlibStreams, outOfBounds, spoofsLength } from './internal/zlib-streams.js';
import { Transform, finished } from './stream.js';
import { Buffer } from './buffer.js';
import {
  acquireHandle,
  crc32Bytes,
  engineFactories,
  parseOptions,
  processSync,
  streamClasses,
  syncInput,
  toBytes,
} from './internal/zlib-core.js';
import { compressParallel, offloadCallback } from './internal/zlib-parallel.js';
import { messageChannelTask } from './internal/message-task.js';

const { ERR_INVALID_ARG_TYPE, ERR_BUFFER_TOO_LARGE } = errorCodes;
const { DEFLATE, INFLATE, GZIP, GUNZIP, DEFLATERAW, INFLATERAW, UNZIP, BROTLI_DECODE, BROTLI_ENCODE } = constants;

export { constants };

const streams = makeZlibStreams(Transform, finished);
export const {
  Deflate,
  Inflate,
  Gzip,
  Gunzip,
  DeflateRaw,
  InflateRaw,
  Unzip,
  BrotliCompress,
  BrotliDecompress,
  createDeflate,
  createInflate,
  createGzip,
  createGunzip,
  createDeflateRaw,
  createInflateRaw,
  createUnzip,
  createBrotliCompress,
  createBrotliDecompress,
} = streams;

/** zlib.codes: Node's return-code names both ways, frozen. */
export const codes = Object.freeze({
  Z_OK: 0,
  Z_STREAM_END: 1,
  Z_NEED_DICT: 2,
  Z_ERRNO: -1,
  Z_STREAM_ERROR: -2,
  Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4,
  Z_BUF_ERROR: -5,
  Z_VERSION_ERROR: -6,
  0: 'Z_OK',
  1: 'Z_STREAM_END',
  2: 'Z_NEED_DICT',
  '-1': 'Z_ERRNO',
  '-2': 'Z_STREAM_ERROR',
  '-3': 'Z_DATA_ERROR',
  '-4': 'Z_MEM_ERROR',
  '-5': 'Z_BUF_ERROR',
  '-6': 'Z_VERSION_ERROR',
});

/** Node's zlib.crc32(data[, value]). */
export function crc32(data, value = 0) {
  if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['Buffer', 'TypedArray', 'DataView', 'string'], data);
  }
  validateUint32(value, 'value');
  return crc32Bytes(toBytes(data), value);
}

// Node runs the callback forms on its thread pool, so callbacks arrive in a
// later macrotask; keep that order here (after timers already due).
// In Node a zero timer keeps that order exactly; browsers clamp nested timers,
// so they get a message-channel task instead.
const macrotask =
  typeof process === 'object' && typeof setImmediate === 'function' ? (fn) => setTimeout(fn, 0) : messageChannelTask();

function infoResult(s, opts, buffer, bytesWritten) {
  const factory = engineFactories.get(s.mode);
  const engine = factory ? factory(opts, bytesWritten) : undefined;
  return { buffer, engine };
}

// Node's way for both forms: a stream of the mode gets the whole input.
// ferrode takes it where the fast paths would differ (rejectGarbageAfterEnd).
function runSyncOnStream(mode, buffer, opts) {
  const input = syncInput(buffer);
  const engine = new (streamClasses.get(mode))(opts);
  const out = engine._processChunk(input, engine._finishFlushFlag);
  return engine._info ? { buffer: out, engine } : out;
}

function runCallbackOnStream(mode, input, opts, callback) {
  const engine = new (streamClasses.get(mode))(opts);
  const buffers = [];
  let nread = 0;
  engine.on('data', (chunk) => {
    buffers.push(chunk);
    nread += chunk.length;
    if (nread > engine._maxOutputLength) {
      engine.close();
      engine.removeAllListeners('end');
      callback(new ERR_BUFFER_TOO_LARGE(engine._maxOutputLength));
    }
  });
  engine.on('error', (err) => {
    engine.removeAllListeners('end');
    callback(err);
  });
  engine.on('end', () => {
    const buf = buffers.length === 1 ? buffers[0] : Buffer.concat(buffers, nread);
    engine.close();
    if (engine._info) callback(null, { buffer: buf, engine });
    else callback(null, buf);
  });
  engine.end(input);
}

function runSync(mode, buffer, opts) {
  const s = parseOptions(mode, opts);
  if (s.rejectGarbageAfterEnd) return runSyncOnStream(mode, buffer, opts);
  if (spoofsLength(buffer)) throw outOfBounds('input');
  // Threaded build: large gzip/deflate inputs are compressed in parallel blocks.
  const parallel = compressParallel(s, buffer, opts);
  if (parallel !== null) return parallel;
  const h = acquireHandle(s);
  let input;
  try {
    input = syncInput(buffer);
  } catch (e) {
    h.free();
    throw e;
  }
  const out = processSync(s, h, input);
  return s.info ? infoResult(s, opts, out, input.byteLength) : out;
}

// The input check of Node's callback forms (they write the input to a stream).
function callbackInput(buffer) {
  if (buffer === undefined || buffer === null) return new Uint8Array(0);
  if (typeof buffer === 'string' || ArrayBuffer.isView(buffer)) return toBytes(buffer);
  if (buffer instanceof ArrayBuffer || Object.prototype.toString.call(buffer) === '[object ArrayBuffer]') {
    return toBytes(buffer);
  }
  throw new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], buffer);
}

// The threaded build's parallel path for the callback forms (false: not taken).
function runCallbackParallel(s, input, opts, callback) {
  let out;
  try {
    out = compressParallel(s, input, opts);
  } catch (e) {
    macrotask(() => callback(e));
    return true;
  }
  if (out === null) return false;
  macrotask(() => callback(null, out));
  return true;
}

function runCallback(mode, buffer, opts, callback) {
  if (typeof opts === 'function') {
    callback = opts;
    opts = {};
  }
  const s = parseOptions(mode, opts);
  validateFunction(callback, 'callback');
  const input = callbackInput(buffer);
  if (s.rejectGarbageAfterEnd) {
    runCallbackOnStream(mode, input, opts, callback);
    return;
  }
  // Threaded build: large inputs run in a worker, so this thread is not blocked.
  if (offloadCallback(s, input, opts, callback, () => runCallbackHere(s, input, opts, callback))) return;
  runCallbackHere(s, input, opts, callback);
}

function runCallbackHere(s, input, opts, callback) {
  if (runCallbackParallel(s, input, opts, callback)) return;
  const h = acquireHandle(s);
  let result;
  let error = null;
  try {
    const out = processSync(s, h, input);
    result = s.info ? infoResult(s, opts, out, input.byteLength) : out;
  } catch (e) {
    error = e;
  }
  macrotask(() => (error ? callback(error) : callback(null, result)));
}

// Node's convenience methods, a callback form and a *Sync form per codec.
function convenience(mode, name) {
  return {
    [name]: function (buffer, opts, callback) {
      runCallback(mode, buffer, opts, callback);
    },
    [`${name}Sync`]: function (buffer, opts) {
      return runSync(mode, buffer, opts);
    },
  };
}
export const { deflate, deflateSync } = convenience(DEFLATE, 'deflate');
export const { inflate, inflateSync } = convenience(INFLATE, 'inflate');
export const { gzip, gzipSync } = convenience(GZIP, 'gzip');
export const { gunzip, gunzipSync } = convenience(GUNZIP, 'gunzip');
export const { deflateRaw, deflateRawSync } = convenience(DEFLATERAW, 'deflateRaw');
export const { inflateRaw, inflateRawSync } = convenience(INFLATERAW, 'inflateRaw');
export const { unzip, unzipSync } = convenience(UNZIP, 'unzip');
export const { brotliCompress, brotliCompressSync } = convenience(BROTLI_ENCODE, 'brotliCompress');
export const { brotliDecompress, brotliDecompressSync } = convenience(BROTLI_DECODE, 'brotliDecompress');

// Node's legacy top-level constants (zlib.Z_OK ...), non-enumerable on the
// default export as they are on Node's module object.
export const {
  Z_NO_FLUSH,
  Z_PARTIAL_FLUSH,
  Z_SYNC_FLUSH,
  Z_FULL_FLUSH,
  Z_FINISH,
  Z_BLOCK,
  Z_OK,
  Z_STREAM_END,
  Z_NEED_DICT,
  Z_ERRNO,
  Z_STREAM_ERROR,
  Z_DATA_ERROR,
  Z_MEM_ERROR,
  Z_BUF_ERROR,
  Z_VERSION_ERROR,
  Z_NO_COMPRESSION,
  Z_BEST_SPEED,
  Z_BEST_COMPRESSION,
  Z_DEFAULT_COMPRESSION,
  Z_FILTERED,
  Z_HUFFMAN_ONLY,
  Z_RLE,
  Z_FIXED,
  Z_DEFAULT_STRATEGY,
  ZLIB_VERNUM,
  Z_MIN_WINDOWBITS,
  Z_MAX_WINDOWBITS,
  Z_DEFAULT_WINDOWBITS,
  Z_MIN_CHUNK,
  Z_MAX_CHUNK,
  Z_DEFAULT_CHUNK,
  Z_MIN_MEMLEVEL,
  Z_MAX_MEMLEVEL,
  Z_DEFAULT_MEMLEVEL,
  Z_MIN_LEVEL,
  Z_MAX_LEVEL,
  Z_DEFAULT_LEVEL,
} = constants;
export { DEFLATE, INFLATE, GZIP, GUNZIP, DEFLATERAW, INFLATERAW, UNZIP };

/** The module as one object, shaped like `require('zlib')`. */
const zlib = {
  crc32,
  Deflate,
  Inflate,
  Gzip,
  Gunzip,
  DeflateRaw,
  InflateRaw,
  Unzip,
  BrotliCompress,
  BrotliDecompress,
  deflate,
  deflateSync,
  gzip,
  gzipSync,
  deflateRaw,
  deflateRawSync,
  unzip,
  unzipSync,
  inflate,
  inflateSync,
  gunzip,
  gunzipSync,
  inflateRaw,
  inflateRawSync,
  brotliCompress,
  brotliCompressSync,
  brotliDecompress,
  brotliDecompressSync,
  createDeflate,
  createInflate,
  createDeflateRaw,
  createInflateRaw,
  createGzip,
  createGunzip,
  createUnzip,
  createBrotliCompress,
  createBrotliDecompress,
  constants,
  codes,
};
// As on Node's module: constants and codes cannot be replaced, nor the
// create* functions.
for (const name of Object.keys(zlib)) {
  if (name.startsWith('create')) Object.defineProperty(zlib, name, { writable: false });
}
Object.defineProperty(zlib, 'constants', { writable: false, configurable: false });
Object.defineProperty(zlib, 'codes', { writable: false, configurable: false });
for (const name of legacyNames) {
  Object.defineProperty(zlib, name, { value: constants[name], enumerable: false, writable: false });
}
export default zlib;
