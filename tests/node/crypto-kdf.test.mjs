// pbkdf2 / scrypt / hkdf (sync and async) and secret KeyObjects against
// node:crypto, with the RFC vectors from tests/vectors/crypto/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { same, sameError, rng, normalize, nodeCrypto, ferrodeCrypto } from '../support/crypto-diff.mjs';

const VECTORS = new URL('../vectors/crypto/', import.meta.url);
const load = (name) => JSON.parse(fs.readFileSync(new URL(`${name}.json`, VECTORS)));
const H = (s) => Buffer.from(s ?? '', 'hex');
const hex = (v) => Buffer.from(v instanceof ArrayBuffer ? new Uint8Array(v) : v).toString('hex');

function both(fn) {
  return Promise.all(
    [nodeCrypto, ferrodeCrypto].map(
      (c) =>
        new Promise((resolve) => {
          try {
            fn(c, (err, out) => resolve(normalize(err ?? out)));
          } catch (e) {
            resolve({ thrown: normalize(e) });
          }
        }),
    ),
  );
}

test('RFC 6070 / RFC 7914 PBKDF2 vectors, RFC 7914 scrypt vectors, RFC 5869 HKDF vectors', () => {
  for (const v of load('pbkdf2')) {
    const key = ferrodeCrypto.pbkdf2Sync(H(v.password), H(v.salt), v.iterations, v.out.length / 2, v.alg);
    assert.equal(hex(key), v.out, v.source);
  }
  for (const v of load('scrypt')) {
    const opts = { N: v.N, r: v.r, p: v.p, maxmem: 2 ** 30 };
    assert.equal(hex(ferrodeCrypto.scryptSync(H(v.password), H(v.salt), v.out.length / 2, opts)), v.out, v.source);
  }
  for (const v of load('hkdf')) {
    assert.equal(hex(ferrodeCrypto.hkdfSync(v.alg, H(v.ikm), H(v.salt), H(v.info), v.out.length / 2)), v.out, v.source);
  }
  for (const v of load('hash')) {
    const msg = Buffer.concat(Array(v.repeat ?? 1).fill(H(v.msg)));
    const h = ferrodeCrypto.createHash(v.alg, { outputLength: v.out.length / 2 });
    assert.equal(h.update(msg).digest('hex'), v.out, v.source);
  }
  for (const v of load('hmac')) {
    assert.equal(ferrodeCrypto.createHmac(v.alg, H(v.key)).update(H(v.msg)).digest('hex'), v.out, v.source);
  }
});

test('pbkdf2Sync: random inputs and every digest like Node; errors', () => {
  const r = rng();
  for (const digest of ['sha1', 'sha256', 'sha512', 'md5', 'sha3-256', 'ripemd160', 'RSA-SHA256', 'sha512-256']) {
    const pw = r.bytes(r.int(100));
    const salt = r.bytes(r.int(40));
    const keylen = r.int(200);
    const iterations = 1 + r.int(3) * 100;
    same((c) => c.pbkdf2Sync(pw, salt, iterations, keylen, digest), digest);
  }
  same((c) => c.pbkdf2Sync('string', new Uint16Array([1, 2]), 3, 0, 'sha1'));
  same((c) => c.pbkdf2Sync(new ArrayBuffer(3), 'salt', 3, 10, 'sha1'));
  for (const fn of [
    (c) => c.pbkdf2Sync('p', 's', 1, 10, 'nope'),
    (c) => c.pbkdf2Sync('p', 's', 1, 10, 'shake128'),
    (c) => c.pbkdf2Sync('p', 's', 0, 10, 'sha1'),
    (c) => c.pbkdf2Sync('p', 's', 1.5, 10, 'sha1'),
    (c) => c.pbkdf2Sync('p', 's', '1', 10, 'sha1'),
    (c) => c.pbkdf2Sync('p', 's', 1, -1, 'sha1'),
    (c) => c.pbkdf2Sync('p', 's', 1, 2 ** 31, 'sha1'),
    (c) => c.pbkdf2Sync('p', 's', 1, 10),
    (c) => c.pbkdf2Sync(1, 's', 1, 10, 'sha1'),
    (c) => c.pbkdf2Sync('p', null, 1, 10, 'sha1'),
    (c) => c.pbkdf2('p', 's', 1, 10, 'sha1'),
    (c) => c.pbkdf2('p', 's', 1, 10, 'sha1', 'nope'),
  ])
    sameError(fn);
});

