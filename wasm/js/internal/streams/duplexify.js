// Duplex.from(body): turns streams, { readable, writable } pairs, (async)
// iterables, async generator functions, promises and web streams into a Duplex.
import { codes, AbortError } from '../errors.js';
import { nextTick } from '../next-tick.js';
import { Duplex } from './duplex.js';
import { Readable } from './readable.js';
import { eos } from './end-of-stream.js';
import * as destroyImpl from './destroy.js';
import { from } from './from.js';
import { newStreamReadableFromReadableStream, newStreamWritableFromWritableStream } from './web.js';
import {
  isDuplexNodeStream,
  isIterable,
  isNodeStream,
  isReadable,
  isReadableNodeStream,
  isReadableStream,
  isWritable,
  isWritableNodeStream,
  isWritableStream,
} from './utils.js';

const { ERR_INVALID_ARG_TYPE, ERR_INVALID_RETURN_VALUE } = codes;

let Duplexify = null;
function getDuplexify() {
  if (Duplexify === null) {
    Duplexify = function Duplexify(options) {
      Duplex.call(this, options);
      // The sides that are not there count as already done.
      if (options?.readable === false) {
        this._readableState.readable = false;
        this._readableState.ended = true;
        this._readableState.endEmitted = true;
      }
      if (options?.writable === false) {
        this._writableState.writable = false;
        this._writableState.ending = true;
        this._writableState.ended = true;
        this._writableState.finished = true;
      }
    };
    Object.setPrototypeOf(Duplexify.prototype, Duplex.prototype);
    Object.setPrototypeOf(Duplexify, Duplex);
  }
  return Duplexify;
}

export function duplexify(body, name) {
  if (isDuplexNodeStream(body)) return body;
  if (isReadableNodeStream(body)) return fromPair({ readable: body });
  if (isWritableNodeStream(body)) return fromPair({ writable: body });
  if (isNodeStream(body)) return fromPair({ writable: false, readable: false });
  if (isReadableStream(body)) return fromPair({ readable: newStreamReadableFromReadableStream(body) });
  if (isWritableStream(body)) return fromPair({ writable: newStreamWritableFromWritableStream(body) });

  if (typeof body === 'function') {
    const { value, write, final, destroy } = fromAsyncGen(body);
    if (isIterable(value)) {
      return from(getDuplexify(), value, { objectMode: true, write, final, destroy });
    }
    const then = value?.then;
    if (typeof then === 'function') {
      let d;
      const promise = then.call(
        value,
        (val) => {
          if (val != null) throw new ERR_INVALID_RETURN_VALUE('nully', 'body', val);
        },
        (err) => {
          destroyImpl.destroyer(d, err);
        },
      );
      const D = getDuplexify();
      d = new D({
        objectMode: true,
        readable: false,
        write,
        final(cb) {
          final(async () => {
            try {
              await promise;
              nextTick(cb, null);
            } catch (err) {
              nextTick(cb, err);
            }
          });
        },
        destroy,
      });
      return d;
    }
    throw new ERR_INVALID_RETURN_VALUE('Iterable, AsyncIterable or AsyncFunction', name, value);
  }

  // A Blob reads as one ArrayBuffer chunk (Node: duplexify(blob.arrayBuffer())).
  if (isBlob(body)) return duplexify(body.arrayBuffer());

  if (isIterable(body)) return from(getDuplexify(), body, { objectMode: true, writable: false });

  if (isReadableStream(body?.readable) && isWritableStream(body?.writable)) {
    return fromPair({
      readable: newStreamReadableFromReadableStream(body.readable),
      writable: newStreamWritableFromWritableStream(body.writable),
    });
  }

  if (typeof body?.writable === 'object' || typeof body?.readable === 'object') {
    const readable = body?.readable
      ? isReadableNodeStream(body?.readable)
        ? body?.readable
        : duplexify(body.readable)
      : undefined;
    const writable = body?.writable
      ? isWritableNodeStream(body?.writable)
        ? body?.writable
        : duplexify(body.writable)
      : undefined;
    return fromPair({ readable, writable });
  }

  const then = body?.then;
  if (typeof then === 'function') {
    let d;
    then.call(
      body,
      (val) => {
        if (val != null) d.push(val);
        d.push(null);
      },
      (err) => {
        destroyImpl.destroyer(d, err);
      },
    );
    const D = getDuplexify();
    d = new D({ objectMode: true, writable: false, read() {} });
    return d;
  }

  throw new ERR_INVALID_ARG_TYPE(
    name,
    [
      'Blob',
      'ReadableStream',
      'WritableStream',
      'Stream',
      'Iterable',
      'AsyncIterable',
      'Function',
      '{ readable, writable } pair',
      'Promise',
    ],
    body,
  );
}

function isBlob(body) {
  return typeof Blob === 'function' && body instanceof Blob;
}

