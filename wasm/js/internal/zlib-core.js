// What the zlib module's functions and streams share: option parsing with
// Node 24's checks and messages, input conversion, the wasm handles, and the
// errors Node's zlib reports.
import { wasm } from '#wasm';
import { brotli } from './zlib-brotli.js';
import { Buffer, kMaxLength } from '../buffer.js';
import { codes, defineError, fromNative } from './errors.js';
import { isAnyArrayBuffer, validateBoolean, validateNumber } from './validators.js';
import { constants } from './zlib-constants.js';

const { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_BUFFER_TOO_LARGE } = codes;
export const ERR_BROTLI_INVALID_PARAM = defineError(
  'ERR_BROTLI_INVALID_PARAM',
  (p) => `${p} is not a valid Brotli parameter`,
  RangeError,
);
export const ERR_TRAILING_JUNK_AFTER_STREAM_END = defineError(
  'ERR_TRAILING_JUNK_AFTER_STREAM_END',
  'Trailing junk found after the end of the compressed stream',
  TypeError,
);
export const ERR_ZLIB_INITIALIZATION_FAILED = defineError(
  'ERR_ZLIB_INITIALIZATION_FAILED',
  'Initialization failed',
  Error,
);

const {
  DEFLATE,
  INFLATE,
  GZIP,
  GUNZIP,
  UNZIP,
  BROTLI_DECODE,
  BROTLI_ENCODE,
  Z_NO_FLUSH,
  Z_BLOCK,
  Z_FINISH,
  Z_MIN_CHUNK,
  Z_DEFAULT_CHUNK,
  Z_MIN_WINDOWBITS,
  Z_MAX_WINDOWBITS,
  Z_DEFAULT_WINDOWBITS,
  Z_MIN_LEVEL,
  Z_MAX_LEVEL,
  Z_DEFAULT_COMPRESSION,
  Z_MIN_MEMLEVEL,
  Z_MAX_MEMLEVEL,
  Z_DEFAULT_MEMLEVEL,
  Z_DEFAULT_STRATEGY,
  Z_FIXED,
  BROTLI_OPERATION_PROCESS,
  BROTLI_OPERATION_FINISH,
  BROTLI_OPERATION_EMIT_METADATA,
} = constants;

// buffer.kMaxLength (Node 24: 2 ** 53 - 1) is the default and the ceiling of
// maxOutputLength.
export { kMaxLength };
// The largest key Node accepts in brotli `params` (BROTLI_PARAM_NDIRECT).
const kMaxBrotliParam = 8;

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * The one place that turns bytes from wasm into the Buffer the caller gets, so
 * that switching to ferrode's Buffer is a change here only.
 */
export function makeBuffer(u8) {
  // Buffer's own constructor (Buffer[Symbol.species], as in Node) skips
  // Buffer.from's argument checks, which cost more than decoding 64 bytes.
  return new BufferCtor(u8.buffer, u8.byteOffset, u8.byteLength);
}
const BufferCtor = Buffer[Symbol.species];

/** Bytes of a string (UTF-8) or any ArrayBufferView/ArrayBuffer, without copying views. */
export function toBytes(value) {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(value);
}

/** The input check of Node's `*Sync` functions. */
export function syncInput(buffer) {
  if (typeof buffer === 'string' || ArrayBuffer.isView(buffer) || isAnyArrayBuffer(buffer)) return toBytes(buffer);
  throw new ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'], buffer);
}

// Node's checkFiniteNumber: undefined and NaN mean "use the default".
function checkFiniteNumber(number, name) {
  if (number === undefined) return false;
  if (Number.isFinite(number)) return true;
  if (Number.isNaN(number)) return false;
  validateNumber(number, name);
  throw new ERR_OUT_OF_RANGE(name, 'a finite number', number);
}

export function checkRangesOrGetDefault(number, name, lower, upper, def) {
  if (!checkFiniteNumber(number, name)) return def;
  if (number < lower || number > upper) throw new ERR_OUT_OF_RANGE(name, `>= ${lower} and <= ${upper}`, number);
  return number;
}

export const isBrotli = (mode) => mode === BROTLI_DECODE || mode === BROTLI_ENCODE;

/**
 * Validates and defaults options exactly as Node's Zlib/Brotli constructors
 * do (same order, same errors). Returns a plain settings object.
 */
export function parseOptions(mode, opts) {
  if (opts === undefined) {
    // The common call without options: the same settings every time.
    let s = defaultSettings.get(mode);
    if (s === undefined) {
      s = Object.freeze(parseOptionsSlow(mode, undefined));
      defaultSettings.set(mode, s);
    }
    return s;
  }
  return parseOptionsSlow(mode, opts);
}

const defaultSettings = new Map();

