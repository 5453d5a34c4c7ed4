// Readable: the buffer of chunks between a source (_read/push) and consumers
// ('data' in flowing mode, read() and 'readable' in paused mode, pipe()).
// The rules are the ones of core/src/stream/readable.rs, kept here in JS
// because they run once per chunk (see the note at the top of stream.js).
//
// The state has Node 24's shape, which packages read (cbor's NoFilter walks
// `_readableState.buffer`): `buffer` is a plain Array read from `bufferIndex`
// on (the consumed slots hold null until the array is emptied or trimmed),
// `length`, `pipes`, `awaitDrainWriters` and `highWaterMark` are own fields,
// and every flag (with `flowing`, `errored`, `decoder`, `encoding`,
// `defaultEncoding`) lives in the integer `state[kState]`, read by name
// through accessors on the prototype.
import { Buffer } from '../../buffer.js';
import { StringDecoder } from '../../string_decoder.js';
import { codes, AbortError } from '../errors.js';
import { validateObject } from '../validators.js';
import { nextTick } from '../next-tick.js';
import { Stream, prependListener } from './legacy.js';
import { EventEmitter } from '../../events.js';
import { kCapture } from '../events-symbols.js';
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
import { eos } from './end-of-stream.js';
import { from } from './from.js';
import { aggregateTwoErrors, nop } from './utils.js';
import { defineFlags, defineValueFlags, accessorsOn } from './flags.js';
const {
  ERR_INVALID_ARG_TYPE,
  ERR_METHOD_NOT_IMPLEMENTED,
  ERR_OUT_OF_RANGE,
  ERR_STREAM_PUSH_AFTER_EOF,
  ERR_STREAM_UNSHIFT_AFTER_END_EVENT,
  ERR_UNKNOWN_ENCODING,
} = codes;

// Readable-only bits, above the nine shared ones of state.js (Node 24's values).
const kEnded = 1 << 9;
const kEndEmitted = 1 << 10;
const kReading = 1 << 11;
const kSync = 1 << 12;
const kNeedReadable = 1 << 13;
const kEmittedReadable = 1 << 14;
const kReadableListening = 1 << 15;
const kResumeScheduled = 1 << 16;
const kMultiAwaitDrain = 1 << 17;
const kReadingMore = 1 << 18;
const kDataEmitted = 1 << 19;
const kDefaultUTF8Encoding = 1 << 20;
const kDecoder = 1 << 21;
const kEncoding = 1 << 22;
const kHasFlowing = 1 << 23;
const kFlowing = 1 << 24;
const kHasPaused = 1 << 25;
const kPaused = 1 << 26;
const kDataListening = 1 << 27;
const kEndScheduled = 1 << 28;

// Where the non-boolean values behind a bit are kept (set only when the bit is).
const kErroredValue = Symbol('kErroredValue');
const kDefaultEncodingValue = Symbol('kDefaultEncodingValue');
const kDecoderValue = Symbol('kDecoderValue');
const kEncodingValue = Symbol('kEncodingValue');

