// ferrode/events against node:events: each scenario runs on both and records
// what happens (events, arguments, return values, errors with code and
// message); the two traces must be equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import * as nodeEvents from 'node:events';
import * as ferrodeEvents from 'ferrode/events';

const impls = { node: nodeEvents, ferrode: ferrodeEvents };

function errShape(e) {
  if (!(e instanceof Error)) return { thrown: typeof e === 'symbol' ? String(e) : e };
  return { name: e.name, code: e.code, message: e.message };
}

function name(fn) {
  return typeof fn === 'function' ? fn.name || '(anon)' : String(fn);
}

/** Runs `scenario(events, log)` on both implementations and compares the traces. */
async function same(scenario) {
  const traces = {};
  for (const [label, ev] of Object.entries(impls)) {
    const trace = [];
    const log = (...xs) => trace.push(xs);
    try {
      await scenario(ev, log);
    } catch (e) {
      trace.push(['uncaught', errShape(e)]);
    }
    traces[label] = trace;
  }
  assert.deepEqual(traces.ferrode, traces.node);
  return traces.node;
}

function attempt(log, label, fn) {
  try {
    log(label, 'ok', fn());
  } catch (e) {
    log(label, 'threw', errShape(e));
  }
}

/** Records process warnings emitted while `fn` runs (both implementations use process.emitWarning). */
function withWarnings(log, fn) {
  const original = process.emitWarning;
  process.emitWarning = (w, ...rest) => {
    if (typeof w === 'string') {
      log('warning', { text: w, rest });
      return;
    }
    log('warning', {
      name: w.name,
      message: w.message,
      type: String(w.type),
      count: w.count,
      emitterOk: w.emitter !== undefined,
    });
  };
  try {
    fn();
  } finally {
    process.emitWarning = original;
  }
}

test('export surface: default export, EventEmitter.EventEmitter, statics, prototype methods', () => {
  const F = ferrodeEvents.default;
  const N = nodeEvents.default;
  assert.equal(F.EventEmitter, F);
  assert.equal(ferrodeEvents.EventEmitter, F);
  const skip = new Set(['EventEmitterAsyncResource']);
  assert.deepEqual(
    Object.getOwnPropertyNames(F)
      .filter((k) => !skip.has(k))
      .sort(),
    Object.getOwnPropertyNames(N)
      .filter((k) => !skip.has(k))
      .sort(),
  );
  assert.deepEqual(Object.getOwnPropertyNames(F.prototype).sort(), Object.getOwnPropertyNames(N.prototype).sort());
  for (const k of Object.getOwnPropertyNames(N.prototype)) {
    if (typeof N.prototype[k] === 'function') assert.equal(F.prototype[k].length, N.prototype[k].length, k);
  }
  const statics = ['once', 'on', 'getEventListeners', 'setMaxListeners', 'getMaxListeners', 'addAbortListener'];
  for (const k of [...statics, 'listenerCount']) {
    assert.equal(F[k].length, N[k].length, k);
  }
  const nodeNames = Object.keys(nodeEvents)
    .filter((k) => !skip.has(k))
    .sort();
  assert.deepEqual(Object.keys(ferrodeEvents).sort(), nodeNames);
  assert.equal(ferrodeEvents.captureRejectionSymbol, nodeEvents.captureRejectionSymbol);
  assert.equal(ferrodeEvents.usingDomains, false);
  assert.equal(typeof ferrodeEvents.errorMonitor, 'symbol');
  assert.equal(String(ferrodeEvents.errorMonitor), String(nodeEvents.errorMonitor));
  assert.equal(F.length, N.length);
  for (const k of ['defaultMaxListeners', 'captureRejections']) {
    const fd = Object.getOwnPropertyDescriptor(F, k);
    const nd = Object.getOwnPropertyDescriptor(N, k);
    assert.equal(typeof fd.get, typeof nd.get);
    assert.equal(fd.enumerable, nd.enumerable);
    assert.equal(fd.configurable, nd.configurable);
  }
});

