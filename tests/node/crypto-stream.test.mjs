// Hash, Hmac, Cipheriv and Decipheriv as Transform streams, against Node's:
// write/end/read, pipe, pipeline, setEncoding, errors through the stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Transform, pipeline } from 'ferrode/stream';
import * as nodeStream from 'node:stream';
import { rng, nodeCrypto, ferrodeCrypto } from '../support/crypto-diff.mjs';

const mods = [
  [nodeCrypto, nodeStream],
  [ferrodeCrypto, { Readable, Transform, pipeline }],
];

function collect(stream) {
  return new Promise((resolve, reject) => {
    const out = [];
    stream.on('data', (d) => out.push(typeof d === 'string' ? d : Buffer.from(d).toString('hex')));
    stream.on('error', reject);
    stream.on('end', () => resolve(out.join('')));
  });
}

test('the classes are Transforms, and creating one builds no stream state until used', () => {
  const h = ferrodeCrypto.createHash('sha256');
  assert.ok(h instanceof Transform);
  assert.ok(ferrodeCrypto.createHmac('sha1', 'k') instanceof Transform);
  assert.ok(ferrodeCrypto.createCipheriv('aes-128-ctr', Buffer.alloc(16), Buffer.alloc(16)) instanceof Transform);
  assert.ok(ferrodeCrypto.createDecipheriv('aes-128-ctr', Buffer.alloc(16), Buffer.alloc(16)) instanceof Transform);
  assert.equal(Object.hasOwn(h, '_readableState'), false);
  assert.equal(h.update('x').digest('hex'), nodeCrypto.createHash('sha256').update('x').digest('hex'));
  assert.equal(Object.hasOwn(h, '_readableState'), false);
  assert.equal(typeof h.pipe, 'function');
});

test("hash.write()/end() then read(), like Node's docs example", async () => {
  const r = rng();
  const parts = [r.bytes(100), 'some text', r.bytes(5000)];
  const results = [];
  for (const [c] of mods) {
    const hash = c.createHash('sha512');
    const done = new Promise((resolve) => {
      hash.on('readable', () => {
        const data = hash.read();
        if (data) resolve(Buffer.from(data).toString('hex'));
      });
    });
    for (const p of parts) hash.write(p);
    hash.end();
    results.push(await done);
  }
  assert.equal(results[1], results[0]);
});

test('pipe a Readable through Hash and Hmac with setEncoding', async () => {
  const r = rng();
  const chunks = Array.from({ length: 20 }, () => r.bytes(r.int(3000)));
  const makers = [
    (c) => c.createHash('sha256'),
    (c) => c.createHmac('sha384', 'key'),
    (c) => c.createHash('shake256', { outputLength: 50 }),
  ];
  for (const make of makers) {
    const results = [];
    for (const [c, s] of mods) {
      const h = make(c);
      h.setEncoding('hex');
      s.Readable.from(chunks).pipe(h);
      results.push(await collect(h));
    }
    assert.equal(results[1], results[0]);
  }
});

test('Cipheriv/Decipheriv streams: write strings with an encoding, pipeline, round trip', async () => {
  const r = rng();
  const key = r.bytes(32);
  const iv = r.bytes(16);
  const chunks = Array.from({ length: 15 }, () => r.bytes(r.int(100)));
  for (const alg of ['aes-256-cbc', 'aes-256-ctr', 'aes-256-cfb']) {
    const results = [];
    for (const [c, s] of mods) {
      const cipher = c.createCipheriv(alg, key, iv);
      const ct = collect(cipher);
      s.Readable.from(chunks).pipe(cipher);
      const hex = await ct;
      const decipher = c.createDecipheriv(alg, key, iv);
      decipher.setEncoding('hex');
      const back = new Promise((resolve, reject) => {
        let out = '';
        s.pipeline(
          s.Readable.from([Buffer.from(hex, 'hex')]),
          decipher,
          new s.Transform({
            transform(chunk, enc, cb) {
              out += chunk;
              cb();
            },
          }),
          (err) => (err ? reject(err) : resolve(out)),
        );
      });
      results.push([hex, await back]);
    }
    assert.deepEqual(results[1], results[0]);
    assert.equal(results[1][1], Buffer.concat(chunks).toString('hex'));
  }
  // Strings written with an encoding.
  const out = [];
  for (const [c] of mods) {
    const cipher = c.createCipheriv('aes-128-ctr', key.subarray(0, 16), iv);
    const p = collect(cipher);
    cipher.write('68656c6c6f', 'hex');
    cipher.write(' wörld', 'utf8');
    cipher.end('IQ==', 'base64');
    out.push(await p);
  }
  assert.equal(out[1], out[0]);
});

test("a bad decrypt surfaces as the stream's error event, like Node", async () => {
  const errors = [];
  for (const [c] of mods) {
    const d = c.createDecipheriv('aes-256-cbc', Buffer.alloc(32), Buffer.alloc(16));
    errors.push(
      await new Promise((resolve) => {
        d.on('error', (e) => resolve({ code: e.code, message: e.message, reason: e.reason }));
        d.on('data', () => {});
        d.end(Buffer.alloc(16));
      }),
    );
  }
  assert.deepEqual(errors[1], errors[0]);
  const tagErrors = [];
  for (const [c] of mods) {
    const d = c.createDecipheriv('aes-256-gcm', Buffer.alloc(32), Buffer.alloc(12));
    d.setAuthTag(Buffer.alloc(16));
    tagErrors.push(
      await new Promise((resolve) => {
        d.on('error', (e) => resolve({ code: e.code, message: e.message }));
        d.resume();
        d.end(Buffer.alloc(5));
      }),
    );
  }
  assert.deepEqual(tagErrors[1], tagErrors[0]);
});
