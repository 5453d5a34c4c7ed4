// Readable: the buffer of chunks between a source (_read/push) and consumers
// ('data' in flowing mode, read() and 'readable' in paused mode, pipe()).
// The rules are the ones of core/src/stream/readable.rs, kept here in JS
// because they run once per chunk (see the note at the top of stream.js).
import { Buffer } from '../../buffer.js';
import { StringDecoder } from '../../string_decoder.js';
import { codes } from '../errors.js';
import { validateObject } from '../validators.js';
import { nextTick } from '../next-tick.js';
import { Stream, prependListener } from './legacy.js';
import * as destroyImpl from './destroy.js';
import { getHighWaterMark, getDefaultHighWaterMark } from './state.js';
import { defineFlags, accessorsOn } from './flags.js';
import { eos } from './end-of-stream.js';
import { from } from './from.js';
import { BufferList } from './buffer-list.js';
import { aggregateTwoErrors, nop } from './utils.js';

const {
  ERR_INVALID_ARG_TYPE,
  ERR_METHOD_NOT_IMPLEMENTED,
  ERR_OUT_OF_RANGE,
  ERR_STREAM_PUSH_AFTER_EOF,
  ERR_STREAM_UNSHIFT_AFTER_END_EVENT,
} = codes;

const kPaused = Symbol('kPaused');

// The boolean fields of ReadableState are bits of one integer (`state[kState]`), as
// in Node 20, each with its Node name as an accessor (see flags.js).
export const kState = Symbol('kState');
const kObjectMode = 1 << 0;
const kEnded = 1 << 1;
const kEndEmitted = 1 << 2;
const kReading = 1 << 3;
const kConstructed = 1 << 4;
const kSync = 1 << 5;
const kNeedReadable = 1 << 6;
const kEmittedReadable = 1 << 7;
const kReadableListening = 1 << 8;
const kResumeScheduled = 1 << 9;
const kErrorEmitted = 1 << 10;
const kEmitClose = 1 << 11;
const kAutoDestroy = 1 << 12;
const kDestroyed = 1 << 13;
const kClosed = 1 << 14;
const kCloseEmitted = 1 << 15;
const kMultiAwaitDrain = 1 << 16;
const kReadingMore = 1 << 17;
const kDataEmitted = 1 << 18;

/** The readable side's state; fields are read by name by Node-compatible helpers, so keep Node's names. */
export function ReadableState(options, stream, isDuplex) {
  if (typeof isDuplex !== 'boolean') isDuplex = !!stream._writableState;
  // Stays without kConstructed until _construct (if any) has called back; kSync is
  // set while _read runs, so that push() from inside it does not emit synchronously.
  let bits = kConstructed | kSync;
  if ((options && options.objectMode) || (isDuplex && options && options.readableObjectMode)) bits |= kObjectMode;
  if (!options || options.emitClose !== false) bits |= kEmitClose;
  if (!options || options.autoDestroy !== false) bits |= kAutoDestroy;
  this[kState] = bits;
  this.highWaterMark = options
    ? getHighWaterMark(this, options, 'readableHighWaterMark', isDuplex)
    : getDefaultHighWaterMark(false);
  this.buffer = new BufferList();
  this.length = 0;
  this.pipes = [];
  this.flowing = null;
  this[kPaused] = null;
  this.errored = null;
  this.defaultEncoding = (options && options.defaultEncoding) || 'utf8';
  this.awaitDrainWriters = null;
  this.decoder = null;
  this.encoding = null;
  if (options && options.encoding) {
    this.decoder = new StringDecoder(options.encoding);
    this.encoding = options.encoding;
  }
}

defineFlags(ReadableState.prototype, kState, [
  ['objectMode', kObjectMode],
  ['ended', kEnded],
  ['endEmitted', kEndEmitted],
  ['reading', kReading],
  ['constructed', kConstructed],
  ['sync', kSync],
  ['needReadable', kNeedReadable],
  ['emittedReadable', kEmittedReadable],
  ['readableListening', kReadableListening],
  ['resumeScheduled', kResumeScheduled],
  ['errorEmitted', kErrorEmitted],
  ['emitClose', kEmitClose],
  ['autoDestroy', kAutoDestroy],
  ['destroyed', kDestroyed],
  ['closed', kClosed],
  ['closeEmitted', kCloseEmitted],
  ['multiAwaitDrain', kMultiAwaitDrain],
  ['readingMore', kReadingMore],
  ['dataEmitted', kDataEmitted],
]);

