// Duplex = Readable + Writable on one object: it inherits from Readable and
// borrows Writable's methods; 'allowHalfOpen' decides whether the end of the
// readable side ends the writable side.
import { Readable, setDuplex as setReadableDuplex } from './readable.js';
import { Writable, setDuplex as setWritableDuplex } from './writable.js';

export function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  Readable.call(this, options);
  Writable.call(this, options);
  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) {
      this._readableState.readable = false;
      this._readableState.ended = true;
      this._readableState.endEmitted = true;
    }
    if (options.writable === false) {
      this._writableState.writable = false;
      this._writableState.ending = true;
      this._writableState.ended = true;
      this._writableState.finished = true;
    }
  } else {
    this.allowHalfOpen = true;
  }
}
Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
Object.setPrototypeOf(Duplex, Readable);
setReadableDuplex(Duplex);
setWritableDuplex(Duplex);

for (const method of Object.keys(Writable.prototype)) {
  if (!Duplex.prototype[method]) Duplex.prototype[method] = Writable.prototype[method];
}
// Writable's destroy also fails the queued writes.
Duplex.prototype.destroy = Writable.prototype.destroy;

const writableDescriptors = [
  'writable',
  'writableHighWaterMark',
  'writableObjectMode',
  'writableBuffer',
  'writableLength',
  'writableFinished',
  'writableCorked',
  'writableEnded',
  'writableNeedDrain',
];
for (const name of writableDescriptors) {
  Object.defineProperty(Duplex.prototype, name, {
    __proto__: null,
    ...Object.getOwnPropertyDescriptor(Writable.prototype, name),
  });
}

Object.defineProperty(Duplex.prototype, 'destroyed', {
  configurable: true,
  enumerable: false,
  get() {
    if (this._readableState === undefined || this._writableState === undefined) return false;
    return this._readableState.destroyed && this._writableState.destroyed;
  },
  set(value) {
    if (this._readableState && this._writableState) {
      this._readableState.destroyed = value;
      this._writableState.destroyed = value;
    }
  },
});
