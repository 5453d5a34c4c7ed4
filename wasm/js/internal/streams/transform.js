// Transform: a Duplex whose written chunks go through _transform into the
// readable side; the write callback waits while the readable side is full,
// which is how backpressure crosses from the reader to the writer.
import { codes } from '../errors.js';
import { nextTick } from '../next-tick.js';
import { Duplex } from './duplex.js';
import { getHighWaterMark, kState } from './state.js';

// The `ended` bits of ReadableState and WritableState (readable.js, writable.js), tested
// here directly: the shared flag getters are slow on this per-chunk path.
const kReadableEnded = 1 << 9;
const kWritableEnded = 1 << 30;

const { ERR_METHOD_NOT_IMPLEMENTED } = codes;
const kCallback = Symbol('kCallback');

export function Transform(options) {
  if (!(this instanceof Transform)) return new Transform(options);
  // A readable mark of 0 would stall the write side: give the writable side its own.
  const readableHighWaterMark = options ? getHighWaterMark(this, options, 'readableHighWaterMark', true) : null;
  if (readableHighWaterMark === 0) {
    options = {
      ...options,
      highWaterMark: null,
      readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark || 0,
    };
  }
  Duplex.call(this, options);
  // push() from _transform must be able to emit 'data' synchronously.
  this._readableState.sync = false;
  this[kCallback] = null;
  this[kWriteCallback] = null;
  this[kWriteLength] = 0;
  this[kOnTransformed] = undefined;
  if (options) {
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
  }
  this.on('prefinish', prefinish);
}
Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
Object.setPrototypeOf(Transform, Duplex);

function final(cb) {
  if (typeof this._flush === 'function' && !this.destroyed) {
    this._flush((er, data) => {
      if (er) {
        if (cb) cb(er);
        else this.destroy(er);
        return;
      }
      if (data != null) this.push(data);
      this.push(null);
      if (cb) cb();
    });
  } else {
    this.push(null);
    if (cb) cb();
  }
}

function prefinish() {
  if (this._final !== final) final.call(this);
}

Transform.prototype._final = final;

Transform.prototype._transform = function () {
  throw new ERR_METHOD_NOT_IMPLEMENTED('_transform()');
};

// One write is in flight at a time, so the callback of _write and the readable length
// it saw live on the stream, and _transform gets one per-stream function instead of
// a new closure per chunk.
const kWriteCallback = Symbol('kWriteCallback');
const kWriteLength = Symbol('kWriteLength');
const kOnTransformed = Symbol('kOnTransformed');

Transform.prototype._write = function (chunk, encoding, callback) {
  this[kWriteCallback] = callback;
  this[kWriteLength] = this._readableState.length;
  let done = this[kOnTransformed];
  if (done === undefined) {
    done = (err, val) => onTransformed(this, err, val);
    this[kOnTransformed] = done;
  }
  this._transform(chunk, encoding, done);
};

function onTransformed(stream, err, val) {
  const callback = stream[kWriteCallback];
  if (err) {
    callback(err);
    return;
  }
  const rState = stream._readableState;
  const length = stream[kWriteLength];
  if (val != null) stream.push(val);
  if ((rState[kState] & kReadableEnded) !== 0) {
    nextTick(callback);
  } else if (
    (stream._writableState[kState] & kWritableEnded) !== 0 ||
    length === rState.length ||
    rState.length < rState.highWaterMark
  ) {
    callback();
  } else {
    stream[kCallback] = callback;
  }
}

Transform.prototype._read = function () {
  if (this[kCallback]) {
    const callback = this[kCallback];
    this[kCallback] = null;
    this[kWriteCallback] = null;
    this[kWriteLength] = 0;
    this[kOnTransformed] = undefined;
    callback();
  }
};

export function PassThrough(options) {
  if (!(this instanceof PassThrough)) return new PassThrough(options);
  Transform.call(this, options);
}
Object.setPrototypeOf(PassThrough.prototype, Transform.prototype);
Object.setPrototypeOf(PassThrough, Transform);

PassThrough.prototype._transform = function (chunk, encoding, cb) {
  cb(null, chunk);
};
