// process.nextTick for browsers and for ferrode's own modules (events' captured
// rejections, streams' deferred callbacks, the playground's `process.nextTick`).
//
// One FIFO of ticks, drained from ONE queueMicrotask job. The drain runs every
// tick in order, including ticks queued by ticks while it runs, before it returns.
//
// What matches Node:
// - ticks run in the order they were queued, with the arguments given;
// - a tick queued while ticks are draining runs in the same drain, so it runs
//   before any promise reaction or queueMicrotask job queued during the drain
//   (`nextTick(() => { Promise.resolve().then(A); nextTick(B); })` gives B, A);
// - ticks run after the current synchronous code, before timers and I/O;
// - a tick that throws does not lose the ticks behind it: they run in a fresh
//   drain, and the error surfaces as an uncaught error of that microtask job
//   (`error` event in browsers, 'uncaughtException' in Node).
// What cannot match in a browser (no hook runs before the microtask checkpoint):
// - Node runs all ticks before any promise reaction at the end of a macrotask.
//   Here the drain is one microtask among others, so a promise reaction queued
//   BEFORE the first nextTick of a turn runs before the ticks
//   (`Promise.resolve().then(A); nextTick(B)` gives B, A in Node, A, B here).
// - A tick queued from inside a promise reaction runs, in Node, after the whole
//   microtask queue has drained; here it runs after microtasks queued before it.
// - No 'uncaughtException' routing and no async_hooks context.
import { validateFunction } from './validators.js';

// A ring of (fn, arity, a, b, c) slots in flat arrays: no rest-parameter array per
// tick for up to three arguments (every tick the streams queue), an array beyond.
const fns = [];
const arities = [];
const as = [];
const bs = [];
const cs = [];
let head = 0;
let scheduled = false;

function drain() {
  try {
    while (head < fns.length) {
      const i = head;
      const fn = fns[i];
      const a = as[i];
      const b = bs[i];
      const c = cs[i];
      const arity = arities[i];
      fns[i] = undefined;
      as[i] = undefined;
      bs[i] = undefined;
      cs[i] = undefined;
      head++;
      switch (arity) {
        case 0:
          fn();
          break;
        case 1:
          fn(a);
          break;
        case 2:
          fn(a, b);
          break;
        case 3:
          fn(a, b, c);
          break;
        default:
          fn(...a);
      }
    }
  } finally {
    if (head < fns.length) {
      // A tick threw: the ones behind it keep their order in a new drain.
      queueMicrotask(drain);
    } else {
      fns.length = 0;
      arities.length = 0;
      as.length = 0;
      bs.length = 0;
      cs.length = 0;
      head = 0;
      scheduled = false;
    }
  }
}

function enqueue(fn, arity, a, b, c) {
  fns.push(fn);
  arities.push(arity);
  as.push(a);
  bs.push(b);
  cs.push(c);
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(drain);
  }
}

/**
 * The queue above as Node's process.nextTick(callback, ...args); its length is 1,
 * as Node's is. Browsers get this one.
 */
export function microtaskNextTick(callback) {
  validateFunction(callback, 'callback');
  const n = arguments.length - 1;
  if (n <= 3) enqueue(callback, n, arguments[1], arguments[2], arguments[3]);
  else enqueue(callback, 4, Array.prototype.slice.call(arguments, 1), undefined, undefined);
}

/**
 * Where a real Node `process.nextTick` exists (ferrode's modules loaded in Node,
 * e.g. by the Node-compat runner or a test), Node has ONE tick queue, shared by
 * user code and Node's own streams: ferrode's deferred callbacks go on that very
 * queue, so their order against the program's own ticks is Node's exactly.
 * ferrode's browser `process` shim takes its nextTick from here, and its
 * `versions` has no `node`, so it is never mistaken for Node's.
 */
const hostNextTick =
  typeof globalThis.process?.nextTick === 'function' && typeof globalThis.process.versions?.node === 'string'
    ? globalThis.process.nextTick
    : null;

/** Node's process.nextTick(callback, ...args): the host's when there is one. */
export const nextTick = hostNextTick ?? microtaskNextTick;

/** Number of ticks waiting in the microtask queue (for tests and diagnostics). */
export function pendingTicks() {
  return fns.length - head;
}
