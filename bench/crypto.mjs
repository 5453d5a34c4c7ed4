// crypto: ferrode vs crypto-browserify, hash-wasm, @noble/* and Node's native
// module, the way users call each (createHash -> update -> digest, etc.).
import nodeCrypto from 'node:crypto';
import ferrode from 'ferrode/crypto';
import { createRequire } from 'node:module';
import * as hw from 'hash-wasm';
import { sha256 as nSha256, sha512 as nSha512 } from '@noble/hashes/sha2.js';
import { sha1 as nSha1, md5 as nMd5 } from '@noble/hashes/legacy.js';
import { hmac as nHmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as nPbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt as nScrypt } from '@noble/hashes/scrypt.js';
import { cbc as nCbc, gcm as nGcm } from '@noble/ciphers/aes.js';

// crypto-browserify's parts resolve to Node's own crypto under Node; load
// the browser entry points that bundlers ship instead.
const require = createRequire(import.meta.url);
const cb = {
  createHash: require('create-hash/browser.js'),
  createHmac: require('create-hmac/browser.js'),
  pbkdf2Sync: require('pbkdf2/lib/sync-browser.js'),
  createCipheriv: require('browserify-cipher/browser.js').createCipheriv,
  createDecipheriv: require('browserify-cipher/browser.js').createDecipheriv,
};

const MiB = 1024 * 1024;
const hexOf = (x) => Buffer.from(x.buffer ?? x, x.byteOffset ?? 0, x.byteLength).toString('hex');
const agree = (results) => {
  const vals = Object.entries(results).map(([k, v]) => [k, typeof v === 'string' ? v : hexOf(v)]);
  for (const [k, v] of vals) if (v !== vals[0][1]) throw new Error(`${k} disagrees with ${vals[0][0]}`);
};