function fromAsyncGen(fn) {
  let { promise, resolve } = withResolvers();
  const ac = new AbortController();
  const signal = ac.signal;
  const value = fn(
    (async function* () {
      while (true) {
        const _promise = promise;
        promise = null;
        const { chunk, done, cb } = await _promise;
        nextTick(cb);
        if (done) return;
        if (signal.aborted) throw new AbortError(undefined, { cause: signal.reason });
        ({ promise, resolve } = withResolvers());
        yield chunk;
      }
    })(),
    { signal },
  );
  return {
    value,
    write(chunk, encoding, cb) {
      const _resolve = resolve;
      resolve = null;
      _resolve({ chunk, done: false, cb });
    },
    final(cb) {
      const _resolve = resolve;
      resolve = null;
      _resolve({ done: true, cb });
    },
    destroy(err, cb) {
      ac.abort(err);
      // A source waiting for the next write or final is released, so that the
      // readable side sees the abort and can finish destroying.
      if (resolve !== null) {
        const _resolve = resolve;
        resolve = null;
        _resolve({ done: true, cb() {} });
      }
      cb(err);
    },
  };
}

function withResolvers() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function fromPair(pair) {
  const r = pair.readable && typeof pair.readable.read !== 'function' ? Readable.wrap(pair.readable) : pair.readable;
  const w = pair.writable;
  let readable = !!isReadable(r);
  let writable = !!isWritable(w);
  let forwarding = null;
  let stopReading = null;
  let onclose;
  let d;

  function onfinished(err) {
    const cb = onclose;
    onclose = null;
    if (cb) cb(err);
    else if (err) d.destroy(err);
  }

  const D = getDuplexify();
  d = new D({
    readableObjectMode: !!r?.readableObjectMode,
    writableObjectMode: !!w?.writableObjectMode,
    readable,
    writable,
  });

  if (writable) {
    eos(w, (err) => {
      writable = false;
      if (err) destroyImpl.destroyer(r, err);
      onfinished(err);
    });
    forwarding = forwardWritable(d, w);
    w.on('finish', forwarding.finished);
  }

  if (readable) {
    eos(r, (err) => {
      readable = false;
      // A readable-side error reaches the writable side too.
      if (err) destroyImpl.destroyer(w, err);
      onfinished(err);
    });
    stopReading = forwardReadable(d, r);
  }

  d._destroy = function (err, callback) {
    if (!err && onclose !== null) err = new AbortError();
    if (stopReading !== null) stopReading();
    if (forwarding !== null) forwarding.drop();
    if (onclose === null) {
      callback(err);
    } else {
      onclose = callback;
      destroyImpl.destroyer(w, err);
      destroyImpl.destroyer(r, err);
    }
  };
  return d;
}

/**
 * A slot for one parked callback: `park(cb)` holds it, `release()` calls and
 * clears it, `drop()` clears it.
 */
function callbackSlot() {
  let parked = null;
  return {
    park(cb) {
      parked = cb;
    },
    release() {
      const cb = parked;
      parked = null;
      if (cb) cb();
    },
    drop() {
      parked = null;
    },
  };
}

/**
 * Makes `d`'s writable side hand its writes to Node writable `w`: `d._write`
 * waits for 'drain' when `w` is full, `d._final` ends `w` and waits until the
 * caller, which knows when the end has gone through, calls `finished()`.
 * Returns `{ finished, drop }`; `drop()` forgets pending callbacks (for `_destroy`).
 */
export function forwardWritable(d, w) {
  const ondrain = callbackSlot();
  const onfinish = callbackSlot();
  d._write = function (chunk, encoding, callback) {
    if (w.write(chunk, encoding)) callback();
    else ondrain.park(callback);
  };
  d._final = function (callback) {
    w.end();
    onfinish.park(callback);
  };
  w.on('drain', ondrain.release);
  return {
    finished: onfinish.release,
    drop() {
      ondrain.drop();
      onfinish.drop();
    },
  };
}

/**
 * As forwardWritable, to web WritableStream `w`: `d._write` waits until `w`
 * is ready, `d._final` closes it and waits for `finished()`.
 */
export function forwardToWebWritable(d, w) {
  const writer = w.getWriter();
  const onfinish = callbackSlot();
  d._write = async function (chunk, encoding, callback) {
    try {
      await writer.ready;
      writer.write(chunk).catch(() => {});
      callback();
    } catch (err) {
      callback(err);
    }
  };
  d._final = async function (callback) {
    try {
      await writer.ready;
      writer.close().catch(() => {});
      onfinish.park(callback);
    } catch (err) {
      callback(err);
    }
  };
  return { finished: onfinish.release, drop: onfinish.drop };
}

/**
 * Makes `d`'s readable side hand out what Node readable `r` yields: `d._read`
 * drains `r` until `d` is full or `r` is empty, and resumes on 'readable'.
 * Returns a function that drops a pending resume (for `_destroy`).
 */
export function forwardReadable(d, r) {
  const onreadable = callbackSlot();
  r.on('readable', onreadable.release);
  r.on('end', function () {
    d.push(null);
  });
  d._read = function () {
    while (true) {
      const buf = r.read();
      if (buf === null) {
        onreadable.park(d._read);
        return;
      }
      if (!d.push(buf)) return;
    }
  };
  return onreadable.drop;
}
