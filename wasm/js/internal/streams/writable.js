// Writable: the queue between write()/end() and the sink (_write/_writev/_final),
// with highWaterMark backpressure ('drain'), cork/uncork and the finish sequence
// (prefinish → finish → close). Rules shared with core/src/stream/writable.rs.
import { Buffer } from '../../buffer.js';
import { codes, AbortError } from '../errors.js';
import { eos } from './end-of-stream.js';
import { nextTick } from '../next-tick.js';
import { Stream } from './legacy.js';
import * as destroyImpl from './destroy.js';
import {
  getHighWaterMark,
  getDefaultHighWaterMark,
  kState,
  kOnConstructed,
  kObjectMode,
  kErrorEmitted,
  kAutoDestroy,
  kEmitClose,
  kDestroyed,
  kClosed,
  kCloseEmitted,
  kErrored,
  kConstructed,
} from './state.js';
import { defineFlags, defineValueFlags, accessorsOn } from './flags.js';
import { nop } from './utils.js';

const asyncDispose = Symbol.asyncDispose || Symbol.for('nodejs.asyncDispose');

const {
  ERR_INVALID_ARG_TYPE,
  ERR_METHOD_NOT_IMPLEMENTED,
  ERR_MULTIPLE_CALLBACK,
  ERR_STREAM_ALREADY_FINISHED,
  ERR_STREAM_DESTROYED,
  ERR_STREAM_NULL_VALUES,
  ERR_STREAM_WRITE_AFTER_END,
  ERR_UNKNOWN_ENCODING,
} = codes;

let DuplexRef = null;
/** Duplex registers itself here (it imports this module, not the other way round). */
export function setDuplex(D) {
  DuplexRef = D;
}

// As in ReadableState (and with Node 24's values), the flags are bits of
// `state[kState]`, the nine low ones shared (state.js); the values behind
// `writecb`, `buffered`, `errored` ... sit under symbols and read through
// accessors, so that WritableState's own fields are Node 24's.
const kSync = 1 << 9;
const kFinalCalled = 1 << 10;
const kNeedDrain = 1 << 11;
const kEnding = 1 << 12;
const kFinished = 1 << 13;
const kDecodeStrings = 1 << 14;
const kWriting = 1 << 15;
const kBufferProcessing = 1 << 16;
const kPrefinished = 1 << 17;
const kAllBuffers = 1 << 18;
const kAllNoop = 1 << 19;
const kOnFinishedBit = 1 << 20;
const kHasWritable = 1 << 21;
const kWritable = 1 << 22;
const kCorked = 1 << 23;
const kDefaultUTF8Encoding = 1 << 24;
const kWriteCb = 1 << 25;
const kExpectWriteCb = 1 << 26;
const kAfterWriteTickInfo = 1 << 27;
const kAfterWritePending = 1 << 28;
const kBuffered = 1 << 29;
const kEnded = 1 << 30;

const kOnFinished = Symbol('kOnFinishedValue');
const kErroredValue = Symbol('kErroredValue');
const kDefaultEncodingValue = Symbol('kDefaultEncodingValue');
const kWriteCbValue = Symbol('kWriteCbValue');
const kAfterWriteTickInfoValue = Symbol('kAfterWriteTickInfoValue');
const kBufferedValue = Symbol('kBufferedValue');

export function WritableState(options, stream, isDuplex) {
  let bits = kSync | kConstructed | kEmitClose | kAutoDestroy;
  if (options) {
    if (options.objectMode || (isDuplex && options.writableObjectMode)) bits |= kObjectMode;
    if (options.emitClose === false) bits &= ~kEmitClose;
    if (options.autoDestroy === false) bits &= ~kAutoDestroy;
  }
  if (!options || options.decodeStrings !== false) bits |= kDecodeStrings;
  this[kState] = bits;
  this.highWaterMark = options
    ? getHighWaterMark(this, options, 'writableHighWaterMark', isDuplex)
    : getDefaultHighWaterMark(false);
  const defaultEncoding = options ? options.defaultEncoding : null;
  if (defaultEncoding == null || defaultEncoding === 'utf8' || defaultEncoding === 'utf-8') {
    this[kState] |= kDefaultUTF8Encoding;
  } else if (Buffer.isEncoding(defaultEncoding)) {
    this[kDefaultEncodingValue] = defaultEncoding;
  } else {
    throw new ERR_UNKNOWN_ENCODING(defaultEncoding);
  }
  this.length = 0;
  this.corked = 0;
  // A closure rather than a bound function: V8 calls closures faster (once per write).
  this.onwrite = (er) => onwrite(stream, er);
  this.writelen = 0;
  resetBuffer(this);
  this.pendingcb = 0;
}

