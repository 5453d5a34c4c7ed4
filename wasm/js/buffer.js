// Node 24's `buffer` module: Buffer (a Uint8Array subclass with Node's
// methods, pool, argument checks and errors), transcode, isUtf8, isAscii,
// btoa/atob, constants. Byte work goes through internal/buffer-native.js.
import { codes, inspectValue, makeNodeError } from './internal/errors.js';
import { validateArray, validateInteger, validateNumber, validateString } from './internal/validators.js';
import * as native from './internal/buffer-native.js';
import {
  encodingOps,
  getEncodingOps,
  normalizeEncoding,
  searchBytes,
  utf8Length,
} from './internal/buffer-encodings.js';
import { addReadWriteMethods } from './internal/buffer-rw.js';
import { pendingDeprecation } from './internal/deprecations.js';

const {
  ERR_BUFFER_OUT_OF_BOUNDS,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_INVALID_BUFFER_SIZE,
  ERR_MISSING_ARGS,
  ERR_OUT_OF_RANGE,
  ERR_STRING_TOO_LONG,
  ERR_UNKNOWN_ENCODING,
} = codes;

/** Largest Buffer Node 24 allows (V8's TypedArray limit on 64-bit: 2 ** 53 - 1). */
export const kMaxLength = Number.MAX_SAFE_INTEGER;
/** Longest string V8 can make. */
export const kStringMaxLength = 2 ** 29 - 24;
/** Node's `buffer.constants`. */
export const constants = Object.defineProperties(
  {},
  {
    MAX_LENGTH: { value: kMaxLength, enumerable: true },
    MAX_STRING_LENGTH: { value: kStringMaxLength, enumerable: true },
  },
);

/** How many bytes inspect shows before ` ... N more bytes` (settable through the default export). */
// eslint-disable-next-line import/no-mutable-exports
export let INSPECT_MAX_BYTES = 50;

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;

function isUint8Array(v) {
  return typedArrayTag.call(v) === 'Uint8Array';
}
function isTypedArray(v) {
  return typedArrayTag.call(v) !== undefined;
}
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const sharedByteLength =
  typeof SharedArrayBuffer === 'undefined'
    ? undefined
    : Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get;
