// The Worker behind crypto-kdf.js: its own single-threaded wasm instance,
// loaded by path (Workers do not see the page's import map).
import init, * as glue from '../../pkg/st/ferrode_wasm.js';

const ready = init({ module_or_path: new URL('../../pkg/st/ferrode_wasm_bg.wasm', import.meta.url) });
const KINDS = new Set(['pbkdf2', 'scrypt', 'hkdf']);

self.onmessage = async (ev) => {
  const { id, kind, args } = ev.data;
  try {
    await ready;
    if (!KINDS.has(kind)) throw new Error(`unknown job ${kind}`);
    const out = glue[kind](...args);
    self.postMessage({ id, ok: true, out }, [out.buffer]);
  } catch (e) {
    // Core errors are plain { code, message } objects and clone as they are.
    const error = e instanceof Error ? { code: '', message: e.message } : e;
    self.postMessage({ id, ok: false, error });
  }
};