/** The readable side's state; fields are read by name by Node-compatible helpers, so keep Node's names. */
export function ReadableState(options, stream, isDuplex) {
  let bits = kEmitClose | kAutoDestroy | kConstructed | kSync;
  if (options) {
    if (options.objectMode || (isDuplex && options.readableObjectMode)) bits |= kObjectMode;
    if (options.emitClose === false) bits &= ~kEmitClose;
    if (options.autoDestroy === false) bits &= ~kAutoDestroy;
  }
  this[kState] = bits;
  // A highWaterMark of 0 is valid: never call _read ahead of a consumer.
  this.highWaterMark = options
    ? getHighWaterMark(this, options, 'readableHighWaterMark', isDuplex)
    : getDefaultHighWaterMark(false);
  this.buffer = [];
  this.bufferIndex = 0;
  this.length = 0;
  this.pipes = [];
  const defaultEncoding = options ? options.defaultEncoding : undefined;
  if (defaultEncoding == null || defaultEncoding === 'utf8' || defaultEncoding === 'utf-8') {
    this[kState] |= kDefaultUTF8Encoding;
  } else if (Buffer.isEncoding(defaultEncoding)) {
    this.defaultEncoding = defaultEncoding;
  } else {
    throw new ERR_UNKNOWN_ENCODING(defaultEncoding);
  }
  // null, the one Writable a pipe waits 'drain' from, or a Set of them.
  this.awaitDrainWriters = null;
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
defineValueFlags(ReadableState.prototype, kState, [
  ['errored', kErrored, kErroredValue],
  ['decoder', kDecoder, kDecoderValue],
  ['encoding', kEncoding, kEncodingValue],
]);

Object.defineProperties(ReadableState.prototype, {
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
  // null until a consumer decides, then true (flowing) or false (paused).
  flowing: {
    __proto__: null,
    enumerable: false,
    configurable: true,
    get() {
      return (this[kState] & kHasFlowing) !== 0 ? (this[kState] & kFlowing) !== 0 : null;
    },
    set(value) {
      if (value == null) this[kState] &= ~(kHasFlowing | kFlowing);
      else if (value) this[kState] |= kHasFlowing | kFlowing;
      else this[kState] = (this[kState] | kHasFlowing) & ~kFlowing;
    },
  },
});

ReadableState.prototype[kOnConstructed] = function onConstructed(stream) {
  if ((this[kState] & kNeedReadable) !== 0) maybeReadMore(stream, this);
};

export function Readable(options) {
  if (!(this instanceof Readable)) return new Readable(options);
  // The common events first, as Node 24 lays `_events` out (eventNames() order).
  if (this._events === undefined) {
    this._events = { close: undefined, error: undefined, data: undefined, end: undefined, readable: undefined };
  }
  this._readableState = new ReadableState(options, this, false);
  if (options) {
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignalLazy(options.signal, this);
  }
  Stream.call(this, options);
  if (this._construct != null) {
    destroyImpl.construct(this, () => {
      this._readableState[kOnConstructed](this);
    });
  }
}
Object.setPrototypeOf(Readable.prototype, Stream.prototype);
Object.setPrototypeOf(Readable, Stream);

/** Kept for callers of the former API: Duplex now builds its states itself. */
export function setDuplex() {}

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
export const asyncDispose = Symbol.asyncDispose || Symbol.for('nodejs.asyncDispose');
Readable.prototype[asyncDispose] = async function () {
  let error;
  if (!this.destroyed) {
    error = this.readableEnded ? null : new AbortError();
    this.destroy(error);
  }
  await new Promise((resolve, reject) => eos(this, (err) => (err && err !== error ? reject(err) : resolve(null))));
};

Readable.prototype.push = function (chunk, encoding) {
  const state = this._readableState;
  return (state[kState] & kObjectMode) === 0
    ? pushBytes(this, state, chunk, encoding)
    : pushObject(this, state, chunk, encoding);
};

Readable.prototype.unshift = function (chunk, encoding) {
  const state = this._readableState;
  return (state[kState] & kObjectMode) === 0
    ? unshiftBytes(this, state, chunk, encoding)
    : unshiftObject(this, state, chunk);
};

function invalidChunk(stream, chunk) {
  destroyImpl.errorOrDestroy(
    stream,
    new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk),
  );
  return false;
}

function pushEof(stream, state) {
  state[kState] &= ~kReading;
  onEofChunk(stream, state);
  return false;
}

function unshiftBytes(stream, state, chunk, encoding) {
  if (chunk === null) return pushEof(stream, state);
  if (typeof chunk === 'string') {
    encoding = encoding || state.defaultEncoding;
    if (state.encoding !== encoding) {
      // An unshifted string is kept in the encoding read() hands out.
      if (state.encoding) chunk = Buffer.from(chunk, encoding).toString(state.encoding);
      else chunk = Buffer.from(chunk, encoding);
    }
  } else if (ArrayBuffer.isView(chunk)) {
    if (!(chunk instanceof Buffer)) chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  } else if (chunk !== undefined) {
    return invalidChunk(stream, chunk);
  }
  if (!(chunk && chunk.length > 0)) return canPushMore(state);
  return unshiftValue(stream, state, chunk);
}