Object.defineProperty(ReadableState.prototype, 'paused', {
  get() {
    return this[kPaused] !== false;
  },
  set(v) {
    this[kPaused] = !!v;
  },
});

export function Readable(options) {
  if (!(this instanceof Readable)) return new Readable(options);
  const isDuplex = DuplexRef !== null && this instanceof DuplexRef;
  this._readableState = new ReadableState(options, this, isDuplex);
  if (options) {
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal && !isDuplex) addAbortSignalLazy(options.signal, this);
  }
  Stream.call(this, options);
  destroyImpl.construct(this, () => {
    if (this._readableState.needReadable) maybeReadMore(this, this._readableState);
  });
}
Object.setPrototypeOf(Readable.prototype, Stream.prototype);
Object.setPrototypeOf(Readable, Stream);

// Duplex extends Readable, so it registers itself here instead of being imported.
let DuplexRef = null;
export function setDuplex(D) {
  DuplexRef = D;
}

// addAbortSignal lives in its own module which imports this one; stream.js sets it.
let addAbortSignalImpl = null;
export function setAddAbortSignal(fn) {
  addAbortSignalImpl = fn;
}
function addAbortSignalLazy(signal, stream) {
  addAbortSignalImpl(signal, stream);
}

Readable.ReadableState = ReadableState;
Readable.prototype.destroy = destroyImpl.destroy;
Readable.prototype._undestroy = destroyImpl.undestroy;
Readable.prototype._destroy = function (err, cb) {
  cb(err);
};
Readable.prototype[Symbol.for('nodejs.rejection')] = function (err) {
  this.destroy(err);
};
if (Symbol.asyncDispose) {
  Readable.prototype[Symbol.asyncDispose] = function () {
    let error;
    if (!this.destroyed) {
      error = this.readableEnded ? null : new codes.ERR_STREAM_PREMATURE_CLOSE();
      this.destroy(error);
    }
    return new Promise((resolve, reject) => eos(this, (err) => (err && err !== error ? reject(err) : resolve(null))));
  };
}

Readable.prototype.push = function (chunk, encoding) {
  const state = this._readableState;
  // Any object in objectMode, or a non-empty Buffer, without a decoder: nothing to
  // convert or check, the common per-chunk path.
  if (chunk !== null && state.decoder === null) {
    if ((state[kState] & kObjectMode) !== 0 || (chunk instanceof Buffer && chunk.length > 0)) {
      return pushChunk(this, state, chunk);
    }
  }
  return readableAddChunk(this, chunk, encoding, false);
};

// readableAddChunk's rules for a chunk that needs no conversion pushed at the back, without a decoder.
function pushChunk(stream, state, chunk) {
  const bits = state[kState];
  if ((bits & kEnded) !== 0) destroyImpl.errorOrDestroy(stream, new ERR_STREAM_PUSH_AFTER_EOF());
  else if ((bits & kDestroyed) !== 0 || state.errored) return false;
  else {
    state[kState] = bits & ~kReading;
    addChunk(stream, state, chunk, false);
  }
  return (state[kState] & kEnded) === 0 && (state.length < state.highWaterMark || state.length === 0);
}

Readable.prototype.unshift = function (chunk, encoding) {
  return readableAddChunk(this, chunk, encoding, true);
};

