// Node 20's zlib stream classes (Gzip, Gunzip, Deflate, ... BrotliDecompress)
// built on ferrode's Transform (`wasm/js/stream.js`) or any function-style
// Transform with Node's API.
import { codes } from './errors.js';
import { constants } from './zlib-constants.js';
import { Buffer } from '../buffer.js';
import { validateInteger } from './validators.js';
import { createHandle, engineFactories, isBrotli, makeBuffer, parseOptions, toBytes, zlibError } from './zlib-core.js';

const { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } = codes;
const {
  DEFLATE,
  INFLATE,
  GZIP,
  GUNZIP,
  DEFLATERAW,
  INFLATERAW,
  UNZIP,
  BROTLI_DECODE,
  BROTLI_ENCODE,
  Z_SYNC_FLUSH,
  Z_FULL_FLUSH,
  Z_MIN_LEVEL,
  Z_MAX_LEVEL,
  Z_DEFAULT_COMPRESSION,
  Z_DEFAULT_STRATEGY,
  Z_FIXED,
  BROTLI_OPERATION_FLUSH,
  BROTLI_OPERATION_EMIT_METADATA,
  Z_BLOCK,
} = constants;

const nextTick =
  typeof process === 'object' && typeof process.nextTick === 'function'
    ? (fn, ...args) => process.nextTick(fn, ...args)
    : (fn, ...args) => queueMicrotask(() => fn(...args));

// flush() writes an empty chunk so the flush keeps its place among the
// writes; the kinds wait in this queue, since a Writable may hand
// _transform a different (converted) object than the one written.
const kFlushQueue = Symbol('kFlushQueue');

// The order in which flush kinds "contain" each other (Node's maxFlush).
const flushRank = [0, 1, 3, 4, 5, 2];
const maxFlush = (a, b) => (flushRank[a] > flushRank[b] ? a : b);

const kSettings = Symbol('kSettings');
const kError = Symbol('kError');
const kRaw = Symbol('kRaw');
const kOwner = Symbol('kOwner');
const kState = Symbol('kState');

/**
 * Node's `_handle`: the wasm codec behind a zlib stream, with the native
 * binding's methods that packages reach for (pngjs drives `writeSync` itself).
 * `close()` frees the codec; the stream is closed once `_handle` is null.
 */
class ZlibHandle {
  constructor(raw, owner, settings) {
    this[kRaw] = raw;
    this[kOwner] = owner;
    this[kSettings] = settings;
    // Node's handle keeps the array the stream had at construction.
    this[kState] = owner._writeState;
  }

  /**
   * One step of the codec: reads up to `inLen` bytes of `input` from
   * `inOff` and writes up to `outLen` bytes into `out` from `outOff`; the
   * output space and input left afterwards land in the stream's
   * `_writeState`. A codec error destroys the stream with it, as in Node.
   */
  writeSync(flushFlag, input, inOff, inLen, out, outOff, outLen) {
    const raw = live(this);
    const s = this[kSettings];
    // Brotli handles take a brotli operation (process, flush, finish, emit metadata).
    validateInteger(flushFlag, 'flushFlag', 0, isBrotli(s.mode) ? BROTLI_OPERATION_EMIT_METADATA : Z_BLOCK);
    const inBytes = input === undefined ? EMPTY : byteRange(input, 'in', inOff, inLen);
    const outBytes = byteRange(out, 'out', outOff, outLen);
    try {
      raw.writeSync(flushFlag, inBytes, outBytes, this[kState]);
    } catch (e) {
      const owner = this[kOwner];
      const err = zlibError(e, s);
      owner.destroy(err);
      owner[kError] = err;
    }
  }

  close() {
    const raw = this[kRaw];
    if (raw !== null) {
      this[kRaw] = null;
      raw.free();
    }
  }

  reset() {
    live(this).reset();
  }

  params(level, strategy) {
    live(this).params(level, strategy);
  }
}

function live(handle) {
  const raw = handle[kRaw];
  if (raw === null) throw new Error('zlib binding closed');
  return raw;
}

// The bytes [off, off + len) of a Buffer/TypedArray/DataView, checked (Node's
// binding aborts the process on bad ranges; here they are errors).
function byteRange(view, name, off, len) {
  if (!ArrayBuffer.isView(view)) throw new ERR_INVALID_ARG_TYPE(name, ['Buffer', 'TypedArray', 'DataView'], view);
  validateInteger(off, `${name}Off`, 0, view.byteLength);
  validateInteger(len, `${name}Len`, 0, view.byteLength - off);
  return new Uint8Array(view.buffer, view.byteOffset + off, len);
}

const EMPTY = new Uint8Array(0);

