// ferrode/events: Node 24's EventEmitter and the static helpers of `node:events`.
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
// fields (tests/node/events-semiprivate.test.mjs). As in Node 24, each array
// carries an enumerable `Symbol(events.emitting)` counter: emit() walks the live
// array while the counter is raised, and on()/off() during an emit replace the
// array with a copy instead of mutating it (copy on write), so that the running
// emit keeps the listeners it started with.
import { codes, AbortError } from './internal/errors.js';
import {
  validateAbortSignal,
  validateBoolean,
  validateFunction,
  validateInteger,
  validateNumber,
  validateObject,
} from './internal/validators.js';
import { inspect, inspectShallow } from './internal/events-inspect.js';
import { nextTick } from './internal/next-tick.js';
import {
  eventTargetListenerCount,
  eventTargetListeners,
  isEventTarget,
  kResistStopPropagation,
} from './internal/events-target.js';
import { kCapture } from './internal/events-symbols.js';

const { ERR_INVALID_ARG_TYPE, ERR_UNHANDLED_ERROR } = codes;

const kShapeMode = Symbol('shapeMode');
const kEmitting = Symbol('events.emitting');
const kRejection = Symbol.for('nodejs.rejection');
const kWatermarkData = Symbol.for('nodejs.watermarkData');
/** Symbol for listeners that observe 'error' without handling it. */
export const errorMonitor = Symbol('events.errorMonitor');
/** Node's per-EventTarget max-listeners slots (statics of EventEmitter, as in Node). */
const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
const kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');
const SymbolDispose = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : Symbol.for('nodejs.dispose');

const kEmptyObject = Object.freeze({ __proto__: null });

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

// An anonymous function, as Node's (`events.init.name` is '').
EventEmitter.init = function (opts) {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
    this[kShapeMode] = false;
  } else {
    // A subclass put `_events` in place before calling us: keep its shape.
    this[kShapeMode] = true;
  }
  // `||=`, as Node 24: a truthy inherited value creates no own property.
  this._maxListeners ||= undefined;
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
    // util.inspect threw (a throwing [util.inspect.custom], say): Node uses the value itself.
    shown = er;
  }
  const err = new ERR_UNHANDLED_ERROR(shown);
  err.context = er;
  throw err; // Unhandled 'error' event
}

function arrayClone(arr) {
  // Literal arrays for the common small sizes: measurably faster than slice() in V8.
  switch (arr.length) {
    case 2:
      return [arr[0], arr[1]];
    case 3:
      return [arr[0], arr[1], arr[2]];
    case 4:
      return [arr[0], arr[1], arr[2], arr[3]];
    default:
      return arr.slice();
  }
}

/** A fresh listener array with Node 24's `Symbol(events.emitting)` counter. */
function listenerArray(a, b) {
  const arr = [a, b];
  arr[kEmitting] = 0;
  return arr;
}

/** The array to mutate: `list` itself, or (while an emit walks it) a copy put in its place. */
function mutableList(events, type, list) {
  if (!(list[kEmitting] > 0)) return list;
  const copy = arrayClone(list);
  copy[kEmitting] = 0;
  if (list.warned) copy.warned = true;
  events[type] = copy;
  return copy;
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
    // on()/off() from a listener copy the array (mutableList): this loop keeps its listeners.
    handler[kEmitting]++;
    try {
      for (let i = 0; i < handler.length; ++i) {
        const result = Reflect.apply(handler[i], this, args);
        if (result !== undefined && result !== null) addCatch(this, result, type, args);
      }
    } finally {
      handler[kEmitting]--;
    }
  }
  return true;
};

function warnMaxListeners(target, type, list, m) {
  list.warned = true;
  const count = list.length;
  const w = new Error(
    `Possible EventEmitter memory leak detected. ${count} ${String(type)} listeners ` +
      `added to ${inspectShallow(target)}. MaxListeners is ${m}. ` +
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
  let list;
  if (typeof existing === 'function') {
    list = events[type] = prepend ? listenerArray(listener, existing) : listenerArray(existing, listener);
  } else {
    list = mutableList(events, type, existing);
    if (prepend) list.unshift(listener);
    else list.push(listener);
  }
  const m = maxListenersOf(target);
  if (m > 0 && list.length > m && !list.warned) warnMaxListeners(target, type, list, m);
  return target;
}

EventEmitter.prototype.addListener = function addListener_(type, listener) {
  return addListener(this, type, listener, false);
};
EventEmitter.prototype.on = EventEmitter.prototype.addListener;

EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return addListener(this, type, listener, true);
};

