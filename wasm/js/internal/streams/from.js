// Readable.from(iterable): a Readable in objectMode (by default) pulling from a
// sync or async iterator; strings and Buffers become ONE chunk, as in Node.
import { Buffer } from '../../buffer.js';
import { codes } from '../errors.js';
import { nextTick } from '../next-tick.js';
import { aggregateTwoErrors } from './utils.js';

const { ERR_INVALID_ARG_TYPE, ERR_STREAM_NULL_VALUES } = codes;

export function from(Readable, iterable, opts) {
  let iterator;
  if (typeof iterable === 'string' || iterable instanceof Buffer) {
    return new Readable({
      objectMode: true,
      ...opts,
      read() {
        this.push(iterable);
        this.push(null);
      },
    });
  }

  let isAsync;
  if (iterable && iterable[Symbol.asyncIterator]) {
    isAsync = true;
    iterator = iterable[Symbol.asyncIterator]();
  } else if (iterable && iterable[Symbol.iterator]) {
    isAsync = false;
    iterator = iterable[Symbol.iterator]();
  } else {
    throw new ERR_INVALID_ARG_TYPE('iterable', ['Iterable'], iterable);
  }

  const readable = new Readable({ objectMode: true, highWaterMark: 1, ...opts });
  // One pull loop at a time: _read may be called again while a next() is pending.
  let reading = false;

  readable._read = function () {
    if (!reading) {
      reading = true;
      next();
    }
  };

  // The `destroy` option (kept as the original _destroy) runs first, then the iterator is closed.
  const originalDestroy = readable._destroy;
  readable._destroy = function (error, cb) {
    originalDestroy.call(this, error, (destroyError) => {
      const combinedError = destroyError || error;
      close(combinedError).then(
        () => nextTick(cb, combinedError),
        (closeError) => nextTick(cb, aggregateTwoErrors(combinedError, closeError)),
      );
    });
  };

  async function close(error) {
    const hadError = error !== undefined && error !== null;
    const hasThrow = typeof iterator.throw === 'function';
    if (hadError && hasThrow) {
      const { value, done } = await iterator.throw(error);
      await value;
      if (done) return;
    }
    if (typeof iterator.return === 'function') {
      const { value } = await iterator.return();
      await value;
    }
  }

  async function next() {
    for (;;) {
      try {
        const { value, done } = isAsync ? await iterator.next() : iterator.next();
        if (done) {
          readable.push(null);
        } else {
          const res = value && typeof value.then === 'function' ? await value : value;
          if (res === null) {
            reading = false;
            throw new ERR_STREAM_NULL_VALUES();
          } else if (readable.push(res)) {
            continue;
          } else {
            reading = false;
          }
        }
      } catch (err) {
        readable.destroy(err);
      }
      break;
    }
  }
  return readable;
}
