// ferrode/events: Node 20's EventEmitter and the static helpers of `node:events`.
//
// Who owns what:
// - JS (this file) keeps each emitter's listener lists and runs emit() itself.
//   Listeners, `this`, arguments and errors are JS values, and emit() is the
//   hottest path of every stream: crossing into wasm on each emit would cost a
//   call and a lookup table for the functions on top of the work done here.
//   Measured in bench/events.mjs (row "JS lists vs a wasm call per emit"): one
//   bare call into wasm per emit, with no lookup at all, already makes a
//   1-listener emit about 12% slower (~20 ns -> ~23 ns per emit in Node 20 on a
//   loaded 2-core machine; noisy).
// - core/src/events (Rust) holds the same rules as a sans-I/O model (listener
//   ids with once/prepend flags, snapshot-at-emit order, the max-listeners
//   warning decision, the error-without-listener outcome) for the companion
//   server, which embeds it from tokio.
// - Both follow the same rules; tests/node/events-model.test.mjs and the Rust
//   test `events::scenario` run one shared JSON scenario and must produce the
//   same trace.
//
// Listener storage follows Node's observable shape (`_events[type]` is the
// listener function, or an array of them when there are several;
// `_eventsCount`, `_maxListeners`), because libraries read and even mutate those
// fields. Arrays are mutated in place and emit() iterates a copy, as in Node: a
// copy-on-write variant saved the copy but differed from Node when a
// 'removeListener' listener removes siblings during removeAllListeners(type)
// (tests/node/events-random.test.mjs found it).
import { codes, AbortError } from './internal/errors.js';
import {
  validateAbortSignal,
  validateBoolean,
  validateFunction,
  validateInteger,
  validateNumber,
} from './internal/validators.js';
import { inspect, inspectShallow } from './internal/events-inspect.js';
import { nextTick } from './internal/next-tick.js';
import { eventTargetListeners, isEventTarget } from './internal/events-target.js';

const { ERR_INVALID_ARG_TYPE, ERR_UNHANDLED_ERROR } = codes;

const kCapture = Symbol('kCapture');
const kShapeMode = Symbol('shapeMode');
const kRejection = Symbol.for('nodejs.rejection');
/** Symbol for listeners that observe 'error' without handling it. */
export const errorMonitor = Symbol('events.errorMonitor');
/** Node's per-EventTarget max-listeners slots (statics of EventEmitter, as in Node). */
const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
const kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');
const SymbolDispose = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : Symbol.for('nodejs.dispose');

let defaultMaxListeners = 10;
let captureRejections = false;

function checkListener(listener) {
  validateFunction(listener, 'listener');
}

/**
 * Node's EventEmitter. A plain function (not a class) so that old-style
 * constructors can call `EventEmitter.call(this)`; `class X extends
 * EventEmitter` works as with Node's.
 */
export function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}

EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
Object.defineProperty(EventEmitter.prototype, kCapture, { value: false, writable: true, enumerable: false });

EventEmitter.init = function init(opts) {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
    this[kShapeMode] = false;
  } else {
    // A subclass put `_events` in place before calling us: keep its shape.
    this[kShapeMode] = true;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (opts?.captureRejections) {
    validateBoolean(opts.captureRejections, 'options.captureRejections');
    this[kCapture] = Boolean(opts.captureRejections);
  } else {
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

function maxListenersOf(that) {
  return that._maxListeners === undefined ? defaultMaxListeners : that._maxListeners;
}

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  validateNumber(n, 'setMaxListeners', 0);
  this._maxListeners = n;
  return this;
};

EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return maxListenersOf(this);
};

function emitRejection(ee, err, type, args) {
  if (typeof ee[kRejection] === 'function') {
    ee[kRejection](err, type, ...args);
    return;
  }
  // Emitting 'error' with capture on could loop if an 'error' listener rejects.
  const prev = ee[kCapture];
  try {
    ee[kCapture] = false;
    ee.emit('error', err);
  } finally {
    ee[kCapture] = prev;
  }
}

