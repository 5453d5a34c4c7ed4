// The semi-private surface real packages touch, ferrode/events against
// node:events: `_events` (a null-prototype object; one listener stored as the
// function, several as an array carrying Node 24's `Symbol(events.emitting)`
// counter and `warned` flag), `_eventsCount`, `_maxListeners` (own or
// inherited), the emitter's own keys, and which objects and arrays keep their
// identity across an operation (Node 24 copies a listener array that an emit is
// walking instead of mutating it). Each scenario runs the same operations on
// both implementations and snapshots the shape after every step, util.inspect
// output included; the two traces must be equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import * as nodeEvents from 'node:events';
import * as ferrodeEvents from 'ferrode/events';

const impls = { node: nodeEvents, ferrode: ferrodeEvents };

function errShape(e) {
  if (!(e instanceof Error)) return { thrown: String(e) };
  return { name: e.name, code: e.code, message: e.message };
}

const keyName = (k) => (typeof k === 'symbol' ? k.toString() : k);

/** A listener as the trace shows it: its name, or its wrapped listener's for once(). */
function label(fn) {
  if (typeof fn !== 'function') return { notAFunction: String(fn) };
  const wrapped = typeof fn.listener === 'function' ? `<${fn.listener.name || '(anon)'}>` : '';
  return `${fn.name || '(anon)'}${wrapped}`;
}

function describeValue(v) {
  if (v === undefined) return '<undefined>';
  if (typeof v === 'function') return label(v);
  if (Array.isArray(v)) {
    return {
      items: v.map(label),
      ownKeys: Reflect.ownKeys(v).map(keyName),
      extras: Reflect.ownKeys(v)
        .filter((k) => typeof k === 'symbol' || k === 'warned')
        .map((k) => {
          const d = Object.getOwnPropertyDescriptor(v, k);
          return [keyName(k), d.value, d.enumerable, d.writable, d.configurable];
        }),
    };
  }
  return { other: String(v) };
}

/** The observable shape of an emitter; `prev` carries identities from the previous snapshot. */
function shape(ee, prev) {
  const events = ee._events;
  const out = {
    ownKeys: Reflect.ownKeys(ee).map(keyName),
    ownEnumerable: Object.keys(ee),
    eventsIsObject: typeof events,
    eventsProtoIsNull: events !== undefined && events !== null ? Object.getPrototypeOf(events) === null : 'n/a',
    eventsKeys: events ? Reflect.ownKeys(events).map(keyName) : [],
    events: events ? Reflect.ownKeys(events).map((k) => [keyName(k), describeValue(events[k])]) : [],
    eventsCount: ee._eventsCount,
    ownEventsCount: Object.hasOwn(ee, '_eventsCount'),
    maxListeners: ee._maxListeners ?? '<undefined>',
    ownMaxListeners: Object.hasOwn(ee, '_maxListeners'),
    getMaxListeners: ee.getMaxListeners(),
    eventNames: ee.eventNames().map(keyName),
    inspect: util.inspect(ee, { depth: 4, breakLength: Infinity }),
  };
  if (prev) {
    out.sameEventsObject = prev.events === events;
    out.sameArrays = events
      ? Reflect.ownKeys(events)
          .filter((k) => Array.isArray(events[k]) && Array.isArray(prev.lists.get(k)))
          .map((k) => [keyName(k), prev.lists.get(k) === events[k]])
      : [];
  }
  const lists = new Map();
  if (events) for (const k of Reflect.ownKeys(events)) lists.set(k, events[k]);
  return { out, ids: { events, lists } };
}

/**
 * Runs `scenario(events, ee-maker helpers)` on both implementations; `snap(ee,
 * label)` records the emitter's shape. Warnings sent to process.emitWarning are
 * recorded instead of printed.
 */
async function same(scenario) {
  const traces = {};
  for (const [implName, ev] of Object.entries(impls)) {
    const trace = [];
    const log = (...xs) => trace.push(xs);
    let ids;
    const snap = (ee, what) => {
      const s = shape(ee, ids);
      ids = s.ids;
      log('shape', what, s.out);
    };
    const originalEmitWarning = process.emitWarning;
    process.emitWarning = (w) => log('warning', w.name, w.message, w.count, String(w.type));
    try {
      await scenario(ev, log, snap);
    } catch (e) {
      trace.push(['uncaught', errShape(e)]);
    } finally {
      process.emitWarning = originalEmitWarning;
    }
    traces[implName] = trace;
  }
  assert.deepEqual(traces.ferrode, traces.node);
  return traces.node;
}

function a() {}
function b() {}
function c() {}
function d() {}

test('a fresh emitter, one listener, several, once wrappers, removal down to none', async () => {
  await same(({ EventEmitter }, log, snap) => {
    const e = new EventEmitter();
    snap(e, 'fresh');
    e.on('x', a);
    snap(e, 'one listener: the function itself');
    e.on('x', b);
    snap(e, 'two: an array');
    e.once('x', c);
    snap(e, 'a once wrapper in the array');
    e.prependOnceListener('y', d);
    snap(e, 'a once wrapper alone');
    e.prependListener('x', d);
    snap(e, 'prepended');
    e.off('x', b);
    snap(e, 'removed from the middle');
    e.off('x', d);
    e.off('x', a);
    snap(e, 'back to one: the array collapses to the wrapper');
    e.emit('x');
    snap(e, 'the once fired');
    log('emit y', e.emit('y'));
    snap(e, 'all gone');
    e.on(Symbol('s'), a);
    e.on('z', a);
    e.on('z', a);
    snap(e, 'a symbol key and a duplicate');
    e.removeAllListeners('z');
    snap(e, 'removeAllListeners(type)');
    e.removeAllListeners();
    snap(e, 'removeAllListeners()');
  });
});

