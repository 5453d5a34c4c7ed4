// What keeps a Worker's thread alive, as Node's event loop would see it:
// ref'd timers, ports and channels with 'message' listeners, and running
// child Workers. Browsers do not tell a Worker when it has nothing left to
// do, so the bootstrap asks this registry after every task it observes and
// ends the thread (exit code 0) once nothing is left. Work the registry does
// not see (a pending fetch not awaited at the top level, for one) does not
// keep the thread alive.

const handles = new Set();
let idleHandler = null;
let checkQueued = false;

/** `handle` keeps this thread alive until letGo(handle). */
export function keepAlive(handle) {
  handles.add(handle);
}

/** `handle` no longer keeps this thread alive. */
export function letGo(handle) {
  handles.delete(handle);
}

/** How many things keep this thread alive. */
export function liveHandles() {
  return handles.size;
}

/** Installs the function called when the thread has nothing left (workers only). */
export function onIdle(fn) {
  idleHandler = fn;
}

/** Asks for an idle check after the current task (and its microtasks) ran. */
export function poke() {
  if (idleHandler === null || checkQueued) return;
  checkQueued = true;
  // Two turns: a task queued by the current one (a zero timer, a port
  // message) registers itself before the check looks.
  const turn = (n) => {
    if (n > 0) {
      setTimeoutNative(() => turn(n - 1), 0);
      return;
    }
    checkQueued = false;
    if (handles.size === 0 && idleHandler) idleHandler();
  };
  turn(2);
}

// The bootstrap wraps the global timers to count them; the check itself must
// use the unwrapped one or it would keep the thread alive forever.
const setTimeoutNative = globalThis.setTimeout.bind(globalThis);
