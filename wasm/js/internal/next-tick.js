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

const fns = [];
const argss = [];
let head = 0;
let scheduled = false;

function drain() {
  try {
    while (head < fns.length) {
      const fn = fns[head];
      const args = argss[head];
      fns[head] = undefined;
      argss[head] = undefined;
      head++;
      if (args === undefined) fn();
      else fn(...args);
    }
  } finally {
    if (head < fns.length) {
      // A tick threw: the ones behind it keep their order in a new drain.
      queueMicrotask(drain);
    } else {
      fns.length = 0;
      argss.length = 0;
      head = 0;
      scheduled = false;
    }
  }
}

/** Node's process.nextTick(callback, ...args). */
export function nextTick(callback, ...args) {
  validateFunction(callback, 'callback');
  fns.push(callback);
  argss.push(args.length === 0 ? undefined : args);
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(drain);
  }
}

/** Number of ticks waiting (for tests and the playground's diagnostics). */
export function pendingTicks() {
  return fns.length - head;
}
