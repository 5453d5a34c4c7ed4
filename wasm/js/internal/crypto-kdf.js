// Runs the async KDFs (pbkdf2, scrypt, hkdf) off the caller's thread: in
// browsers in a dedicated module Worker, in Node in a worker_threads Worker.
// The platform part sits behind the package's "#crypto-kdf-host" import (a
// node and a browser variant, like "#wasm"), so this file runs unchanged in
// both. Each worker has its own wasm instance. Where there is no worker the
// job runs on a later macrotask.
import { wasm } from '#wasm';

// Loaded on the first async KDF. A page whose import map names only "#wasm"
// cannot resolve "#crypto-kdf-host": such a page is a browser, so it gets the
// browser variant by path.
let hostLoad = null;
function loadHost() {
  hostLoad ??= import('#crypto-kdf-host')
    .catch(() => import('./crypto-kdf-host-browser.js'))
    .then(
      (m) => m.startKdfWorker,
      () => null,
    );
  return hostLoad;
}

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

function getWorker(startKdfWorker) {
  if (worker !== null || workerBroken) return worker;
  try {
    worker = startKdfWorker === null ? null : startKdfWorker(onResult, failAll);
  } catch {
    worker = null;
  }
  if (worker === null) workerBroken = true;
  return worker;
}

function post(kind, args, cb, startKdfWorker) {
  const w = getWorker(startKdfWorker);
  if (w === null) {
    runHere(kind, args, cb);
    return;
  }
  const id = nextId++;
  jobs.set(id, { kind, args, cb });
  w.busy();
  w.post({ id, kind, args });
}

/** Runs `wasm[kind](...args)` asynchronously; `cb(err, bytes)`. */
export function runKdf(kind, args, cb) {
  // Jobs wait on the same promise, so they reach the worker in call order.
  loadHost().then((start) => post(kind, args, cb, start));
}