defineFlags(WritableState.prototype, kState, [
  ['objectMode', kObjectMode],
  ['finalCalled', kFinalCalled],
  ['needDrain', kNeedDrain],
  ['ending', kEnding],
  ['ended', kEnded],
  ['finished', kFinished],
  ['destroyed', kDestroyed],
  ['decodeStrings', kDecodeStrings],
  ['writing', kWriting],
  ['sync', kSync],
  ['bufferProcessing', kBufferProcessing],
  ['constructed', kConstructed],
  ['prefinished', kPrefinished],
  ['errorEmitted', kErrorEmitted],
  ['emitClose', kEmitClose],
  ['autoDestroy', kAutoDestroy],
  ['closed', kClosed],
  ['closeEmitted', kCloseEmitted],
  ['allBuffers', kAllBuffers],
  ['allNoop', kAllNoop],
]);
defineValueFlags(WritableState.prototype, kState, [['errored', kErrored, kErroredValue]]);

function valueAccessor(bit, slot, absent) {
  return {
    __proto__: null,
    enumerable: false,
    configurable: true,
    get() {
      return (this[kState] & bit) !== 0 ? this[slot] : absent();
    },
    set(value) {
      this[slot] = value;
      if (value) this[kState] |= bit;
      else this[kState] &= ~bit;
    },
  };
}

Object.defineProperties(WritableState.prototype, {
  // undefined unless set: a Duplex built with `writable: false` sets it false.
  writable: {
    __proto__: null,
    enumerable: false,
    configurable: true,
    get() {
      return (this[kState] & kHasWritable) !== 0 ? (this[kState] & kWritable) !== 0 : undefined;
    },
    set(value) {
      if (value == null) this[kState] &= ~(kHasWritable | kWritable);
      else if (value) this[kState] |= kHasWritable | kWritable;
      else this[kState] = (this[kState] | kHasWritable) & ~kWritable;
    },
  },
  defaultEncoding: {
    __proto__: null,
    enumerable: false,
    configurable: true,
    get() {
      return (this[kState] & kDefaultUTF8Encoding) !== 0 ? 'utf8' : this[kDefaultEncodingValue];
    },
    set(value) {
      if (value === 'utf8' || value === 'utf-8') {
        this[kState] |= kDefaultUTF8Encoding;
      } else {
        this[kState] &= ~kDefaultUTF8Encoding;
        this[kDefaultEncodingValue] = value;
      }
    },
  },
  writecb: valueAccessor(kWriteCb, kWriteCbValue, () => nop),
  afterWriteTickInfo: valueAccessor(kAfterWriteTickInfo, kAfterWriteTickInfoValue, () => null),
  buffered: valueAccessor(kBuffered, kBufferedValue, () => []),
  afterWritePending: {
    __proto__: null,
    enumerable: false,
    configurable: true,
    get() {
      return (this[kState] & kAfterWritePending) !== 0;
    },
    set(value) {
      if (value) this[kState] |= kAfterWritePending;
      else this[kState] &= ~kAfterWritePending;
    },
  },
});

WritableState.prototype[kOnConstructed] = function onConstructed(stream) {
  if ((this[kState] & kWriting) === 0) clearBuffer(stream, this);
  if ((this[kState] & kEnding) !== 0) finishMaybe(stream, this);
};

function resetBuffer(state) {
  state[kBufferedValue] = null;
  state.bufferedIndex = 0;
  state[kState] = (state[kState] | kAllBuffers | kAllNoop) & ~kBuffered;
}

