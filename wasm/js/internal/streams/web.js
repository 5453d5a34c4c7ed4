// Bridges between Node streams and WHATWG streams (Readable.toWeb/fromWeb,
// Writable.toWeb/fromWeb, Duplex.toWeb/fromWeb).
import { Buffer } from '../../buffer.js';
import { codes, AbortError } from '../errors.js';
import { validateBoolean, validateObject, validateOneOf } from '../validators.js';
import { nextTick } from '../next-tick.js';
import { eos, kEosNodeSynchronousCallback } from './end-of-stream.js';
import * as destroyImpl from './destroy.js';
import {
  isDestroyed,
  isReadable,
  isReadableStream,
  isWritable,
  isWritableEnded,
  isWritableStream,
  nop,
} from './utils.js';

const { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_STREAM_PREMATURE_CLOSE } = codes;

// Readable/Writable import this module through duplexify; they are handed in by stream.js.
let R = null;
let W = null;
let D = null;
export function setClasses(Readable, Writable, Duplex) {
  R = Readable;
  W = Writable;
  D = Duplex;
}

function isAnyArrayBuffer(value) {
  return (
    value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer) ||
    Object.prototype.toString.call(value) === '[object ArrayBuffer]' ||
    Object.prototype.toString.call(value) === '[object SharedArrayBuffer]'
  );
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Node's mapping of a stream error for the web side: a premature close reads as an AbortError. */
function handleKnownInternalErrors(cause) {
  if (cause?.code === 'ERR_STREAM_PREMATURE_CLOSE') return new AbortError(undefined, { cause });
  return cause;
}

const kErrorSentinelAttached = Symbol('kErrorSentinelAttached');

export function newReadableStreamFromStreamReadable(streamReadable, options = {}) {
  // A Duplex whose readable side is off passes this check and gets a closed ReadableStream.
  if (typeof streamReadable?._readableState !== 'object') {
    throw new ERR_INVALID_ARG_TYPE('streamReadable', 'stream.Readable', streamReadable);
  }
  validateObject(options, 'options');
  if (options.type !== undefined) validateOneOf(options.type, 'options.type', ['bytes', undefined]);

  const isBYOB = options.type === 'bytes';
  let controller;
  let wasCanceled = false;
  let strategy;
  const underlyingSource = {
    type: isBYOB ? 'bytes' : undefined,
    start(c) {
      controller = c;
    },
    cancel(reason) {
      wasCanceled = true;
      destroyImpl.destroyer(streamReadable, reason);
    },
  };

  const readable = isReadable(streamReadable);
  const objectMode = streamReadable.readableObjectMode;
  if (readable) {
    underlyingSource.pull = function pull() {
      streamReadable.resume();
    };
    const highWaterMark = streamReadable.readableHighWaterMark;
    strategy = isBYOB
      ? { highWaterMark }
      : (options.strategy ?? new (objectMode ? CountQueuingStrategy : ByteLengthQueuingStrategy)({ highWaterMark }));
  }
  const readableStream = new ReadableStream(underlyingSource, strategy);

  // A Duplex's readable side completes without waiting for its writable side.
  let cleanup = nop;
  cleanup = eos(streamReadable, { writable: false, [kEosNodeSynchronousCallback]: true }, (error) => {
    error = handleKnownInternalErrors(error);
    // When eos calls back synchronously, cleanup is still a no-op here.
    cleanup();
    if (!(kErrorSentinelAttached in streamReadable)) {
      // Legacy streams may emit 'error' again after finishing.
      streamReadable.on('error', nop);
      streamReadable[kErrorSentinelAttached] = true;
    }
    if (wasCanceled) return;
    wasCanceled = true;
    if (error) return controller.error(error);
    controller.close();
    if (isBYOB) controller.byobRequest?.respond(0);
  });

  if (wasCanceled) {
    // eos called back synchronously.
    cleanup();
  } else if (readable) {
    streamReadable.pause();
    streamReadable.on('data', function onData(chunk) {
      // Web consumers get plain Uint8Arrays (a copy, detached from any pool), not Buffers.
      if (Buffer.isBuffer(chunk) && !objectMode) chunk = new Uint8Array(chunk);
      controller.enqueue(chunk);
      if (controller.desiredSize <= 0) streamReadable.pause();
    });
  }
  return readableStream;
}