function addCatch(that, promise, type, args) {
  if (!that[kCapture]) return;
  try {
    // `then` may be a getter that throws: read it once.
    const then = promise.then;
    if (typeof then === 'function') {
      then.call(promise, undefined, (err) => {
        // Deferred so that the rejection handler's own follow-ups settle first.
        nextTick(emitRejection, that, err, type, args);
      });
    }
  } catch (err) {
    that.emit('error', err);
  }
}

function throwUnhandled(er) {
  if (er instanceof Error) throw er; // Unhandled 'error' event
  let shown;
  try {
    shown = inspect(er);
  } catch {
    shown = er;
  }
  const err = new ERR_UNHANDLED_ERROR(shown);
  err.context = er;
  throw err; // Unhandled 'error' event
}

function arrayClone(arr, n) {
  // Literal arrays for the common small sizes: measurably faster than slice() in V8.
  switch (n) {
    case 2:
      return [arr[0], arr[1]];
    case 3:
      return [arr[0], arr[1], arr[2]];
    case 4:
      return [arr[0], arr[1], arr[2], arr[3]];
    default:
      return arr.slice(0, n);
  }
}

EventEmitter.prototype.emit = function emit(type, ...args) {
  const events = this._events;
  if (type === 'error') {
    if (events !== undefined) {
      if (events[errorMonitor] !== undefined) this.emit(errorMonitor, ...args);
      if (events.error === undefined) throwUnhandled(args[0]);
    } else {
      throwUnhandled(args[0]);
    }
  } else if (events === undefined) {
    return false;
  }
  const handler = events[type];
  if (handler === undefined) return false;
  if (typeof handler === 'function') {
    const result = handler.apply(this, args);
    if (result !== undefined && result !== null) addCatch(this, result, type, args);
  } else {
    // A snapshot: listeners added or removed by a listener do not change this emit.
    const len = handler.length;
    const listeners = arrayClone(handler, len);
    for (let i = 0; i < len; ++i) {
      const result = listeners[i].apply(this, args);
      if (result !== undefined && result !== null) addCatch(this, result, type, args);
    }
  }
  return true;
};

function warnMaxListeners(target, type, list) {
  const count = list.length;
  const w = new Error(
    `Possible EventEmitter memory leak detected. ${count} ${String(type)} listeners ` +
      `added to ${inspectShallow(target)}. MaxListeners is ${maxListenersOf(target)}. ` +
      'Use emitter.setMaxListeners() to increase limit',
  );
  w.name = 'MaxListenersExceededWarning';
  w.emitter = target;
  w.type = type;
  w.count = count;
  emitWarning(w);
}

function emitWarning(w) {
  const proc = globalThis.process;
  if (proc && typeof proc.emitWarning === 'function') {
    proc.emitWarning(w);
    return;
  }
  const pid = proc && typeof proc.pid === 'number' ? proc.pid : 1;
  console.warn(`(node:${pid}) ${w.name}: ${w.message}`);
}

function addListener(target, type, listener, prepend) {
  checkListener(listener);
  let events = target._events;
  let existing;
  if (events === undefined) {
    events = target._events = Object.create(null);
    target._eventsCount = 0;
  } else {
    if (events.newListener !== undefined) {
      target.emit('newListener', type, listener.listener ?? listener);
      // A 'newListener' listener may have reset _events.
      events = target._events;
    }
    existing = events[type];
  }
  if (existing === undefined) {
    events[type] = listener;
    ++target._eventsCount;
    return target;
  }
  let list = existing;
  if (typeof existing === 'function') {
    list = events[type] = prepend ? [listener, existing] : [existing, listener];
  } else if (prepend) {
    existing.unshift(listener);
  } else {
    existing.push(listener);
  }
  const m = maxListenersOf(target);
  if (m > 0 && list.length > m && !list.warned) {
    list.warned = true;
    warnMaxListeners(target, type, list);
  }
  return target;
}

EventEmitter.prototype.addListener = function addListener_(type, listener) {
  return addListener(this, type, listener, false);
};
EventEmitter.prototype.on = EventEmitter.prototype.addListener;

EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return addListener(this, type, listener, true);
};

function onceWrapper(...args) {
  if (!this.fired) {
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    return this.listener.apply(this.target, args);
  }
  return undefined;
}

function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = onceWrapper.bind(state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener);
  this.on(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener);
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener);
  const events = this._events;
  if (events === undefined) return this;
  const list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    this._eventsCount -= 1;
    if (this[kShapeMode]) {
      events[type] = undefined;
    } else if (this._eventsCount === 0) {
      this._events = Object.create(null);
    } else {
      delete events[type];
      if (events.removeListener !== undefined) this.emit('removeListener', type, list.listener || listener);
    }
    return this;
  }
  if (typeof list === 'function') return this;
  let position = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i] === listener || list[i].listener === listener) {
      position = i;
      break;
    }
  }
  if (position < 0) return this;
  if (position === 0) list.shift();
  else {
    // Shift the tail down and pop: splice would allocate an array of the removed items.
    for (let i = position; i + 1 < list.length; i++) list[i] = list[i + 1];
    list.pop();
  }
  if (list.length === 1) events[type] = list[0];
  if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
  return this;
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === undefined) return this;
  if (events.removeListener === undefined) {
    // Nobody listens for removals: drop the lists without visiting them.
    if (arguments.length === 0) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
    }
    this[kShapeMode] = false;
    return this;
  }
  if (arguments.length === 0) {
    for (const key of Reflect.ownKeys(events)) {
      if (key === 'removeListener') continue;
      this.removeAllListeners(key);
    }
    this.removeAllListeners('removeListener');
    this._events = Object.create(null);
    this._eventsCount = 0;
    this[kShapeMode] = false;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    // Last first, as Node does: the 'removeListener' events come in that order.
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function listenersOf(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const l = events[type];
  if (l === undefined) return [];
  if (typeof l === 'function') return unwrap ? [l.listener || l] : [l];
  const out = new Array(l.length);
  for (let i = 0; i < l.length; i++) out[i] = unwrap ? l[i].listener || l[i] : l[i];
  return out;
}

EventEmitter.prototype.listeners = function listeners(type) {
  return listenersOf(this, type, true);
};

EventEmitter.prototype.rawListeners = function rawListeners(type) {
  return listenersOf(this, type, false);
};

function listenerCount(type, listener) {
  const events = this._events;
  if (events !== undefined) {
    const l = events[type];
    if (typeof l === 'function') {
      if (listener != null) return listener === l || listener === l.listener ? 1 : 0;
      return 1;
    }
    if (l !== undefined) {
      if (listener == null) return l.length;
      let n = 0;
      for (let i = 0; i < l.length; i++) if (l[i] === listener || l[i].listener === listener) n++;
      return n;
    }
  }
  return 0;
}
EventEmitter.prototype.listenerCount = listenerCount;

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};

// ---- statics ---------------------------------------------------------------

Object.defineProperty(EventEmitter, 'captureRejections', {
  get() {
    return EventEmitter.prototype[kCapture];
  },
  set(value) {
    validateBoolean(value, 'EventEmitter.captureRejections');
    EventEmitter.prototype[kCapture] = value;
    captureRejections = value;
  },
  enumerable: true,
  configurable: false,
});

Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
  get() {
    return defaultMaxListeners;
  },
  set(arg) {
    validateNumber(arg, 'defaultMaxListeners', 0);
    defaultMaxListeners = arg;
  },
  enumerable: true,
  configurable: false,
});

/** Node's `events.listenerCount(emitter, type)` (deprecated there, still present). */
function staticListenerCount(emitter, type) {
  if (typeof emitter.listenerCount === 'function') return emitter.listenerCount(type);
  return listenerCount.call(emitter, type);
}

