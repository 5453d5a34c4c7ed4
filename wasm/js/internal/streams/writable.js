// Writable: the queue between write()/end() and the sink (_write/_writev/_final),
// with highWaterMark backpressure ('drain'), cork/uncork and the finish sequence
// (prefinish → finish → close). Rules shared with core/src/stream/writable.rs.
import { Buffer } from '../../buffer.js';
import { codes } from '../errors.js';
import { nextTick } from '../next-tick.js';
import { Stream } from './legacy.js';
import * as destroyImpl from './destroy.js';
import { getHighWaterMark, getDefaultHighWaterMark } from './state.js';
import { defineFlags, accessorsOn } from './flags.js';
import { nop } from './utils.js';

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

const kOnFinished = Symbol('kOnFinished');

let DuplexRef = null;
/** Duplex registers itself here (it imports this module, not the other way round). */
export function setDuplex(D) {
  DuplexRef = D;
}

// As in ReadableState, the boolean fields are bits of `state[kState]`, read by name
// through getters/setters everywhere but the per-write paths.
export const kState = Symbol('kState');
const kObjectMode = 1 << 0;
const kFinalCalled = 1 << 1;
const kNeedDrain = 1 << 2;
const kEnding = 1 << 3;
const kEnded = 1 << 4;
const kFinished = 1 << 5;
const kDestroyed = 1 << 6;
const kDecodeStrings = 1 << 7;
const kWriting = 1 << 8;
const kSync = 1 << 9;
const kBufferProcessing = 1 << 10;
const kConstructed = 1 << 11;
const kPrefinished = 1 << 12;
const kErrorEmitted = 1 << 13;
const kEmitClose = 1 << 14;
const kAutoDestroy = 1 << 15;
const kClosed = 1 << 16;
const kCloseEmitted = 1 << 17;
const kAllBuffers = 1 << 18;
const kAllNoop = 1 << 19;

