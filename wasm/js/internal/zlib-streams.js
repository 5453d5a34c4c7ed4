// Node 24's zlib stream classes (Gzip, Gunzip, Deflate, ... BrotliDecompress)
// built on ferrode's Transform (`wasm/js/stream.js`) or any function-style
// Transform with Node's API.
//
// A stream works as Node's does: each written chunk goes to the codec in
// steps that fill the stream's `chunkSize` output buffer, one step per task
// (Node runs them on its thread pool), pushing what each step made. So a
// write is in progress until its steps are done, output waits for a reader
// (backpressure), a destroyed stream stops, and input left after the end of
// the compressed data ends the stream (or is rejected).
import { codes } from './errors.js';
import { constants } from './zlib-constants.js';
import { Buffer } from '../buffer.js';
import { validateInteger } from './validators.js';
import { emitDeprecation } from './deprecations.js';
import { messageChannelTask } from './message-task.js';
import {
  ERR_TRAILING_JUNK_AFTER_STREAM_END,
  checkRangesOrGetDefault,
  createHandle,
  engineFactories,
  isBrotli,
  parseOptions,
  streamClasses,
  zlibError,
} from './zlib-core.js';

const { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_BUFFER_TOO_LARGE } = codes;
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
  Z_NO_FLUSH,
  Z_PARTIAL_FLUSH,
  Z_SYNC_FLUSH,
  Z_FULL_FLUSH,
  Z_FINISH,
  Z_MIN_LEVEL,
  Z_MAX_LEVEL,
  Z_DEFAULT_COMPRESSION,
  Z_DEFAULT_STRATEGY,
  Z_FIXED,
  BROTLI_OPERATION_PROCESS,
  BROTLI_OPERATION_FLUSH,
  BROTLI_OPERATION_EMIT_METADATA,
  Z_BLOCK,
} = constants;

const nextTick =
  typeof process === 'object' && typeof process.nextTick === 'function'
    ? (fn, ...args) => process.nextTick(fn, ...args)
    : (fn, ...args) => queueMicrotask(() => fn(...args));

// Where Node's thread pool would hand a finished step back: a later task.
const laterTask = typeof setImmediate === 'function' ? (fn) => setImmediate(fn) : messageChannelTask();

// The flush kinds each codec takes (Node's FLUSH_BOUND), by _flushBoundIdx.
const FLUSH_BOUND = [
  [Z_NO_FLUSH, Z_BLOCK],
  [BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_EMIT_METADATA],
];
const FLUSH_BOUND_IDX_NORMAL = 0;
const FLUSH_BOUND_IDX_BROTLI = 1;

// How "strong" each flush kind is (Node's maxFlush): no flush < block <
// partial < sync < full < finish.
const flushiness = [];
[Z_NO_FLUSH, Z_BLOCK, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH].forEach((f, i) => {
  flushiness[f] = i;
});
const maxFlush = (a, b) => (flushiness[a] > flushiness[b] ? a : b);

// flush() writes one of these empty buffers, so that the flush keeps its
// place among the writes; the kind rides on the buffer.
const kFlushFlag = Symbol('kFlushFlag');
const kFlushBuffers = [];
for (let kind = Z_NO_FLUSH; kind <= Z_BLOCK; kind++) {
  const b = Buffer.from(new ArrayBuffer(0));
  b[kFlushFlag] = kind;
  kFlushBuffers[kind] = b;
}

const kSettings = Symbol('kSettings');
const kError = Symbol('kError');
const kRaw = Symbol('kRaw');
const kOwner = Symbol('kOwner');
const kState = Symbol('kState');
const kWriting = Symbol('kWriting');
const kPendingClose = Symbol('kPendingClose');
const kStep = Symbol('kStep');

// Input handed to the codec per call inside one step: the wasm boundary
// copies what it is given, so a huge chunk goes in slices (with no flush
// until its last slice), not whole at every step.
const kStepInput = 64 * 1024;

/**
 * One step of the codec over `input` into `output`, as one zlib call with
 * the whole input would make it: the output space and input left land in
 * `state` (Node's `_writeState`). Throws the codec's error.
 */
function runStep(raw, flushFlag, input, output, state, brotli) {
  if (input.length <= kStepInput) {
    raw.writeSync(flushFlag, input, output, state);
    return;
  }
  const noFlush = brotli ? BROTLI_OPERATION_PROCESS : Z_NO_FLUSH;
  let inPos = 0;
  let outPos = 0;
  for (;;) {
    const n = Math.min(input.length - inPos, kStepInput);
    const last = inPos + n === input.length;
    const room = output.length - outPos;
    raw.writeSync(last ? flushFlag : noFlush, input.subarray(inPos, inPos + n), output.subarray(outPos), state);
    const consumed = n - state[1];
    inPos += consumed;
    outPos += room - state[0];
    // Done: the last slice went in, the output is full, or the codec stopped
    // taking input (the end of the compressed data).
    if (last || state[0] === 0 || consumed < n) break;
  }
  state[0] = output.length - outPos;
  state[1] = input.length - inPos;
}

