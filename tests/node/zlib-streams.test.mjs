// ferrode/zlib's stream classes against node:zlib's streams: same bytes out,
// same chunking, same errors, flush/params/reset/bytesWritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeZlib from 'node:zlib';
import { readFileSync } from 'node:fs';
import { streams as z, streamImpl } from './zlib-stream-classes.mjs';
import { rng } from '../support/rng.mjs';

const text = readFileSync(new URL('../../core/src/zlib/flate.rs', import.meta.url));

function pieces(r, data) {
  const out = [];
  for (let i = 0; i < data.length;) {
    const n = 1 + Math.floor(r() * 9000);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

// Writes the pieces, ends, and collects data chunks and the outcome.
function drive(stream, chunks) {
  return new Promise((resolve) => {
    const out = [];
    stream.on('data', (c) => out.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
    stream.on('end', () => resolve({ chunks: out, bytesWritten: stream.bytesWritten }));
    stream.on('error', (e) => resolve({ error: { code: e.code, errno: e.errno, message: e.message, name: e.name } }));
    for (const c of chunks) stream.write(c);
    stream.end();
  });
}

test(`streams use ${streamImpl}'s Transform`, () => {
  assert.ok(streamImpl.length > 0);
});

test('compressing streams produce what Node decodes, decoding streams chunk like Node', async () => {
  const r = rng(11);
  const kinds = [
    ['createGzip', 'createGunzip', 'gunzipSync', 'gzipSync'],
    ['createDeflate', 'createInflate', 'inflateSync', 'deflateSync'],
    ['createDeflateRaw', 'createInflateRaw', 'inflateRawSync', 'deflateRawSync'],
    ['createGzip', 'createUnzip', 'gunzipSync', 'gzipSync'],
    ['createBrotliCompress', 'createBrotliDecompress', 'brotliDecompressSync', 'brotliCompressSync'],
  ];
  for (let i = 0; i < 25; i++) {
    const [c, d, dSync, cSync] = kinds[i % kinds.length];
    const start = Math.floor(r() * 5000);
    const data = Buffer.concat([
      text.subarray(start, start + Math.floor(r() * 30000)),
      Buffer.alloc(Math.floor(r() * 40000), 7),
    ]);
    const opts = { chunkSize: 64 + Math.floor(r() * 20000) };
    const mine = await drive(z[c](opts), pieces(r, data));
    assert.ok(nodeZlib[dSync](Buffer.concat(mine.chunks)).equals(data), `${c}`);
    assert.ok(mine.chunks.every((x) => x.length <= opts.chunkSize));
    const compressed = nodeZlib[cSync](data);
    const split = pieces(r, compressed);
    const a = await drive(z[d](opts), split);
    const b = await drive(nodeZlib[d](opts), split);
    assert.deepEqual(
      a.chunks.map((x) => x.length),
      b.chunks.map((x) => x.length),
      `${d} chunking`,
    );
    assert.ok(Buffer.concat(a.chunks).equals(data));
    assert.equal(a.bytesWritten, b.bytesWritten);
  }
});

test("stream errors equal Node's and arrive as 'error' events", async () => {
  const gz = nodeZlib.gzipSync(text);
  const bad = Buffer.from(gz);
  bad[gz.length - 6] ^= 0x10;
  for (const [name, input] of [
    ['createGunzip', [Buffer.from('not gzip at all')]],
    ['createGunzip', [gz.subarray(0, 500)]],
    ['createGunzip', [bad.subarray(0, 1000), bad.subarray(1000)]],
    ['createInflate', [Buffer.from([0x78, 0x9c, 0xff, 0xff])]],
    ['createBrotliDecompress', [Buffer.from('ffffffff', 'hex')]],
    ['createBrotliDecompress', [nodeZlib.brotliCompressSync(text).subarray(0, 100)]],
  ]) {
    const a = await drive(z[name](), input);
    const b = await drive(nodeZlib[name](), input);
    assert.deepEqual(a.error, b.error, name);
    assert.ok(a.error);
  }
  assert.throws(
    () => z.createGzip({ level: 42 }),
    (e) => {
      assert.throws(() => nodeZlib.createGzip({ level: 42 }), { code: e.code, message: e.message, name: e.name });
      return true;
    },
  );
});

test('flush() emits what was written so far; params() changes level mid-stream; reset() starts over', async () => {
  for (const name of ['createDeflate', 'createGzip', 'createDeflateRaw']) {
    const s = z[name]();
    const out = [];
    s.on('data', (c) => out.push(Buffer.from(c)));
    s.write(text.subarray(0, 3000));
    await new Promise((resolve) => s.flush(resolve));
    const inflater = {
      createDeflate: 'inflateSync',
      createGzip: 'gunzipSync',
      createDeflateRaw: 'inflateRawSync',
    }[name];
    const sofar = nodeZlib[inflater](Buffer.concat(out), { finishFlush: nodeZlib.constants.Z_SYNC_FLUSH });
    assert.ok(sofar.equals(text.subarray(0, 3000)), `${name} flush`);
    await new Promise((resolve) => s.params(1, nodeZlib.constants.Z_HUFFMAN_ONLY, resolve));
    s.write(text.subarray(3000, 9000));
    await new Promise((resolve) => s.params(9, nodeZlib.constants.Z_DEFAULT_STRATEGY, resolve));
    s.end(text.subarray(9000));
    await new Promise((resolve) => s.on('end', resolve));
    assert.ok(nodeZlib[inflater](Buffer.concat(out)).equals(text), `${name} after params`);
    assert.equal(s.bytesWritten, text.length);
  }
  // reset(): once a write is done the compressor starts a new stream (the
  // output decodes to the part written after it, past whatever came
  // before); while a write is in progress, reset() throws. As the Node
  // running this does.
  const resetScenario = async (impl, waitForWrite) => {
    const g = impl.createGzip();
    const out = [];
    g.on('data', (c) => out.push(Buffer.from(c)));
    const written = new Promise((resolve) => g.write('thrown away', resolve));
    if (waitForWrite) await written;
    let threw = null;
    try {
      g.reset();
    } catch (e) {
      threw = { name: e.name, code: e.code, message: e.message };
    }
    g.end('kept');
    await new Promise((resolve) => g.on('end', resolve));
    const all = Buffer.concat(out);
    const start = all.lastIndexOf(Buffer.from([0x1f, 0x8b, 0x08]));
    return { threw, last: nodeZlib.gunzipSync(all.subarray(start)).toString(), members: start > 0 };
  };
  for (const waitForWrite of [true, false]) {
    assert.deepEqual(
      await resetScenario(z, waitForWrite),
      await resetScenario(nodeZlib, waitForWrite),
      `reset ${waitForWrite ? 'after' : 'during'} a write`,
    );
  }
});

test("classes work with and without new, like Node's", () => {
  for (const name of [
    'Gzip',
    'Gunzip',
    'Deflate',
    'Inflate',
    'DeflateRaw',
    'InflateRaw',
    'Unzip',
    'BrotliCompress',
    'BrotliDecompress',
  ]) {
    const a = new z[name]();
    const b = z[name]();
    assert.ok(a instanceof z[name]);
    assert.ok(b instanceof z[name]);
    assert.equal(typeof a.pipe, 'function');
    assert.equal(typeof z[`create${name}`], 'function');
    assert.equal(z[name].name, name);
    a.close();
    b.destroy();
  }
});

test('info: true returns the buffer and the engine, as Node does', async () => {
  const mine = z.gzipSync('hello', { info: true });
  const theirs = nodeZlib.gzipSync('hello', { info: true });
  assert.deepEqual(Object.keys(mine), Object.keys(theirs));
  assert.ok(mine.engine instanceof z.Gzip);
  assert.equal(mine.engine.bytesWritten, theirs.engine.bytesWritten);
  assert.ok(Buffer.from(mine.buffer).equals(theirs.buffer));
  const viaCallback = await new Promise((resolve, reject) => {
    z.deflate('abc', { info: true }, (err, res) => (err ? reject(err) : resolve(res)));
  });
  assert.ok(viaCallback.engine instanceof z.Deflate);
  assert.ok(nodeZlib.inflateSync(viaCallback.buffer).equals(Buffer.from('abc')));
});

test('pipeline with stream/promises, as the seed tutorial writes it', async () => {
  const { pipeline } = await import('ferrode/stream/promises');
  const { Readable, Writable } = await import('ferrode/stream');
  const out = [];
  await pipeline(
    Readable.from([text.subarray(0, 5000), text.subarray(5000)]),
    z.createGzip(),
    z.createGunzip(),
    new Writable({
      write(chunk, _enc, cb) {
        out.push(Buffer.from(chunk));
        cb();
      },
    }),
  );
  assert.ok(Buffer.concat(out).equals(text));
});
