// ferrode/stream — Node 20's `stream` module.
//
// Who owns what:
// - core/src/stream (Rust, sans-I/O) holds the readable and writable state
//   machines as explicit states and events (buffer length vs highWaterMark,
//   flowing/paused, ended/endEmitted, needDrain, corked, ending/finished,
//   destroyed/errored/closed and the errors of illegal transitions), for the
//   companion server to drive from tokio.
// - These JS streams keep their own state, with the same rules. Measured
//   (bench/stream.mjs, noisy 2-core machine): a bare call into wasm costs about
//   2-6 ns, the JS bookkeeping of one object through Readable → Transform →
//   Writable about 600-700 ns, so two crossings per chunk would be about 1-2%
//   by themselves; but the chunks, callbacks, listeners and ticks are JS
//   objects that stay in JS whatever holds the counters, so a Rust-held state
//   would add the crossings and the marshalling of its events back to JS on
//   top of the same JS work, for no gain: the streams never touch the bytes.
//   Object identity, callbacks and tick scheduling (internal/next-tick.js)
//   live here.
// - tests/node/stream-core-agree.test.mjs runs one scripted scenario through
//   both and checks that they agree.
import { Stream } from './internal/streams/legacy.js';
import { Readable, setAddAbortSignal as setReadableAbort } from './internal/streams/readable.js';
import { Writable, setAddAbortSignal as setWritableAbort } from './internal/streams/writable.js';
import { Duplex, setAddAbortSignal as setDuplexAbort } from './internal/streams/duplex.js';
import { Transform, PassThrough } from './internal/streams/transform.js';
import { eos, finishedPromise } from './internal/streams/end-of-stream.js';
import { pipeline as pipelineCb, pipelinePromise, compose } from './internal/streams/pipeline.js';
import { duplexPair } from './internal/streams/duplex-pair.js';

const composeStreams = compose;
import { addAbortSignal } from './internal/streams/add-abort-signal.js';
import { duplexify } from './internal/streams/duplexify.js';
import * as operators from './internal/streams/operators.js';
import * as web from './internal/streams/web.js';
import { destroyer } from './internal/streams/destroy.js';
import { getDefaultHighWaterMark, setDefaultHighWaterMark } from './internal/streams/state.js';
import { isDestroyed, isDisturbed, isErrored, isReadable, isWritable } from './internal/streams/utils.js';
import { validateAbortSignal, validateObject } from './internal/validators.js';
import { codes } from './internal/errors.js';
import { Buffer } from './buffer.js';

const { ERR_ILLEGAL_CONSTRUCTOR } = codes;

setReadableAbort(addAbortSignal);
setWritableAbort(addAbortSignal);
setDuplexAbort(addAbortSignal);
web.setClasses(Readable, Writable, Duplex);

const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');

for (const [key, op] of Object.entries(operators.streamReturningOperators)) {
  Object.defineProperty(Readable.prototype, key, {
    __proto__: null,
    value: function (...args) {
      if (new.target) throw new ERR_ILLEGAL_CONSTRUCTOR();
      return Readable.from(Reflect.apply(op, this, args));
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(Readable.prototype[key], 'name', { value: op.name });
  Object.defineProperty(Readable.prototype[key], 'length', { value: op.length });
}
for (const [key, op] of Object.entries(operators.promiseReturningOperators)) {
  Object.defineProperty(Readable.prototype, key, {
    __proto__: null,
    value: function (...args) {
      if (new.target) throw new ERR_ILLEGAL_CONSTRUCTOR();
      return Reflect.apply(op, this, args);
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(Readable.prototype[key], 'name', { value: op.name });
  Object.defineProperty(Readable.prototype[key], 'length', { value: op.length });
}

Object.defineProperty(Readable.prototype, 'compose', {
  value: function compose(stream, options) {
    if (options != null) validateObject(options, 'options');
    if (options?.signal != null) validateAbortSignal(options.signal, 'options.signal');
    const composed = composeStreams(this, stream);
    if (options?.signal) addAbortSignal(options.signal, composed);
    return composed;
  },
  enumerable: false,
  configurable: true,
  writable: true,
});

Readable.fromWeb = function (readableStream, options) {
  return web.newStreamReadableFromReadableStream(readableStream, options);
};
Readable.toWeb = function (streamReadable, options) {
  return web.newReadableStreamFromStreamReadable(streamReadable, options);
};
Writable.fromWeb = function (writableStream, options) {
  return web.newStreamWritableFromWritableStream(writableStream, options);
};
Writable.toWeb = function (streamWritable) {
  return web.newWritableStreamFromStreamWritable(streamWritable);
};
Duplex.fromWeb = function (pair, options) {
  return web.newStreamDuplexFromReadableWritablePair(pair, options);
};
Duplex.toWeb = function (duplex, options) {
  return web.newReadableWritablePairFromDuplex(duplex, options);
};
Duplex.from = function (body) {
  return duplexify(body, 'body');
};
Readable.isDisturbed = isDisturbed;

export function finished(stream, options, callback) {
  return eos.apply(this, arguments);
}
Object.defineProperty(finished, promisifyCustom, { value: finishedPromise, enumerable: false });
finished.finished = finishedPromise;

export function pipeline(...streams) {
  return pipelineCb(...streams);
}
Object.defineProperty(pipeline, promisifyCustom, { value: pipelinePromise, enumerable: false });

export const promises = { pipeline: pipelinePromise, finished: finishedPromise };

function destroy(stream, err) {
  destroyer(stream, err);
}

function isArrayBufferView(value) {
  return ArrayBuffer.isView(value);
}
function isUint8Array(value) {
  return value instanceof Uint8Array;
}
function uint8ArrayToBuffer(chunk) {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

// Node's `stream` export is the legacy Stream function with everything on it.
Object.assign(Stream, {
  Readable,
  Writable,
  Duplex,
  Transform,
  PassThrough,
  pipeline,
  finished,
  addAbortSignal,
  compose,
  destroy,
  isDestroyed,
  isDisturbed,
  isErrored,
  isReadable,
  isWritable,
  getDefaultHighWaterMark,
  setDefaultHighWaterMark,
  duplexPair,
  _isArrayBufferView: isArrayBufferView,
  _isUint8Array: isUint8Array,
  _uint8ArrayToBuffer: uint8ArrayToBuffer,
});
Object.defineProperty(Stream, 'promises', { configurable: true, enumerable: true, get: () => promises });
Stream.Stream = Stream;

export {
  Stream,
  Readable,
  Writable,
  Duplex,
  Transform,
  PassThrough,
  addAbortSignal,
  compose,
  destroy,
  isDestroyed,
  isDisturbed,
  isErrored,
  isReadable,
  isWritable,
  getDefaultHighWaterMark,
  setDefaultHighWaterMark,
  duplexPair,
  isArrayBufferView as _isArrayBufferView,
  isUint8Array as _isUint8Array,
  uint8ArrayToBuffer as _uint8ArrayToBuffer,
};
export default Stream;