test("'newListener' / 'removeListener' listeners and the objects they see", async () => {
  await same(({ EventEmitter }, log, snap) => {
    const e = new EventEmitter();
    e.on('newListener', function onNew(type, fn) {
      log('newListener', String(type), label(fn), describeValue(this._events[type]));
    });
    e.on('removeListener', function onRemove(type, fn) {
      log('removeListener', String(type), label(fn), describeValue(this._events[type]), this._eventsCount);
    });
    snap(e, 'two meta listeners');
    e.on('x', a);
    e.once('x', b);
    e.on('y', c);
    snap(e, 'x and y');
    e.emit('x');
    snap(e, 'after x fired');
    e.removeAllListeners('x');
    snap(e, 'x removed');
    e.removeListener('removeListener', e.listeners('removeListener')[0]);
    snap(e, 'the removeListener listener removed itself');
    e.removeAllListeners();
    snap(e, 'everything removed');
  });
});

test('listeners that add and remove while an emit walks the array (copy on write)', async () => {
  await same(({ EventEmitter }, log, snap) => {
    const e = new EventEmitter();
    e.on('x', function first() {
      log('first');
      snap(e, 'inside the emit, before changes');
      e.on('x', c);
      snap(e, 'inside the emit, after on()');
      e.off('x', second);
      snap(e, 'inside the emit, after off()');
    });
    function second() {
      log('second');
    }
    e.on('x', second);
    e.on('x', a);
    snap(e, 'before');
    log('emit', e.emit('x'));
    snap(e, 'after the emit');
    log('emit again', e.emit('x'));
    snap(e, 'after the second emit');
    // A nested emit of the same event while the outer one runs.
    const f = new EventEmitter();
    let depth = 0;
    f.on('n', function outer() {
      if (depth++ === 0) {
        f.emit('n');
        f.on('n', d);
      }
    });
    f.on('n', b);
    f.emit('n');
    snap(f, 'after a nested emit that added a listener');
  });
});

test('max listeners: `warned` on the array, own and inherited _maxListeners, setMaxListeners', async () => {
  await same(({ EventEmitter, setMaxListeners, getMaxListeners }, log, snap) => {
    const e = new EventEmitter();
    e.setMaxListeners(2);
    snap(e, 'setMaxListeners(2)');
    e.on('x', a);
    e.on('x', b);
    e.on('x', c);
    snap(e, 'three listeners: warned');
    e.on('x', function during() {
      e.off('x', a);
    });
    e.emit('x');
    snap(e, 'a copy made during an emit keeps `warned`');
    setMaxListeners(5, e);
    log('getMaxListeners', getMaxListeners(e));
    snap(e, 'events.setMaxListeners(5, e)');
    class Limited extends EventEmitter {}
    Limited.prototype._maxListeners = 3;
    const l = new Limited();
    snap(l, 'an inherited truthy _maxListeners makes no own property');
    class Zero extends EventEmitter {}
    Zero.prototype._maxListeners = 0;
    snap(new Zero(), 'an inherited 0 is shadowed by an own undefined');
  });
});

test('subclasses that bring their own _events (shape mode) and old-style constructors', async () => {
  await same(({ EventEmitter }, log, snap) => {
    function Legacy() {
      this._events = { ready: a };
      this._eventsCount = 1;
      EventEmitter.call(this);
    }
    Object.setPrototypeOf(Legacy.prototype, EventEmitter.prototype);
    Object.setPrototypeOf(Legacy, EventEmitter);
    const l = new Legacy();
    snap(l, 'own _events kept');
    l.on('removeListener', (type) => log('removed', String(type)));
    l.on('data', b);
    l.removeListener('ready', a);
    snap(l, 'removed in shape mode: the key stays, undefined');
    l.removeListener('data', b);
    snap(l, 'a second removal in shape mode');
    log('emit ready', l.emit('ready'));
    l.removeAllListeners();
    snap(l, 'removeAllListeners() leaves shape mode');
    l.on('data', c);
    l.off('data', c);
    snap(l, 'a removal after shape mode');

    function Plain() {
      EventEmitter.call(this);
    }
    Object.setPrototypeOf(Plain.prototype, EventEmitter.prototype);
    const p = new Plain();
    snap(p, 'EventEmitter.call(this)');
    const bare = Object.create(EventEmitter.prototype);
    snap(bare, 'never initialised');
    bare.on('x', a);
    snap(bare, 'initialised by on()');
  });
});

test('packages that edit _events directly (readable-stream prependListener, listener lists)', async () => {
  await same(({ EventEmitter }, log, snap) => {
    // readable-stream's prependListener fallback for old emitters.
    function prepend(emitter, event, fn) {
      if (!emitter._events || !emitter._events[event]) emitter.on(event, fn);
      else if (Array.isArray(emitter._events[event])) emitter._events[event].unshift(fn);
      else emitter._events[event] = [fn, emitter._events[event]];
    }
    const e = new EventEmitter();
    prepend(e, 'error', a);
    snap(e, 'prepended on an empty emitter');
    prepend(e, 'error', b);
    snap(e, 'prepended before a single listener: a plain array');
    e.on('error', c);
    snap(e, 'on() after the plain array');
    prepend(e, 'error', d);
    snap(e, 'prepended into the array');
    e.on('error', (err) => log('handled', err.message));
    e.emit('error', new Error('boom'));
    log('rawListeners', e.rawListeners('error').map(label));
    e.off('error', b);
    snap(e, 'off() from the edited array');
    // A package clearing one event by hand.
    delete e._events.error;
    e._eventsCount--;
    snap(e, 'deleted by hand');
    log('listenerCount', e.listenerCount('error'), e.eventNames().map(String));
  });
});