test('pbkdf2 async: same result, called back later, errors through the callback or thrown like Node', async () => {
  const r = rng();
  const pw = r.bytes(20);
  let sync = true;
  let ranSync = null;
  const pending = both((c, done) =>
    c.pbkdf2(pw, 'salt', 1000, 64, 'sha512', (err, key) => {
      if (c === ferrodeCrypto) ranSync = sync;
      done(err, key);
    }),
  );
  sync = false;
  const [a, b] = await pending;
  assert.equal(ranSync, false, 'callback ran synchronously');
  assert.deepEqual(b, a);
  assert.deepEqual(...(await both((c, done) => c.pbkdf2('p', 's', 1, 10, 'shake256', done))));
  assert.deepEqual(...(await both((c, done) => c.pbkdf2('p', 's', 1, 10, 'nope', done))));
});

test('scryptSync: defaults, aliases, options like Node; parameter errors', () => {
  const r = rng();
  const pw = r.bytes(12);
  const salt = r.bytes(16);
  same((c) => c.scryptSync(pw, salt, 64));
  same((c) => c.scryptSync('pass', 'salt', 32, { N: 1024, r: 4, p: 2 }));
  same((c) => c.scryptSync('pass', 'salt', 32, { cost: 1024, blockSize: 4, parallelization: 2 }));
  same((c) => c.scryptSync('pass', 'salt', 16, { N: 0, r: 0, p: 0, maxmem: 0 }));
  same((c) => c.scryptSync('pass', 'salt', 16, null));
  same((c) => c.scryptSync('pass', 'salt', 16, 5));
  same((c) => c.scryptSync('pass', 'salt', 0));
  same((c) => c.scryptSync('pass', 'salt', 16, { N: 2 ** 15, maxmem: 64 * 1024 * 1024 }));
  for (const fn of [
    (c) => c.scryptSync('p', 's', 16, { N: 3 }),
    (c) => c.scryptSync('p', 's', 16, { N: 1 }),
    (c) => c.scryptSync('p', 's', 16, { N: 2 ** 15 }),
    (c) => c.scryptSync('p', 's', 16, { N: 16, cost: 16 }),
    (c) => c.scryptSync('p', 's', 16, { r: 1, blockSize: 1 }),
    (c) => c.scryptSync('p', 's', 16, { p: 1, parallelization: 1 }),
    (c) => c.scryptSync('p', 's', 16, { N: -1 }),
    (c) => c.scryptSync('p', 's', 16, { N: '1' }),
    (c) => c.scryptSync('p', 's', 16, { N: 2 ** 32 }),
    (c) => c.scryptSync('p', 's', 16, { r: 1.5 }),
    (c) => c.scryptSync('p', 's', 16, { N: 16, r: 1, p: 2 ** 30 }),
    (c) => c.scryptSync('p', 's', 16, { N: 2 ** 20, r: 1, maxmem: 2 ** 40 }),
    (c) => c.scryptSync('p', 's', 16, { N: 65536, r: 1 }),
    (c) => c.scryptSync('p', 's', 16, { maxmem: -1 }),
    (c) => c.scryptSync('p', 's', -1),
    (c) => c.scryptSync('p', 's', 1.5),
    (c) => c.scryptSync(5, 's', 16),
    (c) => c.scrypt('p', 's', 16),
    (c) => c.scrypt('p', 's', 16, {}),
  ])
    sameError(fn);
});

test('scrypt async: same key, options or not, errors', async () => {
  assert.deepEqual(...(await both((c, done) => c.scrypt('pass', 'salt', 32, done))));
  assert.deepEqual(...(await both((c, done) => c.scrypt('pass', 'salt', 32, { N: 1024 }, done))));
  // Node appends whatever OpenSSL error an earlier call left queued to this
  // message, so only the stable parts are compared.
  const [a, b] = await both((c, done) => c.scrypt('pass', 'salt', 32, { N: 3 }, done));
  assert.equal(b.thrown.error.code, a.thrown.error.code);
  assert.equal(b.thrown.error.name, a.thrown.error.name);
  assert.ok(a.thrown.error.message.startsWith(b.thrown.error.message));
});