function readableAddChunk(stream, chunk, encoding, addToFront) {
  const state = stream._readableState;
  let err;
  if (!state.objectMode) {
    if (typeof chunk === 'string') {
      encoding = encoding || state.defaultEncoding;
      if (state.encoding !== encoding) {
        if (addToFront && state.encoding) {
          // An unshifted string is re-encoded to what read() hands out.
          chunk = Buffer.from(chunk, encoding).toString(state.encoding);
        } else {
          chunk = Buffer.from(chunk, encoding);
          encoding = '';
        }
      }
    } else if (chunk instanceof Buffer) {
      encoding = '';
    } else if (ArrayBuffer.isView(chunk)) {
      chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      encoding = '';
    } else if (chunk != null) {
      err = new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
    }
  }

  if (err) {
    destroyImpl.errorOrDestroy(stream, err);
  } else if (chunk === null) {
    state.reading = false;
    onEofChunk(stream, state);
  } else if (state.objectMode || (chunk && chunk.length > 0)) {
    if (addToFront) {
      if (state.endEmitted) destroyImpl.errorOrDestroy(stream, new ERR_STREAM_UNSHIFT_AFTER_END_EVENT());
      else if (state.destroyed || state.errored) return false;
      else addChunk(stream, state, chunk, true);
    } else if (state.ended) {
      destroyImpl.errorOrDestroy(stream, new ERR_STREAM_PUSH_AFTER_EOF());
    } else if (state.destroyed || state.errored) {
      return false;
    } else {
      state.reading = false;
      if (state.decoder && !encoding) {
        chunk = state.decoder.write(chunk);
        if (state.objectMode || chunk.length !== 0) addChunk(stream, state, chunk, false);
        else maybeReadMore(stream, state);
      } else {
        addChunk(stream, state, chunk, false);
      }
    }
  } else if (!addToFront) {
    state.reading = false;
    maybeReadMore(stream, state);
  }
  // Room left below the mark, or nothing buffered at all (a 0 mark still asks for data).
  return !state.ended && (state.length < state.highWaterMark || state.length === 0);
}

function addChunk(stream, state, chunk, addToFront) {
  const bits = state[kState];
  if (state.flowing && state.length === 0 && (bits & kSync) === 0 && stream.listenerCount('data') > 0) {
    // Straight through: nothing is queued, a consumer is listening.
    if ((bits & kMultiAwaitDrain) !== 0) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
    state[kState] |= kDataEmitted;
    stream.emit('data', chunk);
  } else {
    state.length += (bits & kObjectMode) !== 0 ? 1 : chunk.length;
    if (addToFront) state.buffer.unshift(chunk);
    else state.buffer.push(chunk);
    if ((state[kState] & kNeedReadable) !== 0) emitReadable(stream);
  }
  maybeReadMore(stream, state);
}

Readable.prototype.isPaused = function () {
  const state = this._readableState;
  return state[kPaused] === true || state.flowing === false;
};

Readable.prototype.setEncoding = function (enc) {
  const decoder = new StringDecoder(enc);
  const state = this._readableState;
  state.decoder = decoder;
  state.encoding = decoder.encoding;
  // What is already buffered is decoded now, so read() returns strings only.
  let content = '';
  for (const data of state.buffer) content += decoder.write(data);
  state.buffer.clear();
  if (content !== '') state.buffer.push(content);
  state.length = content.length;
  return this;
};

const MAX_HWM = 0x40000000;
function computeNewHighWaterMark(n) {
  if (n > MAX_HWM) throw new ERR_OUT_OF_RANGE('size', '<= 1GiB', n);
  // Next power of two, as Node does, to avoid growing in tiny steps.
  n--;
  n |= n >>> 1;
  n |= n >>> 2;
  n |= n >>> 4;
  n |= n >>> 8;
  n |= n >>> 16;
  n++;
  return n;
}

function howMuchToRead(n, state) {
  const bits = state[kState];
  if (n <= 0 || (state.length === 0 && (bits & kEnded) !== 0)) return 0;
  if ((bits & kObjectMode) !== 0) return 1;
  if (Number.isNaN(n)) {
    // Flowing mode hands out one chunk at a time; paused read() everything.
    if (state.flowing && state.length) return state.buffer.first().length;
    return state.length;
  }
  if (n <= state.length) return n;
  return (bits & kEnded) !== 0 ? state.length : 0;
}