test("a fresh emitter has Node's own fields", async () => {
  await same(({ EventEmitter }, log) => {
    const e = new EventEmitter();
    log(Object.keys(e), e._eventsCount, e._maxListeners, Object.getPrototypeOf(e._events), e.getMaxListeners());
    log(e.eventNames(), e.listeners('x'), e.rawListeners('x'), e.listenerCount('x'), e.emit('x'));
  });
});

test('on/emit: order, this, arguments, return value, seed example', async () => {
  await same(({ EventEmitter }, log) => {
    const e = new EventEmitter();
    e.on('sendMessage', (message) => log('message', message));
    log('emit', e.emit('sendMessage', 'Hello Nodejs'));
    e.on('event', () => log(1));
    e.on('event', () => log(2));
    e.on('event', () => log(3));
    log('emit', e.emit('event'));
    e.on('args', function (...a) {
      log('args', a, this === e);
    });
    e.emit('args');
    e.emit('args', 1);
    e.emit('args', 1, 'two', null, undefined, [3]);
    const noop = () => {};
    log('returns this', e.on('a', noop) === e, e.addListener('a', noop) === e, e.prependListener('a', noop) === e);
    log('returns this', e.once('a', noop) === e, e.prependOnceListener('a', noop) === e, e.off('a', noop) === e);
    log('returns this', e.removeAllListeners('zz') === e, e.setMaxListeners(3) === e);
    log('emit without listeners', e.emit('nothing'));
  });
});

test('prependListener, prependOnceListener, once, listeners vs rawListeners', async () => {
  await same(({ EventEmitter }, log) => {
    const e = new EventEmitter();
    const a = () => log('a');
    const b = () => log('b');
    const c = () => log('c');
    const d = () => log('d');
    e.on('x', a);
    e.prependListener('x', b);
    e.once('x', c);
    e.prependOnceListener('x', d);
    log(
      e.listeners('x').map(name),
      e.rawListeners('x').map(name),
      e.rawListeners('x').map((f) => name(f.listener)),
    );
    e.emit('x');
    log(e.listeners('x').map(name));
    e.emit('x');
    const raw = e.rawListeners('x');
    e.once('y', a);
    const w = e.rawListeners('y')[0];
    log('wrapper', w === a, w.listener === a);
    w();
    w();
    log('after manual call', e.listenerCount('y'));
    log(raw.length);
  });
});

test('listenerCount with the listener argument, eventNames with symbols', async () => {
  await same(({ EventEmitter }, log) => {
    const e = new EventEmitter();
    const s = Symbol('sym');
    const a = () => {};
    const b = () => {};
    e.on('x', a);
    log(e.listenerCount('x'), e.listenerCount('x', a), e.listenerCount('x', b), e.listenerCount('x', null));
    e.on('x', a);
    e.once('x', a);
    e.on('x', b);
    log(e.listenerCount('x'), e.listenerCount('x', a), e.listenerCount('x', b), e.listenerCount('y', a));
    e.on(s, a);
    e.on('', a);
    log(e.eventNames().map(String));
    log(EventEmitter.listenerCount(e, 'x'), EventEmitter.listenerCount(e, s));
  });
});

test("'newListener' and 'removeListener' ordering", async () => {
  await same(({ EventEmitter }, log) => {
    const e = new EventEmitter();
    e.on('newListener', (type, l) => log('newListener', String(type), name(l), e.listenerCount(type)));
    e.on('removeListener', (type, l) => log('removeListener', String(type), name(l), e.listenerCount(type)));
    function a() {}
    function b() {}
    function c() {}
    e.on('x', a);
    e.once('x', b);
    e.prependListener('x', c);
    e.removeListener('x', a);
    e.emit('x');
    e.removeListener('x', c);
    e.removeListener('x', c);
    e.once('y', a);
    e.once('y', b);
    e.removeAllListeners('y');
    e.on('z', a);
    e.on('w', b);
    e.on(Symbol('s'), c);
    e.removeAllListeners();
    log('after all', e.eventNames(), e._eventsCount);
    // A newListener listener that adds a listener of the same type runs before the add.
    const f = new EventEmitter();
    f.on('newListener', function nl(type) {
      if (type === 'q') {
        f.removeListener('newListener', nl);
        f.on('q', function first() {
          log('first');
        });
      }
    });
    f.on('q', () => log('second'));
    f.emit('q');
  });
});