// A brand check, like Node's: an object that only inherits from
// ArrayBuffer.prototype is not an ArrayBuffer.
function isAnyArrayBuffer(v) {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return false;
  const tag = Object.prototype.toString.call(v);
  if (tag === '[object ArrayBuffer]') {
    try {
      arrayBufferByteLength.call(v);
      return true;
    } catch {
      return false;
    }
  }
  if (tag === '[object SharedArrayBuffer]' && sharedByteLength !== undefined) {
    try {
      sharedByteLength.call(v);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}
// Node's validateBuffer: any ArrayBufferView.
function validateBuffer(buffer, name = 'buffer') {
  if (!ArrayBuffer.isView(buffer)) {
    throw new ERR_INVALID_ARG_TYPE(name, ['Buffer', 'TypedArray', 'DataView'], buffer);
  }
}

// Errors Node raises from C++, whose messages are plain sentences.
function nativeRangeError(message) {
  return makeNodeError(RangeError, 'ERR_OUT_OF_RANGE', message);
}
function notAString() {
  return makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
}

const validateOffset = (value, name, min = 0, max = kMaxLength) => validateInteger(value, name, min, max);

// Node's `%s` for an unknown encoding name.
function unknownEncoding(encoding) {
  const shown = typeof encoding === 'object' && encoding !== null ? inspectLoose(encoding) : encoding;
  return new ERR_UNKNOWN_ENCODING(shown);
}
function inspectLoose(v) {
  if (Array.isArray(v)) return `[ ${v.map((x) => inspectValue(x)).join(', ')} ]`.replace('[  ]', '[]');
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((k) => `${k}: ${inspectValue(v[k])}`).join(', ')} }`;
}

// ------------------------------------------------------------ the classes ---

class FastBuffer extends Uint8Array {
  // The default derived constructor would forward `...args` through an
  // iterator; spelling the three arguments out is faster.
  // eslint-disable-next-line no-useless-constructor
  constructor(bufferOrLength, byteOffset, length) {
    super(bufferOrLength, byteOffset, length);
  }
}

// ------------------------------------------------- deprecation warnings ---

// Node's isInsideNodeModules(frameLimit): looks at the `frameLimit` innermost
// stack frames, skips its own (there: `node:` scripts; here: this file) and
// those without a script name, and answers whether one of the others comes
// from a node_modules folder (either slash).
const ownUrl = import.meta.url;
const nodeModulesRE = /[\\/]node_modules[\\/]/;
function callerFileNames(frameLimit) {
  const E = Error;
  if (typeof E.captureStackTrace === 'function') {
    // V8 (Node, Chromium): the structured call sites name each frame's script
    // exactly, whatever characters it has.
    const { prepareStackTrace, stackTraceLimit } = E;
    const holder = {};
    try {
      // Node's native stack walk does not see builtins (Array#map calling
      // Buffer, say); their call sites have no line. Take a few spare frames
      // for them and count only the others.
      E.stackTraceLimit = frameLimit + 8;
      E.prepareStackTrace = (_, sites) =>
        sites
          .filter((site) => site.getLineNumber() != null)
          .slice(0, frameLimit)
          .map((site) => site.getFileName() ?? '');
      E.captureStackTrace(holder, callerFileNames);
      const names = holder.stack;
      if (Array.isArray(names)) return names;
    } catch {
      // Fall through to the text form.
    } finally {
      E.prepareStackTrace = prepareStackTrace;
      E.stackTraceLimit = stackTraceLimit;
    }
  }
  // Other engines: "name@url:line:col" lines; the first is this function.
  const text = String(new E().stack ?? '');
  return text
    .split('\n')
    .slice(1, frameLimit + 1)
    .map((line) => {
      const m = /(?:@|\(|^\s*at\s+)([^()@]*?):\d+:\d+\)?\s*$/.exec(line);
      return m ? m[1] : '';
    });
}
function isInsideNodeModules(frameLimit) {
  // `frameLimit` counts from the caller, as in Node.
  for (const name of callerFileNames(frameLimit + 1).slice(1)) {
    if (name === '' || name === ownUrl) continue;
    if (nodeModulesRE.test(name)) return true;
  }
  return false;
}

const bufferWarning =
  'Buffer() is deprecated due to security and usability issues. Please use the Buffer.alloc(), ' +
  'Buffer.allocUnsafe(), or Buffer.from() methods instead.';
let bufferWarningEmitted = false;
let nodeModulesChecks = 0;
// DEP0005, once, and (unless --pending-deprecation) only when the code calling
// Buffer() is not inside node_modules; after 10000 checks Node stops looking.
function showFlaggedDeprecation() {
  if (bufferWarningEmitted || ++nodeModulesChecks > 10000 || (!pendingDeprecation() && isInsideNodeModules(3))) {
    return;
  }
  const proc = globalThis.process;
  if (proc && typeof proc.emitWarning === 'function') {
    proc.emitWarning(bufferWarning, 'DeprecationWarning', 'DEP0005');
  }
  bufferWarningEmitted = true;
}

/**
 * Node's deprecated constructor: `Buffer(size)` / `Buffer(value, ...)`, with
 * or without `new`. Instances are FastBuffers whose prototype is Buffer.prototype.
 */
export function Buffer(arg, encodingOrOffset, length) {
  showFlaggedDeprecation();
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') throw new ERR_INVALID_ARG_TYPE('string', 'string', arg);
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}

FastBuffer.prototype.constructor = Buffer;
Buffer.prototype = FastBuffer.prototype;
Object.setPrototypeOf(Buffer, Uint8Array);
Object.defineProperty(Buffer, Symbol.species, {
  enumerable: false,
  configurable: true,
  get() {
    return FastBuffer;
  },
});

// ------------------------------------------------------------------ pool ---

Buffer.poolSize = 64 * 1024;
let poolSize;
let poolOffset;
let allocPool;
let poolView;

const WASM_PAGE = 64 * 1024;
// Node marks its pool untransferable (a private detach key), so that handing a
// pooled Buffer's memory to postMessage/structuredClone throws DataCloneError
// and ArrayBuffer#transfer throws TypeError instead of detaching every other
// Buffer in the pool. The one ArrayBuffer a page can make with a detach key of
// its own is a WebAssembly.Memory's, so a pool of whole 64 KiB pages (Node's
// default size is one page) is one; other sizes, or an engine that refuses
// another memory, get a plain (transferable) ArrayBuffer.
function untransferableArrayBuffer(size) {
  if (size > 0 && size % WASM_PAGE === 0 && typeof WebAssembly === 'object') {
    const pages = size / WASM_PAGE;
    try {
      return new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer;
    } catch {
      // Out of address space for memories: fall through.
    }
  }
  return new ArrayBuffer(size);
}

function createPool() {
  poolSize = Buffer.poolSize;
  allocPool = untransferableArrayBuffer(poolSize);
  poolView = new Uint8Array(allocPool);
  poolOffset = 0;
}
createPool();

function alignPool() {
  // Keep the next slice 8-byte aligned.
  if (poolOffset & 0x7) {
    poolOffset |= 0x7;
    poolOffset++;
  }
}

function allocate(size) {
  if (size <= 0) return new FastBuffer();
  if (size < Buffer.poolSize >>> 1) {
    if (size > poolSize - poolOffset) createPool();
    const b = new FastBuffer(allocPool, poolOffset, size);
    poolOffset += size;
    alignPool();
    return b;
  }
  return new FastBuffer(size);
}

// ------------------------------------------------------------- creation ---

// Off the pool: a Buffer whose ArrayBuffer has the computed byte length, as
// in Node, even when fewer bytes decode (odd hex, base64 with junk).
function createFromString(string, ops, length) {
  const bytes = ops.encode(string);
  if (length === undefined) length = bytes.length;
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === length) {
    return new FastBuffer(bytes.buffer, 0, bytes.length);
  }
  const buf = new FastBuffer(length);
  buf.set(bytes.length > length ? bytes.subarray(0, length) : bytes);
  return bytes.length < length ? new FastBuffer(buf.buffer, 0, bytes.length) : buf;
}

// Node 24's placement: strings of half a pool or more characters, or whose
// byte length (checked only when four bytes a character could reach half a
// pool) does, get their own memory; a new pool starts when four bytes a
// character (or that byte length) would not fit in the current one.
function fromStringFast(string, ops) {
  const maxLength = Buffer.poolSize >>> 1;
  let length = string.length;
  if (length >= maxLength)
    return createFromString(string, ops, ops === encodingOps.utf8 ? undefined : ops.byteLength(string));
  length *= 4;
  if (length >= maxLength) length = ops.byteLength(string);
  if (length >= maxLength) return createFromString(string, ops, length);
  if (length > poolSize - poolOffset) createPool();
  const actual = ops.write(poolView, string, poolOffset, length);
  const b = new FastBuffer(allocPool, poolOffset, actual);
  poolOffset += actual;
  alignPool();
  return b;
}

function fromString(string, encoding) {
  let ops;
  if (typeof encoding !== 'string' || encoding.length === 0) {
    if (string.length === 0) return new FastBuffer();
    ops = encodingOps.utf8;
  } else {
    ops = getEncodingOps(encoding);
    if (ops === undefined) throw unknownEncoding(encoding);
    if (string.length === 0) return new FastBuffer();
  }
  return fromStringFast(string, ops);
}

function fromArrayLike(obj) {
  if (obj.length <= 0) return new FastBuffer();
  if (obj.length < Buffer.poolSize >>> 1) {
    if (obj.length > poolSize - poolOffset) createPool();
    const b = new FastBuffer(allocPool, poolOffset, obj.length);
    b.set(obj, 0);
    poolOffset += obj.length;
    alignPool();
    return b;
  }
  return new FastBuffer(obj);
}

function fromArrayBuffer(obj, byteOffset, length) {
  if (byteOffset === undefined) {
    byteOffset = 0;
  } else {
    byteOffset = +byteOffset;
    if (Number.isNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = obj.byteLength - byteOffset;
  if (maxLength < 0) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
  // An undefined length stays undefined: over a resizable ArrayBuffer the
  // Buffer then tracks the buffer's length.
  if (length !== undefined) {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('length');
    } else {
      length = 0;
    }
  }
  return new FastBuffer(obj, byteOffset, length);
}

function fromObject(obj) {
  if (obj.length !== undefined || isAnyArrayBuffer(obj.buffer)) {
    if (typeof obj.length !== 'number') return new FastBuffer();
    return fromArrayLike(obj);
  }
  if (obj.type === 'Buffer' && Array.isArray(obj.data)) return fromArrayLike(obj.data);
  return undefined;
}

/** Buffer.from(string[, encoding]), (array | array-like | buffer), (arrayBuffer[, byteOffset[, length]]), (object). */
Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const valueOf = value.valueOf && value.valueOf();
    if (valueOf != null && valueOf !== value && (typeof valueOf === 'string' || typeof valueOf === 'object')) {
      return from(valueOf, encodingOrOffset, length);
    }
    const b = fromObject(value);
    if (b) return b;
    if (typeof value[Symbol.toPrimitive] === 'function') {
      const primitive = value[Symbol.toPrimitive]('string');
      if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
    }
  }
  throw new ERR_INVALID_ARG_TYPE(
    'first argument',
    ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'],
    value,
  );
};

const typedArrayLength = Object.getOwnPropertyDescriptor(TypedArrayProto, 'length').get;
const typedArrayByteLength = Object.getOwnPropertyDescriptor(TypedArrayProto, 'byteLength').get;
const typedArrayByteOffset = Object.getOwnPropertyDescriptor(TypedArrayProto, 'byteOffset').get;
const typedArrayBuffer = Object.getOwnPropertyDescriptor(TypedArrayProto, 'buffer').get;

/** A copy of the bytes of a TypedArray's elements [offset, offset + length). */
Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
  if (!isTypedArray(view)) throw new ERR_INVALID_ARG_TYPE('view', ['TypedArray'], view);
  const viewLength = typedArrayLength.call(view);
  if (viewLength === 0) return new FastBuffer();
  let start = 0;
  let end = viewLength;
  if (offset !== undefined) {
    validateInteger(offset, 'offset', 0);
    if (offset >= viewLength) return new FastBuffer();
    start = offset;
  }
  if (length !== undefined) {
    validateInteger(length, 'length', 0);
    end = Math.min(start + length, viewLength);
  }
  if (end <= start) return new FastBuffer();
  const elementSize = typedArrayByteLength.call(view) / viewLength;
  return fromArrayLike(
    new Uint8Array(
      typedArrayBuffer.call(view),
      typedArrayByteOffset.call(view) + start * elementSize,
      (end - start) * elementSize,
    ),
  );
};

/** Buffer.of(...bytes), like Uint8Array.of but always a Buffer (an arrow: not a constructor). */
const of = (...items) => {
  const len = items.length;
  const b = new FastBuffer(len);
  for (let k = 0; k < len; k++) b[k] = items[k];
  return b;
};
Buffer.of = of;

/** A zero-filled Buffer, optionally filled like buf.fill(fill, encoding). */
Buffer.alloc = function alloc(size, fill, encoding) {
  validateNumber(size, 'size', 0, kMaxLength);
  if (fill !== undefined && fill !== 0 && size > 0) {
    const buf = new FastBuffer(size);
    return _fill(buf, fill, 0, buf.length, encoding);
  }
  return new FastBuffer(size);
};

/** A Buffer from the shared pool when small (contents are zeros here: memory is never reused). */
Buffer.allocUnsafe = function allocUnsafe(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return allocate(size);
};

/** A Buffer with its own ArrayBuffer, never from the pool. */
Buffer.allocUnsafeSlow = function allocUnsafeSlow(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return new FastBuffer(size);
};

// SlowBuffer(size): an unpooled Buffer.
const slowBuffer = function SlowBuffer(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return new FastBuffer(size);
};
Object.setPrototypeOf(slowBuffer.prototype, Uint8Array.prototype);
Object.setPrototypeOf(slowBuffer, Uint8Array);

let slowBufferWarned = false;
/**
 * Deprecated SlowBuffer, wrapped as Node's util.deprecate wraps it: a
 * function named `deprecated` that emits DEP0030 once (unless
 * process.noDeprecation), with SlowBuffer as its prototype and its `prototype`.
 */
export const SlowBuffer = function deprecated(...args) {
  const proc = globalThis.process;
  if (!slowBufferWarned && !proc?.noDeprecation) {
    slowBufferWarned = true;
    if (proc && typeof proc.emitWarning === 'function') {
      proc.emitWarning(
        'SlowBuffer() is deprecated. Please use Buffer.allocUnsafeSlow()',
        'DeprecationWarning',
        'DEP0030',
        deprecated,
      );
    }
  }
  if (new.target) return Reflect.construct(slowBuffer, args, new.target);
  return Reflect.apply(slowBuffer, this, args);
};
Object.setPrototypeOf(SlowBuffer, slowBuffer);
SlowBuffer.prototype = slowBuffer.prototype;
Object.defineProperty(SlowBuffer, 'length', Object.getOwnPropertyDescriptor(slowBuffer, 'length'));

Buffer.isBuffer = function isBuffer(b) {
  return b instanceof Buffer;
};

Buffer.compare = function compare(buf1, buf2) {
  if (!isUint8Array(buf1)) throw new ERR_INVALID_ARG_TYPE('buf1', ['Buffer', 'Uint8Array'], buf1);
  if (!isUint8Array(buf2)) throw new ERR_INVALID_ARG_TYPE('buf2', ['Buffer', 'Uint8Array'], buf2);
  if (buf1 === buf2) return 0;
  return native.compare(buf1, buf2);
};

Buffer.isEncoding = function isEncoding(encoding) {
  return typeof encoding === 'string' && encoding.length !== 0 && normalizeEncoding(encoding) !== undefined;
};

Buffer.concat = function concat(list, length) {
  validateArray(list, 'list');
  if (list.length === 0) return new FastBuffer();
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < list.length; i++) {
      const buf = list[i];
      // Node names the element in the message: "list[1]".
      if (!isUint8Array(buf)) throw new ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], buf);
      length += typedArrayByteLength.call(buf);
    }
    const buffer = allocate(length);
    let pos = 0;
    for (let i = 0; i < list.length; i++) {
      const buf = list[i];
      const bufLength = typedArrayByteLength.call(buf);
      Uint8Array.prototype.set.call(buffer, buf, pos);
      pos += bufLength;
    }
    if (pos < length) Uint8Array.prototype.fill.call(buffer, 0, pos, length);
    return buffer;
  }
  validateOffset(length, 'length');
  for (let i = 0; i < list.length; i++) {
    if (!isUint8Array(list[i])) throw new ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], list[i]);
  }
  const buffer = allocate(length);
  let pos = 0;
  for (let i = 0; i < list.length; i++) {
    const buf = list[i];
    const bufLength = typedArrayByteLength.call(buf);
    if (pos + bufLength > length) {
      Uint8Array.prototype.set.call(buffer, TypedArrayProto.subarray.call(buf, 0, length - pos), pos);
      pos = length;
      break;
    }
    Uint8Array.prototype.set.call(buffer, buf, pos);
    pos += bufLength;
  }
  // Zero what the list did not cover when `length` is more than its total.
  if (pos < length) Uint8Array.prototype.fill.call(buffer, 0, pos, length);
  return buffer;
};

function byteLength(string, encoding) {
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || isAnyArrayBuffer(string)) return string.byteLength;
    throw new ERR_INVALID_ARG_TYPE('string', ['string', 'Buffer', 'ArrayBuffer'], string);
  }
  const len = string.length;
  if (len === 0) return 0;
  if (!encoding) return utf8Length(string);
  const ops = getEncodingOps(encoding);
  if (ops === undefined) return utf8Length(string);
  return ops.byteLength(string);
}
Buffer.byteLength = byteLength;
// Node keeps isEncoding under a private symbol too; util.inspect(Buffer) shows it.
Object.defineProperty(Buffer, Symbol('kIsEncodingSymbol'), {
  value: Buffer.isEncoding,
  enumerable: true,
  writable: true,
  configurable: true,
});

// ------------------------------------------------------------- prototype ---

const proto = Buffer.prototype;

Object.defineProperty(proto, 'parent', {
  enumerable: true,
  configurable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return this.buffer;
  },
});
Object.defineProperty(proto, 'offset', {
  enumerable: true,
  configurable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return this.byteOffset;
  },
});

// The bytes of any ArrayBufferView.
function byteView(v) {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

// Copies bytes [sourceStart, sourceEnd) of `source` to byte `targetStart` of
// `target` (any views: bytes, not elements), clipped to both; overlapping
// memory is copied as by memmove.
function copyActual(source, target, targetStart, sourceStart, sourceEnd) {
  if (sourceEnd - sourceStart > target.byteLength - targetStart) {
    sourceEnd = sourceStart + target.byteLength - targetStart;
  }
  let nb = sourceEnd - sourceStart;
  const sourceLen = source.byteLength - sourceStart;
  if (nb > sourceLen) nb = sourceLen;
  if (nb <= 0) return 0;
  // As in Node, a whole source into a Uint8Array goes through TypedArray#set,
  // which converts elements (not bytes) when the source is not a Uint8Array.
  if (sourceStart === 0 && nb === sourceLen && isUint8Array(target)) {
    Uint8Array.prototype.set.call(target, source, targetStart);
  } else {
    const from = new Uint8Array(source.buffer, source.byteOffset + sourceStart, nb);
    Uint8Array.prototype.set.call(byteView(target), from, targetStart);
  }
  return nb;
}

// Numbers outside the safe integers (and NaN) take the default; others round down.
function toInteger(n, defaultVal) {
  n = +n;
  if (!Number.isNaN(n) && n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER) {
    return n % 1 === 0 ? n : Math.floor(n);
  }
  return defaultVal;
}

// Node's copy works on any ArrayBufferView, in bytes.
proto.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
  const source = this;
  if (!ArrayBuffer.isView(source)) throw new ERR_INVALID_ARG_TYPE('source', ['Buffer', 'Uint8Array'], source);
  if (!ArrayBuffer.isView(target)) throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  if (targetStart === undefined) {
    targetStart = 0;
  } else {
    targetStart = Number.isInteger(targetStart) ? targetStart : toInteger(targetStart, 0);
    if (targetStart < 0) throw new ERR_OUT_OF_RANGE('targetStart', '>= 0', targetStart);
  }
  if (sourceStart === undefined) {
    sourceStart = 0;
  } else {
    sourceStart = Number.isInteger(sourceStart) ? sourceStart : toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > source.byteLength) {
      throw new ERR_OUT_OF_RANGE('sourceStart', `>= 0 && <= ${source.byteLength}`, sourceStart);
    }
  }
  if (sourceEnd === undefined) {
    sourceEnd = source.byteLength;
  } else {
    sourceEnd = Number.isInteger(sourceEnd) ? sourceEnd : toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw new ERR_OUT_OF_RANGE('sourceEnd', '>= 0', sourceEnd);
  }
  if (targetStart >= target.byteLength || sourceStart >= sourceEnd) return 0;
  return copyActual(source, target, targetStart, sourceStart, sourceEnd);
};

function checkStringLength(chars) {
  if (chars > kStringMaxLength) throw new ERR_STRING_TOO_LONG();
}

// Characters a decode of `n` bytes produces (an upper bound for utf8).
function decodedLength(name, n) {
  switch (name) {
    case 'hex':
      return n * 2;
    case 'base64':
      return Math.ceil(n / 3) * 4;
    case 'base64url':
      return Math.ceil((n * 4) / 3);
    case 'utf16le':
      return n >>> 1;
    default:
      return n;
  }
}

proto.toString = function toString(encoding, start, end) {
  if (arguments.length === 0) {
    checkStringLength(this.length);
    return encodingOps.utf8.slice(this, 0, this.length);
  }
  const len = this.length;
  if (start <= 0) start = 0;
  else if (start >= len) return '';
  else start = Math.trunc(start) || 0;
  if (end === undefined || end > len) end = len;
  else end = Math.trunc(end) || 0;
  if (end <= start) return '';
  const ops = encoding === undefined ? encodingOps.utf8 : getEncodingOps(encoding);
  if (ops === undefined) throw unknownEncoding(encoding);
  checkStringLength(decodedLength(ops.name, end - start));
  return ops.slice(this, start, end);
};
proto.toLocaleString = proto.toString;

proto.equals = function equals(otherBuffer) {
  if (!isUint8Array(otherBuffer)) {
    throw new ERR_INVALID_ARG_TYPE('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
  }
  if (this === otherBuffer) return true;
  const len = this.byteLength;
  if (len !== otherBuffer.byteLength) return false;
  return len === 0 || native.equals(this, otherBuffer);
};

proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!isUint8Array(target)) throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  if (arguments.length === 1) return native.compare(this, target);
  if (targetStart === undefined) targetStart = 0;
  else validateOffset(targetStart, 'targetStart');
  if (targetEnd === undefined) targetEnd = target.length;
  else validateOffset(targetEnd, 'targetEnd', 0, target.length);
  if (sourceStart === undefined) sourceStart = 0;
  else validateOffset(sourceStart, 'sourceStart');
  if (sourceEnd === undefined) sourceEnd = this.length;
  else validateOffset(sourceEnd, 'sourceEnd', 0, this.length);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  if (sourceStart > this.length) throw nativeRangeError('The value of "sourceStart" is out of range.');
  if (targetStart > target.length) throw nativeRangeError('The value of "targetStart" is out of range.');
  const src = new Uint8Array(this.buffer, this.byteOffset + sourceStart, sourceEnd - sourceStart);
  const tgtEnd = Math.min(targetEnd, target.length);
  const tgt = new Uint8Array(target.buffer, target.byteOffset + targetStart, tgtEnd - targetStart);
  return native.compare(src, tgt);
};

// `end` (exclusive) bounds the bytes a match may use; the offset still
// counts from the whole buffer, so the search runs over the first `end` bytes
// with a start already resolved against the full length.
function bidirectionalIndexOf(buffer, val, byteOffset, end, encoding, dir) {
  validateBuffer(buffer);
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) {
    byteOffset = 0x7fffffff;
  } else if (byteOffset < -0x80000000) {
    byteOffset = -0x80000000;
  }
  // Values like null and [] become 0; undefined, 'foo' and {} become NaN.
  byteOffset = +byteOffset;
  if (Number.isNaN(byteOffset)) byteOffset = dir ? 0 : buffer.length || buffer.byteLength;
  byteOffset = Math.trunc(byteOffset) || 0;
  const ops = encoding === undefined ? encodingOps.utf8 : getEncodingOps(encoding);
  let fullLength = buffer.byteLength;
  // A string searched in UTF-16 never sees an odd last byte, not even when
  // the offset is resolved.
  if (typeof val === 'string' && ops !== undefined && ops.ucs2) fullLength &= ~1;
  end = Math.trunc(+end) || 0;
  if (end < 0) end = 0;
  else if (end > buffer.byteLength) end = buffer.byteLength;
  if (byteOffset < 0) {
    byteOffset += fullLength;
    // Before the start: a forward search starts at 0, a backward one finds nothing.
    if (byteOffset < 0) byteOffset = dir ? 0 : -fullLength - 1;
  }
  buffer = new Uint8Array(buffer.buffer, buffer.byteOffset, end);
  if (typeof val === 'number') {
    const needle = new Uint8Array([(val >>> 0) & 0xff]);
    return searchBytes(buffer, needle, byteOffset, dir, false);
  }
  if (typeof val === 'string') {
    if (ops === undefined) throw unknownEncoding(encoding);
    return ops.indexOf(buffer, val, byteOffset, dir);
  }
  if (isUint8Array(val)) {
    const ucs2 = ops !== undefined && ops.ucs2;
    return searchBytes(buffer, new Uint8Array(val.buffer, val.byteOffset, val.length), byteOffset, dir, ucs2);
  }
  throw new ERR_INVALID_ARG_TYPE('value', ['number', 'string', 'Buffer', 'Uint8Array'], val);
}

// indexOf(value[, byteOffset][, end][, encoding]): a string `end` is the encoding.
proto.indexOf = function indexOf(val, offset, end, encoding) {
  if (typeof end === 'string') {
    encoding = end;
    end = this.length;
  } else if (end === undefined) {
    end = this.length;
  }
  return bidirectionalIndexOf(this, val, offset, end, encoding, true);
};
proto.lastIndexOf = function lastIndexOf(val, offset, end, encoding) {
  if (typeof end === 'string') {
    encoding = end;
    end = this.length;
  } else if (end === undefined) {
    end = this.length;
  }
  return bidirectionalIndexOf(this, val, offset, end, encoding, false);
};
proto.includes = function includes(val, offset, end, encoding) {
  if (typeof end === 'string') {
    encoding = end;
    end = this.length;
  } else if (end === undefined) {
    end = this.length;
  }
  return bidirectionalIndexOf(this, val, offset, end, encoding, true) !== -1;
};

// Fills [offset, end) with a non-number value; -1 = nothing to fill with.
function bindingFill(buf, value, offset, end, encoding) {
  let pattern;
  if (typeof value === 'string') {
    pattern = encodingOps[encoding].encode(value);
  } else if (ArrayBuffer.isView(value)) {
    pattern = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  } else {
    buf.fill((+value >>> 0) & 255, offset, end);
    return 0;
  }
  // Nothing to fill is never an error, even with an empty pattern.
  if (offset >= end) return 0;
  if (pattern.length === 0) return -1;
  native.fill(new Uint8Array(buf.buffer, buf.byteOffset, buf.length), pattern, offset, end);
  return 0;
}

function _fill(buf, value, offset, end, encoding) {
  if (typeof value === 'string') {
    if (offset === undefined || typeof offset === 'string') {
      encoding = offset;
      offset = 0;
      end = buf.length;
    } else if (typeof end === 'string') {
      encoding = end;
      end = buf.length;
    }
    const normalized = normalizeEncoding(encoding);
    if (normalized === undefined) {
      validateString(encoding, 'encoding');
      throw unknownEncoding(encoding);
    }
    encoding = normalized;
    if (value.length === 0) {
      // An empty string fills with zeros.
      value = 0;
    } else if (value.length === 1) {
      // A single character that is a single byte takes the numeric path.
      if (normalized === 'utf8') {
        const code = value.charCodeAt(0);
        if (code < 128) value = code;
      } else if (normalized === 'latin1') {
        value = value.charCodeAt(0);
      }
    }
  } else {
    encoding = undefined;
  }
  if (offset === undefined) {
    offset = 0;
    end = buf.length;
  } else {
    validateOffset(offset, 'offset');
    // Invalid ranges are not set to a default, so can range check early.
    if (end === undefined) end = buf.length;
    else validateOffset(end, 'end', 0, buf.length);
    if (offset >= end) return buf;
  }
  if (typeof value === 'number') {
    const byteLen = buf.byteLength;
    const fillLength = end - offset;
    if (offset > end || fillLength + offset > byteLen) throw new ERR_BUFFER_OUT_OF_BOUNDS();
    Uint8Array.prototype.fill.call(buf, value, offset, end);
  } else {
    const res = bindingFill(buf, value, offset, end, encoding ?? 'utf8');
    if (res < 0) throw new ERR_INVALID_ARG_VALUE('value', value);
  }
  return buf;
}

proto.fill = function fill(value, offset, end, encoding) {
  return _fill(this, value, offset, end, encoding);
};

proto.write = function write(string, offset, length, encoding) {
  const bufferLength = typedArrayLength.call(this);
  if (offset === undefined) return utf8Write(this, string, 0, bufferLength);
  if (length === undefined && typeof offset === 'string') {
    encoding = offset;
    length = bufferLength;
    offset = 0;
  } else {
    validateOffset(offset, 'offset', 0, bufferLength);
    const remaining = bufferLength - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === 'string') {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, 'length', 0, bufferLength);
      if (length > remaining) length = remaining;
    }
  }
  if (!encoding || encoding === 'utf8') return utf8Write(this, string, offset, length);
  if (encoding === 'ascii') return asciiWrite(this, string, offset, length);
  const ops = getEncodingOps(encoding);
  if (ops === undefined) throw unknownEncoding(encoding);
  return writeWith(ops)(this, string, offset, length);
};

proto.toJSON = function toJSON() {
  if (this.length > 0) {
    const data = new Array(this.length);
    for (let i = 0; i < this.length; ++i) data[i] = this[i];
    return { type: 'Buffer', data };
  }
  return { type: 'Buffer', data: [] };
};

function adjustOffset(offset, length) {
  // Math.trunc keeps offsets beyond int32 intact.
  offset = Math.trunc(offset);
  if (offset === 0) return 0;
  if (offset < 0) {
    offset += length;
    return offset > 0 ? offset : 0;
  }
  if (offset < length) return offset;
  return Number.isNaN(offset) ? 0 : length;
}

function sharedSlice(buf, start, end) {
  const srcLength = buf.length;
  start = adjustOffset(start, srcLength);
  end = end !== undefined ? adjustOffset(end, srcLength) : srcLength;
  const newLength = end > start ? end - start : 0;
  return new FastBuffer(buf.buffer, buf.byteOffset + start, newLength);
}
proto.subarray = function subarray(start, end) {
  return sharedSlice(this, start, end);
};
// Unlike Uint8Array#slice, Buffer#slice shares memory, as in Node.
proto.slice = function slice(start, end) {
  return this.subarray(start, end);
};

function swap(b, n, m) {
  const i = b[n];
  b[n] = b[m];
  b[m] = i;
}

proto.swap16 = function swap16() {
  const len = this.length;
  if (len % 2 !== 0) throw new ERR_INVALID_BUFFER_SIZE('16-bits');
  for (let i = 0; i < len; i += 2) swap(this, i, i + 1);
  return this;
};
proto.swap32 = function swap32() {
  const len = this.length;
  if (len % 4 !== 0) throw new ERR_INVALID_BUFFER_SIZE('32-bits');
  for (let i = 0; i < len; i += 4) {
    swap(this, i, i + 3);
    swap(this, i + 1, i + 2);
  }
  return this;
};
proto.swap64 = function swap64() {
  const len = this.length;
  if (len % 8 !== 0) throw new ERR_INVALID_BUFFER_SIZE('64-bits');
  for (let i = 0; i < len; i += 8) {
    swap(this, i, i + 7);
    swap(this, i + 1, i + 6);
    swap(this, i + 2, i + 5);
    swap(this, i + 3, i + 4);
  }
  return this;
};

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

// Own enumerable non-index keys; listing them costs O(length) for a typed
// array, so very large buffers skip the extras.
const EXTRAS_SCAN_LIMIT = 1 << 16;
function extraKeys(buf, showHidden) {
  const keys = [];
  if (buf.length <= EXTRAS_SCAN_LIMIT) {
    for (const key of Object.getOwnPropertyNames(buf)) {
      if (isIndexKey(key, buf.length)) continue;
      if (showHidden || Object.prototype.propertyIsEnumerable.call(buf, key)) keys.push(key);
    }
  }
  for (const sym of Object.getOwnPropertySymbols(buf)) {
    if (showHidden || Object.prototype.propertyIsEnumerable.call(buf, sym)) keys.push(sym);
  }
  return keys;
}
function isIndexKey(key, length) {
  const c = key.charCodeAt(0);
  if (c < 0x30 || c > 0x39) return false;
  const n = Number(key);
  return Number.isInteger(n) && n < length && String(n) === key;
}

proto[customInspect] = function inspect(recurseTimes, ctx) {
  // util.inspect passes itself third; used for the extra properties.
  const inspectFn = arguments[2];
  const max = INSPECT_MAX_BYTES;
  // Node cuts with hexSlice, which truncates a fractional end.
  const actualMax = Math.trunc(Math.min(max, this.length));
  const remaining = this.length - max;
  let str = '';
  for (let i = 0; i < actualMax; i++) str += i === 0 ? HEX[this[i]] : ` ${HEX[this[i]]}`;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  if (ctx) {
    const keys = extraKeys(this, ctx.showHidden);
    if (keys.length > 0) {
      const obj = Object.create(null);
      for (const key of keys) obj[key] = this[key];
      if (this.length !== 0) str += ', ';
      if (typeof inspectFn === 'function') {
        // '[Object: null prototype] {'.length === 26
        str += inspectFn(obj, { ...ctx, breakLength: Infinity, compact: true }).slice(27, -2);
      } else {
        str += keys
          .map((k) => `${typeof k === 'symbol' ? `[${k.toString()}]` : k}: ${inspectValue(obj[k])}`)
          .join(', ');
      }
    }
  }
  let constructorName = 'Buffer';
  try {
    const { constructor } = this;
    if (typeof constructor === 'function' && Object.prototype.hasOwnProperty.call(constructor, 'name')) {
      constructorName = constructor.name;
    }
  } catch {
    // A throwing `constructor` getter leaves the default name.
  }
  return `<${constructorName} ${str}>`;
};
proto.inspect = proto[customInspect];

// ----------------------------------------- Node's encoding-specific methods ---

function sliceArgs(buf, start, end) {
  const len = buf.length;
  start = start === undefined ? 0 : Math.trunc(+start) || 0;
  end = end === undefined ? len : Math.trunc(+end) || 0;
  // Only the end must lie within the buffer: a start past it makes ''.
  if (start < 0 || end < 0 || end > len) throw nativeRangeError('Index out of range');
  if (end < start) end = start;
  return [start, end];
}

// Node's byte work runs on any ArrayBufferView's bytes.
function bytesOfView(buf) {
  return isUint8Array(buf) ? buf : byteView(buf);
}

function sliceWith(ops) {
  return (buf, start, end) => {
    buf = bytesOfView(buf);
    const [s, e] = sliceArgs(buf, start, end);
    if (e <= s) return '';
    checkStringLength(decodedLength(ops.name, e - s));
    return ops.slice(buf, s, e);
  };
}

// ascii, latin1 and utf8 writes are checked in JS in Node 24: an offset or
// length outside the buffer is ERR_BUFFER_OUT_OF_BOUNDS (a length is no longer
// clipped); what passes is truncated to an integer (NaN: 0).
function checkedWrite(ops) {
  return (buf, string, offset = 0, length) => {
    buf = bytesOfView(buf);
    const byteLength = buf.length;
    offset = Number(offset);
    if (offset < 0 || offset > byteLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
    if (length === undefined) length = byteLength - offset;
    else length = Number(length);
    if (length < 0 || length > byteLength - offset) throw new ERR_BUFFER_OUT_OF_BOUNDS('length');
    if (typeof string !== 'string') throw notAString();
    return ops.write(buf, string, Math.trunc(offset) || 0, Math.trunc(length) || 0);
  };
}

// The other encodings' writes are Node's C++ ones: negative numbers are
// "Index out of range", an offset past the end is out of bounds, and the
// length is clipped to the room left.
function nativeWrite(ops) {
  return (buf, string, offset, length) => {
    buf = bytesOfView(buf);
    if (typeof string !== 'string') throw notAString();
    offset = offset === undefined ? 0 : Math.trunc(+offset) || 0;
    const max = buf.length - offset;
    length = length === undefined ? max : Math.trunc(+length) || 0;
    if (offset < 0) throw nativeRangeError('Index out of range');
    if (offset > buf.length) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
    if (length < 0) throw nativeRangeError('Index out of range');
    if (length > max) length = max;
    return ops.write(buf, string, offset, length);
  };
}

const asciiWrite = checkedWrite(encodingOps.ascii);
const latin1Write = checkedWrite(encodingOps.latin1);
const utf8Write = checkedWrite(encodingOps.utf8);
const writers = new Map([
  [encodingOps.ascii, asciiWrite],
  [encodingOps.latin1, latin1Write],
  [encodingOps.utf8, utf8Write],
  [encodingOps.utf16le, nativeWrite(encodingOps.utf16le)],
  [encodingOps.base64, nativeWrite(encodingOps.base64)],
  [encodingOps.base64url, nativeWrite(encodingOps.base64url)],
  [encodingOps.hex, nativeWrite(encodingOps.hex)],
]);
function writeWith(ops) {
  return writers.get(ops);
}

// Node 24 defines these as anonymous (start, end) and (string, offset, length)
// wrappers around its static byte functions.
for (const [prefix, ops] of [
  ['ascii', encodingOps.ascii],
  ['base64', encodingOps.base64],
  ['base64url', encodingOps.base64url],
  ['latin1', encodingOps.latin1],
  ['hex', encodingOps.hex],
  ['ucs2', encodingOps.utf16le],
  ['utf8', encodingOps.utf8],
]) {
  const slice = sliceWith(ops);
  const write = writeWith(ops);
  proto[`${prefix}Slice`] = function (start, end) {
    return slice(this, start, end);
  };
  proto[`${prefix}Write`] = function (string, offset, length) {
    return write(this, string, offset, length);
  };
}

addReadWriteMethods(proto);

// ------------------------------------------------------- module functions ---

function transcodeError(code, errno) {
  const err = new Error(`Unable to transcode Buffer [${code}]`);
  err.code = code;
  err.errno = errno;
  return err;
}

// Lone surrogates become U+FFFD, as ICU's converters decode them.
function wellFormed(str) {
  if (typeof str.toWellFormed === 'function') return str.toWellFormed();
  return str.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function hasLoneSurrogate(str) {
  if (typeof str.isWellFormed === 'function') return !str.isWellFormed();
  return wellFormed(str) !== str;
}

// Unicode's Default_Ignorable_Code_Point ranges: ICU's substitute callback
// drops these instead of writing '?' when the target cannot represent them.
const IGNORABLE = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];
function isIgnorable(c) {
  for (const [lo, hi] of IGNORABLE) if (c >= lo && c <= hi) return true;
  return false;
}

// One byte per code point; what the target lacks becomes '?', ICU's substitute.
function narrow(text, max) {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = text.codePointAt(i);
      i++;
    }
    if (c <= max) out[n++] = c;
    else if (!isIgnorable(c)) out[n++] = 0x3f;
  }
  return out.subarray(0, n);
}

/**
 * Re-encodes `source` between utf8, utf16le (ucs2), latin1 (binary) and
 * ascii with the results of Node's ICU-based transcode: its direct
 * latin1/ascii->ucs2, utf8->ucs2 and ucs2->utf8 paths reject what ICU rejects,
 * the converter paths put U+FFFD for bad input and '?' for what the target lacks.
 */
export function transcode(source, fromEncoding, toEncoding) {
  if (!isUint8Array(source)) throw new ERR_INVALID_ARG_TYPE('source', ['Buffer', 'Uint8Array'], source);
  if (source.length === 0) return Buffer.alloc(0);
  const from = normalizeEncoding(fromEncoding) || fromEncoding;
  const to = normalizeEncoding(toEncoding) || toEncoding;
  const known = ['utf8', 'utf16le', 'latin1', 'ascii'];
  if (!known.includes(from) || !known.includes(to)) throw transcodeError('U_ILLEGAL_ARGUMENT_ERROR', 1);
  const bytes = new Uint8Array(source.buffer, source.byteOffset, source.length);
  let out;
  if ((from === 'latin1' || from === 'ascii') && to === 'utf16le') {
    out = native.utf16leEncode(native.latin1Decode(bytes));
  } else if (from === 'utf8' && to === 'utf16le') {
    if (!native.isUtf8(bytes)) throw transcodeError('U_INVALID_CHAR_FOUND', 10);
    out = native.utf16leEncode(native.utf8Decode(bytes));
  } else if (from === 'utf16le' && to === 'utf8') {
    const text = native.utf16leDecode(bytes);
    if (text.length === 0 || hasLoneSurrogate(text)) throw transcodeError('U_INVALID_CHAR_FOUND', 10);
    out = native.utf8Encode(text);
  } else {
    let text;
    if (from === 'utf8') {
      text = native.utf8Decode(bytes);
    } else if (from === 'latin1') {
      text = native.latin1Decode(bytes);
    } else if (from === 'ascii') {
      text = native.latin1Decode(bytes).replace(/[\x80-\xff]/g, '\ufffd');
    } else {
      const units = native.utf16leDecode(bytes);
      text = wellFormed(units);
      // A cut-off last code unit decodes to U+FFFD only on the way to UTF-16,
      // and merges with an unpaired high surrogate before it.
      const last = units.charCodeAt(units.length - 1);
      const openHigh = last >= 0xd800 && last <= 0xdbff && text.charCodeAt(text.length - 1) === 0xfffd;
      if (to === 'utf16le' && bytes.length % 2 === 1 && !openHigh) text += '\ufffd';
    }
    if (to === 'utf8') out = native.utf8Encode(text);
    else if (to === 'utf16le') out = native.utf16leEncode(text);
    else out = narrow(text, to === 'latin1' ? 0xff : 0x7f);
  }
  return new FastBuffer(out.buffer, out.byteOffset, out.length);
}

/** Whether the bytes of a TypedArray or ArrayBuffer are valid UTF-8. */
export function isUtf8(input) {
  if (isTypedArray(input) || isAnyArrayBuffer(input)) return native.isUtf8(bytesOf(input));
  throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
}

/** Whether every byte of a TypedArray or ArrayBuffer is below 0x80. */
export function isAscii(input) {
  if (isTypedArray(input) || isAnyArrayBuffer(input)) return native.isAscii(bytesOf(input));
  throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
}

// The bytes to check; a detached buffer (or a view of one) counts as empty, as in Node 24.
function bytesOf(input) {
  if (isTypedArray(input)) {
    const length = typedArrayByteLength.call(input);
    if (length === 0) return new Uint8Array(0);
    return new Uint8Array(typedArrayBuffer.call(input), typedArrayByteOffset.call(input), length);
  }
  try {
    return new Uint8Array(input);
  } catch {
    // Only a detached ArrayBuffer refuses a view.
    return new Uint8Array(0);
  }
}

function invalidCharacter(message = 'Invalid character') {
  return new DOMException(message, 'InvalidCharacterError');
}

/** Latin-1 string to base64, with the DOM's InvalidCharacterError for wider characters. */
export function btoa(input) {
  if (arguments.length === 0) throw new ERR_MISSING_ARGS('input');
  input = `${input}`;
  for (let n = 0; n < input.length; n++) {
    if (input.charCodeAt(n) > 0xff) throw invalidCharacter();
  }
  return native.base64Encode(native.latin1Encode(input), false);
}

function isAsciiWhitespace(c) {
  return c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20;
}
function isBase64Char(c) {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
}

/** WHATWG forgiving-base64 decode to a Latin-1 string, with Node's error messages. */
export function atob(input) {
  if (arguments.length === 0) throw new ERR_MISSING_ARGS('input');
  input = `${input}`;
  let nonWhitespace = 0;
  let equals = 0;
  for (let n = 0; n < input.length; n++) {
    const c = input.charCodeAt(n);
    if (isAsciiWhitespace(c)) continue;
    if (c === 0x3d) {
      nonWhitespace++;
      equals++;
      if (equals > 2) throw invalidCharacter();
    } else if (isBase64Char(c)) {
      nonWhitespace++;
      // '=' may only end the input.
      if (equals) throw invalidCharacter();
    } else {
      throw invalidCharacter();
    }
  }
  // One data character past a whole group can never decode; that is reported
  // before padding that does not complete a group.
  if ((nonWhitespace - equals) % 4 === 1) throw invalidCharacter('The string to be decoded is not correctly encoded.');
  if (equals && nonWhitespace % 4 !== 0) throw invalidCharacter();
  return native.latin1Decode(native.base64Decode(input));
}

/** The platform's Blob and File (Node's are the same classes as its globals). */
export const Blob = globalThis.Blob;
export const File = globalThis.File;

function setInspectMaxBytes(val) {
  validateNumber(val, 'INSPECT_MAX_BYTES', 0);
  INSPECT_MAX_BYTES = val;
}

/** The module object, like `require('buffer')`: INSPECT_MAX_BYTES is a validated accessor. */
const bufferModule = {
  Buffer,
  SlowBuffer,
  transcode,
  isUtf8,
  isAscii,
  kMaxLength,
  kStringMaxLength,
  btoa,
  atob,
  constants,
};
Object.defineProperty(bufferModule, 'INSPECT_MAX_BYTES', {
  enumerable: true,
  configurable: true,
  get() {
    return INSPECT_MAX_BYTES;
  },
  set: setInspectMaxBytes,
});
bufferModule.Blob = Blob;
bufferModule.File = File;

export default bufferModule;