Readable.prototype.read = function (n) {
  if (n === undefined) n = NaN;
  else if (!Number.isInteger(n)) n = Number.parseInt(n, 10);
  const state = this._readableState;
  const nOrig = n;

  if (n > state.highWaterMark) state.highWaterMark = computeNewHighWaterMark(n);
  if (n !== 0) state[kState] &= ~kEmittedReadable;

  // read(0) with enough buffered (or at the end) only triggers 'readable'/'end'.
  if (
    n === 0 &&
    (state[kState] & kNeedReadable) !== 0 &&
    ((state.highWaterMark !== 0 ? state.length >= state.highWaterMark : state.length > 0) ||
      (state[kState] & kEnded) !== 0)
  ) {
    if (state.length === 0 && (state[kState] & kEnded) !== 0) endReadable(this);
    else emitReadable(this);
    return null;
  }

  n = howMuchToRead(n, state);
  if (n === 0 && (state[kState] & kEnded) !== 0) {
    if (state.length === 0) endReadable(this);
    return null;
  }

  // Ask the source for more when the buffer would fall below the mark.
  let bits = state[kState];
  let doRead = (bits & kNeedReadable) !== 0;
  if (state.length === 0 || state.length - n < state.highWaterMark) doRead = true;
  if ((bits & (kEnded | kReading | kDestroyed | kConstructed)) !== kConstructed || state.errored) {
    doRead = false;
  } else if (doRead) {
    bits |= kReading | kSync;
    if (state.length === 0) bits |= kNeedReadable;
    state[kState] = bits;
    try {
      this._read(state.highWaterMark);
    } catch (err) {
      destroyImpl.errorOrDestroy(this, err);
    }
    state[kState] &= ~kSync;
    // A synchronous push() may have changed how much there is.
    if ((state[kState] & kReading) === 0) n = howMuchToRead(nOrig, state);
  }

  let ret = n > 0 ? fromList(n, state) : null;
  if (ret === null) {
    if (state.length <= state.highWaterMark) state[kState] |= kNeedReadable;
    else state[kState] &= ~kNeedReadable;
    n = 0;
  } else {
    state.length -= n;
    if ((state[kState] & kMultiAwaitDrain) !== 0) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
  }

  if (state.length === 0) {
    if ((state[kState] & kEnded) === 0) state[kState] |= kNeedReadable;
    else if (nOrig !== n) endReadable(this);
  }

  if (ret !== null && (state[kState] & (kErrorEmitted | kCloseEmitted)) === 0) {
    state[kState] |= kDataEmitted;
    this.emit('data', ret);
  }
  return ret;
};

function onEofChunk(stream, state) {
  if (state.ended) return;
  if (state.decoder) {
    const chunk = state.decoder.end();
    if (chunk && chunk.length) {
      state.buffer.push(chunk);
      state.length += state.objectMode ? 1 : chunk.length;
    }
  }
  state.ended = true;
  if (state.sync) {
    emitReadable(stream);
  } else {
    state.needReadable = false;
    state.emittedReadable = true;
    emitReadableNT(stream);
  }
}

function emitReadable(stream) {
  const state = stream._readableState;
  const bits = state[kState];
  state[kState] = (bits & ~kNeedReadable) | kEmittedReadable;
  if ((bits & kEmittedReadable) === 0) nextTick(emitReadableNT, stream);
}

function emitReadableNT(stream) {
  const state = stream._readableState;
  if (!state.destroyed && !state.errored && (state.length || state.ended)) {
    stream.emit('readable');
    state.emittedReadable = false;
  }
  state.needReadable = !state.flowing && !state.ended && state.length <= state.highWaterMark;
  flow(stream);
}

function maybeReadMore(stream, state) {
  if ((state[kState] & (kReadingMore | kConstructed)) === kConstructed) {
    state[kState] |= kReadingMore;
    nextTick(maybeReadMoreNT, stream, state);
  }
}

function maybeReadMoreNT(stream, state) {
  // Fill the buffer up to the mark (or keep a flowing stream with an empty buffer going).
  while (
    (state[kState] & (kReading | kEnded)) === 0 &&
    (state.length < state.highWaterMark || (state.flowing && state.length === 0))
  ) {
    const len = state.length;
    stream.read(0);
    if (len === state.length) break;
  }
  state[kState] &= ~kReadingMore;
}

Readable.prototype._read = function () {
  throw new ERR_METHOD_NOT_IMPLEMENTED('_read()');
};

