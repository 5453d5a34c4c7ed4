// Bridges between Node streams and WHATWG streams (Readable.toWeb/fromWeb,
// Writable.toWeb/fromWeb, Duplex.toWeb/fromWeb).
import { Buffer } from '../../buffer.js';
import { codes, AbortError } from '../errors.js';
import { validateBoolean, validateObject } from '../validators.js';
import { nextTick } from '../next-tick.js';
import { eos } from './end-of-stream.js';
import * as destroyImpl from './destroy.js';
import {
  isDestroyed,
  isReadable,
  isReadableNodeStream,
  isReadableStream,
  isWritable,
  isWritableEnded,
  isWritableNodeStream,
  isWritableStream,
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

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function newReadableStreamFromStreamReadable(streamReadable, options = {}) {
  if (typeof streamReadable?._readableState !== 'object') {
    throw new ERR_INVALID_ARG_TYPE('streamReadable', 'stream.Readable', streamReadable);
  }
  if (isDestroyed(streamReadable) || !isReadable(streamReadable)) {
    const readable = new ReadableStream();
    readable.cancel();
    return readable;
  }
  const objectMode = streamReadable.readableObjectMode;
  const highWaterMark = streamReadable.readableHighWaterMark;
  const strategy = options?.strategy ?? (objectMode ? new CountQueuingStrategy({ highWaterMark }) : { highWaterMark });
  let controller;

  function onData(chunk) {
    // Web consumers get plain Uint8Arrays, not Buffers.
    if (Buffer.isBuffer(chunk) && !objectMode) chunk = new Uint8Array(chunk);
    controller.enqueue(chunk);
    if (controller.desiredSize <= 0) streamReadable.pause();
  }
  function onFinished(error) {
    cleanup();
    if (error?.code === 'ERR_STREAM_PREMATURE_CLOSE') error = new AbortError(undefined, { cause: error });
    if (error) return controller.error(error);
    controller.close();
  }
  streamReadable.pause();
  const cleanup = eos(streamReadable, onFinished);
  streamReadable.on('data', onData);
  return new ReadableStream(
    {
      start(c) {
        controller = c;
      },
      pull() {
        streamReadable.resume();
      },
      cancel(reason) {
        destroyImpl.destroyer(streamReadable, reason);
      },
    },
    strategy,
  );
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
  if (typeof streamWritable?._writableState !== 'object') {
    throw new ERR_INVALID_ARG_TYPE('streamWritable', 'stream.Writable', streamWritable);
  }
  if (isDestroyed(streamWritable) || !isWritable(streamWritable)) {
    const writable = new WritableStream();
    writable.close();
    return writable;
  }
  const highWaterMark = streamWritable.writableHighWaterMark;
  const strategy = streamWritable.writableObjectMode ? new CountQueuingStrategy({ highWaterMark }) : { highWaterMark };
  let controller;
  let backpressurePromise;
  let closed;

  function onDrain() {
    if (backpressurePromise !== undefined) backpressurePromise.resolve();
  }
  const cleanup = eos(streamWritable, (error) => {
    if (error?.code === 'ERR_STREAM_PREMATURE_CLOSE') error = new AbortError(undefined, { cause: error });
    cleanup();
    // The web side reports the error now; keep the node side from throwing it again.
    streamWritable.on('error', () => {});
    if (error != null) {
      if (backpressurePromise !== undefined) backpressurePromise.reject(error);
      if (closed !== undefined) {
        closed.reject(error);
        closed = undefined;
      }
      controller.error(error);
      controller = undefined;
      return;
    }
    if (closed !== undefined) {
      closed.resolve();
      closed = undefined;
      return;
    }
    controller.error(new AbortError());
    controller = undefined;
  });
  streamWritable.on('drain', onDrain);

  return new WritableStream(
    {
      start(c) {
        controller = c;
      },
      write(chunk) {
        if (streamWritable.writableNeedDrain || !streamWritable.write(chunk)) {
          backpressurePromise = deferred();
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

export function newReadableWritablePairFromDuplex(duplex) {
  if (!isReadableNodeStream(duplex) || !isWritableNodeStream(duplex) || typeof duplex._writableState !== 'object') {
    throw new ERR_INVALID_ARG_TYPE('duplex', 'stream.Duplex', duplex);
  }
  return {
    readable: newReadableStreamFromStreamReadable(duplex),
    writable: newWritableStreamFromStreamWritable(duplex),
  };
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