export function WritableState(options, stream, isDuplex) {
  if (typeof isDuplex !== 'boolean') isDuplex = DuplexRef !== null && stream instanceof DuplexRef;
  // kSync is set while _write runs, so its callback defers what must not happen synchronously.
  let bits = kConstructed | kSync;
  if ((options && options.objectMode) || (isDuplex && options && options.writableObjectMode)) bits |= kObjectMode;
  if (!(options && options.decodeStrings === false)) bits |= kDecodeStrings;
  if (!options || options.emitClose !== false) bits |= kEmitClose;
  if (!options || options.autoDestroy !== false) bits |= kAutoDestroy;
  this[kState] = bits;
  this.highWaterMark = options
    ? getHighWaterMark(this, options, 'writableHighWaterMark', isDuplex)
    : getDefaultHighWaterMark(false);
  this.defaultEncoding = (options && options.defaultEncoding) || 'utf8';
  this.length = 0;
  this.corked = 0;
  // A closure rather than a bound function: V8 calls closures faster (once per write).
  this.onwrite = (er) => onwrite(stream, er);
  this.writecb = null;
  this.writelen = 0;
  // Batches the after-write callbacks of synchronous writes into one tick.
  this.afterWriteTickInfo = null;
  this.afterWritePending = false;
  this.buffered = [];
  this.bufferedIndex = 0;
  resetBuffer(this);
  this.pendingcb = 0;
  this.errored = null;
  this[kOnFinished] = [];
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

function resetBuffer(state) {
  state.buffered = [];
  state.bufferedIndex = 0;
  state[kState] |= kAllBuffers | kAllNoop;
}

WritableState.prototype.getBuffer = function getBuffer() {
  return this.buffered.slice(this.bufferedIndex);
};
Object.defineProperty(WritableState.prototype, 'bufferedRequestCount', {
  get() {
    return this.buffered.length - this.bufferedIndex;
  },
});

export function Writable(options) {
  const isDuplex = DuplexRef !== null && this instanceof DuplexRef;
  if (!isDuplex && !Function.prototype[Symbol.hasInstance].call(Writable, this)) return new Writable(options);
  this._writableState = new WritableState(options, this, isDuplex);
  if (options) {
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignalLazy(options.signal, this);
  }
  Stream.call(this, options);
  destroyImpl.construct(this, () => {
    const state = this._writableState;
    if (!state.writing) clearBuffer(this, state);
    finishMaybe(this, state);
  });
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
  // objectMode chunks carry whatever encoding was passed, unchecked.
  if (!state.objectMode) {
    if (!encoding) encoding = state.defaultEncoding;
    else if (encoding !== 'buffer' && !Buffer.isEncoding(encoding)) throw new ERR_UNKNOWN_ENCODING(encoding);
  }

  if (chunk === null) {
    throw new ERR_STREAM_NULL_VALUES();
  } else if (!state.objectMode) {
    if (typeof chunk === 'string') {
      if (state.decodeStrings !== false) {
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
  this._writableState.corked++;
};

Writable.prototype.uncork = function () {
  const state = this._writableState;
  if (state.corked) {
    state.corked--;
    if (!state.writing) clearBuffer(this, state);
  }
};

Writable.prototype.setDefaultEncoding = function setDefaultEncoding(encoding) {
  if (typeof encoding === 'string') encoding = encoding.toLowerCase();
  if (!Buffer.isEncoding(encoding)) throw new ERR_UNKNOWN_ENCODING(encoding);
  this._writableState.defaultEncoding = encoding;
  return this;
};

function writeOrBuffer(stream, state, chunk, encoding, callback) {
  const bits = state[kState];
  const len = (bits & kObjectMode) !== 0 ? 1 : chunk.length;
  state.length += len;
  if ((bits & (kWriting | kConstructed)) !== kConstructed || state.corked || state.errored) {
    state.buffered.push({ chunk, encoding, callback });
    if (encoding !== 'buffer') state[kState] &= ~kAllBuffers;
    if (callback !== nop) state[kState] &= ~kAllNoop;
  } else {
    state.writelen = len;
    state.writecb = callback;
    state[kState] = bits | kWriting | kSync;
    stream._write(chunk, encoding, state.onwrite);
    state[kState] &= ~kSync;
  }
  // Measured after a synchronous _write, as Node 20 does: a sink that completes
  // at once never reports backpressure, whatever the chunk size (or a 0 mark).
  const ret = state.length < state.highWaterMark || state.length === 0;
  if (!ret) state[kState] |= kNeedDrain;
  return ret && !state.errored && (state[kState] & kDestroyed) === 0;
}

function doWrite(stream, state, writev, len, chunk, encoding, cb) {
  state.writelen = len;
  state.writecb = cb;
  state.writing = true;
  state.sync = true;
  if (state.destroyed) state.onwrite(new ERR_STREAM_DESTROYED('write'));
  else if (writev) stream._writev(chunk, state.onwrite);
  else stream._write(chunk, encoding, state.onwrite);
  state.sync = false;
}

function onwriteError(stream, state, er, cb) {
  --state.pendingcb;
  cb(er);
  errorBuffer(state);
  destroyImpl.errorOrDestroy(stream, er);
}

function onwrite(stream, er) {
  const state = stream._writableState;
  const sync = (state[kState] & kSync) !== 0;
  const cb = state.writecb;
  if (typeof cb !== 'function') {
    destroyImpl.errorOrDestroy(stream, new ERR_MULTIPLE_CALLBACK());
    return;
  }
  state[kState] &= ~kWriting;
  state.writecb = null;
  state.length -= state.writelen;
  state.writelen = 0;
  if (er) {
    void er.stack;
    if (!state.errored) state.errored = er;
    if (stream._readableState && !stream._readableState.errored) stream._readableState.errored = er;
    if (sync) nextTick(onwriteError, stream, state, er, cb);
    else onwriteError(stream, state, er, cb);
  } else {
    if (state.buffered.length > state.bufferedIndex) clearBuffer(stream, state);
    if (sync) {
      // As in Node 20: a synchronous write nobody waits on (no callback, no
      // 'drain' due, not destroyed) completes without a tick of its own, so
      // a stream's 'finish' can come before that of a stream ended earlier.
      const needTick = (state.needDrain && state.length === 0) || state.destroyed || cb !== nop;
      if (cb === nop) {
        if (!state.afterWritePending && needTick) {
          nextTick(afterWrite, stream, state, 1, cb);
          state.afterWritePending = true;
        } else {
          state.pendingcb--;
          if (state.ending) finishMaybe(stream, state, true);
        }
      } else if (state.afterWriteTickInfo !== null && state.afterWriteTickInfo.cb === cb) {
        // Consecutive synchronous writes with the same callback share one tick.
        state.afterWriteTickInfo.count++;
      } else {
        state.afterWriteTickInfo = { count: 1, cb, stream, state };
        nextTick(afterWriteTick, state.afterWriteTickInfo);
        state.afterWritePending = true;
      }
    } else {
      afterWrite(stream, state, 1, cb);
    }
  }
}

function afterWriteTick({ stream, state, count, cb }) {
  state.afterWriteTickInfo = null;
  afterWrite(stream, state, count, cb);
}

function afterWrite(stream, state, count, cb) {
  state.afterWritePending = false;
  const needDrain = !state.ending && !stream.destroyed && state.length === 0 && state.needDrain;
  if (needDrain) {
    state.needDrain = false;
    stream.emit('drain');
  }
  while (count-- > 0) {
    state.pendingcb--;
    cb(null);
  }
  if (state.destroyed) errorBuffer(state);
  // 'finish' follows on a later tick even when the last write completed
  // asynchronously, as in Node 20.
  finishMaybe(stream, state, true);
}

/** Fails every queued write (and pending end callbacks) of a destroyed or errored stream. */
function errorBuffer(state) {
  if (state.writing) return;
  for (let n = state.bufferedIndex; n < state.buffered.length; ++n) {
    const { chunk, callback } = state.buffered[n];
    const len = state.objectMode ? 1 : chunk.length;
    state.length -= len;
    callback(state.errored ?? new ERR_STREAM_DESTROYED('write'));
  }
  const onfinishCallbacks = state[kOnFinished].splice(0);
  for (let i = 0; i < onfinishCallbacks.length; i++) {
    onfinishCallbacks[i](state.errored ?? new ERR_STREAM_DESTROYED('end'));
  }
  resetBuffer(state);
}

function clearBuffer(stream, state) {
  if (state.corked || state.bufferProcessing || state.destroyed || !state.constructed) return;
  const { buffered, bufferedIndex, objectMode } = state;
  const bufferedLength = buffered.length - bufferedIndex;
  if (!bufferedLength) return;
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
    else state[kOnFinished].push(cb);
  }
  return this;
};

function needFinish(state) {
  return (
    state.ending &&
    !state.destroyed &&
    state.constructed &&
    state.length === 0 &&
    !state.errored &&
    state.buffered.length === 0 &&
    !state.finished &&
    !state.writing &&
    !state.errorEmitted &&
    !state.closeEmitted
  );
}

function callFinal(stream, state) {
  let called = false;
  function onFinish(err) {
    if (called) {
      destroyImpl.errorOrDestroy(stream, err ?? new ERR_MULTIPLE_CALLBACK());
      return;
    }
    called = true;
    state.pendingcb--;
    if (err) {
      const onfinishCallbacks = state[kOnFinished].splice(0);
      for (let i = 0; i < onfinishCallbacks.length; i++) onfinishCallbacks[i](err);
      destroyImpl.errorOrDestroy(stream, err, state.sync);
    } else if (needFinish(state)) {
      state.prefinished = true;
      stream.emit('prefinish');
      state.pendingcb++;
      nextTick(finish, stream, state);
    }
  }
  state.sync = true;
  state.pendingcb++;
  try {
    stream._final(onFinish);
  } catch (err) {
    onFinish(err);
  }
  state.sync = false;
}

function prefinish(stream, state) {
  if (!state.prefinished && !state.finalCalled) {
    if (typeof stream._final === 'function' && !state.destroyed) {
      state.finalCalled = true;
      callFinal(stream, state);
    } else {
      state.prefinished = true;
      stream.emit('prefinish');
    }
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
  const onfinishCallbacks = state[kOnFinished].splice(0);
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
  if (!state.destroyed && (state.bufferedIndex < state.buffered.length || state[kOnFinished].length)) {
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

export { kOnFinished };
