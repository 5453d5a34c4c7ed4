// zlib's brotli module under `ferrode/vite` (see ../zlib-brotli.js).
export { brotli } from './wasm-global.js';
