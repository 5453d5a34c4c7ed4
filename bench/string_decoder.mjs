// StringDecoder: many small chunks (a stream with setEncoding) and one large
// chunk; ferrode/string_decoder vs string_decoder@1 (what bundlers inject) vs
// node:string_decoder.
import { StringDecoder as FerrodeSD } from 'ferrode/string_decoder';
import { StringDecoder as NodeSD } from 'node:string_decoder';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PolyfillSD = require('string_decoder/').StringDecoder; // the npm package string_decoder@1

const impls = { ferrode: FerrodeSD, 'string_decoder@1': PolyfillSD, node: NodeSD };

function text(n) {
  const parts = ['hello ', 'wörld ', '€uro ', '𝄞 clef ', 'ascii only text '];
  let s = '';
  while (s.length < n) s += parts[s.length % parts.length];
  return s;
}

export default async function (h) {
  const small = Buffer.from(text(64 * 1024), 'utf8');
  const large = Buffer.from(text(4 * 1024 * 1024), 'utf8');
  for (const [enc, size] of [
    ['utf8', 7],
    ['utf8', 64],
    ['utf16le', 63],
    ['base64', 61],
  ]) {
    const input = enc === 'utf16le' ? Buffer.from(text(64 * 1024), 'utf16le') : small;
    const chunks = [];
    for (let i = 0; i < input.length; i += size) chunks.push(input.subarray(i, i + size));
    const row = {};
    for (const [label, SD] of Object.entries(impls)) {
      row[label] = () => {
        const d = new SD(enc);
        let n = 0;
        for (const c of chunks) n += d.write(c).length;
        return n + d.end().length;
      };
    }
    await h.row('write', `${enc}, ${chunks.length} chunks of ${size} B`, row, {
      bytes: input.length,
      check: (r) => {
        if (r.ferrode !== r.node) throw new Error(`length ${r.ferrode} != ${r.node}`);
      },
    });
  }
  const row = {};
  for (const [label, SD] of Object.entries(impls)) row[label] = () => new SD('utf8').end(large).length;
  await h.row('write', 'utf8, one 4 MiB chunk', row, { bytes: large.length });
}