function unshiftObject(stream, state, chunk) {
  if (chunk === null) return pushEof(stream, state);
  return unshiftValue(stream, state, chunk);
}

function unshiftValue(stream, state, chunk) {
  if ((state[kState] & kEndEmitted) !== 0) {
    destroyImpl.errorOrDestroy(stream, new ERR_STREAM_UNSHIFT_AFTER_END_EVENT());
  } else if ((state[kState] & (kDestroyed | kErrored)) !== 0) {
    return false;
  } else {
    addChunk(stream, state, chunk, true);
  }
  return canPushMore(state);
}

function pushBytes(stream, state, chunk, encoding) {
  if (chunk === null) return pushEof(stream, state);
  if (chunk instanceof Buffer) {
    encoding = '';
  } else if (typeof chunk === 'string') {
    encoding = encoding || state.defaultEncoding;
    if (state.encoding !== encoding) {
      chunk = Buffer.from(chunk, encoding);
      encoding = '';
    }
  } else if (ArrayBuffer.isView(chunk)) {
    chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    encoding = '';
  } else if (chunk !== undefined) {
    return invalidChunk(stream, chunk);
  }
  const bits = state[kState];
  if (!chunk || chunk.length <= 0) {
    state[kState] = bits & ~kReading;
    maybeReadMore(stream, state);
    return canPushMore(state);
  }
  if ((bits & kEnded) !== 0) {
    destroyImpl.errorOrDestroy(stream, new ERR_STREAM_PUSH_AFTER_EOF());
    return false;
  }
  if ((bits & (kDestroyed | kErrored)) !== 0) return false;
  state[kState] = bits & ~kReading;
  if ((bits & kDecoder) !== 0 && !encoding) {
    chunk = state[kDecoderValue].write(chunk);
    if (chunk.length === 0) {
      maybeReadMore(stream, state);
      return canPushMore(state);
    }
  }
  addChunk(stream, state, chunk, false);
  return canPushMore(state);
}

function pushObject(stream, state, chunk, encoding) {
  if (chunk === null) return pushEof(stream, state);
  const bits = state[kState];
  if ((bits & kEnded) !== 0) {
    destroyImpl.errorOrDestroy(stream, new ERR_STREAM_PUSH_AFTER_EOF());
    return false;
  }
  if ((bits & (kDestroyed | kErrored)) !== 0) return false;
  state[kState] = bits & ~kReading;
  if ((bits & kDecoder) !== 0 && !encoding) chunk = state[kDecoderValue].write(chunk);
  addChunk(stream, state, chunk, false);
  return canPushMore(state);
}

// Room left below the mark, or nothing buffered at all (a 0 mark still asks for data).
function canPushMore(state) {
  return (state[kState] & kEnded) === 0 && (state.length < state.highWaterMark || state.length === 0);
}

// 'data' is emitted once per chunk. With one listener, EventEmitter's own emit()
// and no captureRejections, emit() would only call that listener: call it here.
const eeEmit = EventEmitter.prototype.emit;
function emitData(stream, chunk) {
  const events = stream._events;
  if (events !== undefined && stream.emit === eeEmit && !stream[kCapture]) {
    const handler = events.data;
    if (typeof handler === 'function') {
      handler.call(stream, chunk);
      return;
    }
  }
  stream.emit('data', chunk);
}

function addChunk(stream, state, chunk, addToFront) {
  if ((state[kState] & (kFlowing | kSync | kDataListening)) === (kFlowing | kDataListening) && state.length === 0) {
    // Straight through: nothing is queued, a consumer is listening.
    if ((state[kState] & kMultiAwaitDrain) !== 0) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
    state[kState] |= kDataEmitted;
    emitData(stream, chunk);
  } else {
    state.length += (state[kState] & kObjectMode) !== 0 ? 1 : chunk.length;
    if (!addToFront) state.buffer.push(chunk);
    else if (state.bufferIndex > 0) state.buffer[--state.bufferIndex] = chunk;
    else state.buffer.unshift(chunk);
    if ((state[kState] & kNeedReadable) !== 0) emitReadable(stream);
  }
  maybeReadMore(stream, state);
}

