// getEventListeners(target, type) and listenerCount(target, type) for the
// platform's EventTarget (AbortSignal, DOM nodes, workers...). Browsers give no
// way to list an EventTarget's listeners, so when ferrode/events is first
// imported it wraps EventTarget.prototype.addEventListener/removeEventListener
// once, to keep a weak side table of (type, callback, capture) per target with
// the DOM's rules: a duplicate add is ignored, `once` listeners leave the table
// when they fire, `signal` listeners leave it when the signal aborts. Plain
// listeners are registered unchanged (no cost at dispatch); `once` and
// stop-resistant listeners are registered through a small forwarding function
// that also updates the table.
// Limit: listeners added before this module loaded are not seen.
//
// Stop-resistant listeners: Node 24's events.once(), events.on() and
// events.addAbortListener() listen with an internal flag that makes their
// listener run even when an earlier listener of the same event called
// stopImmediatePropagation(). ferrode passes `[kResistStopPropagation]: true`
// in the options for that, and wraps Event.prototype.stopImmediatePropagation:
// after the platform's own, it runs the current target's resistant listeners
// (of the dispatch's phase) that have not run for this event yet, in the order
// they were added. Difference with Node: they run at the stopImmediatePropagation()
// call, before the rest of the listener that called it, not after it returns.

const kInstalled = Symbol.for('ferrode.events.eventTargetTracking');
/** Listener option of ferrode's own listeners that stopImmediatePropagation() does not skip. */
export const kResistStopPropagation = Symbol.for('ferrode.events.resistStopPropagation');

// One table for every copy of this module: the first copy installs the wrappers.
const tables = globalThis.EventTarget?.prototype?.[kInstalled]?.tables ?? new WeakMap();

/** True for instances of the platform's EventTarget (AbortSignal included). */
export function isEventTarget(value) {
  return typeof EventTarget === 'function' && value instanceof EventTarget;
}

function captureOf(options) {
  if (typeof options === 'boolean') return options;
  if (options !== null && typeof options === 'object') return Boolean(options.capture);
  return Boolean(options);
}

function findRecord(list, callback, capture) {
  for (let i = 0; i < list.length; i++) {
    if (list[i].callback === callback && list[i].capture === capture) return i;
  }
  return -1;
}

function dropRecord(target, type, record) {
  const list = tables.get(target)?.get(type);
  if (list === undefined) return;
  const i = list.indexOf(record);
  if (i !== -1) list.splice(i, 1);
}

function invoke(record, target, event) {
  const { callback } = record;
  if (typeof callback === 'function') return callback.call(target, event);
  return callback.handleEvent(event);
}

function install() {
  if (typeof EventTarget !== 'function') return;
  const proto = EventTarget.prototype;
  if (proto[kInstalled]) return;
  const originalAdd = proto.addEventListener;
  const originalRemove = proto.removeEventListener;
  Object.defineProperty(proto, kInstalled, { value: { originalAdd, originalRemove, tables } });

  function addEventListener(type, callback, options) {
    // A bare `addEventListener(...)` call means the global object, as in WebIDL.
    const target = this ?? globalThis;
    if (
      (typeof target !== 'object' && typeof target !== 'function') ||
      callback === null ||
      (typeof callback !== 'function' && typeof callback !== 'object')
    ) {
      return originalAdd.call(target, type, callback, options);
    }
    const isObject = options !== null && typeof options === 'object';
    const signal = isObject ? options.signal : undefined;
    if (signal?.aborted) return originalAdd.call(target, type, callback, options);
    const key = String(type);
    const capture = captureOf(options);
    let byType = tables.get(target);
    if (byType === undefined) tables.set(target, (byType = new Map()));
    let list = byType.get(key);
    if (list === undefined) byType.set(key, (list = []));
    if (findRecord(list, callback, capture) !== -1) return undefined; // the DOM ignores duplicates too
    const once = isObject && Boolean(options.once);
    const resist = isObject && options[kResistStopPropagation] === true;
    const record = { callback, capture, registered: callback, once, resist, lastEvent: undefined };
    if (once || resist) {
      record.registered = function forwarder(event) {
        if (record.lastEvent === event) return undefined; // already run by stopImmediatePropagation()
        record.lastEvent = event;
        if (once) dropRecord(target, key, record);
        if (typeof callback === 'function') return callback.call(this, event);
        return callback.handleEvent(event);
      };
    }
    // Recorded only once the platform accepted it (a wrong `this` throws here).
    const result = originalAdd.call(target, type, record.registered, options);
    list.push(record);
    if (signal !== undefined && signal !== null) {
      originalAdd.call(signal, 'abort', () => dropRecord(target, key, record), { once: true });
    }
    return result;
  }

  function removeEventListener(type, callback, options) {
    const target = this ?? globalThis;
    const isObject = typeof target === 'object' || typeof target === 'function';
    const list = isObject ? tables.get(target)?.get(String(type)) : undefined;
    if (list !== undefined) {
      const i = findRecord(list, callback, captureOf(options));
      if (i !== -1) {
        const [record] = list.splice(i, 1);
        return originalRemove.call(target, type, record.registered, options);
      }
    }
    return originalRemove.call(target, type, callback, options);
  }

  Object.defineProperty(proto, 'addEventListener', {
    value: addEventListener,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  Object.defineProperty(proto, 'removeEventListener', {
    value: removeEventListener,
    writable: true,
    enumerable: true,
    configurable: true,
  });

  if (typeof Event !== 'function') return;
  const stopDesc = Object.getOwnPropertyDescriptor(Event.prototype, 'stopImmediatePropagation');
  if (typeof stopDesc?.value !== 'function' || !stopDesc.configurable) return;
  const originalStop = stopDesc.value;
  function stopImmediatePropagation() {
    const result = originalStop.call(this);
    const target = this.currentTarget;
    const phase = this.eventPhase;
    if (target === null || target === undefined || phase === 0) return result;
    const list = tables.get(target)?.get(this.type);
    if (list === undefined) return result;
    // Capture listeners run in the capturing phase, others in the bubbling one, both at the target.
    const pending = list.filter(
      (r) => r.resist && r.lastEvent !== this && (phase === 2 || r.capture === (phase === 1)),
    );
    for (const record of pending) {
      if (!list.includes(record)) continue; // removed by an earlier one
      record.lastEvent = this;
      if (record.once) {
        // The platform skips it for this event, so it would stay registered: it leaves now.
        dropRecord(target, this.type, record);
        originalRemove.call(target, this.type, record.registered, record.capture);
      }
      invoke(record, target, this);
    }
    return result;
  }
  Object.defineProperty(Event.prototype, 'stopImmediatePropagation', { ...stopDesc, value: stopImmediatePropagation });
}

install();

/** The callbacks registered on `target` for `type`, in registration order. */
export function eventTargetListeners(target, type) {
  const list = tables.get(target)?.get(String(type));
  if (list === undefined) return [];
  return list.map((r) => r.callback);
}

/** How many listeners `target` has for `type`. */
export function eventTargetListenerCount(target, type) {
  return tables.get(target)?.get(String(type))?.length ?? 0;
}