function bufferedCount(state) {
  return (state[kState] & kBuffered) !== 0 ? state[kBufferedValue].length - state.bufferedIndex : 0;
}

// The end() callbacks waiting for 'finish', created on first use.
function addOnFinished(state, cb) {
  if ((state[kState] & kOnFinishedBit) === 0) {
    state[kOnFinished] = [];
    state[kState] |= kOnFinishedBit;
  }
  state[kOnFinished].push(cb);
}
function takeOnFinished(state) {
  if ((state[kState] & kOnFinishedBit) === 0) return [];
  const list = state[kOnFinished];
  state[kOnFinished] = null;
  state[kState] &= ~kOnFinishedBit;
  return list;
}

WritableState.prototype.getBuffer = function getBuffer() {
  return (this[kState] & kBuffered) === 0 ? [] : this[kBufferedValue].slice(this.bufferedIndex);
};
Object.defineProperty(WritableState.prototype, 'bufferedRequestCount', {
  get() {
    return bufferedCount(this);
  },
});

export function Writable(options) {
  if (!(this instanceof Writable)) return new Writable(options);
  // The common events first, as Node 24 lays `_events` out (eventNames() order).
  if (this._events === undefined) {
    this._events = { close: undefined, error: undefined, prefinish: undefined, finish: undefined, drain: undefined };
  }
  this._writableState = new WritableState(options, this, false);
  if (options) {
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignalLazy(options.signal, this);
  }
  Stream.call(this, options);
  if (this._construct != null) {
    destroyImpl.construct(this, () => {
      this._writableState[kOnConstructed](this);
    });
  }
}
Object.setPrototypeOf(Writable.prototype, Stream.prototype);
Object.setPrototypeOf(Writable, Stream);
Writable.WritableState = WritableState;

let addAbortSignalImpl = null;
export function setAddAbortSignal(fn) {
  addAbortSignalImpl = fn;
}
function addAbortSignalLazy(signal, stream) {
  addAbortSignalImpl(signal, stream);
}

// A Duplex is a Writable too, though it inherits from Readable.
Object.defineProperty(Writable, Symbol.hasInstance, {
  value: function (object) {
    if (Function.prototype[Symbol.hasInstance].call(this, object)) return true;
    if (this !== Writable) return false;
    return !!(object && object._writableState instanceof WritableState);
  },
});

Writable.prototype.pipe = function () {
  destroyImpl.errorOrDestroy(this, new codes.ERR_STREAM_CANNOT_PIPE());
};

function writeImpl(stream, chunk, encoding, cb) {
  const state = stream._writableState;
  if (typeof encoding === 'function') {
    cb = encoding;
    encoding = null;
  } else if (typeof cb !== 'function') {
    cb = nop;
  }
  if (chunk === null) throw new ERR_STREAM_NULL_VALUES();
  // objectMode chunks carry whatever encoding was passed, unchecked.
  if ((state[kState] & kObjectMode) === 0) {
    if (!encoding) encoding = state.defaultEncoding;
    else if (encoding !== 'buffer' && !Buffer.isEncoding(encoding)) throw new ERR_UNKNOWN_ENCODING(encoding);
    if (typeof chunk === 'string') {
      // A string cannot be in the 'buffer' encoding.
      if (encoding === 'buffer') throw new ERR_UNKNOWN_ENCODING(encoding);
      if ((state[kState] & kDecodeStrings) !== 0) {
        chunk = Buffer.from(chunk, encoding);
        encoding = 'buffer';
      }
    } else if (chunk instanceof Buffer) {
      encoding = 'buffer';
    } else if (ArrayBuffer.isView(chunk)) {
      chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      encoding = 'buffer';
    } else {
      throw new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
    }
  }

  let err;
  if (state.ending) err = new ERR_STREAM_WRITE_AFTER_END();
  else if (state.destroyed) err = new ERR_STREAM_DESTROYED('write');
  if (err) {
    nextTick(cb, err);
    destroyImpl.errorOrDestroy(stream, err, true);
    return err;
  }
  state.pendingcb++;
  return writeOrBuffer(stream, state, chunk, encoding, cb);
}