/**
 * Node's `_handle`: the wasm codec behind a zlib stream, with the native
 * binding's methods that packages reach for (pngjs drives `writeSync` itself).
 * `close()` frees the codec (once a write in progress is done); the stream is
 * closed once `_handle` is null.
 */
class ZlibHandle {
  constructor(raw, owner, settings) {
    this[kRaw] = raw;
    this[kOwner] = owner;
    this[kSettings] = settings;
    // Node's handle keeps the array the stream had at construction.
    this[kState] = owner._writeState;
    this[kWriting] = false;
    this[kPendingClose] = false;
    this[kStep] = null;
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
      runStep(raw, flushFlag, inBytes, outBytes, this[kState], isBrotli(s.mode));
    } catch (e) {
      onCodecError(this, e);
    }
  }

  /**
   * As `writeSync`, in a later task (Node's thread pool); then the stream's
   * step callback runs, unless the codec failed, which destroys the stream.
   */
  write(flushFlag, input, inOff, inLen, out, outOff, outLen) {
    live(this);
    if (this[kWriting]) throw new Error('write already in progress');
    const inBytes = byteRange(input, 'in', inOff, inLen);
    const outBytes = byteRange(out, 'out', outOff, outLen);
    this[kWriting] = true;
    laterTask(() => {
      this[kWriting] = false;
      const owner = this[kOwner];
      const raw = this[kRaw];
      let failed = false;
      // A destroyed stream throws the output away: skip the work.
      if (raw !== null && !owner.destroyed) {
        try {
          runStep(raw, flushFlag, inBytes, outBytes, this[kState], isBrotli(this[kSettings].mode));
        } catch (e) {
          failed = true;
          onCodecError(this, e);
        }
      }
      if (!failed) afterStep(this);
      if (this[kPendingClose]) this.close();
    });
  }

  close() {
    if (this[kWriting]) {
      this[kPendingClose] = true;
      return;
    }
    this[kPendingClose] = false;
    const raw = this[kRaw];
    if (raw !== null) {
      this[kRaw] = null;
      raw.free();
    }
  }

  reset() {
    const raw = live(this);
    if (this[kWriting]) throw new Error('Cannot reset zlib stream while a write is in progress');
    raw.reset();
  }

  params(level, strategy) {
    live(this).params(level, strategy);
  }
}

// A codec error: the stream is destroyed with Node's error, kept in kError.
function onCodecError(handle, e) {
  const owner = handle[kOwner];
  const err = zlibError(e, handle[kSettings]);
  owner.destroy(err);
  owner[kError] = err;
}

function live(handle) {
  const raw = handle[kRaw];
  if (raw === null) throw new Error('zlib binding closed');
  return raw;
}

// The bytes [off, off + len) of a Buffer/TypedArray/DataView, checked
// against its real size as Node's binding does (a spoofed byteLength does
// not reach past the memory). Node's binding aborts the process on
// non-buffers and non-integers; here they are errors.
function byteRange(view, name, off, len) {
  if (!ArrayBuffer.isView(view)) throw new ERR_INVALID_ARG_TYPE(name, ['Buffer', 'TypedArray', 'DataView'], view);
  validateInteger(off, `${name}Off`, 0);
  validateInteger(len, `${name}Len`, 0);
  const size = trueByteLength(view);
  if (off + len > size) throw outOfBounds(name === 'in' ? 'input' : 'output');
  return new Uint8Array(view.buffer, trueByteOffset(view) + off, len);
}

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const taLength = Object.getOwnPropertyDescriptor(typedArrayProto, 'byteLength').get;
const taOffset = Object.getOwnPropertyDescriptor(typedArrayProto, 'byteOffset').get;
const dvLength = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
const dvOffset = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get;
const trueByteLength = (v) => (v instanceof DataView ? dvLength.call(v) : taLength.call(v));
const trueByteOffset = (v) => (v instanceof DataView ? dvOffset.call(v) : taOffset.call(v));

/** The RangeError of Node's binding for a range past a buffer's end. */
export function outOfBounds(which) {
  const err = new RangeError(`${which} buffer is out of bounds`);
  err.code = 'ERR_OUT_OF_RANGE';
  return err;
}