function onceWrap(target, type, listener) {
  // A closure named `wrapper`, as Node 24's (rawListeners() shows it).
  let fired = false;
  function wrapper(...args) {
    if (fired) return undefined;
    fired = true;
    target.removeListener(type, wrapper);
    return Reflect.apply(listener, target, args);
  }
  wrapper.listener = listener;
  return wrapper;
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
  let list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    this._eventsCount -= 1;
    if (this[kShapeMode]) {
      events[type] = undefined;
    } else if (this._eventsCount === 0) {
      this._events = Object.create(null);
    } else {
      delete events[type];
    }
    // Node 24 asks the old `_events` object, whichever branch ran above.
    if (events.removeListener !== undefined) this.emit('removeListener', type, list.listener || listener);
    return this;
  }
  if (typeof list === 'function') return this;
  list = mutableList(events, type, list);
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
  const out = arrayClone(l);
  if (unwrap) {
    for (let i = 0; i < out.length; i++) {
      const orig = out[i].listener;
      if (typeof orig === 'function') out[i] = orig;
    }
  }
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
  if (this._eventsCount === 0) return [];
  const events = this._events;
  const names = [];
  // A subclass's own `_events` shape keeps removed keys with the value undefined.
  for (const key of Reflect.ownKeys(events)) if (events[key] !== undefined) names.push(key);
  return names;
};

// ---- statics ---------------------------------------------------------------

/** Node 24's `events.listenerCount(emitterOrTarget, type)`. */
function staticListenerCount(emitterOrTarget, type) {
  if (typeof emitterOrTarget.listenerCount === 'function') return emitterOrTarget.listenerCount(type);
  if (isEventTarget(emitterOrTarget)) return eventTargetListenerCount(emitterOrTarget, type);
  throw new ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
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

// Listener options of once() and on(): an AbortSignal's 'abort' listener runs
// even after another listener called stopImmediatePropagation(), as in Node 24.
const kOnceResist = Object.freeze({ __proto__: null, once: true, [kResistStopPropagation]: true });

/** Resolves with the arguments of the next `name` event; rejects on 'error' or abort. */
export async function once(emitter, name, options = kEmptyObject) {
  validateObject(options, 'options');
  const { signal } = options;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
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
    agnosticAdd(emitter, name, resolver, kOnceResist);
    // EventTargets have no 'error' semantics: only EventEmitters are watched for it.
    if (name !== 'error' && typeof emitter.once === 'function') emitter.once('error', errorListener);
    function abortListener() {
      agnosticRemove(emitter, name, resolver);
      agnosticRemove(emitter, 'error', errorListener);
      reject(new AbortError(undefined, { cause: signal?.reason }));
    }
    if (signal != null) agnosticAdd(signal, 'abort', abortListener, kOnceResist);
  });
}

const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);

/**
 * An async iterator over `event`'s arguments arrays. Options: signal, close
 * (event names that end the iteration), highWaterMark/lowWaterMark (pause()
 * and resume() the emitter around the buffered count).
 */
