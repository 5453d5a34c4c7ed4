// Node's side of the KDF worker (picked by the "#crypto-kdf-host" import's node
// condition): a worker_threads Worker that loads the package's wasm itself.
// Like wasm-node.js, this file is only ever loaded by Node.
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker; `onResult(message)` gets each reply, `onFail()` runs when
 * the worker dies. Returns the handle crypto-kdf.js drives.
 */
export function startKdfWorker(onResult, onFail) {
  const w = new Worker(new URL('./crypto-kdf-worker-node.js', import.meta.url));
  w.on('message', onResult);
  w.on('error', onFail);
  // An idle worker must not keep the process alive; a busy one must.
  w.unref();
  return { post: (m) => w.postMessage(m), busy: () => w.ref(), idle: () => w.unref(), terminate: () => w.terminate() };
}