Writable.prototype.write = function (chunk, encoding, cb) {
  const state = this._writableState;
  const bits = state[kState];
  // write(chunk) of an object or a Buffer on an open stream passes all of writeImpl's
  // checks with nothing to convert: pipe's per-chunk path skips them.
  if ((bits & (kEnding | kDestroyed)) === 0 && encoding === undefined && cb === undefined && chunk !== null) {
    if ((bits & kObjectMode) !== 0) {
      state.pendingcb++;
      return writeOrBuffer(this, state, chunk, undefined, nop);
    }
    if (chunk instanceof Buffer) {
      state.pendingcb++;
      return writeOrBuffer(this, state, chunk, 'buffer', nop);
    }
  }
  return writeImpl(this, chunk, encoding, cb) === true;
};

Writable.prototype.cork = function () {
  const state = this._writableState;
  state[kState] |= kCorked;
  state.corked++;
};

Writable.prototype.uncork = function () {
  const state = this._writableState;
  if (state.corked) {
    state.corked--;
    if (!state.corked) state[kState] &= ~kCorked;
    if ((state[kState] & kWriting) === 0) clearBuffer(this, state);
  }
};

Writable.prototype.setDefaultEncoding = function setDefaultEncoding(encoding) {
  if (typeof encoding === 'string') encoding = encoding.toLowerCase();
  if (!Buffer.isEncoding(encoding)) throw new ERR_UNKNOWN_ENCODING(encoding);
  this._writableState.defaultEncoding = encoding;
  return this;
};

// The per-chunk functions (writeOrBuffer, onwrite) keep their rare branches in
// helpers of their own: small enough, V8 inlines them into their callers.
function bufferWrite(state, chunk, encoding, callback) {
  if ((state[kState] & kBuffered) === 0) {
    state[kBufferedValue] = [];
    state[kState] |= kBuffered;
  }
  state[kBufferedValue].push({ chunk, encoding, callback });
  if (encoding !== 'buffer') state[kState] &= ~kAllBuffers;
  if (callback !== nop) state[kState] &= ~kAllNoop;
}

function setWriteCb(state, callback) {
  state[kWriteCbValue] = callback;
  state[kState] |= kWriteCb;
}

function writeOrBuffer(stream, state, chunk, encoding, callback) {
  const len = (state[kState] & kObjectMode) !== 0 ? 1 : chunk.length;
  state.length += len;
  if ((state[kState] & (kWriting | kErrored | kCorked | kConstructed)) !== kConstructed) {
    bufferWrite(state, chunk, encoding, callback);
  } else {
    state.writelen = len;
    if (callback !== nop) setWriteCb(state, callback);
    state[kState] |= kWriting | kSync | kExpectWriteCb;
    stream._write(chunk, encoding, state.onwrite);
    state[kState] &= ~kSync;
  }
  // Measured after a synchronous _write: a sink that completes at once never
  // reports backpressure, whatever the chunk size (or a 0 mark).
  const ret = state.length < state.highWaterMark || state.length === 0;
  if (!ret) state[kState] |= kNeedDrain;
  return ret && (state[kState] & (kDestroyed | kErrored)) === 0;
}

function doWrite(stream, state, writev, len, chunk, encoding, cb) {
  state.writelen = len;
  if (cb !== nop) {
    state[kWriteCbValue] = cb;
    state[kState] |= kWriteCb;
  }
  state[kState] |= kWriting | kSync | kExpectWriteCb;
  if ((state[kState] & kDestroyed) !== 0) state.onwrite(new ERR_STREAM_DESTROYED('write'));
  else if (writev) stream._writev(chunk, state.onwrite);
  else stream._write(chunk, encoding, state.onwrite);
  state[kState] &= ~kSync;
}

function onwriteError(stream, state, er, cb) {
  --state.pendingcb;
  cb(er);
  errorBuffer(state);
  destroyImpl.errorOrDestroy(stream, er);
}

function onwriteFailed(stream, state, er, sync, cb) {
  void er.stack;
  if ((state[kState] & kErrored) === 0) state.errored = er;
  if (stream._readableState && !stream._readableState.errored) stream._readableState.errored = er;
  if (sync) nextTick(onwriteError, stream, state, er, cb);
  else onwriteError(stream, state, er, cb);
}