export function newStreamReadableFromReadableStream(readableStream, options = {}) {
  if (!isReadableStream(readableStream)) {
    throw new ERR_INVALID_ARG_TYPE('readableStream', 'ReadableStream', readableStream);
  }
  validateObject(options, 'options');
  const { highWaterMark, encoding, objectMode = false, signal } = options;
  if (encoding !== undefined && !Buffer.isEncoding(encoding)) {
    throw new ERR_INVALID_ARG_VALUE(encoding, 'options.encoding');
  }
  validateBoolean(objectMode, 'options.objectMode');
  const reader = readableStream.getReader();
  let closed = false;
  const readable = new R({
    objectMode,
    highWaterMark,
    encoding,
    signal,
    read() {
      reader.read().then(
        (chunk) => {
          if (chunk.done) readable.push(null);
          else readable.push(chunk.value);
        },
        (error) => destroyImpl.destroyer(readable, error),
      );
    },
    destroy(error, callback) {
      function done() {
        try {
          callback(error);
        } catch (err) {
          nextTick(() => {
            throw err;
          });
        }
      }
      if (!closed) {
        reader.cancel(error).then(done, done);
        return;
      }
      done();
    },
  });
  reader.closed.then(
    () => {
      closed = true;
    },
    (error) => {
      closed = true;
      destroyImpl.destroyer(readable, error);
    },
  );
  return readable;
}

export function newWritableStreamFromStreamWritable(streamWritable) {
  // A stream.Writable or anything that writes like one (an http OutgoingMessage);
  // a Duplex whose writable side is off gets a closed WritableStream.
  if (!streamWritable || typeof streamWritable.write !== 'function' || typeof streamWritable.on !== 'function') {
    throw new ERR_INVALID_ARG_TYPE('streamWritable', 'stream.Writable', streamWritable);
  }
  if (isDestroyed(streamWritable) || !isWritable(streamWritable)) {
    const writable = new WritableStream();
    writable.close();
    return writable;
  }
  const highWaterMark = streamWritable.writableHighWaterMark;
  const strategy = streamWritable.writableObjectMode
    ? new CountQueuingStrategy({ highWaterMark })
    : {
        highWaterMark,
        size(chunk) {
          return chunk?.byteLength ?? chunk?.length ?? 1;
        },
      };
  let controller;
  let backpressurePromise;
  let closed;

  function onDrain() {
    if (backpressurePromise !== undefined) backpressurePromise.resolve();
  }
  const cleanup = eos(streamWritable, (error) => {
    error = handleKnownInternalErrors(error);
    cleanup();
    // The web side reports the error now; keep the node side from throwing it again.
    streamWritable.on('error', () => {});
    if (error != null) {
      if (backpressurePromise !== undefined) backpressurePromise.reject(error);
      if (closed !== undefined) {
        closed.reject(error);
        closed = undefined;
      }
      controller?.error(error);
      controller = undefined;
      return;
    }
    if (closed !== undefined) {
      closed.resolve();
      closed = undefined;
      return;
    }
    controller?.error(new AbortError());
    controller = undefined;
  });
  streamWritable.on('drain', onDrain);

  return new WritableStream(
    {
      start(c) {
        controller = c;
      },
      write(chunk) {
        if (!streamWritable.writableObjectMode && isAnyArrayBuffer(chunk)) chunk = new Uint8Array(chunk);
        if (streamWritable.writableNeedDrain || !streamWritable.write(chunk)) {
          backpressurePromise = deferred();
          if (!streamWritable.writableNeedDrain) backpressurePromise.resolve();
          return backpressurePromise.promise.finally(() => {
            backpressurePromise = undefined;
          });
        }
        return undefined;
      },
      abort(reason) {
        destroyImpl.destroyer(streamWritable, reason);
      },
      close() {
        if (closed === undefined && !isWritableEnded(streamWritable)) {
          closed = deferred();
          streamWritable.end();
          return closed.promise;
        }
        controller = undefined;
        return Promise.resolve();
      },
    },
    strategy,
  );
}

