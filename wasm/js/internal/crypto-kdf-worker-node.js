// The worker_threads side of crypto-kdf.js in Node (started only by
// crypto-kdf-host-node.js, so Node-only like wasm-node.js).
import { parentPort } from 'node:worker_threads';
import { wasm } from '#wasm';

const KINDS = new Set(['pbkdf2', 'scrypt', 'hkdf']);

parentPort.on('message', ({ id, kind, args }) => {
  try {
    if (!KINDS.has(kind)) throw new Error(`unknown job ${kind}`);
    const out = wasm[kind](...args);
    parentPort.postMessage({ id, ok: true, out }, [out.buffer]);
  } catch (e) {
    // Core errors are plain { code, message } objects and clone as they are.
    const error = e instanceof Error ? { code: '', message: e.message } : e;
    parentPort.postMessage({ id, ok: false, error });
  }
});
