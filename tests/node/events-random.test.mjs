// Property test: random sequences of EventEmitter operations, including
// listeners that add, remove and emit while an emit runs, produce the same
// trace on ferrode/events and node:events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter as NodeEE } from 'node:events';
import { EventEmitter as FerrodeEE } from 'ferrode/events';
import { rng } from '../support/rng.mjs';

const TYPES = ['a', 'b', 'c', 'newListener', 'removeListener', 'error'];

function run(EE, seed) {
  const rand = rng(seed);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const trace = [];
  const e = new EE();
  e.setMaxListeners(0);
  let depth = 0;
  const listeners = [];
  for (let i = 0; i < 8; i++) {
    const fn = function (...args) {
      const shown = args.map((x) => (typeof x === 'function' ? `fn${listeners.indexOf(x.listener ?? x)}` : String(x)));
      trace.push(['call', i, shown]);
      // Some listeners act while the emit runs.
      if (depth < 3 && rand() < 0.3) {
        depth++;
        step();
        depth--;
      }
    };
    listeners.push(fn);
  }
  const name = (l) => {
    const i = listeners.indexOf(l.listener ?? l);
    return i === -1 ? '?' : l.listener ? `once${i}` : `fn${i}`;
  };
  function step() {
    const op = Math.floor(rand() * 9);
    const type = pick(TYPES);
    const l = pick(listeners);
    try {
      switch (op) {
        case 0:
        case 1:
          e.on(type, l);
          trace.push(['on', type, listeners.indexOf(l)]);
          break;
        case 2:
          e.once(type, l);
          trace.push(['once', type, listeners.indexOf(l)]);
          break;
        case 3:
          e.prependListener(type, l);
          trace.push(['prepend', type, listeners.indexOf(l)]);
          break;
        case 4:
          e.prependOnceListener(type, l);
          trace.push(['prependOnce', type, listeners.indexOf(l)]);
          break;
        case 5:
          e.off(type, l);
          trace.push(['off', type, listeners.indexOf(l)]);
          break;
        case 6:
          if (rand() < 0.2) e.removeAllListeners();
          else e.removeAllListeners(type);
          trace.push(['removeAll', type]);
          break;
        default:
          trace.push(['emit', type, e.emit(type, 'x', op)]);
      }
    } catch (err) {
      trace.push(['threw', err.code ?? null, err.message]);
    }
    trace.push([
      'state',
      e.eventNames().map(String),
      TYPES.map((t) => e.rawListeners(t).map(name).join(',')),
      TYPES.map((t) => e.listenerCount(t)),
      e._eventsCount,
    ]);
  }
  for (let i = 0; i < 60; i++) step();
  return trace;
}

test('random operation sequences agree with node:events (300 seeds)', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const expected = run(NodeEE, seed);
    const actual = run(FerrodeEE, seed);
    assert.deepEqual(actual, expected, `seed ${seed}`);
  }
});