Readable.prototype.pipe = function (dest, pipeOpts) {
  const src = this;
  const state = this._readableState;
  if (state.pipes.length === 1 && !state.multiAwaitDrain) {
    state.multiAwaitDrain = true;
    state.awaitDrainWriters = new Set(state.awaitDrainWriters ? [state.awaitDrainWriters] : []);
  }
  state.pipes.push(dest);

  const proc = globalThis.process;
  const doEnd = (!pipeOpts || pipeOpts.end !== false) && !(proc && (dest === proc.stdout || dest === proc.stderr));
  const endFn = doEnd ? onend : unpipe;
  if (state.endEmitted) nextTick(endFn);
  else src.once('end', endFn);

  dest.on('unpipe', onunpipe);
  function onunpipe(readable, unpipeInfo) {
    if (readable === src && unpipeInfo && unpipeInfo.hasUnpiped === false) {
      unpipeInfo.hasUnpiped = true;
      cleanup();
    }
  }

  function onend() {
    dest.end();
  }

  let ondrain;
  let cleanedUp = false;
  function cleanup() {
    dest.removeListener('close', onclose);
    dest.removeListener('finish', onfinish);
    if (ondrain) dest.removeListener('drain', ondrain);
    dest.removeListener('error', onerror);
    dest.removeListener('unpipe', onunpipe);
    src.removeListener('end', onend);
    src.removeListener('end', unpipe);
    src.removeListener('data', ondata);
    cleanedUp = true;
    // If we were waiting for this destination's 'drain', stop waiting.
    if (ondrain && state.awaitDrainWriters && (!dest._writableState || dest._writableState.needDrain)) ondrain();
  }

  function pause() {
    if (!cleanedUp) {
      if (state.pipes.length === 1 && state.pipes[0] === dest) {
        state.awaitDrainWriters = dest;
        state.multiAwaitDrain = false;
      } else if (state.pipes.length > 1 && state.pipes.includes(dest)) {
        state.awaitDrainWriters.add(dest);
      }
      src.pause();
    }
    if (!ondrain) {
      ondrain = pipeOnDrain(src, dest);
      dest.on('drain', ondrain);
    }
  }

  src.on('data', ondata);
  function ondata(chunk) {
    const ret = dest.write(chunk);
    if (ret === false) pause();
  }

  function onerror(er) {
    unpipe();
    dest.removeListener('error', onerror);
    if (dest.listenerCount('error') === 0) {
      const s = dest._writableState || dest._readableState;
      if (s && !s.errorEmitted) destroyImpl.errorOrDestroy(dest, er);
      else dest.emit('error', er);
    }
  }
  prependListener(dest, 'error', onerror);

  function onclose() {
    dest.removeListener('finish', onfinish);
    unpipe();
  }
  dest.once('close', onclose);
  function onfinish() {
    dest.removeListener('close', onclose);
    unpipe();
  }
  dest.once('finish', onfinish);

  function unpipe() {
    src.unpipe(dest);
  }

  dest.emit('pipe', src);

  if (dest.writableNeedDrain === true) pause();
  else if (!state.flowing) src.resume();
  return dest;
};

function pipeOnDrain(src, dest) {
  return function pipeOnDrainFunctionResult() {
    const state = src._readableState;
    if (state.awaitDrainWriters === dest) state.awaitDrainWriters = null;
    else if (state.multiAwaitDrain) state.awaitDrainWriters.delete(dest);
    if ((!state.awaitDrainWriters || state.awaitDrainWriters.size === 0) && src.listenerCount('data')) {
      src.resume();
    }
  };
}

Readable.prototype.unpipe = function (dest) {
  const state = this._readableState;
  const unpipeInfo = { hasUnpiped: false };
  if (state.pipes.length === 0) return this;
  if (!dest) {
    const dests = state.pipes;
    state.pipes = [];
    this.pause();
    for (let i = 0; i < dests.length; i++) dests[i].emit('unpipe', this, { hasUnpiped: false });
    return this;
  }
  const index = state.pipes.indexOf(dest);
  if (index === -1) return this;
  state.pipes.splice(index, 1);
  if (state.pipes.length === 0) this.pause();
  dest.emit('unpipe', this, unpipeInfo);
  return this;
};

Readable.prototype.on = function (ev, fn) {
  const res = Stream.prototype.on.call(this, ev, fn);
  const state = this._readableState;
  if (ev === 'data') {
    state.readableListening = this.listenerCount('readable') > 0;
    // Attaching 'data' starts the flow unless the stream was paused explicitly.
    if (state.flowing !== false) this.resume();
  } else if (ev === 'readable') {
    if (!state.endEmitted && !state.readableListening) {
      state.readableListening = state.needReadable = true;
      state.flowing = false;
      state.emittedReadable = false;
      if (state.length) emitReadable(this);
      else if (!state.reading) nextTick(nReadingNextTick, this);
    }
  }
  return res;
};
Readable.prototype.addListener = Readable.prototype.on;

