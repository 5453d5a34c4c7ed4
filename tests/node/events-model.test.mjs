// The scripted scenarios shared with the Rust model (core/src/events/scenarios.json):
// node:events must produce the stored traces (so they stay Node's), and
// ferrode/events must produce them too. The Rust test `events::scenario` checks
// the model against the same traces.
//
// FERRODE_UPDATE_SCENARIOS=1 rewrites the stored traces from node:events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as nodeEvents from 'node:events';
import * as ferrodeEvents from 'ferrode/events';

const file = new URL('../../core/src/events/scenarios.json', import.meta.url);
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));

function run(ev, scenario) {
  const { EventEmitter, errorMonitor } = ev;
  const e = new EventEmitter();
  const trace = [];
  const fns = new Map();
  const names = new Map();
  const eventOf = (s) => (s === '@errorMonitor' ? errorMonitor : s);
  const fnFor = (name) => {
    if (!fns.has(name)) {
      const fn = function (...args) {
        const shown = args.map((a) => (typeof a === 'function' ? (names.get(a.listener ?? a) ?? '?') : String(a)));
        trace.push(['call', name, String(this.__event), ...shown].join(' '));
        for (const action of scenario.listeners?.[name] ?? []) act(action);
      };
      fns.set(name, fn);
      names.set(fn, name);
    }
    return fns.get(name);
  };
  // The event being emitted, for the trace: wrap emit once.
  const emit = e.emit;
  e.emit = function (type, ...args) {
    const prev = this.__event;
    this.__event = type;
    try {
      return emit.call(this, type, ...args);
    } finally {
      this.__event = prev;
    }
  };
  function act(a) {
    const type = a.event === undefined ? undefined : eventOf(a.event);
    switch (a.op) {
      case 'on':
        e.on(type, fnFor(a.listener));
        break;
      case 'once':
        e.once(type, fnFor(a.listener));
        break;
      case 'prepend':
        e.prependListener(type, fnFor(a.listener));
        break;
      case 'prependOnce':
        e.prependOnceListener(type, fnFor(a.listener));
        break;
      case 'off':
        e.off(type, fnFor(a.listener));
        break;
      case 'removeAll':
        if (type === undefined) e.removeAllListeners();
        else e.removeAllListeners(type);
        break;
      case 'emit': {
        const heard = e.emit(type);
        trace.push(`emit ${String(type)} ${heard}`);
        break;
      }
      case 'setMax':
        try {
          e.setMaxListeners(a.n);
        } catch (err) {
          trace.push(`threw ${err.code} ${err.message}`);
        }
        break;
      default:
        throw new Error(`unknown op ${a.op}`);
    }
  }
  const original = process.emitWarning;
  process.emitWarning = (w) => trace.push(`warn ${w.message}`);
  try {
    for (const step of scenario.steps) {
      try {
        act(step);
      } catch {
        trace.push('threw unhandled error');
      }
      const parts = e.eventNames().map(
        (n) =>
          `${String(n)}:${e
            .listeners(n)
            .map((f) => names.get(f))
            .join(',')}`,
      );
      trace.push(`state ${parts.join(' ')}`);
    }
  } finally {
    process.emitWarning = original;
  }
  return trace;
}

if (process.env.FERRODE_UPDATE_SCENARIOS === '1') {
  for (const sc of doc.scenarios) sc.expected = run(nodeEvents, sc);
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 1)}\n`);
}

test("the stored traces are node:events' traces", () => {
  assert.ok(doc.scenarios.length >= 8);
  for (const sc of doc.scenarios) assert.deepEqual(run(nodeEvents, sc), sc.expected, sc.name);
});

test('ferrode/events produces the same traces', () => {
  for (const sc of doc.scenarios) assert.deepEqual(run(ferrodeEvents, sc), sc.expected, sc.name);
});
