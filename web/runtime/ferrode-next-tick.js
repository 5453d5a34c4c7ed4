// Stands in for the package's internal next-tick.js in the playground's
// bundle of the ferrode modules: Node has ONE nextTick queue, shared by
// process.nextTick and the streams' and events' own deferred callbacks, and
// in the playground that queue is the runtime's (web/runtime/loop.js), which
// drains after every callback, before promise jobs, as Node does.
import { validateFunction } from '../../wasm/js/internal/validators.js';

/** Node's process.nextTick(callback, ...args), on the runtime's queue once it runs. */
export function nextTick(callback, ...args) {
  validateFunction(callback, 'callback');
  const ticks = globalThis.__ferrodeTicks;
  if (ticks) ticks.nextTick(callback, ...args);
  else queueMicrotask(() => callback(...args));
}

/** Number of ticks waiting. */
export function pendingTicks() {
  return globalThis.__ferrodeTicks?.pending() ?? 0;
}
