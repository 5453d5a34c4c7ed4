// Runs the async KDFs (pbkdf2, scrypt, hkdf) off the caller's turn of the
// event loop. In browsers they run in a dedicated module Worker with its own
// wasm instance, so the page stays responsive; where Workers are missing
// (Node 20 has no global Worker) they run on a later macrotask.
import { wasm } from '#wasm';

let worker = null;
let workerBroken = typeof Worker !== 'function';
let nextId = 1;
const jobs = new Map();

function runHere(kind, args, cb) {
  setTimeout(() => {
    let out;
    try {
      out = wasm[kind](...args);
    } catch (e) {
      cb(e);
      return;
    }
    cb(null, out);
  }, 0);
}

function failAll() {
  workerBroken = true;
  const pending = [...jobs.values()];
  jobs.clear();
  worker = null;
  for (const job of pending) runHere(job.kind, job.args, job.cb);
}

function getWorker() {
  if (worker !== null || workerBroken) return worker;
  try {
    worker = new Worker(new URL('./crypto-kdf-worker.js', import.meta.url), { type: 'module', name: 'ferrode-kdf' });
  } catch {
    workerBroken = true;
    return null;
  }
  worker.onmessage = (ev) => {
    const { id, ok, out, error } = ev.data;
    const job = jobs.get(id);
    if (!job) return;
    jobs.delete(id);
    if (ok) job.cb(null, out);
    else job.cb(error);
  };
  worker.onerror = (ev) => {
    ev.preventDefault?.();
    failAll();
  };
  return worker;
}

/** Runs `wasm[kind](...args)` asynchronously; `cb(err, bytes)`. */
export function runKdf(kind, args, cb) {
  const w = getWorker();
  if (w === null) {
    runHere(kind, args, cb);
    return;
  }
  const id = nextId++;
  jobs.set(id, { kind, args, cb });
  w.postMessage({ id, kind, args });
}