Readable.prototype.isPaused = function () {
  const bits = this._readableState[kState];
  return (bits & kPaused) !== 0 || (bits & (kHasFlowing | kFlowing)) === kHasFlowing;
};

Readable.prototype.setEncoding = function (enc) {
  const state = this._readableState;
  const decoder = new StringDecoder(enc);
  state.decoder = decoder;
  state.encoding = decoder.encoding;
  // What is already buffered is decoded now, so read() returns strings only.
  const buf = state.buffer;
  let content = '';
  for (let i = state.bufferIndex; i < buf.length; i++) content += decoder.write(buf[i]);
  if ((state[kState] & kEnded) !== 0) content += decoder.end();
  buf.length = 0;
  state.bufferIndex = 0;
  if (content !== '') buf.push(content);
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
    if ((bits & kFlowing) !== 0 && state.length) return state.buffer[state.bufferIndex].length;
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
  const length = state.length;
  if (
    n === 0 &&
    (state[kState] & kNeedReadable) !== 0 &&
    ((state.highWaterMark !== 0 ? length >= state.highWaterMark : length > 0) || (state[kState] & kEnded) !== 0)
  ) {
    if (length === 0 && (state[kState] & kEnded) !== 0) endReadable(this);
    else emitReadable(this);
    return null;
  }

  n = howMuchToRead(n, state);
  if (n === 0 && (state[kState] & kEnded) !== 0) {
    if (state.length === 0) endReadable(this);
    return null;
  }

  // Ask the source for more when the buffer would fall below the mark, unless it
  // has ended, is already reading, is still being constructed, or has failed.
  let doRead = (state[kState] & kNeedReadable) !== 0;
  if (state.length === 0 || state.length - n < state.highWaterMark) doRead = true;
  if ((state[kState] & (kReading | kEnded | kDestroyed | kErrored | kConstructed)) !== kConstructed) {
    doRead = false;
  } else if (doRead) {
    state[kState] |= kReading | kSync;
    if (state.length === 0) state[kState] |= kNeedReadable;
    try {
      this._read(state.highWaterMark);
    } catch (err) {
      destroyImpl.errorOrDestroy(this, err);
    }
    state[kState] &= ~kSync;
    // A synchronous push() may have changed how much there is.
    if ((state[kState] & kReading) === 0) n = howMuchToRead(nOrig, state);
  }

  const ret = n > 0 ? fromList(n, state) : null;
  if (ret === null) {
    if (state.length <= state.highWaterMark) state[kState] |= kNeedReadable;
    n = 0;
  } else {
    state.length -= n;
    if ((state[kState] & kMultiAwaitDrain) !== 0) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
  }

  if (state.length === 0) {
    // Nothing buffered: the next chunk should wake a consumer up.
    if ((state[kState] & kEnded) === 0) state[kState] |= kNeedReadable;
    // A read() past the end ends the stream on the next tick.
    if (nOrig !== n && (state[kState] & kEnded) !== 0) endReadable(this);
  }

  if (ret !== null && (state[kState] & (kErrorEmitted | kCloseEmitted)) === 0) {
    state[kState] |= kDataEmitted;
    emitData(this, ret);
  }
  return ret;
};

