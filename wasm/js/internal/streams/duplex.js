// Duplex = Readable + Writable on one object: it inherits from Readable and
// borrows Writable's methods; 'allowHalfOpen' decides whether the end of the
// readable side ends the writable side.
import { Readable, setDuplex as setReadableDuplex } from './readable.js';
import { Writable, setDuplex as setWritableDuplex } from './writable.js';
import { Stream } from './legacy.js';
import * as destroyImpl from './destroy.js';
import { kOnConstructed } from './state.js';

export function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  // Both sides' common events first, as Node 24 lays `_events` out.
  if (this._events === undefined) {
    this._events = {
      close: undefined,
      error: undefined,
      prefinish: undefined,
      finish: undefined,
      drain: undefined,
      data: undefined,
      end: undefined,
      readable: undefined,
    };
  }
  this._readableState = new Readable.ReadableState(options, this, true);
  this._writableState = new Writable.WritableState(options, this, true);
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
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignalImpl(options.signal, this);
  } else {
    this.allowHalfOpen = true;
  }
  Stream.call(this, options);
  if (this._construct != null) {
    destroyImpl.construct(this, () => {
      this._readableState[kOnConstructed](this);
      this._writableState[kOnConstructed](this);
    });
  }
}

let addAbortSignalImpl = null;
/** stream.js hands addAbortSignal over (its module imports this one). */
export function setAddAbortSignal(fn) {
  addAbortSignalImpl = fn;
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
