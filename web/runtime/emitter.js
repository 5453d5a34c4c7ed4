// The EventEmitter the runtime's own objects (process, Worker, ChildProcess,
// servers) extend: ferrode's when `ferrode/events` is available, so that
// `instanceof EventEmitter` holds for user code; until then a small one with
// the same listener order and unhandled-'error' behaviour. It is never
// exposed as the `events` module.
import { ferrode } from './ferrode.js';

class SmallEmitter {
  constructor() {
    Object.defineProperty(this, '_ev', { value: new Map(), writable: true, enumerable: false });
  }
  _list(name) {
    let l = this._ev.get(name);
    if (!l) this._ev.set(name, (l = []));
    return l;
  }
  on(name, fn) {
    if (this._ev.has('newListener')) this.emit('newListener', name, fn);
    this._list(name).push(fn);
    return this;
  }
  addListener(name, fn) {
    return this.on(name, fn);
  }
  prependListener(name, fn) {
    this._list(name).unshift(fn);
    return this;
  }
  once(name, fn) {
    const wrapped = (...args) => {
      this.removeListener(name, wrapped);
      return fn.apply(this, args);
    };
    wrapped.listener = fn;
    return this.on(name, wrapped);
  }
  off(name, fn) {
    return this.removeListener(name, fn);
  }
  removeListener(name, fn) {
    const l = this._ev.get(name);
    if (!l) return this;
    const i = l.findIndex((x) => x === fn || x.listener === fn);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 0) this._ev.delete(name);
    if (this._ev.has('removeListener')) this.emit('removeListener', name, fn);
    return this;
  }
  removeAllListeners(name) {
    if (name === undefined) this._ev.clear();
    else this._ev.delete(name);
    return this;
  }
  emit(name, ...args) {
    const l = this._ev.get(name);
    if (!l || l.length === 0) {
      if (name === 'error') {
        const err = args[0];
        if (err instanceof Error) throw err;
        const e = new Error(`Unhandled error. (${String(err)})`);
        e.code = 'ERR_UNHANDLED_ERROR';
        e.context = err;
        throw e;
      }
      return false;
    }
    for (const fn of [...l]) fn.apply(this, args);
    return true;
  }
  listenerCount(name) {
    return this._ev.get(name)?.length ?? 0;
  }
  listeners(name) {
    return (this._ev.get(name) ?? []).map((f) => f.listener ?? f);
  }
  eventNames() {
    return [...this._ev.keys()];
  }
  setMaxListeners() {
    return this;
  }
  getMaxListeners() {
    return 10;
  }
}

/** The base class for the runtime's emitters. */
export function emitterBase() {
  const events = ferrode.get('events');
  const EE = events?.EventEmitter ?? events?.default;
  return typeof EE === 'function' ? EE : SmallEmitter;
}
