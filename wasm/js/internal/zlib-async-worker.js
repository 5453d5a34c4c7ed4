// The Worker behind zlib-async.js: its own instance of the threaded build
// with its own pool, so that the callback forms of zlib run (in parallel
// blocks where that applies) without blocking the thread that called them.
// Loaded by path: Workers do not see the page's import map.
import init, * as glue from '../../pkg/mt/ferrode_wasm.js';

const ready = (async () => {
  await init({ module_or_path: new URL('../../pkg/mt/ferrode_wasm_bg.wasm', import.meta.url) });
  return null;
})();
let pool = null;

self.onmessage = async (ev) => {
  const { id, poolSize, s, input, blockSize } = ev.data;
  try {
    await ready;
    pool ??= glue.initThreadPool(poolSize);
    await pool;
    let out;
    if (blockSize > 0) {
      out = glue.deflateParallel(s.mode, input, s.level, s.windowBits, s.memLevel, s.strategy, blockSize);
    } else {
      const h = new glue.ZlibHandle(
        s.mode,
        s.level,
        s.windowBits,
        s.memLevel,
        s.strategy,
        s.dictionary,
        s.params ?? new Uint32Array(0),
      );
      try {
        out = h.process(input, s.finishFlush, s.chunkSize, s.maxOutputLength);
      } finally {
        h.free();
      }
    }
    self.postMessage({ id, ok: true, out }, [out.buffer]);
  } catch (e) {
    // Core errors are plain { code, message, errno } objects and clone as they are.
    const error = e instanceof Error ? { code: 'ERR_ZLIB_INITIALIZATION_FAILED', message: e.message } : e;
    self.postMessage({ id, ok: false, error });
  }
};
