// Node 20's `buffer` module: Buffer (a Uint8Array subclass with Node's
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

/** Largest Buffer Node 20 allows (64-bit). */
export const kMaxLength = 2 ** 32;
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
function isAnyArrayBuffer(v) {
  if (v instanceof ArrayBuffer) return true;
  if (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer) return true;
  const tag = Object.prototype.toString.call(v);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
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

let deprecationWarned = false;
function warnDeprecated() {
  if (deprecationWarned) return;
  deprecationWarned = true;
  const proc = globalThis.process;
  if (proc && typeof proc.emitWarning === 'function') {
    proc.emitWarning(
      'Buffer() is deprecated due to security and usability issues. Please use the Buffer.alloc(), ' +
        'Buffer.allocUnsafe(), or Buffer.from() methods instead.',
      'DeprecationWarning',
      'DEP0005',
    );
  }
}

/**
 * Node's deprecated constructor: `Buffer(size)` / `Buffer(value, ...)`, with
 * or without `new`. Instances are FastBuffers whose prototype is Buffer.prototype.
 */
export function Buffer(arg, encodingOrOffset, length) {
  warnDeprecated();
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

Buffer.poolSize = 8 * 1024;
let poolSize;
let poolOffset;
let allocPool;
let poolView;

function createPool() {
  poolSize = Buffer.poolSize;
  allocPool = new ArrayBuffer(poolSize);
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

function fromStringFast(string, ops) {
  // Every UTF-16 unit makes at least one UTF-8 byte: a long string is off-pool
  // whatever its byte length, so skip the counting pass and encode once.
  if (ops === encodingOps.utf8 && string.length >= Buffer.poolSize >>> 1) {
    const bytes = ops.encode(string);
    return new FastBuffer(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  const length = ops.byteLength(string);
  if (length >= Buffer.poolSize >>> 1) {
    const bytes = ops.encode(string);
    return new FastBuffer(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  if (length > poolSize - poolOffset) createPool();
  let b = new FastBuffer(allocPool, poolOffset, length);
  const actual = ops.write(poolView, string, poolOffset, length);
  if (actual !== length) b = new FastBuffer(allocPool, poolOffset, actual);
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
  if (length === undefined) {
    length = maxLength;
  } else {
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

/** A copy of the bytes of a TypedArray's elements [offset, offset + length). */
Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
  if (!isTypedArray(view)) throw new ERR_INVALID_ARG_TYPE('view', ['TypedArray'], view);
  const viewLength = view.length;
  if (viewLength === 0) return Buffer.alloc(0);
  if (offset !== undefined || length !== undefined) {
    if (offset !== undefined) {
      validateInteger(offset, 'offset', 0);
      if (offset >= viewLength) return Buffer.alloc(0);
    } else {
      offset = 0;
    }
    let end;
    if (length !== undefined) {
      validateInteger(length, 'length', 0);
      end = offset + length;
    } else {
      end = viewLength;
    }
    view = TypedArrayProto.slice.call(view, offset, end);
  }
  return fromArrayLike(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
};

/** Buffer.of(...bytes), like Uint8Array.of but always a Buffer. */
Buffer.of = function of(...items) {
  const b = allocate(items.length);
  for (let k = 0; k < items.length; k++) b[k] = items[k];
  return b;
};

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

/** Deprecated SlowBuffer(size): an unpooled Buffer. */
export function SlowBuffer(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return new FastBuffer(size);
}
Object.setPrototypeOf(SlowBuffer.prototype, Uint8Array.prototype);
Object.setPrototypeOf(SlowBuffer, Uint8Array);

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
      if (list[i].length) length += list[i].length;
    }
  } else {
    validateOffset(length, 'length');
  }
  const buffer = Buffer.allocUnsafe(length);
  let pos = 0;
  for (let i = 0; i < list.length; i++) {
    const buf = list[i];
    if (!isUint8Array(buf)) {
      // Node names the element in the message: "list[1]".
      throw new ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], list[i]);
    }
    pos += copyActual(buf, buffer, pos, 0, buf.length);
  }
  // Note: `length` is always equal to `buffer.length` at this point
  if (pos < length) buffer.fill(0, pos, length);
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

function copyActual(source, target, targetStart, sourceStart, sourceEnd) {
  if (sourceEnd - sourceStart > target.length - targetStart) sourceEnd = sourceStart + target.length - targetStart;
  let nb = sourceEnd - sourceStart;
  const sourceLen = source.length - sourceStart;
  if (nb > sourceLen) nb = sourceLen;
  if (nb <= 0) return 0;
  if (sourceStart !== 0 || sourceEnd < source.length) {
    source = new Uint8Array(source.buffer, source.byteOffset + sourceStart, nb);
  }
  target.set(source, targetStart);
  return nb;
}

// NaN and the infinities take the default; other numbers round down.
function toInteger(n, defaultVal) {
  n = +n;
  if (!Number.isFinite(n)) return defaultVal;
  return n % 1 === 0 ? n : Math.floor(n);
}

proto.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
  if (!isUint8Array(this)) throw new ERR_INVALID_ARG_TYPE('source', ['Buffer', 'Uint8Array'], this);
  if (!isUint8Array(target)) throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  if (targetStart === undefined) {
    targetStart = 0;
  } else {
    targetStart = toInteger(targetStart, 0);
    if (targetStart < 0) throw new ERR_OUT_OF_RANGE('targetStart', '>= 0', targetStart);
  }
  if (sourceStart === undefined) {
    sourceStart = 0;
  } else {
    sourceStart = toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > this.length) {
      throw new ERR_OUT_OF_RANGE('sourceStart', `>= 0 && <= ${this.length}`, sourceStart);
    }
  }
  if (sourceEnd === undefined) {
    sourceEnd = this.length;
  } else {
    sourceEnd = toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw new ERR_OUT_OF_RANGE('sourceEnd', '>= 0', sourceEnd);
  }
  if (targetStart >= target.length || sourceStart >= sourceEnd) return 0;
  return copyActual(this, target, targetStart, sourceStart, sourceEnd);
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

function bidirectionalIndexOf(buffer, val, byteOffset, encoding, dir) {
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
  if (typeof val === 'number') {
    const needle = new Uint8Array([(val >>> 0) & 0xff]);
    return searchBytes(buffer, needle, byteOffset, dir, false);
  }
  const ops = encoding === undefined ? encodingOps.utf8 : getEncodingOps(encoding);
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

proto.indexOf = function indexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, true);
};
proto.lastIndexOf = function lastIndexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, false);
};
proto.includes = function includes(val, byteOffset, encoding) {
  return this.indexOf(val, byteOffset, encoding) !== -1;
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
  if (offset === undefined) return this.utf8Write(string, 0, this.length);
  if (length === undefined && typeof offset === 'string') {
    encoding = offset;
    length = this.length;
    offset = 0;
  } else {
    validateOffset(offset, 'offset', 0, this.length);
    const remaining = this.length - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === 'string') {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, 'length', 0, this.length);
      if (length > remaining) length = remaining;
    }
  }
  if (!encoding || encoding === 'utf8') return this.utf8Write(string, offset, length);
  const ops = getEncodingOps(encoding);
  if (ops === undefined) throw unknownEncoding(encoding);
  if (typeof string !== 'string') throw notAString();
  return ops.write(this, string, offset, length);
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
  return sharedSlice(this, start, end);
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
  return `<${this.constructor.name} ${str}>`;
};
proto.inspect = proto[customInspect];