function agnosticAdd(emitter, name, listener, flags) {
  if (typeof emitter.on === 'function') {
    if (flags?.once) emitter.once(name, listener);
    else emitter.on(name, listener);
  } else if (typeof emitter.addEventListener === 'function') {
    emitter.addEventListener(name, listener, flags);
  } else {
    throw new ERR_INVALID_ARG_TYPE('emitter', 'EventEmitter', emitter);
  }
}

function agnosticRemove(emitter, name, listener, flags) {
  if (typeof emitter.removeListener === 'function') {
    emitter.removeListener(name, listener);
  } else if (typeof emitter.removeEventListener === 'function') {
    emitter.removeEventListener(name, listener, flags);
  } else {
    throw new ERR_INVALID_ARG_TYPE('emitter', 'EventEmitter', emitter);
  }
}

/** Resolves with the arguments of the next `name` event; rejects on 'error' or abort. */
export async function once(emitter, name, options = {}) {
  // Node 20 does not validate `options` itself here, only its signal.
  const signal = options?.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal?.reason });
  return new Promise((resolve, reject) => {
    const errorListener = (err) => {
      emitter.removeListener(name, resolver);
      if (signal != null) agnosticRemove(signal, 'abort', abortListener);
      reject(err);
    };
    const resolver = (...args) => {
      if (typeof emitter.removeListener === 'function') emitter.removeListener('error', errorListener);
      if (signal != null) agnosticRemove(signal, 'abort', abortListener);
      resolve(args);
    };
    const flags = { once: true };
    agnosticAdd(emitter, name, resolver, flags);
    if (name !== 'error' && typeof emitter.on === 'function') emitter.once('error', errorListener);
    function abortListener() {
      agnosticRemove(emitter, name, resolver);
      agnosticRemove(emitter, 'error', errorListener);
      reject(new AbortError(undefined, { cause: signal?.reason }));
    }
    if (signal != null) agnosticAdd(signal, 'abort', abortListener, { once: true });
  });
}

const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);

/**
 * An async iterator over `event`'s arguments arrays. Options: signal, close
 * (event names that end the iteration), highWaterMark/lowWaterMark (pause()
 * and resume() the emitter around the buffered count).
 */
