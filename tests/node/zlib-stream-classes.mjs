// The zlib stream classes under test: the ones ferrode/zlib exports, on
// ferrode's own Transform (wasm/js/stream.js).
import * as zlib from 'ferrode/zlib';

export const streams = zlib;
export const streamImpl = 'ferrode/stream';
