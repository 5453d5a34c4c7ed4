// The brotli module's exports for zlib. Brotli is a wasm module of its own (its
// tables were most of the size); zlib loads it on import so that brotli*Sync
// work right away, as in Node. (`ferrode/vite` swaps this file for one that
// reads the module its boot script loaded: bundlers refuse top-level await
// under a CommonJS require.)
import { loadBrotli } from '#wasm';

export const { brotli } = await loadBrotli();