/** Whether a view claims more bytes than it has (Node's binding refuses it). */
export function spoofsLength(view) {
  return ArrayBuffer.isView(view) && view.byteLength > trueByteLength(view);
}

const EMPTY = new Uint8Array(0);

// What Node's processCallback does when a step of a written chunk is done:
// push its output, then go on with the chunk, wait for a reader, or finish.
function afterStep(handle) {
  const self = handle[kOwner];
  const step = handle[kStep];
  const state = self._writeState;
  if (self.destroyed) {
    handle[kStep] = null;
    step.cb();
    return;
  }
  const availOutAfter = state[0];
  const availInAfter = state[1];
  const inDelta = step.availInBefore - availInAfter;
  self.bytesWritten += inDelta;
  const have = step.availOutBefore - availOutAfter;
  let readerIsFull = false;
  if (have > 0) {
    const out = self._outBuffer.subarray(self._outOffset, self._outOffset + have);
    self._outOffset += have;
    readerIsFull = !self.push(out);
  }
  if (self.destroyed) {
    handle[kStep] = null;
    step.cb();
    return;
  }
  // The output buffer is used up: the next output goes to a new one.
  if (availOutAfter === 0 || self._outOffset >= self._chunkSize) {
    step.availOutBefore = self._chunkSize;
    self._outOffset = 0;
    self._outBuffer = Buffer.allocUnsafe(self._chunkSize);
  }
  if (availOutAfter === 0) {
    // More output may be waiting: go on where this step stopped.
    step.inOff += inDelta;
    step.availInBefore = availInAfter;
    const next = () =>
      handle.write(
        step.flushFlag,
        step.chunk,
        step.inOff,
        step.availInBefore,
        self._outBuffer,
        self._outOffset,
        self._chunkSize,
      );
    if (!readerIsFull) {
      next();
    } else {
      // The reader has enough: the next step waits until it asks for more.
      const oldRead = self._read;
      self._read = (n) => {
        self._read = oldRead;
        next();
        self._read(n);
      };
    }
    return;
  }
  if (availInAfter > 0) {
    // Output room left and input not taken: the compressed data ended
    // before the input did. (Gunzip goes on with a next member itself.)
    if (self._rejectGarbageAfterEnd) {
      const err = new ERR_TRAILING_JUNK_AFTER_STREAM_END();
      self.destroy(err);
      handle[kStep] = null;
      step.cb(err);
      return;
    }
    self.push(null);
  }
  handle[kStep] = null;
  step.cb();
}

// Runs a written chunk through the codec, step by step (Node's processChunk).
function processChunk(self, chunk, flushFlag, cb) {
  const handle = self._handle;
  if (!handle) {
    nextTick(cb);
    return;
  }
  const step = {
    chunk,
    cb,
    flushFlag,
    inOff: 0,
    availInBefore: chunk.byteLength,
    availOutBefore: self._chunkSize - self._outOffset,
  };
  handle[kStep] = step;
  handle.write(flushFlag, chunk, 0, step.availInBefore, self._outBuffer, self._outOffset, step.availOutBefore);
}

// The whole chunk at once, returning the output and closing the handle
// (Node's processChunkSync, behind `*Sync` and `_processChunk` without a callback).
function processChunkSync(self, chunk, flushFlag) {
  const handle = self._handle;
  if (!handle) throw new Error('zlib binding closed');
  const raw = live(handle);
  const brotli = isBrotli(self[kSettings].mode);
  const state = self._writeState;
  const chunkSize = self._chunkSize;
  if (spoofsLength(chunk)) throw outOfBounds('input');
  const input = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let buffer = self._outBuffer;
  let offset = self._outOffset;
  let availOutBefore = chunkSize - offset;
  if (availOutBefore < 0 || offset + availOutBefore > buffer.length) throw outOfBounds('output');
  let inOff = 0;
  let availInAfter = 0;
  const buffers = [];
  let nread = 0;
  for (;;) {
    try {
      runStep(raw, flushFlag, input.subarray(inOff), buffer.subarray(offset, offset + availOutBefore), state, brotli);
    } catch (e) {
      onCodecError(handle, e);
      throw self[kError];
    }
    const availOutAfter = state[0];
    availInAfter = state[1];
    inOff = input.length - availInAfter;
    const have = availOutBefore - availOutAfter;
    if (have > 0) {
      buffers.push(buffer.subarray(offset, offset + have));
      offset += have;
      nread += have;
      if (nread > self._maxOutputLength) {
        closeHandle(self);
        throw new ERR_BUFFER_TOO_LARGE(self._maxOutputLength);
      }
    }
    if (availOutAfter === 0 || offset >= chunkSize) {
      availOutBefore = chunkSize;
      offset = 0;
      buffer = Buffer.allocUnsafe(chunkSize);
    }
    if (availOutAfter !== 0) break;
  }
  if (availInAfter > 0 && self._rejectGarbageAfterEnd) {
    closeHandle(self);
    throw new ERR_TRAILING_JUNK_AFTER_STREAM_END();
  }
  self.bytesWritten = inOff;
  closeHandle(self);
  if (nread === 0) return Buffer.alloc(0);
  return buffers.length === 1 ? buffers[0] : Buffer.concat(buffers, nread);
}

