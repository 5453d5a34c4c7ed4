// duplexPair([options]): two Duplex streams wired back to back; what one side
// writes the other side reads. A write's callback waits until the other side's
// reader asks for more, so backpressure crosses the pair.
import { nextTick } from '../next-tick.js';
import { Duplex } from './duplex.js';

const kCallback = Symbol('kCallback');
const kOther = Symbol('kOther');

function DuplexSide(options) {
  Duplex.call(this, options);
  this[kCallback] = null;
  this[kOther] = null;
}
Object.setPrototypeOf(DuplexSide.prototype, Duplex.prototype);
Object.setPrototypeOf(DuplexSide, Duplex);

DuplexSide.prototype._read = function () {
  const callback = this[kCallback];
  if (callback) {
    this[kCallback] = null;
    callback();
  }
};

DuplexSide.prototype._write = function (chunk, encoding, callback) {
  if (chunk.length === 0) {
    nextTick(callback);
    return;
  }
  const other = this[kOther];
  other.push(chunk);
  other[kCallback] = callback;
};

DuplexSide.prototype._final = function (callback) {
  const other = this[kOther];
  other.on('end', callback);
  other.push(null);
};

// Destroying one side ends the other on the next tick: destroyed without the
// error (so it does not raise an unhandled 'error'), or ended when there is none.
DuplexSide.prototype._destroy = function (err, callback) {
  const other = this[kOther];
  if (other !== null && !other.destroyed) {
    nextTick(() => {
      if (other.destroyed) return;
      if (err) other.destroy();
      else other.push(null);
    });
  }
  callback(err);
};

export function duplexPair(options) {
  const a = new DuplexSide(options);
  const b = new DuplexSide(options);
  a[kOther] = b;
  b[kOther] = a;
  return [a, b];
}