function onEofChunk(stream, state) {
  if ((state[kState] & kEnded) !== 0) return;
  if ((state[kState] & kDecoder) !== 0) {
    const chunk = state[kDecoderValue].end();
    if (chunk && chunk.length) {
      state.buffer.push(chunk);
      state.length += (state[kState] & kObjectMode) !== 0 ? 1 : chunk.length;
    }
  }
  state[kState] |= kEnded;
  if ((state[kState] & kSync) !== 0) {
    // Inside _read: 'readable' on the next tick, not in the middle of read().
    emitReadable(stream);
  } else {
    // At EOF 'readable' is emitted at once (some packages rely on it).
    state[kState] = (state[kState] & ~kNeedReadable) | kEmittedReadable;
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
  if ((state[kState] & (kDestroyed | kErrored)) === 0 && (state.length || (state[kState] & kEnded) !== 0)) {
    stream.emit('readable');
    state[kState] &= ~kEmittedReadable;
  }
  // Another 'readable' is wanted unless flowing (flow() takes over) or ended,
  // and only while the buffer is not above the mark.
  if ((state[kState] & (kFlowing | kEnded)) === 0 && state.length <= state.highWaterMark) {
    state[kState] |= kNeedReadable;
  }
  flow(stream);
}

function maybeReadMore(stream, state) {
  if ((state[kState] & (kReadingMore | kReading | kConstructed)) === kConstructed) {
    state[kState] |= kReadingMore;
    nextTick(maybeReadMoreNT, stream, state);
  }
}

function maybeReadMoreNT(stream, state) {
  // Fill the buffer up to the mark (or keep a flowing stream with an empty buffer
  // going), unless ended or a _read is still pending.
  while (
    (state[kState] & (kReading | kEnded)) === 0 &&
    (state.length < state.highWaterMark || ((state[kState] & kFlowing) !== 0 && state.length === 0))
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
  if (state.pipes.length === 1 && (state[kState] & kMultiAwaitDrain) === 0) {
    state[kState] |= kMultiAwaitDrain;
    state.awaitDrainWriters = new Set(state.awaitDrainWriters ? [state.awaitDrainWriters] : []);
  }
  state.pipes.push(dest);

  const proc = globalThis.process;
  const doEnd = (!pipeOpts || pipeOpts.end !== false) && !(proc && (dest === proc.stdout || dest === proc.stderr));
  const endFn = doEnd ? onend : unpipe;
  if ((state[kState] & kEndEmitted) !== 0) nextTick(endFn);
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
    // An unpipe() during dest.write() must not leave the source paused for good.
    if (!cleanedUp) {
      if (state.pipes.length === 1 && state.pipes[0] === dest) {
        state.awaitDrainWriters = dest;
        state[kState] &= ~kMultiAwaitDrain;
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
    try {
      if (dest.write(chunk) === false) pause();
    } catch (error) {
      // A chunk the destination refuses (e.g. an object into a byte stream) destroys it.
      dest.destroy(error);
    }
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
  else if ((state[kState] & kFlowing) === 0) src.resume();
  return dest;
};

function pipeOnDrain(src, dest) {
  return function pipeOnDrainFunctionResult() {
    const state = src._readableState;
    if (state.awaitDrainWriters === dest) state.awaitDrainWriters = null;
    else if ((state[kState] & kMultiAwaitDrain) !== 0) state.awaitDrainWriters.delete(dest);
    if ((!state.awaitDrainWriters || state.awaitDrainWriters.size === 0) && (state[kState] & kDataListening) !== 0) {
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
    state[kState] |= kDataListening;
    // So that resume() below stays a no-op under once('readable').
    if (this.listenerCount('readable') > 0) state[kState] |= kReadableListening;
    // Attaching 'data' starts the flow unless the stream was paused explicitly.
    if ((state[kState] & (kHasFlowing | kFlowing)) !== kHasFlowing) this.resume();
  } else if (ev === 'readable') {
    if ((state[kState] & (kEndEmitted | kReadableListening)) === 0) {
      state[kState] =
        (state[kState] | kReadableListening | kNeedReadable | kHasFlowing) & ~(kFlowing | kEmittedReadable);
      if (state.length) emitReadable(this);
      else if ((state[kState] & kReading) === 0) nextTick(nReadingNextTick, this);
    }
  }
  return res;
};
Readable.prototype.addListener = Readable.prototype.on;

Readable.prototype.removeListener = function (ev, fn) {
  const res = Stream.prototype.removeListener.call(this, ev, fn);
  if (ev === 'readable') {
    // After this tick's once('readable') cycle, before I/O.
    nextTick(updateReadableListening, this);
  } else if (ev === 'data' && this.listenerCount('data') === 0) {
    this._readableState[kState] &= ~kDataListening;
  }
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
  if (self.listenerCount('readable') > 0) state[kState] |= kReadableListening;
  else state[kState] &= ~kReadableListening;
  if ((state[kState] & (kHasPaused | kPaused | kResumeScheduled)) === (kHasPaused | kResumeScheduled)) {
    // A resume() is on its way: it must find the stream flowing.
    state[kState] |= kHasFlowing | kFlowing;
  } else if ((state[kState] & kDataListening) !== 0) {
    self.resume();
  } else if ((state[kState] & kReadableListening) === 0) {
    state[kState] &= ~(kHasFlowing | kFlowing);
  }
}

function nReadingNextTick(self) {
  self.read(0);
}

Readable.prototype.resume = function () {
  const state = this._readableState;
  if ((state[kState] & kFlowing) === 0) {
    // With a 'readable' listener the stream stays paused: 'readable' wins over 'data'.
    state[kState] |= kHasFlowing;
    if ((state[kState] & kReadableListening) === 0) state[kState] |= kFlowing;
    else state[kState] &= ~kFlowing;
    if ((state[kState] & kResumeScheduled) === 0) {
      state[kState] |= kResumeScheduled;
      nextTick(resumeNT, this, state);
    }
  }
  state[kState] = (state[kState] | kHasPaused) & ~kPaused;
  return this;
};

function resumeNT(stream, state) {
  if ((state[kState] & kReading) === 0) stream.read(0);
  state[kState] &= ~kResumeScheduled;
  stream.emit('resume');
  flow(stream);
  if ((state[kState] & (kFlowing | kReading)) === kFlowing) stream.read(0);
}

Readable.prototype.pause = function () {
  const state = this._readableState;
  if ((state[kState] & (kHasFlowing | kFlowing)) !== kHasFlowing) {
    state[kState] = (state[kState] | kHasFlowing) & ~kFlowing;
    this.emit('pause');
  }
  state[kState] |= kHasPaused | kPaused;
  return this;
};

function flow(stream) {
  const state = stream._readableState;
  while ((state[kState] & kFlowing) !== 0 && stream.read() !== null);
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
    // A half-open Duplex whose readable side ended normally keeps its writable side.
    const keepHalfOpen =
      error === null && stream.allowHalfOpen === true && stream.writable === true && stream.writableEnded !== true;
    if (
      (error || options?.destroyOnReturn !== false) &&
      (error === undefined || stream._readableState.autoDestroy) &&
      !keepHalfOpen
    ) {
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
  const length = state.length;
  if (length === 0) return null;
  const buf = state.buffer;
  const end = buf.length;
  let idx = state.bufferIndex;
  let ret;
  if ((state[kState] & kObjectMode) !== 0) {
    ret = buf[idx];
    buf[idx++] = null;
  } else if (!n || n >= length) {
    // Everything: the list empties.
    if ((state[kState] & kDecoder) !== 0) {
      ret = '';
      while (idx < end) {
        ret += buf[idx];
        buf[idx++] = null;
      }
    } else if (end - idx === 1) {
      ret = buf[idx];
      buf[idx++] = null;
    } else if (end === idx) {
      ret = Buffer.alloc(0);
    } else {
      ret = Buffer.allocUnsafe(length);
      let off = 0;
      while (idx < end) {
        const data = buf[idx];
        ret.set(data, off);
        off += data.length;
        buf[idx++] = null;
      }
    }
  } else {
    const first = buf[idx];
    const firstLength = first.length;
    if (n < firstLength) {
      // Part of the first chunk (`slice` is a view for Buffers, a copy for strings).
      ret = first.slice(0, n);
      buf[idx] = first.slice(n);
    } else if (n === firstLength) {
      ret = first;
      buf[idx++] = null;
    } else if ((state[kState] & kDecoder) !== 0) {
      ret = '';
      while (idx < end) {
        const str = buf[idx];
        if (n > str.length) {
          ret += str;
          n -= str.length;
          buf[idx++] = null;
        } else {
          if (n === str.length) {
            ret += str;
            buf[idx++] = null;
          } else {
            ret += str.slice(0, n);
            buf[idx] = str.slice(n);
          }
          break;
        }
      }
    } else {
      ret = Buffer.allocUnsafe(n);
      const total = n;
      while (idx < end) {
        const data = buf[idx];
        const dataLength = data.length;
        if (n > dataLength) {
          ret.set(data, total - n);
          n -= dataLength;
          buf[idx++] = null;
        } else {
          if (n === dataLength) {
            ret.set(data, total - n);
            buf[idx++] = null;
          } else {
            ret.set(data.subarray(0, n), total - n);
            buf[idx] = data.subarray(n);
          }
          break;
        }
      }
    }
  }
  if (idx === end) {
    buf.length = 0;
    state.bufferIndex = 0;
  } else if (idx > 1024 || (idx >= 16 && (end - idx) * 8 <= idx)) {
    // Drop the consumed front once it is long, or far outweighs what is left (a
    // flowing stream reads one chunk while its source has pushed the next, so
    // the list rarely empties): the rest moves down in place. Compacting early
    // keeps the array short, without the large backing stores that would
    // survive young collections and be promoted.
    const rest = end - idx;
    for (let i = 0; i < rest; i++) buf[i] = buf[idx + i];
    buf.length = rest;
    state.bufferIndex = 0;
  } else {
    state.bufferIndex = idx;
  }
  return ret;
}
Readable._fromList = fromList;

function endReadable(stream) {
  const state = stream._readableState;
  if ((state[kState] & (kEndEmitted | kEndScheduled)) === 0) {
    state[kState] |= kEnded | kEndScheduled;
    nextTick(endReadableNT, state, stream);
  }
}

function endReadableNT(state, stream) {
  // The tick runs: a later endReadable() (after an unshift, or an undestroy) may schedule again.
  state[kState] &= ~kEndScheduled;
  if ((state[kState] & (kErrored | kCloseEmitted | kEndEmitted)) === 0 && state.length === 0) {
    state[kState] |= kEndEmitted;
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

Object.defineProperties(ReadableState.prototype, {
  // Legacy names.
  pipesCount: {
    __proto__: null,
    configurable: true,
    get() {
      return this.pipes.length;
    },
  },
  paused: {
    __proto__: null,
    configurable: true,
    get() {
      return (this[kState] & kPaused) !== 0;
    },
    set(value) {
      this[kState] |= kHasPaused;
      if (value) this[kState] |= kPaused;
      else this[kState] &= ~kPaused;
    },
  },
});

// Interop with Node's experimental `stream/iter` (the toAsyncStreamable protocol):
// an async iterator of batches, each an array of the Uint8Array chunks buffered
// at that moment. Like Node, it exists always but refuses to run unless Node was
// started with --experimental-stream-iter (a page has no such module at all).
const kToAsyncStreamable = Symbol.for('Stream.toAsyncStreamable');
const MAX_DRAIN_BATCH = 128;

function streamIterEnabled() {
  const proc = globalThis.process;
  if (!proc) return false;
  const flag = '--experimental-stream-iter';
  if (Array.isArray(proc.execArgv) && proc.execArgv.includes(flag)) return true;
  const nodeOptions = proc.env && proc.env.NODE_OPTIONS;
  return typeof nodeOptions === 'string' && nodeOptions.split(/\s+/).includes(flag);
}

const textEncoder = new TextEncoder();
const kToStreamable = Symbol.for('Stream.toStreamable');

function isAnyArrayBuffer(value) {
  const tag = Object.prototype.toString.call(value);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

/** A string, ArrayBuffer or view as a Uint8Array (views share their memory). */
function primitiveToUint8Array(chunk) {
  if (typeof chunk === 'string') return textEncoder.encode(chunk);
  if (isAnyArrayBuffer(chunk)) return new Uint8Array(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * stream/iter's normalisation of one yielded value into Uint8Arrays: strings,
 * buffers and views as bytes; promises awaited; the toAsyncStreamable and
 * toStreamable protocols followed; arrays and (async) iterables flattened.
 */
async function* normalizeAsyncValue(value) {
  if (Object.prototype.toString.call(value) === '[object Promise]') {
    yield* normalizeAsyncValue(await value);
    return;
  }
  if (typeof value === 'string' || isAnyArrayBuffer(value) || ArrayBuffer.isView(value)) {
    yield primitiveToUint8Array(value);
    return;
  }
  if (typeof value?.[kToAsyncStreamable] === 'function') {
    yield* normalizeAsyncValue(await value[kToAsyncStreamable]());
    return;
  }
  if (typeof value?.[kToStreamable] === 'function') {
    yield* normalizeAsyncValue(value[kToStreamable]());
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* normalizeAsyncValue(value[i]);
    return;
  }
  if (typeof value?.[Symbol.asyncIterator] === 'function') {
    for await (const item of value) yield* normalizeAsyncValue(item);
    return;
  }
  if (typeof value !== 'string' && typeof value?.[Symbol.iterator] === 'function') {
    for (const item of value) yield* normalizeAsyncValue(item);
    return;
  }
  throw new codes.ERR_INVALID_ARG_TYPE(
    'value',
    ['string', 'ArrayBuffer', 'ArrayBufferView', 'Iterable', 'AsyncIterable', 'toStreamable', 'toAsyncStreamable'],
    value,
  );
}

/** An objectMode or decoded batch as Uint8Arrays; null when nothing is left. */
async function normalizeBatch(raw) {
  const batch = [];
  for (let i = 0; i < raw.length; i++) {
    const value = raw[i];
    if (value instanceof Uint8Array) batch.push(value);
    else for await (const normalized of normalizeAsyncValue(value)) batch.push(normalized);
  }
  return batch.length > 0 ? batch : null;
}

async function* createBatchedAsyncIterator(stream, normalize) {
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
      if (chunk !== null) {
        const batch = [chunk];
        while (batch.length < MAX_DRAIN_BATCH && stream._readableState?.length > 0) {
          const c = stream.read();
          if (c === null) break;
          batch.push(c);
        }
        if (normalize !== null) {
          const result = await normalize(batch);
          if (result !== null) yield result;
        } else {
          yield batch;
        }
      } else if (error) {
        throw error;
      } else if (error === null) {
        return;
      } else {
        await new Promise(next);
      }
    }
  } catch (err) {
    error = aggregateTwoErrors(error, err);
    throw error;
  } finally {
    if (error === undefined || stream._readableState?.autoDestroy) {
      destroyImpl.destroyer(stream, null);
    } else {
      stream.off('readable', next);
      cleanup();
    }
  }
}

// Node's stream/iter `from()` hands back, unwrapped, an iterator that carries its
// private "validated source" mark (a module-local symbol). Under Node, ferrode
// learns that symbol once from an iterator made by Node's own Readable, so that its
// iterators, which yield the same batches, are taken as they are too.
let kNodeValidatedSource;
function nodeValidatedSource() {
  if (kNodeValidatedSource !== undefined) return kNodeValidatedSource;
  kNodeValidatedSource = null;
  try {
    const NodeReadable = globalThis.process?.getBuiltinModule?.('stream')?.Readable;
    if (typeof NodeReadable === 'function' && NodeReadable !== Readable) {
      const probe = new NodeReadable({ read() {} });
      const iter = probe[kToAsyncStreamable]();
      kNodeValidatedSource =
        Object.getOwnPropertySymbols(iter).find((sym) => sym.description === 'kValidatedSource') ?? null;
      probe.destroy();
    }
  } catch {
    kNodeValidatedSource = null;
  }
  return kNodeValidatedSource;
}

Readable.prototype[kToAsyncStreamable] = function () {
  if (!streamIterEnabled()) throw new codes.ERR_STREAM_ITER_MISSING_FLAG();
  const state = this._readableState;
  const normalize = state.objectMode || state.encoding ? normalizeBatch : null;
  const iter = createBatchedAsyncIterator(this, normalize);
  const validated = nodeValidatedSource();
  if (validated !== null) iter[validated] = true;
  iter.stream = this;
  return iter;
};