export default async function (h) {
  const big = nodeCrypto.randomBytes(64 * MiB);
  const smalls = Array.from({ length: 10000 }, () => nodeCrypto.randomBytes(64));
  const hashers = {
    sha256: await hw.createSHA256(),
    sha1: await hw.createSHA1(),
    md5: await hw.createMD5(),
    sha512: await hw.createSHA512(),
  };
  const noble = { sha256: nSha256, sha1: nSha1, md5: nMd5, sha512: nSha512 };

  for (const alg of ['sha256', 'sha1', 'md5', 'sha512']) {
    const hwh = hashers[alg];
    await h.row(
      'crypto',
      `${alg} 64 MiB`,
      {
        ferrode: () => ferrode.createHash(alg).update(big).digest('hex'),
        'crypto-browserify': () => cb.createHash(alg).update(big).digest('hex'),
        'hash-wasm': () => hwh.init().update(big).digest('hex'),
        '@noble/hashes': () => hexOf(noble[alg](big)),
        node: () => nodeCrypto.createHash(alg).update(big).digest('hex'),
      },
      { bytes: big.length, check: agree, minTime: 1000 },
    );
  }

  for (const alg of ['sha256', 'md5']) {
    const hwh = hashers[alg];
    const loop = (fn) => () => {
      let last;
      for (let i = 0; i < smalls.length; i++) last = fn(smalls[i]);
      return last;
    };
    await h.row(
      'crypto',
      `${alg} 10000 x 64 B (createHash/update/digest('hex'))`,
      {
        ferrode: loop((x) => ferrode.createHash(alg).update(x).digest('hex')),
        'crypto-browserify': loop((x) => cb.createHash(alg).update(x).digest('hex')),
        'hash-wasm': loop((x) => hwh.init().update(x).digest('hex')),
        '@noble/hashes': loop((x) => hexOf(noble[alg](x))),
        node: loop((x) => nodeCrypto.createHash(alg).update(x).digest('hex')),
      },
      { bytes: smalls.length * 64, check: agree },
    );
  }

  const key = nodeCrypto.randomBytes(32);
  const hwHmac = await hw.createHMAC(hw.createSHA256(), key);
  const oneMiB = big.subarray(0, 16 * MiB);
  await h.row(
    'crypto',
    'hmac-sha256 16 MiB',
    {
      ferrode: () => ferrode.createHmac('sha256', key).update(oneMiB).digest('hex'),
      'crypto-browserify': () => cb.createHmac('sha256', key).update(oneMiB).digest('hex'),
      'hash-wasm': () => hwHmac.init().update(oneMiB).digest('hex'),
      '@noble/hashes': () => hexOf(nHmac(nSha256, key, oneMiB)),
      node: () => nodeCrypto.createHmac('sha256', key).update(oneMiB).digest('hex'),
    },
    { bytes: oneMiB.length, check: agree },
  );
  await h.row(
    'crypto',
    'hmac-sha256 10000 x 64 B',
    {
      ferrode: () => smalls.map((x) => ferrode.createHmac('sha256', key).update(x).digest('hex')).at(-1),
      'crypto-browserify': () => smalls.map((x) => cb.createHmac('sha256', key).update(x).digest('hex')).at(-1),
      'hash-wasm': () => smalls.map((x) => hwHmac.init().update(x).digest('hex')).at(-1),
      '@noble/hashes': () => hexOf(smalls.map((x) => nHmac(nSha256, key, x)).at(-1)),
      node: () => smalls.map((x) => nodeCrypto.createHmac('sha256', key).update(x).digest('hex')).at(-1),
    },
    { bytes: smalls.length * 64, check: agree },
  );

  const salt = nodeCrypto.randomBytes(16);
  await h.row(
    'crypto',
    'pbkdf2-sha256 100k iterations',
    {
      ferrode: () => ferrode.pbkdf2Sync('password', salt, 100000, 32, 'sha256'),
      'crypto-browserify': () => cb.pbkdf2Sync('password', salt, 100000, 32, 'sha256'),
      'hash-wasm': () =>
        hw.pbkdf2({
          password: 'password',
          salt,
          iterations: 100000,
          hashLength: 32,
          hashFunction: hw.createSHA256(),
          outputType: 'binary',
        }),
      '@noble/hashes': () => nPbkdf2(nSha256, 'password', salt, { c: 100000, dkLen: 32 }),
      node: () => nodeCrypto.pbkdf2Sync('password', salt, 100000, 32, 'sha256'),
    },
    { check: agree, minTime: 1500 },
  );

  await h.row(
    'crypto',
    'scrypt N=16384 r=8 p=1',
    {
      ferrode: () => ferrode.scryptSync('password', salt, 64),
      'hash-wasm': () =>
        hw.scrypt({
          password: 'password',
          salt,
          costFactor: 16384,
          blockSize: 8,
          parallelism: 1,
          hashLength: 64,
          outputType: 'binary',
        }),
      '@noble/hashes': () => nScrypt('password', salt, { N: 16384, r: 8, p: 1, dkLen: 64 }),
      node: () => nodeCrypto.scryptSync('password', salt, 64),
    },
    { check: agree, minTime: 1500 },
  );

  const data = big.subarray(0, 16 * MiB);
  const iv = nodeCrypto.randomBytes(16);
  const iv12 = iv.subarray(0, 12);
  const enc = (c, alg, i) => () => {
    const x = c.createCipheriv(alg, key, i);
    const out = Buffer.concat([x.update(data), x.final()]);
    return alg.endsWith('gcm') ? Buffer.concat([out, x.getAuthTag()]) : out;
  };
  await h.row(
    'crypto',
    'aes-256-cbc encrypt 16 MiB',
    {
      ferrode: enc(ferrode, 'aes-256-cbc', iv),
      'crypto-browserify': enc(cb, 'aes-256-cbc', iv),
      '@noble/ciphers': () => nCbc(key, iv).encrypt(data),
      node: enc(nodeCrypto, 'aes-256-cbc', iv),
    },
    { bytes: data.length, check: agree },
  );
  const cbcCt = enc(nodeCrypto, 'aes-256-cbc', iv)();
  const dec = (c, alg, i, ct, tag) => () => {
    const x = c.createDecipheriv(alg, key, i);
    if (tag) x.setAuthTag(tag);
    return Buffer.concat([x.update(ct), x.final()]);
  };
  await h.row(
    'crypto',
    'aes-256-cbc decrypt 16 MiB',
    {
      ferrode: dec(ferrode, 'aes-256-cbc', iv, cbcCt),
      'crypto-browserify': dec(cb, 'aes-256-cbc', iv, cbcCt),
      '@noble/ciphers': () => nCbc(key, iv).decrypt(cbcCt),
      node: dec(nodeCrypto, 'aes-256-cbc', iv, cbcCt),
    },
    { bytes: data.length, check: agree },
  );
  await h.row(
    'crypto',
    'aes-256-gcm encrypt 16 MiB',
    {
      ferrode: enc(ferrode, 'aes-256-gcm', iv12),
      'crypto-browserify': enc(cb, 'aes-256-gcm', iv12),
      '@noble/ciphers': () => nGcm(key, iv12).encrypt(data),
      node: enc(nodeCrypto, 'aes-256-gcm', iv12),
    },
    { bytes: data.length, check: agree },
  );
  const gcmAll = enc(nodeCrypto, 'aes-256-gcm', iv12)();
  const gcmCt = gcmAll.subarray(0, -16);
  const gcmTag = gcmAll.subarray(-16);
  await h.row(
    'crypto',
    'aes-256-gcm decrypt 16 MiB',
    {
      ferrode: dec(ferrode, 'aes-256-gcm', iv12, gcmCt, gcmTag),
      'crypto-browserify': dec(cb, 'aes-256-gcm', iv12, gcmCt, gcmTag),
      '@noble/ciphers': () => nGcm(key, iv12).decrypt(gcmAll),
      node: dec(nodeCrypto, 'aes-256-gcm', iv12, gcmCt, gcmTag),
    },
    { bytes: data.length, check: agree },
  );
}