Readable.prototype.removeListener = function (ev, fn) {
  const res = Stream.prototype.removeListener.call(this, ev, fn);
  if (ev === 'readable') nextTick(updateReadableListening, this);
  return res;
};
Readable.prototype.off = Readable.prototype.removeListener;

Readable.prototype.removeAllListeners = function (ev) {
  const res = Stream.prototype.removeAllListeners.apply(this, arguments);
  if (ev === 'readable' || ev === undefined) nextTick(updateReadableListening, this);
  return res;
};

function updateReadableListening(self) {
  const state = self._readableState;
  state.readableListening = self.listenerCount('readable') > 0;
  if (state.resumeScheduled && state[kPaused] === false) state.flowing = true;
  else if (self.listenerCount('data') > 0) self.resume();
  else if (!state.readableListening) state.flowing = null;
}

function nReadingNextTick(self) {
  self.read(0);
}

Readable.prototype.resume = function () {
  const state = this._readableState;
  if (!state.flowing) {
    // With a 'readable' listener the stream stays paused: 'readable' wins over 'data'.
    state.flowing = !state.readableListening;
    if (!state.resumeScheduled) {
      state.resumeScheduled = true;
      nextTick(resumeNT, this, state);
    }
  }
  state[kPaused] = false;
  return this;
};

function resumeNT(stream, state) {
  if (!state.reading) stream.read(0);
  state.resumeScheduled = false;
  stream.emit('resume');
  flow(stream);
  if (state.flowing && !state.reading) stream.read(0);
}

Readable.prototype.pause = function () {
  const state = this._readableState;
  if (state.flowing !== false) {
    state.flowing = false;
    this.emit('pause');
  }
  state[kPaused] = true;
  return this;
};

function flow(stream) {
  const state = stream._readableState;
  while (state.flowing && stream.read() !== null);
}

/** Wraps an old-style stream (only 'data'/'end' events and pause/resume). */
Readable.prototype.wrap = function (stream) {
  let paused = false;
  stream.on('data', (chunk) => {
    if (!this.push(chunk) && stream.pause) {
      paused = true;
      stream.pause();
    }
  });
  stream.on('end', () => {
    this.push(null);
  });
  stream.on('error', (err) => {
    destroyImpl.errorOrDestroy(this, err);
  });
  stream.on('close', () => {
    this.destroy();
  });
  stream.on('destroy', () => {
    this.destroy();
  });
  this._read = () => {
    if (paused && stream.resume) {
      paused = false;
      stream.resume();
    }
  };
  for (const key of Object.keys(stream)) {
    if (this[key] === undefined && typeof stream[key] === 'function') this[key] = stream[key].bind(stream);
  }
  return this;
};

Readable.prototype[Symbol.asyncIterator] = function () {
  return streamToAsyncIterator(this);
};

Readable.prototype.iterator = function (options) {
  if (options !== undefined) validateObject(options, 'options');
  return streamToAsyncIterator(this, options);
};

function streamToAsyncIterator(stream, options) {
  if (typeof stream.read !== 'function') stream = Readable.wrap(stream, { objectMode: true });
  const iter = createAsyncIterator(stream, options);
  iter.stream = stream;
  return iter;
}

async function* createAsyncIterator(stream, options) {
  let callback = nop;
  function next(resolve) {
    if (this === stream) {
      callback();
      callback = nop;
    } else {
      callback = resolve;
    }
  }
  stream.on('readable', next);
  let error;
  const cleanup = eos(stream, { writable: false }, (err) => {
    error = err ? aggregateTwoErrors(error, err) : null;
    callback();
    callback = nop;
  });
  try {
    while (true) {
      const chunk = stream.destroyed ? null : stream.read();
      if (chunk !== null) yield chunk;
      else if (error) throw error;
      else if (error === null) return;
      else await new Promise(next);
    }
  } catch (err) {
    error = aggregateTwoErrors(error, err);
    throw error;
  } finally {
    if ((error || options?.destroyOnReturn !== false) && (error === undefined || stream._readableState.autoDestroy)) {
      destroyImpl.destroyer(stream, null);
    } else {
      stream.off('readable', next);
      cleanup();
    }
  }
}

const getter = accessorsOn(Readable.prototype);