// ----------------------------------------- Node's encoding-specific methods ---

function sliceArgs(buf, start, end) {
  const len = buf.length;
  start = start === undefined ? 0 : Math.trunc(+start) || 0;
  end = end === undefined ? len : Math.trunc(+end) || 0;
  if (start < 0 || end < 0 || start > len || end > len) throw nativeRangeError('Index out of range');
  if (end < start) end = start;
  return [start, end];
}

for (const [prefix, ops] of [
  ['ascii', encodingOps.ascii],
  ['base64', encodingOps.base64],
  ['base64url', encodingOps.base64url],
  ['latin1', encodingOps.latin1],
  ['hex', encodingOps.hex],
  ['ucs2', encodingOps.utf16le],
  ['utf8', encodingOps.utf8],
]) {
  const slice = function (start, end) {
    const [s, e] = sliceArgs(this, start, end);
    if (e <= s) return '';
    checkStringLength(decodedLength(ops.name, e - s));
    return ops.slice(this, s, e);
  };
  Object.defineProperty(slice, 'name', { value: `${prefix}Slice` });
  // Node's versions are C++ functions with no declared parameters.
  Object.defineProperty(slice, 'length', { value: 0 });
  proto[`${prefix}Slice`] = slice;
  const write = function (string, offset, length) {
    if (typeof string !== 'string') throw notAString();
    offset = offset === undefined ? 0 : Math.trunc(+offset) || 0;
    const max = this.length - offset;
    length = length === undefined ? max : Math.trunc(+length) || 0;
    if (offset < 0) throw nativeRangeError('Index out of range');
    if (offset > this.length) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
    if (length < 0) throw nativeRangeError('Index out of range');
    if (length > max) length = max;
    return ops.write(this, string, offset, length);
  };
  Object.defineProperty(write, 'name', { value: `${prefix}Write` });
  Object.defineProperty(write, 'length', { value: 0 });
  proto[`${prefix}Write`] = write;
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

function bytesOf(input) {
  const buffer = isTypedArray(input) ? input.buffer : input;
  const offset = isTypedArray(input) ? input.byteOffset : 0;
  const length = isTypedArray(input) ? input.byteLength : input.byteLength;
  try {
    return new Uint8Array(buffer, offset, length);
  } catch {
    // Only a detached buffer refuses a view of its own range.
    throw makeNodeError(Error, 'ERR_INVALID_STATE', 'Cannot validate on a detached buffer');
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