export function on(emitter, event, options = kEmptyObject) {
  validateObject(options, 'options');
  const signal = options.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
  // Both spellings are read, highWaterMark first, as Node does.
  const highWatermark = options.highWaterMark ?? options.highWatermark ?? Number.MAX_SAFE_INTEGER;
  validateInteger(highWatermark, 'options.highWaterMark', 1);
  const lowWatermark = options.lowWaterMark ?? options.lowWatermark ?? 1;
  validateInteger(lowWatermark, 'options.lowWaterMark', 1);

  // Unread events, as a queue with a moving head.
  const events = [];
  let eventsHead = 0;
  const waiters = [];
  let paused = false;
  let error = null;
  let finished = false;
  let size = 0;
  // [emitter, name, handler] of every listener this iterator added.
  const added = [];

  const iterator = Object.setPrototypeOf(
    {
      next() {
        if (size > 0) {
          const value = events[eventsHead];
          events[eventsHead++] = undefined;
          if (eventsHead === events.length) {
            events.length = 0;
            eventsHead = 0;
          }
          size--;
          if (paused && size < lowWatermark) {
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
      // Node's Symbol.for('nodejs.watermarkData'): the queue as streams' tools read it.
      [kWatermarkData]: {
        get size() {
          return size;
        },
        get low() {
          return lowWatermark;
        },
        get high() {
          return highWatermark;
        },
        get isPaused() {
          return paused;
        },
      },
    },
    AsyncIteratorPrototype,
  );

  const add = (name, handler) => {
    agnosticAdd(emitter, name, handler);
    added.push([name, handler]);
  };
  add(event, function (...args) {
    return eventHandler(args);
  });
  if (event !== 'error' && typeof emitter.on === 'function') add('error', errorHandler);
  const closeEvents = options?.close;
  if (closeEvents?.length) {
    for (let i = 0; i < closeEvents.length; i++) add(closeEvents[i], closeHandler);
  }
  const abortDisposable = signal ? addAbortListener(signal, abortListener) : null;
  return iterator;

  function abortListener() {
    errorHandler(new AbortError(undefined, { cause: signal?.reason }));
  }
  function eventHandler(value) {
    if (waiters.length === 0) {
      size++;
      if (!paused && size > highWatermark) {
        paused = true;
        emitter.pause();
      }
      events.push(value);
    } else {
      waiters.shift().resolve({ value, done: false });
    }
  }
  function errorHandler(err) {
    if (waiters.length === 0) error = err;
    else waiters.shift().reject(err);
    closeHandler();
  }
  function closeHandler() {
    abortDisposable?.[SymbolDispose]();
    // Last added, first removed: the 'removeListener' events come in Node's order.
    while (added.length > 0) {
      const [name, handler] = added.pop();
      agnosticRemove(emitter, name, handler);
    }
    finished = true;
    paused = false;
    const done = { value: undefined, done: true };
    while (waiters.length > 0) waiters.shift().resolve(done);
    return Promise.resolve(done);
  }
}

/** The listeners of an EventEmitter or (tracked) EventTarget for `type`. */
export function getEventListeners(emitterOrTarget, type) {
  if (typeof emitterOrTarget.listeners === 'function') return emitterOrTarget.listeners(type);
  if (isEventTarget(emitterOrTarget)) return eventTargetListeners(emitterOrTarget, type);
  throw new ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
}

/**
 * The max-listeners value of an EventEmitter or EventTarget. Node stamps every
 * EventTarget with it when it is made (0 for AbortSignals, which never warn);
 * the platform's EventTargets carry it only once setMaxListeners(n, target)
 * ran, and until then count as made now.
 */
export function getMaxListeners(emitterOrTarget) {
  if (typeof emitterOrTarget?.getMaxListeners === 'function') return maxListenersOf(emitterOrTarget);
  const own = emitterOrTarget?.[kMaxEventTargetListeners];
  if (typeof own === 'number') return own;
  if (isEventTarget(emitterOrTarget)) {
    return typeof AbortSignal === 'function' && emitterOrTarget instanceof AbortSignal ? 0 : defaultMaxListeners;
  }
  throw new ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
}

/** Sets max listeners on the given emitters/targets, or the default when none is given. */
EventEmitter.setMaxListeners = function (n = defaultMaxListeners, ...eventTargets) {
  validateNumber(n, 'setMaxListeners', 0);
  if (eventTargets.length === 0) {
    defaultMaxListeners = n;
    return;
  }
  for (let i = 0; i < eventTargets.length; i++) {
    const target = eventTargets[i];
    if (isEventTarget(target)) {
      target[kMaxEventTargetListeners] = n;
      target[kMaxEventTargetListenersWarned] = false;
    } else if (typeof target.setMaxListeners === 'function') {
      target.setMaxListeners(n);
    } else {
      throw new ERR_INVALID_ARG_TYPE('eventTargets', ['EventEmitter', 'EventTarget'], target);
    }
  }
};
// Unnamed, as Node's.
export const setMaxListeners = EventEmitter.setMaxListeners;

/**
 * Node 24's addAbortListener: listens once for 'abort', even when an earlier
 * listener stops the event's propagation; returns a Disposable that removes it.
 */
export function addAbortListener(signal, listener) {
  if (signal === undefined) throw new ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
  validateAbortSignal(signal, 'signal');
  validateFunction(listener, 'listener');
  let remove;
  if (signal.aborted) {
    queueMicrotask(() => listener());
  } else {
    signal.addEventListener('abort', listener, kOnceResist);
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

// The statics, in the order of Node 24's Object.keys(require('events')) (less
// EventEmitterAsyncResource, see the README); `setMaxListeners` and `init` were
// set above and are moved to the end, where Node has them.
delete EventEmitter.setMaxListeners;
delete EventEmitter.init;
EventEmitter.addAbortListener = addAbortListener;
EventEmitter.once = once;
EventEmitter.on = on;
EventEmitter.getEventListeners = getEventListeners;
EventEmitter.getMaxListeners = getMaxListeners;
EventEmitter.listenerCount = staticListenerCount;
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;
EventEmitter.captureRejectionSymbol = kRejection;
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

EventEmitter.errorMonitor = errorMonitor;

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

for (const [key, value] of [
  ['kMaxEventTargetListeners', kMaxEventTargetListeners],
  ['kMaxEventTargetListenersWarned', kMaxEventTargetListenersWarned],
]) {
  Object.defineProperty(EventEmitter, key, { value, enumerable: false, configurable: false, writable: false });
}
EventEmitter.setMaxListeners = setMaxListeners;
EventEmitter.init = init;

// Live bindings: they follow EventEmitter.defaultMaxListeners / .captureRejections.
export { defaultMaxListeners, captureRejections };
export default EventEmitter;