test('hkdfSync / hkdf: ArrayBuffer results like Node, limits and errors', async () => {
  const r = rng();
  for (const digest of ['sha1', 'sha256', 'sha384', 'sha512', 'md5', 'sha3-512']) {
    const ikm = r.bytes(r.int(80));
    const salt = r.bytes(r.int(80));
    const info = r.bytes(r.int(80));
    const length = 1 + r.int(200);
    same((c) => c.hkdfSync(digest, ikm, salt, info, length), digest);
  }
  same((c) => c.hkdfSync('sha256', 'key', 'salt', 'info', 0));
  same((c) => c.hkdfSync('sha256', c.createSecretKey(Buffer.from('key')), new ArrayBuffer(4), new Uint32Array(2), 42));
  same((c) => c.hkdfSync('sha256', 'k', '', '', 255 * 32));
  for (const fn of [
    (c) => c.hkdfSync('sha256', 'k', 's', 'i', 255 * 32 + 1),
    (c) => c.hkdfSync('nope', 'k', 's', 'i', 10),
    (c) => c.hkdfSync('shake128', 'k', 's', 'i', 10),
    (c) => c.hkdfSync('sha256', 'k', 's', 'i', -1),
    (c) => c.hkdfSync('sha256', 'k', 's', 'i', '1'),
    (c) => c.hkdfSync('sha256', 'k', 's', Buffer.alloc(1025), 10),
    (c) => c.hkdfSync('sha256', 1, 's', 'i', 10),
    (c) => c.hkdfSync('sha256', 'k', 1, 'i', 10),
    (c) => c.hkdfSync('sha256', 'k', 's', null, 10),
    (c) => c.hkdfSync(5, 'k', 's', 'i', 10),
    (c) => c.hkdf('sha256', 'k', 's', 'i', 10),
  ])
    sameError(fn);
  assert.deepEqual(...(await both((c, done) => c.hkdf('sha512', 'key', 'salt', 'info', 64, done))));
  assert.deepEqual(...(await both((c, done) => c.hkdf('sha256', 'k', 's', 'i', 255 * 32 + 1, done))));
});

test('createSecretKey / KeyObject', () => {
  same((c) => {
    const k = c.createSecretKey(Buffer.from('abc'));
    return [k.type, k.symmetricKeySize, k.asymmetricKeyType, k.export(), k instanceof c.KeyObject, String(k)];
  });
  same((c) => c.createSecretKey('abc').symmetricKeySize);
  same((c) => c.createSecretKey('abcd', 'hex').export());
  same((c) => c.createSecretKey(new Uint16Array([1, 2]).buffer).export());
  same((c) => c.createSecretKey(Buffer.alloc(0)).symmetricKeySize);
  same((c) => c.createSecretKey(Buffer.from([250, 251, 252])).export({ format: 'jwk' }));
  same((c) => c.createSecretKey(Buffer.from('k')).export({ format: 'buffer' }));
  same((c) => {
    const k = c.createSecretKey(Buffer.from('abc'));
    return [
      k.equals(c.createSecretKey(Buffer.from('abc'))),
      k.equals(c.createSecretKey(Buffer.from('abd'))),
      k.equals(c.createSecretKey(Buffer.from('ab'))),
    ];
  });
  // The key is copied: later changes to the source do not leak in.
  same((c) => {
    const src = Buffer.from('abc');
    const k = c.createSecretKey(src);
    src[0] = 0;
    return k.export();
  });
  for (const fn of [
    (c) => c.createSecretKey(5),
    (c) => c.createSecretKey(Buffer.from('k')).export({ format: 'pem' }),
    (c) => c.createSecretKey(Buffer.from('k')).export(5),
    (c) => c.createSecretKey(Buffer.from('k')).equals('k'),
    (c) => new c.KeyObject('nope', {}),
  ])
    sameError(fn);
});

test('async pbkdf2/scrypt run off the event loop in Node (a worker thread): timers keep firing', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const t0 = performance.now();
  const [p, s] = await Promise.all([
    new Promise((resolve, reject) =>
      ferrodeCrypto.pbkdf2('pw', 'salt', 300000, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key))),
    ),
    new Promise((resolve, reject) =>
      ferrodeCrypto.scrypt('pw', 'salt', 32, { N: 32768, maxmem: 64 << 20 }, (err, key) =>
        err ? reject(err) : resolve(key),
      ),
    ),
  ]);
  const ms = performance.now() - t0;
  clearInterval(timer);
  assert.equal(hex(p), nodeCrypto.pbkdf2Sync('pw', 'salt', 300000, 32, 'sha256').toString('hex'));
  assert.equal(hex(s), nodeCrypto.scryptSync('pw', 'salt', 32, { N: 32768, maxmem: 64 << 20 }).toString('hex'));
  // Computed on this thread, no timer could fire before both finished.
  assert.ok(ticks >= Math.min(10, ms / 25), `${ticks} timer ticks in ${ms.toFixed(0)} ms`);
});
