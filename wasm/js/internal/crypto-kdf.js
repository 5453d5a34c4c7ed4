// Runs the async KDFs (pbkdf2, scrypt, hkdf) off the caller's thread: in
// browsers in a dedicated module Worker, in Node in a worker_threads Worker
// (found at run time through process.getBuiltinModule, so this file stays free
// of node: imports and runs unchanged in browsers). Each worker has its own
// wasm instance. Where neither exists the job runs on a later macrotask.
import { wasm } from '#wasm';

let worker = null;
let workerBroken = false;
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
  if (worker !== null) worker.terminate();
  worker = null;
  for (const job of pending) runHere(job.kind, job.args, job.cb);
}

function onResult({ id, ok, out, error }) {
  const job = jobs.get(id);
  if (!job) return;
  jobs.delete(id);
  // An idle worker must not keep Node's process alive.
  if (jobs.size === 0) worker?.idle();
  if (ok) job.cb(null, out);
  else job.cb(error);
}

function startBrowserWorker() {
  const w = new Worker(new URL('./crypto-kdf-worker.js', import.meta.url), { type: 'module', name: 'ferrode-kdf' });
  w.onmessage = (ev) => onResult(ev.data);
  w.onerror = (ev) => {
    ev.preventDefault?.();
    failAll();
  };
  return { post: (m) => w.postMessage(m), busy() {}, idle() {}, terminate: () => w.terminate() };
}

function startNodeWorker(threads) {
  const w = new threads.Worker(new URL('./crypto-kdf-worker-node.js', import.meta.url));
  w.on('message', onResult);
  w.on('error', failAll);
  w.unref();
  return { post: (m) => w.postMessage(m), busy: () => w.ref(), idle: () => w.unref(), terminate: () => w.terminate() };
}

function getWorker() {
  if (worker !== null || workerBroken) return worker;
  try {
    if (typeof Worker === 'function') {
      worker = startBrowserWorker();
    } else {
      const threads = globalThis.process?.getBuiltinModule?.('node:worker_threads');
      if (threads?.Worker) worker = startNodeWorker(threads);
      else workerBroken = true;
    }
  } catch {
    workerBroken = true;
    worker = null;
  }
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
  w.busy();
  w.post({ id, kind, args });
}
