// getEventListeners(target, type) for the platform's EventTarget (AbortSignal,
// DOM nodes, workers...). Browsers give no way to list an EventTarget's
// listeners, so when ferrode/events is first imported it wraps
// EventTarget.prototype.addEventListener/removeEventListener once, to keep a
// weak side table of (type, callback, capture) per target with the DOM's rules:
// a duplicate add is ignored, `once` listeners leave the table when they fire,
// `signal` listeners leave it when the signal aborts. Non-once listeners are
// registered unchanged (no cost at dispatch); `once` listeners are registered
// through a small forwarding function that also updates the table.
// Limit: listeners added before this module loaded are not seen.

const tables = new WeakMap();
const kInstalled = Symbol.for('ferrode.events.eventTargetTracking');

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

function install() {
  if (typeof EventTarget !== 'function') return;
  const proto = EventTarget.prototype;
  if (proto[kInstalled]) return;
  const originalAdd = proto.addEventListener;
  const originalRemove = proto.removeEventListener;
  Object.defineProperty(proto, kInstalled, { value: { originalAdd, originalRemove } });

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
    const signal = options !== null && typeof options === 'object' ? options.signal : undefined;
    if (signal?.aborted) return originalAdd.call(target, type, callback, options);
    const key = String(type);
    const capture = captureOf(options);
    let byType = tables.get(target);
    if (byType === undefined) tables.set(target, (byType = new Map()));
    let list = byType.get(key);
    if (list === undefined) byType.set(key, (list = []));
    if (findRecord(list, callback, capture) !== -1) return undefined; // the DOM ignores duplicates too
    const once = options !== null && typeof options === 'object' && Boolean(options.once);
    const record = { callback, capture, registered: callback };
    if (once) {
      record.registered = function onceForwarder(event) {
        dropRecord(target, key, record);
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
}

install();

/** The callbacks registered on `target` for `type`, in registration order. */
export function eventTargetListeners(target, type) {
  const list = tables.get(target)?.get(String(type));
  if (list === undefined) return [];
  return list.map((r) => r.callback);
}