function onwrite(stream, er) {
  const state = stream._writableState;
  if ((state[kState] & kExpectWriteCb) === 0) {
    destroyImpl.errorOrDestroy(stream, new ERR_MULTIPLE_CALLBACK());
    return;
  }
  const sync = (state[kState] & kSync) !== 0;
  const cb = (state[kState] & kWriteCb) !== 0 ? state[kWriteCbValue] : nop;
  state[kWriteCbValue] = null;
  state[kState] &= ~(kWriting | kExpectWriteCb | kWriteCb);
  state.length -= state.writelen;
  state.writelen = 0;
  if (er) {
    onwriteFailed(stream, state, er, sync, cb);
    return;
  }
  if ((state[kState] & kBuffered) !== 0) clearBuffer(stream, state);
  if (!sync) afterWrite(stream, state, 1, cb);
  else afterSyncWrite(stream, state, cb);
}

function afterSyncWrite(stream, state, cb) {
  // A synchronous write nobody waits on completes without a tick of its own.
  // (Node 24 writes the destroyed test as `bits & kDestroyed !== 0`, which
  // tests the objectMode bit: objectMode writes always take the tick.)
  const needTick =
    ((state[kState] & kNeedDrain) !== 0 && state.length === 0) || (state[kState] & kObjectMode) !== 0 || cb !== nop;
  if (cb === nop) {
    if ((state[kState] & kAfterWritePending) === 0 && needTick) {
      nextTick(afterWrite, stream, state, 1, cb);
      state[kState] |= kAfterWritePending;
    } else {
      state.pendingcb--;
      if ((state[kState] & kEnding) !== 0) finishMaybe(stream, state, true);
    }
  } else if ((state[kState] & kAfterWriteTickInfo) !== 0 && state[kAfterWriteTickInfoValue].cb === cb) {
    // Consecutive synchronous writes with the same callback share one tick.
    state[kAfterWriteTickInfoValue].count++;
  } else {
    state[kAfterWriteTickInfoValue] = { count: 1, cb, stream, state };
    nextTick(afterWriteTick, state[kAfterWriteTickInfoValue]);
    state[kState] |= kAfterWritePending | kAfterWriteTickInfo;
  }
}

function afterWriteTick({ stream, state, count, cb }) {
  state[kState] &= ~kAfterWriteTickInfo;
  state[kAfterWriteTickInfoValue] = null;
  afterWrite(stream, state, count, cb);
}

function afterWrite(stream, state, count, cb) {
  state[kState] &= ~kAfterWritePending;
  if ((state[kState] & (kEnding | kNeedDrain | kDestroyed)) === kNeedDrain && state.length === 0) {
    state[kState] &= ~kNeedDrain;
    stream.emit('drain');
  }
  while (count-- > 0) {
    state.pendingcb--;
    cb(null);
  }
  if ((state[kState] & kDestroyed) !== 0) errorBuffer(state);
  if ((state[kState] & kEnding) !== 0) finishMaybe(stream, state, true);
}

/** Fails every queued write (and pending end callbacks) of a destroyed or errored stream. */
function errorBuffer(state) {
  if (state.writing) return;
  const buffered = (state[kState] & kBuffered) !== 0 ? state[kBufferedValue] : [];
  for (let n = state.bufferedIndex; n < buffered.length; ++n) {
    const { chunk, callback } = buffered[n];
    const len = state.objectMode ? 1 : chunk.length;
    state.length -= len;
    callback(state.errored ?? new ERR_STREAM_DESTROYED('write'));
  }
  const onfinishCallbacks = takeOnFinished(state);
  for (let i = 0; i < onfinishCallbacks.length; i++) {
    onfinishCallbacks[i](state.errored ?? new ERR_STREAM_DESTROYED('end'));
  }
  resetBuffer(state);
}

