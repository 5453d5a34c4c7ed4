// The brotli module's loader in browsers, in a file of its own so that
// bundlers emit it (and its .wasm) as a separate chunk. Single-threaded in
// both builds: a brotli stream is sequential.
import initBrotli, * as glue from '../../pkg/brotli/ferrode_brotli.js';

let ready = null;

/** Instantiates the brotli module once and returns its exports (`BrotliHandle`). */
export function loadBrotliModule() {
  ready ??= initBrotli({ module_or_path: new URL('../../pkg/brotli/ferrode_brotli_bg.wasm', import.meta.url) }).then(
    () => glue,
  );
  return ready;
}
