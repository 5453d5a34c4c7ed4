// The page's boot script under `ferrode/vite`: loads the wasm (the threaded
// build when the page is cross-origin isolated) and the brotli module, then
// publishes them for `wasm-global.js` and sets the globals asked for. The
// plugin makes each entry script wait for this before the app's modules run,
// which is what lets CommonJS packages `require()` ferrode synchronously.
import { wasm, threads, loadBrotli } from '../wasm-browser.js';

// The plugin marks bundles without zlib, whose pages need not fetch brotli.
const wantBrotli = globalThis[Symbol.for('ferrode.brotli')] !== false;
const { brotli } = wantBrotli ? await loadBrotli() : { brotli: null };
globalThis[Symbol.for('ferrode.wasm')] = Object.freeze({ wasm, threads, brotli });
