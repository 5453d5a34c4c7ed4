// Block-parallel gzip/deflate for the threaded build (pigz's approach, done
// in the core: ferrode_core::zlib::parallel). Taken when the caller asks with
// `{ parallel: true }`, and by itself for large one-shot inputs when the
// threaded build is active. The output is one ordinary gzip member / zlib
// stream, a little larger (well under 2%) than the single-stream output and
// not byte-identical to it; anything the block compressor cannot honour (a
// dictionary, `info`, a flush other than Z_FINISH, a window under 512 bytes,
// maxOutputLength) takes the single-stream path instead.
import { wasm, threads } from '#wasm';
import { constants } from './zlib-constants.js';
import { makeBuffer, parseOptions, syncInput, zlibError } from './zlib-core.js';

const { GZIP, DEFLATE, Z_FINISH } = constants;

/** Inputs from this size up take the parallel path by themselves in the threaded build. */
export const AUTO_PARALLEL_MIN = 4 * 1024 * 1024;
const MIN_BLOCK = 128 * 1024;
const MAX_BLOCK = 1024 * 1024;

function eligible(s) {
  return (
    (s.mode === GZIP || s.mode === DEFLATE) &&
    s.finishFlush === Z_FINISH &&
    s.dictionary.byteLength === 0 &&
    !s.info &&
    s.windowBits >= 9 &&
    s.maxOutputLength === parseOptions(s.mode).maxOutputLength
  );
}

/** Block size: enough blocks to keep every thread busy, each big enough to keep the ratio. */
export function blockSizeFor(length, poolSize = threads.poolSize) {
  const perThread = Math.ceil(length / (Math.max(1, poolSize) * 4));
  return Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, perThread));
}

/**
 * The compressed Buffer when this call should take the parallel path, else
 * null (the caller goes on with the single-stream path). `opts.parallel`:
 * true asks for it, false refuses it, undefined lets the size decide.
 */
export function compressParallel(s, buffer, opts) {
  const wanted = opts?.parallel;
  if (wanted === false || !threads.threaded || !eligible(s)) return null;
  const input = syncInput(buffer);
  if (wanted !== true && input.byteLength < AUTO_PARALLEL_MIN) return null;
  try {
    const out = wasm.deflateParallel(
      s.mode,
      input,
      s.level,
      s.windowBits,
      s.memLevel,
      s.strategy,
      blockSizeFor(input.byteLength),
    );
    return makeBuffer(out);
  } catch (e) {
    throw zlibError(e, s);
  }
}

// The callback forms in the threaded build: large inputs go to a Worker with
// its own threaded instance, so the calling thread keeps running (timers,
// input, rendering) while they compress. Small inputs stay here: posting
// them costs more than compressing them.
export const OFFLOAD_MIN = 256 * 1024;
let worker = null;
let workerBroken = false;
let nextId = 1;
const jobs = new Map();

function getWorker() {
  if (worker !== null || workerBroken) return worker;
  try {
    worker = new Worker(new URL('./zlib-async-worker.js', import.meta.url), { type: 'module', name: 'ferrode-zlib' });
  } catch {
    workerBroken = true;
    return null;
  }
  worker.onmessage = ({ data: { id, ok, out, error } }) => {
    const job = jobs.get(id);
    if (!job) return;
    jobs.delete(id);
    if (ok) job.callback(null, makeBuffer(out));
    else job.callback(zlibError(error, job.s));
  };
  worker.onerror = (ev) => {
    ev.preventDefault?.();
    // The worker could not start: later calls stay on this thread.
    workerBroken = true;
    worker = null;
    const pending = [...jobs.values()];
    jobs.clear();
    for (const job of pending) job.fallback();
  };
  return worker;
}

/**
 * Runs a callback-form call off this thread when the threaded build is active
 * and the input is large; returns false when the caller should run it itself.
 * `fallback()` runs it here if the worker fails to start.
 */
export function offloadCallback(s, input, opts, callback, fallback) {
  if (!threads.threaded || s.info || input.byteLength < OFFLOAD_MIN || typeof Worker !== 'function') return false;
  const w = getWorker();
  if (w === null) return false;
  const id = nextId++;
  const parallel =
    opts?.parallel !== false && eligible(s) && (opts?.parallel === true || input.byteLength >= AUTO_PARALLEL_MIN);
  jobs.set(id, { s, callback, fallback });
  // A copy: the caller keeps its input, as with Node's callback forms.
  const copy = input.slice();
  const plain = {
    mode: s.mode,
    level: s.level,
    windowBits: s.windowBits,
    memLevel: s.memLevel,
    strategy: s.strategy,
    dictionary: s.dictionary,
    params: s.params,
    finishFlush: s.finishFlush,
    chunkSize: s.chunkSize,
    maxOutputLength: s.maxOutputLength,
  };
  const blockSize = parallel ? blockSizeFor(copy.byteLength) : 0;
  w.postMessage({ id, poolSize: threads.poolSize, s: plain, input: copy, blockSize }, [copy.buffer]);
  return true;
}