function clearBuffer(stream, state) {
  if (state.corked || state.bufferProcessing || state.destroyed || !state.constructed) return;
  const bufferedLength = bufferedCount(state);
  if (!bufferedLength) return;
  const buffered = state[kBufferedValue];
  const bufferedIndex = state.bufferedIndex;
  const objectMode = (state[kState] & kObjectMode) !== 0;
  let i = bufferedIndex;
  state.bufferProcessing = true;
  if (bufferedLength > 1 && stream._writev) {
    state.pendingcb -= bufferedLength - 1;
    const callback = state.allNoop
      ? nop
      : (err) => {
          for (let n = i; n < buffered.length; ++n) buffered[n].callback(err);
        };
    const chunks = state.allNoop && i === 0 ? buffered : buffered.slice(i);
    chunks.allBuffers = state.allBuffers;
    doWrite(stream, state, true, state.length, chunks, '', callback);
    resetBuffer(state);
  } else {
    do {
      const { chunk, encoding, callback } = buffered[i];
      buffered[i++] = null;
      const len = objectMode ? 1 : chunk.length;
      doWrite(stream, state, false, len, chunk, encoding, callback);
    } while (i < buffered.length && !state.writing);
    if (i === buffered.length) {
      resetBuffer(state);
    } else if (i > 256) {
      buffered.splice(0, i);
      state.bufferedIndex = 0;
    } else {
      state.bufferedIndex = i;
    }
  }
  state.bufferProcessing = false;
}

Writable.prototype._write = function (chunk, encoding, cb) {
  if (this._writev) this._writev([{ chunk, encoding }], cb);
  else throw new ERR_METHOD_NOT_IMPLEMENTED('_write()');
};

Writable.prototype._writev = null;

Writable.prototype.end = function (chunk, encoding, cb) {
  const state = this._writableState;
  if (typeof chunk === 'function') {
    cb = chunk;
    chunk = null;
    encoding = null;
  } else if (typeof encoding === 'function') {
    cb = encoding;
    encoding = null;
  }
  let err;
  if (chunk !== null && chunk !== undefined) {
    const ret = writeImpl(this, chunk, encoding);
    if (ret instanceof Error) err = ret;
  }
  // end() uncorks completely.
  if (state.corked) {
    state.corked = 1;
    this.uncork();
  }
  if (err) {
    // The write already reported it.
  } else if (!state.errored && !state.ending) {
    state.ending = true;
    finishMaybe(this, state, true);
    state.ended = true;
  } else if (state.finished) {
    err = new ERR_STREAM_ALREADY_FINISHED('end');
  } else if (state.destroyed) {
    err = new ERR_STREAM_DESTROYED('end');
  }
  if (typeof cb === 'function') {
    if (err) nextTick(cb, err);
    else if (state.finished) nextTick(cb, null);
    // _final may have failed synchronously inside finishMaybe above.
    else if (state.errored) nextTick(cb, state.errored);
    else addOnFinished(state, cb);
  }
  return this;
};

function needFinish(state) {
  return (
    (state[kState] &
      (kEnding |
        kDestroyed |
        kConstructed |
        kFinished |
        kWriting |
        kErrorEmitted |
        kCloseEmitted |
        kErrored |
        kBuffered)) ===
      (kEnding | kConstructed) && state.length === 0
  );
}

function onFinal(stream, state, err) {
  // A second call of _final's callback (after 'prefinish') is an error.
  if ((state[kState] & kPrefinished) !== 0) {
    destroyImpl.errorOrDestroy(stream, err ?? new ERR_MULTIPLE_CALLBACK());
    return;
  }
  state.pendingcb--;
  if (err) {
    const onfinishCallbacks = takeOnFinished(state);
    for (let i = 0; i < onfinishCallbacks.length; i++) onfinishCallbacks[i](err);
    destroyImpl.errorOrDestroy(stream, err, (state[kState] & kSync) !== 0);
  } else if (needFinish(state)) {
    state[kState] |= kPrefinished;
    stream.emit('prefinish');
    state.pendingcb++;
    nextTick(finish, stream, state);
  }
}