export function on(emitter, event, options = {}) {
  const signal = options.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal?.reason });
  const highWatermark = options.highWaterMark ?? options.highWatermark ?? Number.MAX_SAFE_INTEGER;
  validateInteger(highWatermark, 'options.highWaterMark', 1);
  const lowWatermark = options.lowWaterMark ?? options.lowWatermark ?? 1;
  validateInteger(lowWatermark, 'options.lowWaterMark', 1);

  const events = [];
  let eventsHead = 0;
  const waiters = [];
  let paused = false;
  let error = null;
  let finished = false;
  const added = [];

  const add = (name, fn) => {
    agnosticAdd(emitter, name, fn);
    added.push([name, fn]);
  };
  const size = () => events.length - eventsHead;

  function eventHandler(...args) {
    if (waiters.length > 0) {
      waiters.shift().resolve({ value: args, done: false });
      return;
    }
    events.push(args);
    if (!paused && size() > highWatermark) {
      paused = true;
      emitter.pause();
    }
  }
  function closeHandler() {
    for (const [name, fn] of added) agnosticRemove(emitter, name, fn);
    added.length = 0;
    if (signal) agnosticRemove(signal, 'abort', abortListener);
    finished = true;
    const done = { value: undefined, done: true };
    while (waiters.length > 0) waiters.shift().resolve(done);
    return Promise.resolve(done);
  }
  function errorHandler(err) {
    if (waiters.length > 0) waiters.shift().reject(err);
    else error = err;
    closeHandler();
  }
  function abortListener() {
    errorHandler(new AbortError(undefined, { cause: signal?.reason }));
  }

  const iterator = Object.setPrototypeOf(
    {
      next() {
        if (size() > 0) {
          const value = events[eventsHead];
          events[eventsHead++] = undefined;
          if (eventsHead === events.length) {
            events.length = 0;
            eventsHead = 0;
          }
          if (paused && size() < lowWatermark) {
            emitter.resume();
            paused = false;
          }
          return Promise.resolve({ value, done: false });
        }
        if (error) {
          const p = Promise.reject(error);
          error = null;
          return p;
        }
        if (finished) return closeHandler();
        return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
      },
      return() {
        return closeHandler();
      },
      throw(err) {
        if (!err || !(err instanceof Error)) {
          throw new ERR_INVALID_ARG_TYPE('EventEmitter.AsyncIterator', 'Error', err);
        }
        errorHandler(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    },
    AsyncIteratorPrototype,
  );

  add(event, eventHandler);
  if (event !== 'error' && typeof emitter.on === 'function') add('error', errorHandler);
  const closeEvents = options?.close;
  if (closeEvents?.length) for (const name of closeEvents) add(name, closeHandler);
  if (signal) agnosticAdd(signal, 'abort', abortListener, { once: true });
  return iterator;
}

/** The listeners of an EventEmitter or (tracked) EventTarget for `type`. */
export function getEventListeners(emitterOrTarget, type) {
  if (typeof emitterOrTarget.listeners === 'function') return emitterOrTarget.listeners(type);
  if (isEventTarget(emitterOrTarget)) return eventTargetListeners(emitterOrTarget, type);
  throw new ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
}

/** The max-listeners value of an EventEmitter or EventTarget. */
export function getMaxListeners(emitterOrTarget) {
  if (typeof emitterOrTarget?.getMaxListeners === 'function') return maxListenersOf(emitterOrTarget);
  if (isEventTarget(emitterOrTarget)) return emitterOrTarget[kMaxEventTargetListeners] ?? defaultMaxListeners;
  throw new ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
}

/** Sets max listeners on the given emitters/targets, or the default when none is given. */
export function setMaxListeners(n = defaultMaxListeners, ...eventTargets) {
  validateNumber(n, 'setMaxListeners', 0);
  if (eventTargets.length === 0) {
    defaultMaxListeners = n;
    return;
  }
  for (const target of eventTargets) {
    if (isEventTarget(target)) {
      target[kMaxEventTargetListeners] = n;
      target[kMaxEventTargetListenersWarned] = false;
    } else if (typeof target.setMaxListeners === 'function') {
      target.setMaxListeners(n);
    } else {
      throw new ERR_INVALID_ARG_TYPE('eventTargets', ['EventEmitter', 'EventTarget'], target);
    }
  }
}

/** Node 20's addAbortListener: listens once for 'abort'; returns a Disposable. */
export function addAbortListener(signal, listener) {
  if (signal === undefined) throw new ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
  validateAbortSignal(signal, 'signal');
  validateFunction(listener, 'listener');
  let remove;
  if (signal.aborted) {
    queueMicrotask(() => listener());
  } else {
    signal.addEventListener('abort', listener, { once: true });
    remove = () => signal.removeEventListener('abort', listener);
  }
  return {
    __proto__: null,
    [SymbolDispose]() {
      remove?.();
    },
  };
}

/** Symbol of the `[Symbol.for('nodejs.rejection')]` method captureRejections calls. */
export const captureRejectionSymbol = kRejection;
/** Domains do not exist here. */
export const usingDomains = false;
export { staticListenerCount as listenerCount };
export const init = EventEmitter.init;

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;
EventEmitter.captureRejectionSymbol = kRejection;
EventEmitter.errorMonitor = errorMonitor;
EventEmitter.once = once;
EventEmitter.on = on;
EventEmitter.getEventListeners = getEventListeners;
EventEmitter.getMaxListeners = getMaxListeners;
EventEmitter.setMaxListeners = setMaxListeners;
EventEmitter.addAbortListener = addAbortListener;
EventEmitter.listenerCount = staticListenerCount;
EventEmitter.kMaxEventTargetListeners = kMaxEventTargetListeners;
EventEmitter.kMaxEventTargetListenersWarned = kMaxEventTargetListenersWarned;

// Live bindings: they follow EventEmitter.defaultMaxListeners / .captureRejections.
export { defaultMaxListeners, captureRejections };
export default EventEmitter;
