// The smoke test every page passes (the Vite app and each bundler recipe):
// Buffer, events, a stream pipeline, a gzip round trip, sha256 and HMAC. The
// test runs it under Node 20 too and compares.
import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import { Readable, Transform, pipeline } from 'stream';
import zlib from 'zlib';
import crypto from 'crypto';

export async function smoke() {
  const e = new EventEmitter();
  const seen = [];
  e.on('x', (a, b) => seen.push(a + b));
  e.once('x', (a) => seen.push(`once:${a}`));
  e.emit('x', 1, 2);
  e.emit('x', 3, 4);
  const upper = new Transform({
    transform(chunk, _enc, cb) {
      cb(null, chunk.toString().toUpperCase());
    },
  });
  const piped = await new Promise((resolve, reject) => {
    const chunks = [];
    upper.on('data', (c) => chunks.push(c));
    pipeline(Readable.from(['ab', 'cd', 'ef']), upper, (err) =>
      err ? reject(err) : resolve(Buffer.concat(chunks).toString()),
    );
  });
  const text = 'ferrode '.repeat(1000);
  const gz = zlib.gzipSync(text);
  return {
    buffer: [
      Buffer.from('héllo').toString('hex'),
      Buffer.from('aGk=', 'base64').toString(),
      Buffer.alloc(4, 1).readUInt32LE(0),
    ],
    events: seen,
    stream: piped,
    gzip: gz.toString('base64'),
    gunzip: zlib.gunzipSync(gz).toString() === text,
    sha256: crypto.createHash('sha256').update(text).digest('hex'),
    hmac: crypto.createHmac('sha256', 'key').update('data').digest('base64'),
  };
}
