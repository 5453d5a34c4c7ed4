// Node 20's zlib stream classes (Gzip, Gunzip, Deflate, ... BrotliDecompress)
// built on whatever Transform class the caller gives: ferrode's own
// (`wasm/js/stream.js`), or any class with Node's Transform API.
import { codes } from './errors.js';
import { constants } from './zlib-constants.js';
import { createHandle, engineFactories, makeBuffer, parseOptions, toBytes, zlibError } from './zlib-core.js';

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

const kHandle = Symbol('kHandle');
const kSettings = Symbol('kSettings');
const kOutOffset = Symbol('kOutOffset');
const kError = Symbol('kError');

/**
 * Makes the zlib stream classes over `Transform` (Node's API) and
 * `finished` (stream.finished). Returns the classes and `create*` functions.
 */
export function makeZlibStreams(Transform, finished) {
  class ZlibBase extends Transform {
    constructor(opts, mode, defaults) {
      const s = parseOptions(mode, opts);
      const handle = createHandle(s);
      super({ autoDestroy: true, ...opts, writableHighWaterMark: s.chunkSize });
      this[kSettings] = s;
      this[kHandle] = handle;
      this[kOutOffset] = 0;
      this[kError] = null;
      this[kFlushQueue] = [];
      this.bytesWritten = 0;
      this._chunkSize = s.chunkSize;
      this._defaultFlushFlag = s.flush;
      this._finishFlushFlag = s.finishFlush;
      this._defaultFullFlushFlag = defaults.fullFlush;
      this._info = opts?.info;
      this._maxOutputLength = s.maxOutputLength;
    }

    get _closed() {
      return this[kHandle] === null;
    }

    reset() {
      if (this[kHandle] === null) throw new Error('zlib binding closed');
      this[kHandle].reset();
      this[kOutOffset] = 0;
    }

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
    }

    close(callback) {
      if (callback) finished(this, callback);
      this.destroy();
    }

    _destroy(err, callback) {
      closeHandle(this);
      callback(err);
    }

    _final(callback) {
      callback();
    }

    _flush(callback) {
      this._transform(new Uint8Array(0), '', callback);
    }

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
    }

    _processChunk(chunk, flushFlag, cb) {
      const handle = this[kHandle];
      if (handle === null) {
        if (typeof cb === 'function') nextTick(cb);
        return undefined;
      }
      const input = toBytes(chunk);
      let out;
      try {
        out = handle.process(input, flushFlag, this._chunkSize, Infinity);
      } catch (e) {
        const err = zlibError(e, this[kSettings]);
        this[kError] = err;
        closeHandle(this);
        if (typeof cb === 'function') {
          this.destroy(err);
          return undefined;
        }
        throw err;
      }
      this.bytesWritten += input.byteLength;
      if (typeof cb !== 'function') return makeBuffer(out);
      pushLikeNode(this, out);
      cb();
      return undefined;
    }
  }

  // Node hands output out in chunkSize buffers that later writes keep
  // filling; cutting the one output buffer the same way gives the same chunks.
  function pushLikeNode(stream, out) {
    const size = stream._chunkSize;
    let pos = 0;
    while (pos < out.length) {
      const room = size - stream[kOutOffset];
      const n = Math.min(room, out.length - pos);
      stream.push(makeBuffer(out.subarray(pos, pos + n)));
      pos += n;
      stream[kOutOffset] += n;
      if (stream[kOutOffset] >= size) stream[kOutOffset] = 0;
    }
  }

  function closeHandle(stream) {
    const h = stream[kHandle];
    if (h) {
      stream[kHandle] = null;
      h.free();
    }
  }

  const zlibDefaults = { fullFlush: Z_FULL_FLUSH };
  const brotliDefaults = { fullFlush: BROTLI_OPERATION_FLUSH };

  class Zlib extends ZlibBase {
    constructor(opts, mode) {
      super(opts, mode, zlibDefaults);
      this[kHandle].enableParams();
      this._level = this[kSettings].level;
      this._strategy = this[kSettings].strategy;
    }

    params(level, strategy, callback) {
      level = checkRange(level, 'level', Z_MIN_LEVEL, Z_MAX_LEVEL, Z_DEFAULT_COMPRESSION);
      strategy = checkRange(strategy, 'strategy', Z_DEFAULT_STRATEGY, Z_FIXED, Z_DEFAULT_STRATEGY);
      if (this._level !== level || this._strategy !== strategy) {
        this.flush(Z_SYNC_FLUSH, () => {
          if (this[kHandle] === null) return;
          try {
            this[kHandle].params(level, strategy);
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
    }
  }

  class Brotli extends ZlibBase {
    constructor(opts, mode) {
      super(opts, mode, brotliDefaults);
    }
  }

  // Node's classes can be called with or without `new`.
  const callable = (Cls) => new Proxy(Cls, { apply: (target, _this, args) => new target(...args) });

  const classes = {
    Deflate: callable(
      class Deflate extends Zlib {
        constructor(opts) {
          super(opts, DEFLATE);
        }
      },
    ),
    Inflate: callable(
      class Inflate extends Zlib {
        constructor(opts) {
          super(opts, INFLATE);
        }
      },
    ),
    Gzip: callable(
      class Gzip extends Zlib {
        constructor(opts) {
          super(opts, GZIP);
        }
      },
    ),
    Gunzip: callable(
      class Gunzip extends Zlib {
        constructor(opts) {
          super(opts, GUNZIP);
        }
      },
    ),
    DeflateRaw: callable(
      class DeflateRaw extends Zlib {
        constructor(opts) {
          super(opts, DEFLATERAW);
        }
      },
    ),
    InflateRaw: callable(
      class InflateRaw extends Zlib {
        constructor(opts) {
          super(opts, INFLATERAW);
        }
      },
    ),
    Unzip: callable(
      class Unzip extends Zlib {
        constructor(opts) {
          super(opts, UNZIP);
        }
      },
    ),
    BrotliCompress: callable(
      class BrotliCompress extends Brotli {
        constructor(opts) {
          super(opts, BROTLI_ENCODE);
        }
      },
    ),
    BrotliDecompress: callable(
      class BrotliDecompress extends Brotli {
        constructor(opts) {
          super(opts, BROTLI_DECODE);
        }
      },
    ),
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

function checkRange(value, name, lower, upper, def) {
  if (value === undefined || Number.isNaN(value)) return def;
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isFinite(value)) throw new ERR_OUT_OF_RANGE(name, 'a finite number', value);
  if (value < lower || value > upper) throw new ERR_OUT_OF_RANGE(name, `>= ${lower} and <= ${upper}`, value);
  return value;
}
