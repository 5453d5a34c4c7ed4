// EventEmitter: emit() with 1 and 3 listeners (with and without arguments),
// on/off churn, once; ferrode/events vs events@3 (what bundlers inject) vs
// node:events. Each closure does N operations so one call is long enough to time.
import { EventEmitter as FerrodeEE } from 'ferrode/events';
import { EventEmitter as NodeEE } from 'node:events';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PolyfillEE = require('events').EventEmitter; // the npm package events@3

const N = 100_000;

// The least a Rust-side listener registry would add to each emit: one call
// into wasm (here a hand-assembled module whose `plan(i32) -> i32` adds 1).
// This measures what keeping listener lists in JS saves, with no build needed.
const wasmBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01,
  0x00, 0x07, 0x08, 0x01, 0x04, 0x70, 0x6c, 0x61, 0x6e, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x41,
  0x01, 0x6a, 0x0b,
]);
const { plan } = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes)).exports;
class WasmPlannedEE extends FerrodeEE {
  emit(type, ...args) {
    // A registry in wasm would answer "which listeners?" here; the call alone is measured.
    if (plan(1) !== 2) throw new Error('bad wasm');
    return super.emit(type, ...args);
  }
}
const impls = { ferrode: FerrodeEE, 'events@3': PolyfillEE, node: NodeEE };

function make(EE, count) {
  const e = new EE();
  let sink = 0;
  for (let i = 0; i < count; i++) e.on('x', (a) => (sink += a === undefined ? 1 : a));
  return { e, sum: () => sink };
}

function closures(build) {
  const out = {};
  for (const [label, EE] of Object.entries(impls)) out[label] = build(EE);
  return out;
}

export default async function (h) {
  for (const count of [1, 3]) {
    await h.row(
      'emit',
      `${count} listener${count > 1 ? 's' : ''}, no args (x${N})`,
      closures((EE) => {
        const { e, sum } = make(EE, count);
        return () => {
          for (let i = 0; i < N; i++) e.emit('x');
          return sum();
        };
      }),
    );
    await h.row(
      'emit',
      `${count} listener${count > 1 ? 's' : ''}, 2 args (x${N})`,
      closures((EE) => {
        const { e, sum } = make(EE, count);
        return () => {
          for (let i = 0; i < N; i++) e.emit('x', 1, 'two');
          return sum();
        };
      }),
    );
  }
  {
    const row = {};
    for (const [label, EE] of Object.entries({ ferrode: FerrodeEE, 'ferrode+wasm/emit': WasmPlannedEE })) {
      const { e, sum } = make(EE, 1);
      row[label] = () => {
        for (let i = 0; i < N; i++) e.emit('x', 1);
        return sum();
      };
    }
    await h.row('emit', `1 listener: JS lists vs a wasm call per emit (x${N})`, row, {
      note: 'the second line is the floor for keeping listener lists in Rust',
    });
  }
  await h.row(
    'emit',
    `no listener (x${N})`,
    closures((EE) => {
      const e = new EE();
      return () => {
        let n = 0;
        for (let i = 0; i < N; i++) if (!e.emit('x', i)) n++;
        return n;
      };
    }),
  );
  await h.row(
    'churn',
    `on + off, 3 others present (x${N})`,
    closures((EE) => {
      const { e } = make(EE, 3);
      const l = () => {};
      return () => {
        for (let i = 0; i < N; i++) {
          e.on('x', l);
          e.off('x', l);
        }
        return e.listenerCount('x');
      };
    }),
  );
  await h.row(
    'churn',
    `once + emit (x${N})`,
    closures((EE) => {
      const e = new EE();
      let n = 0;
      const l = () => n++;
      return () => {
        for (let i = 0; i < N; i++) {
          e.once('x', l);
          e.emit('x');
        }
        return n;
      };
    }),
  );
  await h.row(
    'construct',
    `new EventEmitter() + on + emit (x${N / 10})`,
    closures((EE) => {
      let n = 0;
      const l = () => n++;
      return () => {
        for (let i = 0; i < N / 10; i++) {
          const e = new EE();
          e.on('data', l);
          e.emit('data');
        }
        return n;
      };
    }),
  );
}
