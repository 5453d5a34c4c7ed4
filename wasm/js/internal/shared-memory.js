// TextEncoder.encodeInto and TextDecoder.decode refuse views of a
// SharedArrayBuffer — and in the threaded build all of wasm memory is one, as
// are users' Buffers over a SharedArrayBuffer. Every encode into, or decode
// from, bytes that may be shared goes through these two functions.

const HAS_SAB = typeof SharedArrayBuffer === 'function';
// Reused for small strings; larger ones get a one-off buffer so a single huge
// string does not pin its size in memory for the page's life.
const STAGING_MAX = 1 << 20;
let staging = new Uint8Array(0);

/** Whether `view` lives on a SharedArrayBuffer. */
export function isShared(view) {
  return HAS_SAB && view.buffer instanceof SharedArrayBuffer;
}

/** `view` itself, or a private copy of it when it is shared (for TextDecoder). */
export function unshared(view) {
  return isShared(view) ? view.slice() : view;
}

/** `encoder.encodeInto(str, view)` that also works when `view` is shared. */
export function encodeInto(encoder, str, view) {
  if (!isShared(view)) return encoder.encodeInto(str, view);
  let tmp;
  if (view.length <= STAGING_MAX) {
    if (staging.length < view.length)
      staging = new Uint8Array(Math.min(STAGING_MAX, Math.max(view.length, 2 * staging.length, 64)));
    tmp = staging.subarray(0, view.length);
  } else {
    tmp = new Uint8Array(view.length);
  }
  const result = encoder.encodeInto(str, tmp);
  view.set(tmp.subarray(0, result.written));
  return result;
}