function parseOptionsSlow(mode, opts) {
  const s = {
    mode,
    level: Z_DEFAULT_COMPRESSION,
    windowBits: Z_DEFAULT_WINDOWBITS,
    memLevel: Z_DEFAULT_MEMLEVEL,
    strategy: Z_DEFAULT_STRATEGY,
    dictionary: EMPTY,
    params: null,
    chunkSize: Z_DEFAULT_CHUNK,
    flush: 0,
    finishFlush: 0,
    maxOutputLength: kMaxLength,
    rejectGarbageAfterEnd: false,
    info: false,
    key: null,
  };
  if (isBrotli(mode)) {
    const params = [];
    if (opts?.params) {
      const seen = new Set();
      for (const origKey of Object.keys(opts.params)) {
        const key = +origKey;
        if (Number.isNaN(key) || key < 0 || key > kMaxBrotliParam || !Number.isInteger(key) || seen.has(key)) {
          throw new ERR_BROTLI_INVALID_PARAM(origKey);
        }
        const value = opts.params[origKey];
        if (typeof value !== 'number' && typeof value !== 'boolean') {
          throw new ERR_INVALID_ARG_TYPE('options.params[key]', 'number', value);
        }
        seen.add(key);
        // Node stores parameters in a Uint32Array where 0xFFFFFFFF means "unset".
        const v = Number(value) >>> 0;
        if (v !== 0xffffffff) params.push(key, v);
      }
    }
    s.params = Uint32Array.from(params);
  } else if (opts) {
    if ((opts.windowBits == null || opts.windowBits === 0) && (mode === INFLATE || mode === GUNZIP || mode === UNZIP)) {
      s.windowBits = 0;
    } else {
      const min = Z_MIN_WINDOWBITS + (mode === GZIP ? 1 : 0);
      s.windowBits = checkRangesOrGetDefault(
        opts.windowBits,
        'options.windowBits',
        min,
        Z_MAX_WINDOWBITS,
        Z_DEFAULT_WINDOWBITS,
      );
    }
    s.level = checkRangesOrGetDefault(opts.level, 'options.level', Z_MIN_LEVEL, Z_MAX_LEVEL, Z_DEFAULT_COMPRESSION);
    s.memLevel = checkRangesOrGetDefault(
      opts.memLevel,
      'options.memLevel',
      Z_MIN_MEMLEVEL,
      Z_MAX_MEMLEVEL,
      Z_DEFAULT_MEMLEVEL,
    );
    s.strategy = checkRangesOrGetDefault(
      opts.strategy,
      'options.strategy',
      Z_DEFAULT_STRATEGY,
      Z_FIXED,
      Z_DEFAULT_STRATEGY,
    );
    const dictionary = opts.dictionary;
    if (dictionary !== undefined) {
      if (ArrayBuffer.isView(dictionary) || isAnyArrayBuffer(dictionary)) s.dictionary = toBytes(dictionary);
      else {
        throw new ERR_INVALID_ARG_TYPE(
          'options.dictionary',
          ['Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'],
          dictionary,
        );
      }
    }
  } else if (mode === INFLATE || mode === GUNZIP || mode === UNZIP) {
    s.windowBits = 0;
  }
  // The checks of Node's ZlibBase, which run after the codec's own.
  const brotli = isBrotli(mode);
  const lastFlush = brotli ? BROTLI_OPERATION_EMIT_METADATA : Z_BLOCK;
  s.flush = brotli ? BROTLI_OPERATION_PROCESS : Z_NO_FLUSH;
  s.finishFlush = brotli ? BROTLI_OPERATION_FINISH : Z_FINISH;
  if (opts) {
    let chunkSize = opts.chunkSize;
    if (!checkFiniteNumber(chunkSize, 'options.chunkSize')) chunkSize = Z_DEFAULT_CHUNK;
    else if (chunkSize < Z_MIN_CHUNK) throw new ERR_OUT_OF_RANGE('options.chunkSize', `>= ${Z_MIN_CHUNK}`, chunkSize);
    s.chunkSize = chunkSize;
    s.flush = checkRangesOrGetDefault(opts.flush, 'options.flush', 0, lastFlush, s.flush);
    s.finishFlush = checkRangesOrGetDefault(opts.finishFlush, 'options.finishFlush', 0, lastFlush, s.finishFlush);
    s.maxOutputLength = checkRangesOrGetDefault(
      opts.maxOutputLength,
      'options.maxOutputLength',
      1,
      kMaxLength,
      kMaxLength,
    );
    if (opts.rejectGarbageAfterEnd !== undefined) {
      validateBoolean(opts.rejectGarbageAfterEnd, 'options.rejectGarbageAfterEnd');
    }
    s.rejectGarbageAfterEnd = opts.rejectGarbageAfterEnd === true;
    s.info = Boolean(opts.info);
  }
  // zlib takes integers; Node hands the numbers to C++ which truncates them.
  s.level = Math.trunc(s.level);
  s.windowBits = Math.trunc(s.windowBits);
  s.memLevel = Math.trunc(s.memLevel);
  s.strategy = Math.trunc(s.strategy);
  s.flush = Math.trunc(s.flush);
  s.finishFlush = Math.trunc(s.finishFlush);
  s.chunkSize = Math.trunc(s.chunkSize);
  s.key = cacheKey(s);
  return s;
}