getter(
  'readable',
  function () {
    const r = this._readableState;
    return !!r && r.readable !== false && !r.destroyed && !r.errorEmitted && !r.endEmitted;
  },
  function (val) {
    if (this._readableState) this._readableState.readable = !!val;
  },
);
getter('readableDidRead', function () {
  return this._readableState.dataEmitted;
});
getter('readableAborted', function () {
  const r = this._readableState;
  return !!(r.readable !== false && (r.destroyed || r.errored) && !r.endEmitted);
});
getter('readableHighWaterMark', function () {
  return this._readableState.highWaterMark;
});
getter('readableBuffer', function () {
  return this._readableState && this._readableState.buffer;
});
getter(
  'readableFlowing',
  function () {
    return this._readableState.flowing;
  },
  function (state) {
    if (this._readableState) this._readableState.flowing = state;
  },
);
getter('readableLength', function () {
  return this._readableState.length;
});
getter('readableObjectMode', function () {
  return this._readableState ? this._readableState.objectMode : false;
});
getter('readableEncoding', function () {
  return this._readableState ? this._readableState.encoding : null;
});
getter('errored', function () {
  return this._readableState ? this._readableState.errored : null;
});
getter('closed', function () {
  return this._readableState ? this._readableState.closed : false;
});
getter(
  'destroyed',
  function () {
    return this._readableState ? this._readableState.destroyed : false;
  },
  function (value) {
    if (!this._readableState) return;
    this._readableState.destroyed = value;
  },
);
getter('readableEnded', function () {
  return this._readableState ? this._readableState.endEmitted : false;
});

/** Takes `n` bytes (or one object, or everything) off the front of the buffer. */
function fromList(n, state) {
  if (state.length === 0) return null;
  const buf = state.buffer;
  let ret;
  if ((state[kState] & kObjectMode) !== 0) {
    ret = buf.shift();
  } else if (!n || n >= state.length) {
    if (state.decoder) ret = buf.join('');
    else if (buf.length === 1) ret = buf.first();
    else ret = Buffer.concat(buf.toArray(), state.length);
    buf.clear();
  } else {
    ret = consume(buf, n, !!state.decoder);
  }
  return ret;
}

function consume(buf, n, hasStrings) {
  const first = buf.first();
  if (n < first.length) {
    buf.setFirst(first.slice(n));
    return first.slice(0, n);
  }
  if (n === first.length) return buf.shift();
  if (hasStrings) {
    let ret = '';
    while (n > 0) {
      const str = buf.first();
      if (n >= str.length) {
        ret += str;
        n -= str.length;
        buf.shift();
      } else {
        ret += str.slice(0, n);
        buf.setFirst(str.slice(n));
        n = 0;
      }
    }
    return ret;
  }
  const ret = Buffer.allocUnsafe(n);
  let off = 0;
  while (off < n) {
    const data = buf.first();
    const need = n - off;
    if (need >= data.length) {
      ret.set(data, off);
      off += data.length;
      buf.shift();
    } else {
      ret.set(data.subarray(0, need), off);
      buf.setFirst(data.subarray(need));
      off = n;
    }
  }
  return ret;
}

function endReadable(stream) {
  const state = stream._readableState;
  if (!state.endEmitted) {
    state.ended = true;
    nextTick(endReadableNT, state, stream);
  }
}

function endReadableNT(state, stream) {
  if (!state.errored && !state.closeEmitted && !state.endEmitted && state.length === 0) {
    state.endEmitted = true;
    stream.emit('end');
    if (stream.writable && stream.allowHalfOpen === false) {
      nextTick(endWritableNT, stream);
    } else if (state.autoDestroy) {
      // A Duplex is destroyed only once both sides are done.
      const wState = stream._writableState;
      const autoDestroy = !wState || (wState.autoDestroy && (wState.finished || wState.writable === false));
      if (autoDestroy) stream.destroy();
    }
  }
}

function endWritableNT(stream) {
  const writable = stream.writable && !stream.writableEnded && !stream.destroyed;
  if (writable) stream.end();
}

Readable.from = function (iterable, opts) {
  return from(Readable, iterable, opts);
};

Readable.wrap = function (src, options) {
  return new Readable({
    objectMode: src.readableObjectMode ?? src.objectMode ?? true,
    ...options,
    destroy(err, callback) {
      destroyImpl.destroyer(src, err);
      callback(err);
    },
  }).wrap(src);
};