/**
 * Makes the zlib stream classes over `Transform` (Node's function-style
 * Transform, callable on an existing `this`) and `finished` (stream.finished).
 * Returns the classes and `create*` functions.
 *
 * The classes are plain constructor functions with Node's prototype chain
 * (Inflate → Zlib → ZlibBase → Transform), so that they can be called without
 * `new` and, as pre-ES2015 subclasses do (pngjs), on an existing object:
 * `zlib.Inflate.call(this, opts)`.
 */
export function makeZlibStreams(Transform, finished) {
  function ZlibBase(opts, mode, defaults) {
    const s = parseOptions(mode, opts);
    const raw = createHandle(s);
    this._writeState = new Uint32Array(2);
    Transform.call(this, { autoDestroy: true, ...opts, writableHighWaterMark: s.chunkSize });
    this[kSettings] = s;
    this[kError] = null;
    this[kFlushQueue] = [];
    this.bytesWritten = 0;
    this._handle = new ZlibHandle(raw, this, s);
    this._outBuffer = Buffer.allocUnsafe(s.chunkSize);
    this._outOffset = 0;
    this._chunkSize = s.chunkSize;
    this._defaultFlushFlag = s.flush;
    this._finishFlushFlag = s.finishFlush;
    this._defaultFullFlushFlag = defaults.fullFlush;
    this._info = opts?.info;
    this._maxOutputLength = s.maxOutputLength;
  }
  inherit(ZlibBase, Transform);

  Object.defineProperty(ZlibBase.prototype, '_closed', {
    configurable: true,
    enumerable: true,
    get() {
      return !this._handle;
    },
  });

  // Assigned, not class methods: enumerable, as on Node's prototypes.
  Object.assign(ZlibBase.prototype, {
    reset() {
      if (!this._handle) throw new Error('zlib binding closed');
      this._handle.reset();
      this._outOffset = 0;
    },

    flush(kind, callback) {
      if (typeof kind === 'function' || (kind === undefined && !callback)) {
        callback = kind;
        kind = this._defaultFullFlushFlag;
      }
      if (this.writableFinished) {
        if (callback) nextTick(callback);
      } else if (this.writableEnded) {
        if (callback) this.once('end', callback);
      } else {
        this[kFlushQueue].push(kind);
        this.write(makeBuffer(new Uint8Array(0)), '', callback);
      }
    },

    close(callback) {
      if (callback) finished(this, callback);
      this.destroy();
    },

    _destroy(err, callback) {
      closeHandle(this);
      callback(err);
    },

    _final(callback) {
      callback();
    },

    _flush(callback) {
      this._transform(new Uint8Array(0), '', callback);
    },

    _transform(chunk, encoding, cb) {
      let flushFlag = this._defaultFlushFlag;
      // An empty chunk is where a pending flush() goes (an empty write of the
      // user's own that comes first only moves that flush to the same place).
      if (chunk.byteLength === 0 && this[kFlushQueue].length > 0) flushFlag = this[kFlushQueue].shift();
      // The last chunk also carries the finishing flush.
      if (this.writableEnded && this.writableLength === chunk.byteLength) {
        flushFlag = maxFlush(flushFlag, this._finishFlushFlag);
      }
      this._processChunk(chunk, flushFlag, cb);
    },

    // With a callback: one stream step, output pushed. Without: Node's
    // synchronous form (zlibBufferSync's), which closes the handle after.
    _processChunk(chunk, flushFlag, cb) {
      const handle = this._handle;
      if (!handle) {
        if (typeof cb === 'function') nextTick(cb);
        return undefined;
      }
      const sync = typeof cb !== 'function';
      const input = toBytes(chunk);
      let out;
      try {
        out = live(handle).process(input, flushFlag, this._chunkSize, sync ? this._maxOutputLength : Infinity);
      } catch (e) {
        const err = zlibError(e, this[kSettings]);
        this[kError] = err;
        closeHandle(this);
        if (!sync) {
          this.destroy(err);
          return undefined;
        }
        throw err;
      }
      if (sync) {
        this.bytesWritten = input.byteLength;
        closeHandle(this);
        return makeBuffer(out);
      }
      this.bytesWritten += input.byteLength;
      pushLikeNode(this, out);
      cb();
      return undefined;
    },
  });

  // Node hands output out in chunkSize buffers that later writes keep
  // filling; cutting the one output buffer the same way gives the same chunks.
  function pushLikeNode(stream, out) {
    const size = stream._chunkSize;
    let pos = 0;
    while (pos < out.length) {
      const room = size - stream._outOffset;
      const n = Math.min(room, out.length - pos);
      stream.push(makeBuffer(out.subarray(pos, pos + n)));
      pos += n;
      stream._outOffset += n;
      if (stream._outOffset >= size) stream._outOffset = 0;
    }
  }

  function closeHandle(stream) {
    const h = stream._handle;
    if (h) {
      h.close();
      stream._handle = null;
    }
  }

  const zlibDefaults = { fullFlush: Z_FULL_FLUSH };
  const brotliDefaults = { fullFlush: BROTLI_OPERATION_FLUSH };

  function Zlib(opts, mode) {
    ZlibBase.call(this, opts, mode, zlibDefaults);
    this._handle[kRaw].enableParams();
    this._level = this[kSettings].level;
    this._strategy = this[kSettings].strategy;
  }
  inherit(Zlib, ZlibBase);

  Zlib.prototype.params = function (level, strategy, callback) {
    level = checkRange(level, 'level', Z_MIN_LEVEL, Z_MAX_LEVEL, Z_DEFAULT_COMPRESSION);
    strategy = checkRange(strategy, 'strategy', Z_DEFAULT_STRATEGY, Z_FIXED, Z_DEFAULT_STRATEGY);
    if (this._level !== level || this._strategy !== strategy) {
      this.flush(Z_SYNC_FLUSH, () => {
        if (!this._handle) return;
        try {
          this._handle.params(level, strategy);
        } catch (e) {
          this.destroy(zlibError(e, this[kSettings]));
          return;
        }
        if (!this.destroyed) {
          this._level = level;
          this._strategy = strategy;
          if (callback) callback();
        }
      });
    } else {
      nextTick(callback);
    }
  };

  function Brotli(opts, mode) {
    ZlibBase.call(this, opts, mode, brotliDefaults);
  }
  // As in Node, Brotli sits under Zlib (so brotli streams have params()).
  inherit(Brotli, Zlib);

  // Node's public classes: `Inflate(opts)` without `new` makes one too.
  function leaf(name, Base, mode) {
    const Cls = {
      [name]: function (opts) {
        if (!(this instanceof Cls)) return new Cls(opts);
        Base.call(this, opts, mode);
      },
    }[name];
    inherit(Cls, Base);
    return Cls;
  }

  const classes = {
    Deflate: leaf('Deflate', Zlib, DEFLATE),
    Inflate: leaf('Inflate', Zlib, INFLATE),
    Gzip: leaf('Gzip', Zlib, GZIP),
    Gunzip: leaf('Gunzip', Zlib, GUNZIP),
    DeflateRaw: leaf('DeflateRaw', Zlib, DEFLATERAW),
    InflateRaw: leaf('InflateRaw', Zlib, INFLATERAW),
    Unzip: leaf('Unzip', Zlib, UNZIP),
    BrotliCompress: leaf('BrotliCompress', Brotli, BROTLI_ENCODE),
    BrotliDecompress: leaf('BrotliDecompress', Brotli, BROTLI_DECODE),
  };
  const byMode = new Map([
    [DEFLATE, classes.Deflate],
    [INFLATE, classes.Inflate],
    [GZIP, classes.Gzip],
    [GUNZIP, classes.Gunzip],
    [DEFLATERAW, classes.DeflateRaw],
    [INFLATERAW, classes.InflateRaw],
    [UNZIP, classes.Unzip],
    [BROTLI_ENCODE, classes.BrotliCompress],
    [BROTLI_DECODE, classes.BrotliDecompress],
  ]);
  // `info: true` results carry an engine like Node's: a closed stream that
  // has seen the input.
  for (const [mode, Cls] of byMode) {
    engineFactories.set(mode, (opts, bytesWritten) => {
      const engine = new Cls(opts);
      engine.bytesWritten = bytesWritten;
      closeHandle(engine);
      return engine;
    });
  }
  const create = {};
  for (const name of Object.keys(classes)) {
    const Cls = classes[name];
    const fn = {
      [`create${name}`](options) {
        return new Cls(options);
      },
    }[`create${name}`];
    create[`create${name}`] = fn;
  }
  return { ...classes, ...create, ZlibBase, Zlib, Brotli };
}

// Node's pre-ES2015 inheritance: instances and constructors both chain up.
function inherit(Cls, Base) {
  Object.setPrototypeOf(Cls.prototype, Base.prototype);
  Object.setPrototypeOf(Cls, Base);
}

function checkRange(value, name, lower, upper, def) {
  if (value === undefined || Number.isNaN(value)) return def;
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isFinite(value)) throw new ERR_OUT_OF_RANGE(name, 'a finite number', value);
  if (value < lower || value > upper) throw new ERR_OUT_OF_RANGE(name, `>= ${lower} and <= ${upper}`, value);
  return value;
}
