// crypto.hashBatch(algorithm, inputs[, outputEncoding]): a ferrode extra, not
// in Node. Hashes many inputs in one call: the inputs cross into wasm once,
// and the threaded build spreads them over its pool. Same digests as
// createHash(algorithm).update(input).digest(outputEncoding) for each input.
import { wasm } from '#wasm';
import { Buffer } from '../buffer.js';
import { codes } from './errors.js';
import { validateString } from './validators.js';

const { ERR_INVALID_ARG_TYPE } = codes;
const encoder = new TextEncoder();

/** Digests of `inputs` (strings as UTF-8, or ArrayBufferViews): Buffers, or strings in `outputEncoding`. */
export function hashBatch(algorithm, inputs, outputEncoding) {
  validateString(algorithm, 'algorithm');
  if (!Array.isArray(inputs)) throw new ERR_INVALID_ARG_TYPE('inputs', 'Array', inputs);
  const views = inputs.map((input, i) => {
    if (typeof input === 'string') return encoder.encode(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new ERR_INVALID_ARG_TYPE(`inputs[${i}]`, ['string', 'Buffer', 'TypedArray', 'DataView'], input);
  });
  let total = 0;
  for (const v of views) total += v.byteLength;
  const data = new Uint8Array(total);
  const lengths = new Uint32Array(views.length);
  let at = 0;
  views.forEach((v, i) => {
    data.set(v, at);
    at += v.byteLength;
    lengths[i] = v.byteLength;
  });
  let out;
  try {
    out = wasm.hashBatch(algorithm, data, lengths);
  } catch (e) {
    // createHash's error for an unknown algorithm.
    if (e?.code === 'ERR_OSSL_EVP_UNSUPPORTED') throw new Error('Digest method not supported');
    throw e;
  }
  if (views.length === 0) return [];
  const size = out.byteLength / views.length;
  const all = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const digests = [];
  for (let i = 0; i < views.length; i++) {
    const d = all.subarray(i * size, (i + 1) * size);
    digests.push(outputEncoding === undefined || outputEncoding === 'buffer' ? d : d.toString(outputEncoding));
  }
  return digests;
}
