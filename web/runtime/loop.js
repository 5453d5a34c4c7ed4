// The event loop bookkeeping Node has and a Web Worker lacks: which handles
// keep the process alive (timers, servers, child processes, pending fs work),
// the process.nextTick queue (drained after every callback, before promise
// jobs, as Node does), setImmediate, and the moment the program is done.
import { codes } from '../../wasm/js/internal/errors.js';

const ticks = [];
let draining = false;
let pending = 0;
let onIdle = () => {};
let checkScheduled = false;
let stopped = false;
let invokeDepth = 0;

/** Runs `fn` as a macrotask callback: then the nextTick queue, as Node does. */
export function invoke(fn, thisArg, args) {
  if (stopped) return undefined;
  // Ticks queued by promise jobs run after all of them, before the next callback.
  drainTicks();
  let ok = false;
  let result;
  invokeDepth++;
  try {
    result = fn.apply(thisArg, args ?? []);
    ok = true;
  } finally {
    invokeDepth--;
    if (ok) drainTicks();
  }
  return result;
}

export function drainTicks() {
  if (draining) return;
  draining = true;
  try {
    while (ticks.length > 0 && !stopped) {
      const [fn, args] = ticks.shift();
      fn(...args);
    }
  } finally {
    draining = false;
  }
}

export function nextTick(fn, ...args) {
  if (typeof fn !== 'function') {
    throw new codes.ERR_INVALID_ARG_TYPE('callback', 'Function', fn);
  }
  ticks.push([fn, args]);
  // Inside a callback they run when it returns (invoke); from a promise job,
  // once the whole microtask queue is done: before the next callback, or on a
  // task of their own.
  if (!draining && invokeDepth === 0 && ticks.length === 1) tickChannel.port2.postMessage(0);
}

export function pendingTicks() {
  return ticks.length;
}

const tickChannel = new MessageChannel();
tickChannel.port1.onmessage = () => drainTicks();

/** Keeps the process alive until the returned release() is called (once). */
export function hold() {
  pending++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    pending--;
    scheduleCheck();
  };
}

export function pendingCount() {
  return pending;
}

export function setIdleHandler(fn) {
  onIdle = fn;
}

export function scheduleCheck() {
  if (checkScheduled || stopped) return;
  checkScheduled = true;
  // Twice: an unhandled rejection is reported on a task of its own, which
  // must get its turn before the program is declared done.
  setTimeoutNative(() => {
    setTimeoutNative(() => {
      checkScheduled = false;
      if (pending !== 0 || stopped) return;
      // Ticks still queued for the tick channel: look again once they ran, or
      // the program would never be declared done (timers may beat that channel).
      if (ticks.length > 0) scheduleCheck();
      else onIdle();
    }, 0);
  }, 0);
}

export function stopLoop() {
  stopped = true;
  ticks.length = 0;
}

export function isStopped() {
  return stopped;
}

export const setTimeoutNative = globalThis.setTimeout.bind(globalThis);
export const clearTimeoutNative = globalThis.clearTimeout.bind(globalThis);
export const setIntervalNative = globalThis.setInterval.bind(globalThis);
export const clearIntervalNative = globalThis.clearInterval.bind(globalThis);
