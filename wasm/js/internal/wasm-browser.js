// Picks the build at load time: the threaded one only when the page is
// cross-origin isolated (SharedArrayBuffer available) and its pool comes up;
// otherwise the single-threaded one, silently.
const POOL_TIMEOUT_MS = 15000;

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function wantedPoolSize() {
  const configured = globalThis.__FERRODE_POOL_SIZE__;
  if (Number.isInteger(configured) && configured > 0) return configured;
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.max(2, Math.min(cores, 16));
}

async function loadThreaded() {
  const glue = await import('../../pkg/mt/ferrode_wasm.js');
  await glue.default({ module_or_path: new URL('../../pkg/mt/ferrode_wasm_bg.wasm', import.meta.url) });
  // initThreadPool never settles when its workers cannot start: guard it.
  await withTimeout(glue.initThreadPool(wantedPoolSize()), POOL_TIMEOUT_MS, 'initThreadPool');
  return glue;
}

async function loadSingle() {
  const glue = await import('../../pkg/st/ferrode_wasm.js');
  await glue.default({ module_or_path: new URL('../../pkg/st/ferrode_wasm_bg.wasm', import.meta.url) });
  return glue;
}

let glue = null;
let reason = 'not cross-origin isolated';
if (globalThis.crossOriginIsolated === true && globalThis.__FERRODE_THREADS__ !== false) {
  try {
    glue = await loadThreaded();
    reason = 'cross-origin isolated';
  } catch (err) {
    glue = null;
    reason = `threads unavailable: ${err && err.message}`;
  }
}
if (glue === null) glue = await loadSingle();

/** The wasm exports of the active build. */
export const wasm = glue;
/** Which build is active and how many threads its pool has. */
export const threads = Object.freeze({
  threaded: glue.isThreadedBuild(),
  poolSize: glue.poolSize(),
  reason,
});

/**
 * Loads the brotli module (wasm/brotli, built apart so that apps not using
 * brotli do not carry its tables); `ferrode/zlib` awaits it on import. A
 * dynamic import so bundlers put it in a chunk of its own.
 */
export async function loadBrotli() {
  const { loadBrotliModule } = await import('./brotli-browser.js');
  return { brotli: await loadBrotliModule() };
}
