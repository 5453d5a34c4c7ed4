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
      s.mode, input, s.level, s.windowBits, s.memLevel, s.strategy, blockSizeFor(input.byteLength),
    );
    return makeBuffer(out);
  } catch (e) {
    throw zlibError(e, s);
  }
}