test('removeAllListeners without removeListener listeners, and with one removing itself', async () => {
  await same(({ EventEmitter }, log) => {
    const e = new EventEmitter();
    e.on('a', () => {});
    e.on('a', () => {});
    e.on('b', () => {});
    e.removeAllListeners('a');
    log(e.eventNames(), e._eventsCount);
    e.removeAllListeners('b');
    log(e.eventNames(), e._eventsCount);
    e.on('c', () => {});
    e.removeAllListeners();
    log(e.eventNames(), e._eventsCount);
    e.on('removeListener', function rl(t, l) {
      log('rl', String(t), name(l));
    });
    e.on('d', function d1() {});
    e.removeAllListeners('removeListener');
    e.removeAllListeners('d');
    log(e.eventNames());
  });
});

test('listeners added or removed during emit: snapshot semantics', async () => {
  await same(({ EventEmitter }, log) => {
    const e = new EventEmitter();
    function b() {
      log('b');
    }
    function c() {
      log('c');
    }
    e.on('x', function a() {
      log('a');
      e.removeListener('x', b);
      e.on('x', c);
    });
    e.on('x', b);
    e.emit('x');
    log(e.listeners('x').map(name));
    e.emit('x');
    // once inside emit: removed before its body runs, emitted again from inside.
    const f = new EventEmitter();
    f.once('y', (n) => {
      log('once', n, f.listenerCount('y'));
      f.emit('y', n + 1);
    });
    f.on('y', (n) => log('on', n));
    f.emit('y', 1);
    // removeAllListeners during emit: the running emit still calls the rest.
    const g = new EventEmitter();
    g.on('z', () => {
      log('z1');
      g.removeAllListeners('z');
    });
    g.on('z', () => log('z2'));
    log(g.emit('z'), g.emit('z'));
    // A single listener that removes itself and adds another.
    const h = new EventEmitter();
    h.on('s', function s1() {
      log('s1');
      h.off('s', s1);
      h.on('s', () => log('s2'));
    });
    h.emit('s');
    h.emit('s');
  });
});

test("'error' with no listener: throws the Error, ERR_UNHANDLED_ERROR for other values", async () => {
  const trace = await same(({ EventEmitter }, log) => {
    for (const v of [
      undefined,
      null,
      'boom',
      42,
      { a: 1, b: 'x' },
      [1, 'two'],
      Symbol('s'),
      { nested: { deep: { deeper: { deepest: 1 } } } },
      true,
      10n,
      new Map([['k', [1, 2]]]),
      new Set(['a']),
      new (class Custom {
        constructor() {
          this.field = 'v';
        }
      })(),
      Object.assign(Object.create(null), { a: 1 }),
      new Date(0),
      new Uint8Array(3),
      Object(5),
      { 'needs-quotes': "it's", [Symbol('k')]: () => {} },
      { long1: 'x'.repeat(30), long2: 'y'.repeat(30), long3: 'z'.repeat(30) },
      [undefined, null, [1, [2, [3, [4]]]]],
    ]) {
      const e = new EventEmitter();
      try {
        v === undefined ? e.emit('error') : e.emit('error', v);
        log('no throw');
      } catch (err) {
        log(errShape(err), err.context === v || (Number.isNaN(v) && Number.isNaN(err.context)));
      }
    }
    const e = new EventEmitter();
    const boom = new TypeError('boom');
    try {
      e.emit('error', boom, 'extra');
    } catch (err) {
      log('same error', err === boom);
    }
    e.on('error', (err, x) => log('handled', errShape(err), x));
    log(e.emit('error', boom, 'extra'));
  });
  assert.ok(trace.length > 10);
});