function prefinish(stream, state) {
  if ((state[kState] & (kPrefinished | kFinalCalled)) !== 0) return;
  if (typeof stream._final === 'function' && (state[kState] & kDestroyed) === 0) {
    state[kState] |= kFinalCalled | kSync;
    state.pendingcb++;
    try {
      stream._final((err) => onFinal(stream, state, err));
    } catch (err) {
      onFinal(stream, state, err);
    }
    state[kState] &= ~kSync;
  } else {
    state[kState] |= kFinalCalled | kPrefinished;
    stream.emit('prefinish');
  }
}

function finishMaybe(stream, state, sync) {
  if (needFinish(state)) {
    prefinish(stream, state);
    if (state.pendingcb === 0) {
      if (sync) {
        state.pendingcb++;
        nextTick(
          (s, st) => {
            if (needFinish(st)) finish(s, st);
            else st.pendingcb--;
          },
          stream,
          state,
        );
      } else if (needFinish(state)) {
        state.pendingcb++;
        finish(stream, state);
      }
    }
  }
}

function finish(stream, state) {
  state.pendingcb--;
  state.finished = true;
  const onfinishCallbacks = takeOnFinished(state);
  for (let i = 0; i < onfinishCallbacks.length; i++) onfinishCallbacks[i](null);
  stream.emit('finish');
  if (state.autoDestroy) {
    // A Duplex is destroyed only once both sides are done.
    const rState = stream._readableState;
    const autoDestroy = !rState || (rState.autoDestroy && (rState.endEmitted || rState.readable === false));
    if (autoDestroy) stream.destroy();
  }
}

const getter = accessorsOn(Writable.prototype);

getter('closed', function () {
  return this._writableState ? this._writableState.closed : false;
});
getter(
  'destroyed',
  function () {
    return this._writableState ? this._writableState.destroyed : false;
  },
  function (value) {
    if (this._writableState) this._writableState.destroyed = value;
  },
);
getter(
  'writable',
  function () {
    const w = this._writableState;
    return !!w && w.writable !== false && !w.destroyed && !w.errored && !w.ending && !w.ended;
  },
  function (val) {
    if (this._writableState) this._writableState.writable = !!val;
  },
);
getter('writableFinished', function () {
  return this._writableState ? this._writableState.finished : false;
});
getter('writableObjectMode', function () {
  return this._writableState ? this._writableState.objectMode : false;
});
getter('writableBuffer', function () {
  return this._writableState && this._writableState.getBuffer();
});
getter('writableEnded', function () {
  return this._writableState ? this._writableState.ending : false;
});
getter('writableNeedDrain', function () {
  const wState = this._writableState;
  if (!wState) return false;
  return !wState.destroyed && !wState.ending && wState.needDrain;
});
getter('writableHighWaterMark', function () {
  return this._writableState && this._writableState.highWaterMark;
});
getter('writableCorked', function () {
  return this._writableState ? this._writableState.corked : 0;
});
getter('writableLength', function () {
  return this._writableState && this._writableState.length;
});
getter('errored', function () {
  return this._writableState ? this._writableState.errored : null;
});
getter('writableAborted', function () {
  const w = this._writableState;
  return !!(w.writable !== false && (w.destroyed || w.errored) && !w.finished);
});

Writable.prototype.destroy = function (err, cb) {
  const state = this._writableState;
  // Queued writes fail now, unless a write is in flight (its callback does it).
  if ((state[kState] & (kBuffered | kOnFinishedBit)) !== 0 && (state[kState] & kDestroyed) === 0) {
    nextTick(errorBuffer, state);
  }
  destroyImpl.destroy.call(this, err, cb);
  return this;
};
Writable.prototype._undestroy = destroyImpl.undestroy;
Writable.prototype._destroy = function (err, cb) {
  cb(err);
};
Writable.prototype[Symbol.for('nodejs.rejection')] = function (err) {
  this.destroy(err);
};
Writable.prototype[asyncDispose] = async function () {
  let error;
  if (!this.destroyed) {
    error = this.writableFinished ? null : new AbortError();
    this.destroy(error);
  }
  await new Promise((resolve, reject) =>
    eos(this, (err) => (err && err.name !== 'AbortError' ? reject(err) : resolve(null))),
  );
};
