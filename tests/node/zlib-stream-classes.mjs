// The zlib stream classes under test. ferrode's own stream module has not
// landed on this branch yet, so they are built on node:stream's Transform (the
// API they are written against); once wasm/js/stream.js exists, this file
// switches to the classes ferrode/zlib exports.
import { Transform, finished } from 'node:stream';
import { makeZlibStreams } from '../../wasm/js/internal/zlib-streams.js';

export const streams = makeZlibStreams(Transform, finished);
export const streamImpl = 'node:stream';