test('errorMonitor sees errors first and does not handle them', async () => {
  await same(({ EventEmitter, errorMonitor }, log) => {
    const e = new EventEmitter();
    e.on(errorMonitor, (err, x) => log('monitor', err.message, x));
    try {
      e.emit('error', new Error('m1'), 7);
    } catch (err) {
      log('thrown', err.message);
    }
    e.on('error', (err) => log('handler', err.message));
    log(e.emit('error', new Error('m2')));
    log(e.listenerCount(errorMonitor), e.eventNames().length);
  });
});

test('max listeners: warning text, once per emitter and event, class name, setMaxListeners', async () => {
  await same(({ EventEmitter }, log) => {
    withWarnings(log, () => {
      class Foo extends EventEmitter {}
      const f = new Foo();
      for (let i = 0; i < 13; i++) f.on('z', () => {});
      for (let i = 0; i < 11; i++) f.on('y', () => {});
      const e = new EventEmitter();
      e.setMaxListeners(2);
      e.on('a', () => {});
      e.once('a', () => {});
      e.prependListener('a', () => {});
      e.on('a', () => {});
      const s = Symbol('sym');
      for (let i = 0; i < 11; i++) e.on(s, () => {});
      const g = new EventEmitter();
      g.setMaxListeners(0);
      for (let i = 0; i < 30; i++) g.on('u', () => {});
      const h = new EventEmitter();
      h.setMaxListeners(Infinity);
      for (let i = 0; i < 30; i++) h.on('u', () => {});
      log(f.getMaxListeners(), e.getMaxListeners(), g.getMaxListeners(), h.getMaxListeners());
      // Dropping back to one listener and growing again: Node warns again.
      const k = new EventEmitter();
      k.setMaxListeners(1);
      const l1 = () => {};
      k.on('r', l1);
      k.on('r', () => {});
      k.removeListener('r', l1);
      k.on('r', () => {});
      k.on('r', () => {});
      function Old() {
        EventEmitter.call(this);
      }
      Object.setPrototypeOf(Old.prototype, EventEmitter.prototype);
      const o = new Old();
      o.setMaxListeners(1);
      o.on('q', () => {});
      o.on('q', () => {});
    });
  });
});

test('defaultMaxListeners getter/setter and validation', async () => {
  await same((ev, log) => {
    const { EventEmitter } = ev;
    const before = EventEmitter.defaultMaxListeners;
    log(before, ev.defaultMaxListeners);
    for (const v of [-1, NaN, '5', null, undefined, {}]) {
      attempt(log, `set ${String(v)}`, () => (EventEmitter.defaultMaxListeners = v));
    }
    EventEmitter.defaultMaxListeners = 3;
    const e = new EventEmitter();
    log(e.getMaxListeners(), ev.getMaxListeners(e));
    withWarnings(log, () => {
      for (let i = 0; i < 4; i++) e.on('x', () => {});
    });
    EventEmitter.defaultMaxListeners = before;
    for (const v of [-1, NaN, '1', null, {}]) attempt(log, `setMaxListeners ${String(v)}`, () => e.setMaxListeners(v));
    for (const v of [-1, NaN, '1', null]) attempt(log, `static ${String(v)}`, () => ev.setMaxListeners(v));
    attempt(log, 'static bad target', () => ev.setMaxListeners(2, {}));
    attempt(log, 'static getMaxListeners bad', () => ev.getMaxListeners({}));
    const a = new EventEmitter();
    const b = new EventEmitter();
    ev.setMaxListeners(4, a, b);
    log(a.getMaxListeners(), b.getMaxListeners(), EventEmitter.defaultMaxListeners);
    ev.setMaxListeners(5);
    log(EventEmitter.defaultMaxListeners, new EventEmitter().getMaxListeners());
    ev.setMaxListeners(before);
  });
});

