// Node's timers on top of the worker's: Timeout objects with ref/unref/
// refresh/hasRef and a numeric primitive, Immediate objects, and
// timers/promises. Every ref'd timer keeps the process alive.
import { invoke, hold, setTimeoutNative, clearTimeoutNative } from './loop.js';
import { codes } from './errors.js';

const immediateChannel = new MessageChannel();
const immediates = [];
immediateChannel.port1.onmessage = () => {
  const batch = immediates.splice(0, immediates.length);
  for (const im of batch) {
    if (im._cleared) continue;
    im._cleared = true;
    im._release?.();
    invoke(im._onImmediate, undefined, im._args);
  }
};

let nextId = 1;
const byId = new Map();

function checkCallback(fn) {
  if (typeof fn !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('callback', 'function', fn);
}

function delayOf(ms) {
  ms = Number(ms);
  if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
  return ms;
}

export class Timeout {
  constructor(fn, ms, args, repeat) {
    this._idleTimeout = delayOf(ms);
    this._onTimeout = fn;
    this._timerArgs = args;
    this._repeat = repeat ? this._idleTimeout : null;
    this._destroyed = false;
    this._id = nextId++;
    this._release = hold();
    byId.set(this._id, this);
    this._arm();
  }
  _arm() {
    this._native = setTimeoutNative(() => this._fire(), this._idleTimeout);
  }
  _fire() {
    if (this._destroyed) return;
    if (this._repeat === null) {
      this._destroyed = true;
      byId.delete(this._id);
      const release = this._release;
      this._release = null;
      try {
        invoke(this._onTimeout, this, this._timerArgs);
      } finally {
        release?.();
      }
    } else {
      this._arm();
      invoke(this._onTimeout, this, this._timerArgs);
    }
  }
  _clear() {
    if (this._destroyed) return;
    this._destroyed = true;
    byId.delete(this._id);
    clearTimeoutNative(this._native);
    this._release?.();
    this._release = null;
  }
  ref() {
    if (!this._destroyed && this._release === null) this._release = hold();
    return this;
  }
  unref() {
    this._release?.();
    this._release = null;
    return this;
  }
  hasRef() {
    return this._release !== null;
  }
  refresh() {
    if (!this._destroyed) {
      clearTimeoutNative(this._native);
      this._arm();
    }
    return this;
  }
  close() {
    this._clear();
    return this;
  }
  [Symbol.toPrimitive]() {
    return this._id;
  }
}

export class Immediate {
  constructor(fn, args) {
    this._onImmediate = fn;
    this._args = args;
    this._cleared = false;
    this._release = hold();
    immediates.push(this);
    if (immediates.length === 1) immediateChannel.port2.postMessage(0);
  }
  ref() {
    if (!this._cleared && !this._release) this._release = hold();
    return this;
  }
  unref() {
    this._release?.();
    this._release = null;
    return this;
  }
  hasRef() {
    return Boolean(this._release);
  }
}

export function setTimeout(fn, ms, ...args) {
  checkCallback(fn);
  return new Timeout(fn, ms, args, false);
}
export function setInterval(fn, ms, ...args) {
  checkCallback(fn);
  return new Timeout(fn, ms, args, true);
}
export function clearTimeout(t) {
  if (t instanceof Timeout) t._clear();
  else if (typeof t === 'number' || typeof t === 'string') byId.get(Number(t))?._clear();
}
export const clearInterval = clearTimeout;
export function setImmediate(fn, ...args) {
  checkCallback(fn);
  return new Immediate(fn, args);
}
export function clearImmediate(im) {
  if (im instanceof Immediate && !im._cleared) {
    im._cleared = true;
    im._release?.();
  }
}

function abortError(signal) {
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  err.code = 'ABORT_ERR';
  if (signal?.reason !== undefined) err.cause = signal.reason;
  return err;
}

export const promises = {
  setTimeout(ms, value, options = {}) {
    return new Promise((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted) return reject(abortError(signal));
      const t = setTimeout(() => resolve(value), ms);
      if (options?.ref === false) t.unref();
      signal?.addEventListener(
        'abort',
        () => {
          t._clear();
          reject(abortError(signal));
        },
        { once: true },
      );
    });
  },
  setImmediate(value, options = {}) {
    return new Promise((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted) return reject(abortError(signal));
      const im = setImmediate(() => resolve(value));
      signal?.addEventListener(
        'abort',
        () => {
          clearImmediate(im);
          reject(abortError(signal));
        },
        { once: true },
      );
    });
  },
  async *setInterval(ms, value, options = {}) {
    const signal = options?.signal;
    let wake = null;
    let count = 0;
    const t = setInterval(() => {
      count++;
      wake?.();
    }, ms);
    try {
      while (true) {
        if (signal?.aborted) throw abortError(signal);
        if (count === 0) await new Promise((r) => (wake = r));
        wake = null;
        if (signal?.aborted) throw abortError(signal);
        count--;
        yield value;
      }
    } finally {
      t._clear();
    }
  },
  scheduler: {
    wait: (ms, options) => promises.setTimeout(ms, undefined, options),
    yield: () => promises.setImmediate(),
  },
};

export const timersModule = {
  setTimeout,
  setInterval,
  setImmediate,
  clearTimeout,
  clearInterval,
  clearImmediate,
  promises,
};
