// `#wasm` under `ferrode/vite`: the modules the boot script loaded, read
// synchronously (no top-level await, so CommonJS packages can require ferrode).
const loaded = globalThis[Symbol.for('ferrode.wasm')];
if (loaded === undefined) {
  throw new Error(
    'ferrode: the wasm is not loaded yet. Under ferrode/vite, load the app from an HTML ' +
      '<script type="module" src="..."> entry (the plugin boots ferrode before it runs).',
  );
}

/** The wasm exports of the active build. */
export const wasm = loaded.wasm;
/** Which build is active and how many threads its pool has. */
export const threads = loaded.threads;
/** The brotli module (loaded by the boot script). */
export const brotli = loaded.brotli;
/** Same shape as the other loaders' `loadBrotli`. */
export async function loadBrotli() {
  return { brotli };
}
