// Loads the single-threaded build in Node. The threaded build's `--target web`
// output needs browser Web Workers, so Node always gets this one.
import { readFileSync } from 'node:fs';
import * as glue from '../../pkg/st/ferrode_wasm.js';

glue.initSync({ module: readFileSync(new URL('../../pkg/st/ferrode_wasm_bg.wasm', import.meta.url)) });

/** The wasm exports of the active build. */
export const wasm = glue;
/** Which build is active and how many threads its pool has. */
export const threads = Object.freeze({ threaded: false, poolSize: 0, reason: 'node' });

/**
 * Loads the brotli module (wasm/brotli, built apart so that apps not using
 * brotli do not carry its tables); `ferrode/zlib` awaits it on import.
 */
export async function loadBrotli() {
  const brotli = await import('../../pkg/brotli/ferrode_brotli.js');
  brotli.initSync({ module: readFileSync(new URL('../../pkg/brotli/ferrode_brotli_bg.wasm', import.meta.url)) });
  return { brotli };
}