export function newStreamWritableFromWritableStream(writableStream, options = {}) {
  if (!isWritableStream(writableStream)) {
    throw new ERR_INVALID_ARG_TYPE('writableStream', 'WritableStream', writableStream);
  }
  validateObject(options, 'options');
  const { highWaterMark, decodeStrings = true, objectMode = false, signal } = options;
  validateBoolean(objectMode, 'options.objectMode');
  validateBoolean(decodeStrings, 'options.decodeStrings');
  const writer = writableStream.getWriter();
  let closed = false;
  const writable = new W({
    highWaterMark,
    objectMode,
    decodeStrings,
    signal,
    writev(chunks, callback) {
      function done(error) {
        error = Array.isArray(error) ? error.filter((e) => e) : [error].filter((e) => e);
        try {
          callback(error.length === 0 ? undefined : error[0]);
        } catch (err) {
          nextTick(() => destroyImpl.destroyer(writable, err));
        }
      }
      writer.ready.then(() => Promise.all(chunks.map((data) => writer.write(data.chunk))).then(done, done), done);
    },
    write(chunk, encoding, callback) {
      if (typeof chunk === 'string' && decodeStrings && !objectMode) chunk = Buffer.from(chunk, encoding);
      function done(error) {
        try {
          callback(error);
        } catch (err) {
          destroyImpl.destroyer(writable, err);
        }
      }
      writer.ready.then(() => writer.write(chunk).then(done, done), done);
    },
    destroy(error, callback) {
      function done() {
        try {
          callback(error);
        } catch (err) {
          nextTick(() => {
            throw err;
          });
        }
      }
      if (!closed) {
        if (error != null) writer.abort(error).then(done, done);
        else writer.close().then(done, done);
        return;
      }
      done();
    },
    final(callback) {
      function done(error) {
        try {
          callback(error);
        } catch (err) {
          nextTick(() => destroyImpl.destroyer(writable, err));
        }
      }
      if (!closed) writer.close().then(done, done);
    },
  });
  writer.closed.then(
    () => {
      closed = true;
      if (!isWritableEnded(writable)) destroyImpl.destroyer(writable, new ERR_STREAM_PREMATURE_CLOSE());
    },
    (error) => {
      closed = true;
      destroyImpl.destroyer(writable, error);
    },
  );
  return writable;
}

export function newReadableWritablePairFromDuplex(duplex, options = {}) {
  // Sides that are off are checked below and come out closed.
  if (typeof duplex?._writableState !== 'object' || typeof duplex?._readableState !== 'object') {
    throw new ERR_INVALID_ARG_TYPE('duplex', 'stream.Duplex', duplex);
  }
  validateObject(options, 'options');
  // `type` is the older name of `readableType`.
  const readableOptions = { type: options.readableType ?? options.type };
  if (isDestroyed(duplex)) {
    const writable = new WritableStream();
    const readable = new ReadableStream({ type: readableOptions.type });
    writable.close();
    readable.cancel();
    return { readable, writable };
  }
  const writable = isWritable(duplex) ? newWritableStreamFromStreamWritable(duplex) : new WritableStream();
  if (!isWritable(duplex)) writable.close();
  const readable = isReadable(duplex)
    ? newReadableStreamFromStreamReadable(duplex, readableOptions)
    : new ReadableStream({ type: readableOptions.type });
  if (!isReadable(duplex)) readable.cancel();
  return { writable, readable };
}

export function newStreamDuplexFromReadableWritablePair(pair = {}, options = {}) {
  validateObject(pair, 'pair');
  const { readable: readableStream, writable: writableStream } = pair;
  if (!isReadableStream(readableStream)) {
    throw new ERR_INVALID_ARG_TYPE('pair.readable', 'ReadableStream', readableStream);
  }
  if (!isWritableStream(writableStream)) {
    throw new ERR_INVALID_ARG_TYPE('pair.writable', 'WritableStream', writableStream);
  }
  const r = newStreamReadableFromReadableStream(readableStream, options);
  const w = newStreamWritableFromWritableStream(writableStream, options);
  const d = new D({
    ...options,
    read() {
      const chunk = r.read();
      if (chunk !== null) this.push(chunk);
      else r.once('readable', () => this._read());
    },
    write(chunk, encoding, cb) {
      w.write(chunk, encoding, cb);
    },
    final(cb) {
      w.end(cb);
    },
    destroy(err, cb) {
      r.destroy(err);
      w.destroy(err);
      cb(err);
    },
  });
  r.on('end', () => d.push(null));
  r.on('error', (err) => d.destroy(err));
  w.on('error', (err) => d.destroy(err));
  return d;
}