function closeHandle(stream) {
  const h = stream._handle;
  if (h) {
    h.close();
    stream._handle = null;
  }
}

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
    if (s.rejectGarbageAfterEnd && typeof raw.rejectGarbageAfterEnd === 'function') raw.rejectGarbageAfterEnd();
    this._writeState = new Uint32Array(2);
    // The stream side of zlib streams always takes bytes.
    if (opts && (opts.encoding || opts.objectMode || opts.writableObjectMode)) {
      opts = { ...opts, encoding: null, objectMode: false, writableObjectMode: false };
    }
    Transform.call(this, { autoDestroy: true, ...opts });
    this[kSettings] = s;
    this[kError] = null;
    this.bytesWritten = 0;
    this._handle = new ZlibHandle(raw, this, s);
    this._outBuffer = Buffer.allocUnsafe(s.chunkSize);
    this._outOffset = 0;
    this._chunkSize = s.chunkSize;
    this._defaultFlushFlag = s.flush;
    this._finishFlushFlag = s.finishFlush;
    this._defaultFullFlushFlag = defaults.fullFlush;
    this._flushBoundIdx = isBrotli(mode) ? FLUSH_BOUND_IDX_BROTLI : FLUSH_BOUND_IDX_NORMAL;
    this._info = opts?.info;
    this._maxOutputLength = s.maxOutputLength;
    this._rejectGarbageAfterEnd = s.rejectGarbageAfterEnd;
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
      return this._handle.reset();
    },

    flush(kind, callback) {
      if (typeof kind === 'function' || (kind === undefined && !callback)) {
        callback = kind;
        kind = this._defaultFullFlushFlag;
      }
      const [lower, upper] = FLUSH_BOUND[this._flushBoundIdx];
      kind = checkRangesOrGetDefault(kind, 'kind', lower, upper, this._defaultFullFlushFlag);
      if (this.writableFinished) {
        if (callback) nextTick(callback);
      } else if (this.writableEnded) {
        if (callback) this.once('end', callback);
      } else {
        this.write(kFlushBuffers[kind], '', callback);
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
      this._transform(Buffer.alloc(0), '', callback);
    },

    _transform(chunk, encoding, cb) {
      let flushFlag = this._defaultFlushFlag;
      // flush() writes an empty buffer that carries its kind.
      if (typeof chunk[kFlushFlag] === 'number') flushFlag = chunk[kFlushFlag];
      // The last chunk also carries the finishing flush.
      if (this.writableEnded && this.writableLength === chunk.byteLength) {
        flushFlag = maxFlush(flushFlag, this._finishFlushFlag);
      }
      processChunk(this, chunk, flushFlag, cb);
    },

    // With a callback: the chunk through the stream. Without: Node's
    // synchronous form, which returns the output and closes the handle.
    _processChunk(chunk, flushFlag, cb) {
      if (typeof cb === 'function') {
        processChunk(this, chunk, flushFlag, cb);
        return undefined;
      }
      let error;
      this.on('error', (er) => {
        error = er;
      });
      try {
        return processChunkSync(this, chunk, flushFlag);
      } catch (e) {
        throw error ?? e;
      }
    },
  });

  const zlibDefaults = { fullFlush: Z_FULL_FLUSH };
  const brotliDefaults = { fullFlush: BROTLI_OPERATION_FLUSH };

  function Zlib(opts, mode) {
    ZlibBase.call(this, opts, mode, zlibDefaults);
    this._handle[kRaw].enableParams();
    this._level = this[kSettings].level;
    this._strategy = this[kSettings].strategy;
    this._mode = mode;
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

  // Node's public classes: `Inflate(opts)` without `new` makes one too
  // (with Node's DEP0184 warning).
  function leaf(name, Base, mode) {
    const Cls = {
      [name]: function (opts) {
        if (!(this instanceof Cls)) {
          emitDeprecation(`Instantiating ${name} without the 'new' keyword has been deprecated.`, 'DEP0184');
          return new Cls(opts);
        }
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
    streamClasses.set(mode, Cls);
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