test('argument validation: non-function listeners, captureRejections option', async () => {
  await same(({ EventEmitter }, log) => {
    const e = new EventEmitter();
    for (const bad of [1, 'str', null, undefined, {}, [], Symbol('x'), 10n, true]) {
      const methods = ['on', 'addListener', 'prependListener', 'once', 'prependOnceListener', 'off'];
      for (const m of [...methods, 'removeListener']) {
        attempt(log, `${m}(${String(typeof bad)})`, () => e[m]('x', bad));
      }
    }
    for (const v of [1, 'yes', {}, true, false, 0, null]) {
      attempt(log, `captureRejections ${String(v)}`, () => new EventEmitter({ captureRejections: v })._eventsCount);
    }
    for (const v of [1, 'yes', null, undefined]) {
      attempt(log, `static captureRejections ${String(v)}`, () => (EventEmitter.captureRejections = v));
    }
    log(EventEmitter.captureRejections);
  });
});

test('captureRejections: option, static, Symbol.for(nodejs.rejection)', async () => {
  await same(async ({ EventEmitter, captureRejectionSymbol }, log) => {
    const tick = () => new Promise((r) => setTimeout(r, 5));
    const e = new EventEmitter({ captureRejections: true });
    e.on('error', (err) => log('error event', err.message));
    e.on('x', async (v) => {
      throw new Error(`rejected ${v}`);
    });
    e.emit('x', 1);
    log('sync after emit');
    await tick();
    const f = new EventEmitter({ captureRejections: true });
    f[captureRejectionSymbol] = (err, type, ...args) => log('rejection method', err.message, type, args);
    f.on('y', async () => {
      throw new Error('in y');
    });
    f.on('y', () => ({
      then(_ok, fail) {
        fail(new Error('thenable'));
      },
    }));
    f.emit('y', 'a', 'b');
    await tick();
    // An 'error' listener's rejection is not captured again (no loop): its then() is never read.
    const thenable = (label) => ({
      then(_ok, fail) {
        log('then read', label);
        fail(new Error(label));
      },
    });
    const g = new EventEmitter({ captureRejections: true });
    g.on('error', (err) => {
      log('g error', err.message);
      return thenable('from error handler');
    });
    g.on('z', () => thenable('z'));
    g.emit('z');
    await tick();
    log('no loop');
    // Off by default.
    const h = new EventEmitter();
    h.on('w', () => thenable('capture off'));
    h.emit('w');
    await tick();
    EventEmitter.captureRejections = true;
    const k = new EventEmitter();
    EventEmitter.captureRejections = false;
    k.on('error', (err) => log('k error', err.message));
    k.on('v', () => Promise.reject(new Error('via static')));
    k.emit('v');
    await tick();
  });
});

test('subclassing, EventEmitter.call(this) and util.inherits', async () => {
  await same(({ EventEmitter }, log) => {
    class Sub extends EventEmitter {
      constructor() {
        super({ captureRejections: false });
        this.extra = 1;
      }
      fire(v) {
        return this.emit('fire', v);
      }
    }
    const s = new Sub();
    s.on('fire', (v) => log('fire', v, s.extra));
    log(s.fire(2), s instanceof EventEmitter, Object.keys(s));
    function Old() {
      EventEmitter.call(this);
    }
    util.inherits(Old, EventEmitter);
    const o = new Old();
    o.once('ping', (x) => log('ping', x));
    log(o.emit('ping', 1), o.emit('ping', 2), o instanceof EventEmitter, Old.super_ === EventEmitter);
    // An object that never ran the constructor still works (fields come from the prototype).
    const bare = Object.create(EventEmitter.prototype);
    log(bare.emit('x'), bare.listenerCount('x'), bare.eventNames());
    bare.on('x', (v) => log('bare', v));
    log(bare.emit('x', 3));
    attempt(log, 'bare error', () => Object.create(EventEmitter.prototype).emit('error', 'e'));
    EventEmitter.init.call(bare);
    log(bare.listenerCount('x'));
  });
});
