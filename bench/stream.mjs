// Streams: a byte pipeline Readable → Transform → Writable of 256 MiB in
// 64 KiB chunks, and an objectMode pipeline of 1e6 small objects; ferrode vs
// readable-stream@4 (what bundlers inject) vs node:stream. Streams never touch
// the bytes, so these measure the per-chunk bookkeeping (state, events, ticks).
//
// The last row measures what keeping that state in Rust would add at least:
// two calls per object into a minimal wasm function (write + push would each
// have to cross once). The module is hand-assembled, `step(i32) -> i32` adds 1:
// the floor of any real crossing.
import * as ferrode from 'ferrode/stream';
import * as nodeStream from 'node:stream';
import { Buffer as NodeBuffer } from 'node:buffer';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const readableStream = require('readable-stream');

let FerrodeBuffer = NodeBuffer;
try {
  ({ Buffer: FerrodeBuffer } = await import('ferrode/buffer'));
} catch {
  // Before ferrode/buffer exists the ferrode streams carry Node's Buffers.
}

const wasmBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01,
  0x00, 0x07, 0x08, 0x01, 0x04, 0x73, 0x74, 0x65, 0x70, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x41,
  0x01, 0x6a, 0x0b,
]);
const { step } = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes)).exports;

const TOTAL = 256 * 1024 * 1024;
const CHUNK = 64 * 1024;
const OBJECTS = 1_000_000;

function bytePipeline(S, Buffer) {
  const chunk = Buffer.alloc(CHUNK, 0x61);
  const count = TOTAL / CHUNK;
  return () =>
    new Promise((resolve, reject) => {
      let sent = 0;
      let received = 0;
      const src = new S.Readable({
        read() {
          while (sent < count) {
            sent++;
            if (!this.push(chunk)) return;
          }
          this.push(null);
        },
      });
      const t = new S.Transform({
        transform(c, enc, cb) {
          cb(null, c);
        },
      });
      const sink = new S.Writable({
        write(c, enc, cb) {
          received += c.length;
          cb();
        },
      });
      S.pipeline(src, t, sink, (err) => (err ? reject(err) : resolve(received)));
    });
}

function objectPipeline(S, { objects = OBJECTS } = {}) {
  return () =>
    new Promise((resolve, reject) => {
      let sent = 0;
      let sum = 0;
      const src = new S.Readable({
        objectMode: true,
        read() {
          while (sent < objects) {
            const obj = { n: sent++ };
            if (!this.push(obj)) return;
          }
          this.push(null);
        },
      });
      const t = new S.Transform({
        objectMode: true,
        transform(o, enc, cb) {
          cb(null, o);
        },
      });
      const sink = new S.Writable({
        objectMode: true,
        write(o, enc, cb) {
          sum += o.n;
          cb();
        },
      });
      S.pipeline(src, t, sink, (err) => (err ? reject(err) : resolve(sum)));
    });
}

const same = (results) => {
  const values = Object.values(results);
  if (!values.every((v) => v === values[0])) throw new Error(`results differ: ${JSON.stringify(results)}`);
};

export default async function (h) {
  await h.row(
    'pipeline',
    'bytes 256 MiB in 64 KiB chunks',
    {
      ferrode: bytePipeline(ferrode, FerrodeBuffer),
      'readable-stream@4': bytePipeline(readableStream, NodeBuffer),
      node: bytePipeline(nodeStream, NodeBuffer),
    },
    // Each call is short: more runs make the best-of-N steadier on a shared machine.
    { bytes: TOTAL, check: same, minTime: 1500 },
  );
  await h.row(
    'pipeline',
    `objectMode ${OBJECTS} objects`,
    {
      ferrode: objectPipeline(ferrode),
      'readable-stream@4': objectPipeline(readableStream),
      node: objectPipeline(nodeStream),
    },
    { check: same, minTime: 1500 },
  );
  // The least Rust-held stream state would add per object: two crossings
  // (write + push). One op here against one op of the objectMode row above.
  const calls = 2 * OBJECTS;
  await h.row(
    'wasm',
    `${calls} calls to step(i32): 2 crossings for each of ${OBJECTS} objects`,
    {
      ferrode: () => {
        let x = 0;
        for (let i = 0; i < calls; i++) x = step(x);
        return x;
      },
    },
    { note: 'op/s here vs op/s of the objectMode row = how little a bare crossing would add' },
  );
}