/** Turns an error from the wasm handle into the error Node's zlib would raise. */
export function zlibError(e, settings) {
  if (!e || typeof e !== 'object' || e instanceof Error) return e;
  if (e.code === 'ERR_BUFFER_TOO_LARGE') return new ERR_BUFFER_TOO_LARGE(settings.maxOutputLength);
  if (e.code === 'ERR_ZLIB_INITIALIZATION_FAILED') return new ERR_ZLIB_INITIALIZATION_FAILED();
  if (e.errno !== undefined && e.errno !== null) {
    // Node's zlib errors are plain Errors carrying errno then code.
    const err = new Error(e.message);
    err.errno = e.errno;
    err.code = e.code;
    return err;
  }
  return fromNative(e, e.code === 'ERR_OUT_OF_RANGE' ? RangeError : Error);
}

/** A fresh wasm handle for validated settings; throws Node's error on failure. */
export function createHandle(s) {
  try {
    if (isBrotli(s.mode)) return new brotli.BrotliHandle(s.mode, s.params ?? new Uint32Array(0));
    return new wasm.ZlibHandle(s.mode, s.level, s.windowBits, s.memLevel, s.strategy, s.dictionary, new Uint32Array(0));
  } catch (e) {
    throw zlibError(e, s);
  }
}

// One idle handle per option set for the one-shot functions: creating a
// codec costs more than resetting one, which matters for small inputs.
const idle = new Map();
const kMaxIdle = 16;

function cacheKey(s) {
  if (s.dictionary.length !== 0) return null;
  if (s.params) return `${s.mode}:${s.params.join(',')}`;
  return `${s.mode}:${s.level}:${s.windowBits}:${s.memLevel}:${s.strategy}`;
}

// The most recently released handle, checked before the map: a loop of
// one-shot calls with the same options then never touches the map.
let lastKey = null;
let lastHandle = null;

/** Borrows a ready handle for `s` (from the idle cache when possible). */
export function acquireHandle(s) {
  const key = s.key;
  if (key !== null && key === lastKey) {
    const h = lastHandle;
    lastKey = null;
    lastHandle = null;
    return h;
  }
  if (key !== null) {
    const h = idle.get(key);
    if (h !== undefined) {
      idle.delete(key);
      return h;
    }
  }
  return createHandle(s);
}

/**
 * Gives a handle back after a successful run; it is reset for the next user
 * unless `isReset` says that already happened (processWholeKept does it).
 */
export function releaseHandle(s, h, isReset = false) {
  const key = s.key;
  if (key === null) {
    h.free();
    return;
  }
  if (!isReset) {
    try {
      h.reset();
    } catch {
      h.free();
      return;
    }
  }
  if (lastHandle === null) {
    lastKey = key;
    lastHandle = h;
  } else if (key !== lastKey && !idle.has(key) && idle.size < kMaxIdle) {
    idle.set(key, h);
  } else {
    h.free();
  }
}

const memory = wasm.zlibMemory();
let heap = new Uint8Array(memory.buffer);

/**
 * Copies the output a handle kept into a new Buffer: the only copy out of
 * wasm. (An uninitialised allocation, Node's allocUnsafeSlow, was tried for
 * the destination: it measured slower than a zeroed one for 16 MiB outputs.)
 */
function takeKept(h, len) {
  const ptr = h.keptPtr();
  // Growing the memory replaces its buffer (detaching the old one, or, when
  // shared, leaving the old view at its old length).
  if (heap.buffer !== memory.buffer) heap = new Uint8Array(memory.buffer);
  const out = new BufferCtor(len);
  out.set(heap.subarray(ptr, ptr + len));
  h.dropKept();
  return out;
}

/** Runs one whole input through a borrowed handle with `finishFlush`, as Node's `*Sync`. */
export function processSync(s, h, input) {
  // Brotli handles come from their own module, which has no processWholeKept.
  if (isBrotli(s.mode)) {
    let out;
    try {
      out = h.process(input, s.finishFlush, s.chunkSize, s.maxOutputLength);
    } catch (e) {
      h.free();
      throw zlibError(e, s);
    }
    releaseHandle(s, h);
    return makeBuffer(out);
  }
  let len;
  try {
    len = h.processWholeKept(input, s.finishFlush, s.chunkSize, s.maxOutputLength);
  } catch (e) {
    h.free();
    throw zlibError(e, s);
  }
  const out = takeKept(h, len);
  releaseHandle(s, h, true);
  return out;
}

/** Stream classes register a factory per mode so `info: true` can return the engine as Node does. */
export const engineFactories = new Map();

/** The stream class per mode, for the paths that run as Node's do, on a stream. */
export const streamClasses = new Map();

/** Node's zlib.crc32 through the core. */
export function crc32Bytes(bytes, value) {
  return wasm.zlibCrc32(bytes, value);
}
