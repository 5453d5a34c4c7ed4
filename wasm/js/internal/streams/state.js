// highWaterMark defaults and option parsing (Node 24: 64 KiB for bytes, 16 objects),
// and the bits both stream states share in their one flags integer (`state[kState]`).
import { codes } from '../errors.js';
import { validateInteger } from '../validators.js';

const { ERR_INVALID_ARG_VALUE } = codes;

let defaultHighWaterMarkBytes = 64 * 1024;
let defaultHighWaterMarkObjectMode = 16;

export function getDefaultHighWaterMark(objectMode) {
  return objectMode ? defaultHighWaterMarkObjectMode : defaultHighWaterMarkBytes;
}

export function setDefaultHighWaterMark(objectMode, value) {
  validateInteger(value, 'value', 0);
  if (objectMode) defaultHighWaterMarkObjectMode = value;
  else defaultHighWaterMarkBytes = value;
}

/** The highWaterMark a stream side gets from its options (`duplexKey` is e.g. 'readableHighWaterMark'). */
export function getHighWaterMark(state, options, duplexKey, isDuplex) {
  const hwm = options.highWaterMark != null ? options.highWaterMark : isDuplex ? options[duplexKey] : null;
  if (hwm != null) {
    if (!Number.isInteger(hwm) || hwm < 0) {
      const name = isDuplex ? `options.${duplexKey}` : 'options.highWaterMark';
      throw new ERR_INVALID_ARG_VALUE(name, hwm);
    }
    return Math.floor(hwm);
  }
  return getDefaultHighWaterMark(state.objectMode);
}

// One symbol and the low nine bits are common to ReadableState and WritableState,
// with Node 24's values, so that destroy() and friends test either state alike.
export const kState = Symbol('kState');
export const kOnConstructed = Symbol('kOnConstructed');
export const kObjectMode = 1 << 0;
export const kErrorEmitted = 1 << 1;
export const kAutoDestroy = 1 << 2;
export const kEmitClose = 1 << 3;
export const kDestroyed = 1 << 4;
export const kClosed = 1 << 5;
export const kCloseEmitted = 1 << 6;
export const kErrored = 1 << 7;
export const kConstructed = 1 << 8;
