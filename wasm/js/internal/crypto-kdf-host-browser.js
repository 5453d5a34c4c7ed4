// The browser's side of the KDF worker (the "#crypto-kdf-host" import's default
// condition): a dedicated module Worker with its own wasm instance, or null
// where the platform has no Worker (the job then runs on a later macrotask).

/**
 * Starts the worker; `onResult(message)` gets each reply, `onFail()` runs when
 * the worker fails to load or dies. Returns the handle crypto-kdf.js drives.
 */
export function startKdfWorker(onResult, onFail) {
  if (typeof Worker !== 'function') return null;
  const w = new Worker(new URL('./crypto-kdf-worker.js', import.meta.url), { type: 'module', name: 'ferrode-kdf' });
  w.onmessage = (ev) => onResult(ev.data);
  w.onerror = (ev) => {
    ev.preventDefault?.();
    onFail();
  };
  return { post: (m) => w.postMessage(m), busy() {}, idle() {}, terminate: () => w.terminate() };
}
