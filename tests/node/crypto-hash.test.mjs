// createHash / createHmac / hash() against node:crypto: every algorithm and
// alias, random inputs and chunkings, every output encoding, and the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { same, sameError, rng, nodeCrypto, ferrodeCrypto } from '../support/crypto-diff.mjs';

const ALGS = [
  'md5',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha512-224',
  'sha512-256',
  'sha3-224',
  'sha3-256',
  'sha3-384',
  'sha3-512',
  'shake128',
  'shake256',
  'ripemd160',
];
const ENCODINGS = [
  undefined,
  'hex',
  'base64',
  'base64url',
  'latin1',
  'binary',
  'utf8',
  'ucs2',
  'utf16le',
  'ascii',
  'buffer',
  'HEX',
  'Base64',
  'nope',
];

test('the seed: sha256 of "hello world"', () => {
  const hash = ferrodeCrypto.createHash('sha256');
  hash.update('hello world');
  assert.equal(hash.digest('hex'), 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
});

test('getHashes() lists only names Node lists, and every one of them hashes like Node', () => {
  const ours = ferrodeCrypto.getHashes();
  const theirs = nodeCrypto.getHashes();
  assert.ok(ours.length >= 46, `${ours.length}`);
  for (const name of ours) {
    assert.ok(theirs.includes(name), name);
    same((c) => c.createHash(name).update('abc').digest('hex'), name);
    same((c) => c.createHash(name.toUpperCase()).update('abc').digest('hex'), name.toUpperCase());
  }
  // Sorted the way Node sorts them.
  assert.deepEqual(
    ours,
    theirs.filter((n) => ours.includes(n)),
  );
});

test('unlisted OpenSSL aliases resolve like Node', () => {
  for (const name of [
    'sha-256',
    'SHA2-256',
    'SHA-512/224',
    'sha2-512/256',
    'shake-128',
    'ripemd-160',
    'RIPEMD',
    '1.2.840.113549.2.5',
    '2.16.840.1.101.3.4.2.1',
    'sha-1',
    'SHA3-256',
    'sha512/256',
    'sha3_256',
    'KECCAK-256',
    '',
  ]) {
    same((c) => c.createHash(name).update('a').digest('hex'), name);
  }
});

test('random inputs, random chunkings, all algorithms: same digests', () => {
  const r = rng();
  for (let round = 0; round < 60; round++) {
    const alg = ALGS[r.int(ALGS.length)];
    const data = r.bytes(r.int(3) === 0 ? r.int(20000) : r.int(300));
    const chunks = r.chunks(data, r.int(2) ? 7 : 3000);
    same((c) => {
      const h = c.createHash(alg);
      for (const ch of chunks) h.update(ch);
      return h.digest();
    }, `seed ${r.seed} round ${round} ${alg} ${data.length}`);
  }
});

test('strings in every input encoding, mixed with bytes', () => {
  const r = rng();
  const strings = ['', 'hello world', 'h€llo wörld 🎉', '\u0000\uffff\ud800x', 'ab'.repeat(3000), 'z'.repeat(5000)];
  for (const s of strings) {
    const encodings = [
      undefined,
      'utf8',
      'utf-8',
      'latin1',
      'binary',
      'ascii',
      'ucs2',
      'utf16le',
      'base64',
      'base64url',
      'hex',
      'nope',
    ];
    for (const enc of encodings) {
      const input = enc === 'hex' ? Buffer.from(s).toString('hex') : s;
      const mid = r.bytes(5);
      const label = `${enc} ${s.slice(0, 20)}`;
      same((c) => c.createHash('sha256').update(input, enc).update(mid).update(input, enc).digest('hex'), label);
    }
  }
  same((c) => c.createHash('sha1').update('abc', 'hex').digest('hex'));
  same((c) => c.createHash('sha1').update('zz', 'hex').digest('hex'));
  same((c) => c.createHash('sha1').update('YWJj?', 'base64').digest('hex'));
});

test('every output encoding, Hash and Hmac', () => {
  for (const enc of ENCODINGS) {
    same((c) => c.createHash('md5').update('some text').digest(enc), `hash ${enc}`);
    same((c) => c.createHmac('sha512', 'k').update('some text').digest(enc), `hmac ${enc}`);
  }
});

test('typed arrays and DataViews hash their bytes', () => {
  same((c) =>
    c
      .createHash('sha1')
      .update(new Float64Array([1.5, -2]))
      .digest('hex'),
  );
  same((c) =>
    c
      .createHash('sha1')
      .update(new DataView(new ArrayBuffer(7), 2, 3))
      .digest('hex'),
  );
  same((c) =>
    c
      .createHash('sha1')
      .update(new Uint16Array([1, 2, 3]).subarray(1))
      .digest('hex'),
  );
});

test('SHAKE outputLength, and outputLength on fixed digests', () => {
  for (const outputLength of [0, 1, 16, 32, 100, 1000]) {
    same((c) => c.createHash('shake128', { outputLength }).update('x').digest('hex'));
    same((c) => c.createHash('shake256', { outputLength }).update('x').digest('hex'));
  }
  same((c) => c.createHash('sha256', { outputLength: 32 }).digest('hex'));
  sameError((c) => c.createHash('sha256', { outputLength: 31 }));
  sameError((c) => c.createHash('shake128', { outputLength: -1 }));
  sameError((c) => c.createHash('shake128', { outputLength: 1.5 }));
  sameError((c) => c.createHash('shake128', { outputLength: '3' }));
  same((c) => c.createHash('shake256').update('a').copy({ outputLength: 5 }).digest('hex'));
});

test('copy() forks the state', () => {
  const r = rng();
  for (const alg of ALGS) {
    const a = r.bytes(r.int(6000));
    const b = r.bytes(r.int(100));
    same((c) => {
      const h = c.createHash(alg).update(a);
      const h2 = h.copy();
      h2.update(b);
      return [h.digest('hex'), h2.digest('hex'), h2 instanceof c.Hash];
    }, alg);
  }
});

test('Hash errors: finalized, types, unknown algorithm', () => {
  sameError((c) => c.createHash('nope'));
  sameError((c) => c.createHash(5));
  sameError((c) => c.createHash());
  sameError((c) => c.createHash('sha1').update(5));
  sameError((c) => c.createHash('sha1').update(null));
  sameError((c) => c.createHash('sha1').update(new ArrayBuffer(3)));
  sameError((c) => c.createHash('sha1').update('abc', 'hex'));
  sameError((c) => {
    const h = c.createHash('sha1');
    h.digest();
    h.digest();
  });
  sameError((c) => {
    const h = c.createHash('sha1');
    h.digest();
    h.update('a');
  });
  sameError((c) => {
    const h = c.createHash('sha1');
    h.digest('hex');
    h.copy();
  });
});

test('Hash/Hmac are constructors callable without new; update returns this', () => {
  same((c) => [
    c.Hash('sha1') instanceof c.Hash,
    new c.Hash('md5').digest('hex'),
    c.Hmac('md5', 'k') instanceof c.Hmac,
  ]);
  same((c) => {
    const h = c.createHash('sha1');
    return h.update('a') === h;
  });
});

test('HMAC: every digest, keys of every kind and length, random data', () => {
  const r = rng();
  for (const alg of ALGS.filter((a) => !a.startsWith('shake'))) {
    for (const keyLen of [0, 1, 20, 64, 65, 128, 129, 200]) {
      const key = r.bytes(keyLen);
      const data = r.bytes(r.int(5000));
      const chunks = r.chunks(data, 300);
      same((c) => {
        const h = c.createHmac(alg, key);
        for (const ch of chunks) h.update(ch);
        return h.digest('hex');
      }, `${alg} ${keyLen}`);
    }
  }
  same((c) => c.createHmac('sha256', 'string key').update('x').digest('hex'));
  same((c) =>
    c
      .createHmac('sha256', new Uint16Array([1, 2]))
      .update('x')
      .digest('hex'),
  );
  same((c) =>
    c
      .createHmac('sha256', new Uint8Array([1, 2]).buffer)
      .update('x')
      .digest('hex'),
  );
  same((c) =>
    c
      .createHmac('RSA-SHA256', c.createSecretKey(Buffer.from('k')))
      .update('x')
      .digest('hex'),
  );
  same((c) => c.createHmac('sha256', 'abcd', { encoding: 'hex' }).update('x').digest('hex'));
});

test('HMAC errors and the empty second digest', () => {
  sameError((c) => c.createHmac('nope', 'k'));
  sameError((c) => c.createHmac('shake128', 'k').update('a').digest());
  sameError((c) => c.createHmac('sha1', 5));
  sameError((c) => c.createHmac('sha1', null));
  sameError((c) => c.createHmac(1, 'k'));
  same((c) => {
    const h = c.createHmac('sha1', 'k');
    return [h.digest('hex'), h.digest('hex'), h.digest()];
  });
  sameError((c) => {
    const h = c.createHmac('sha1', 'k');
    h.digest();
    h.update('a');
  });
});

test('crypto.hash() one-shot', () => {
  const r = rng();
  for (const alg of ALGS) {
    const data = r.bytes(r.int(3000));
    same((c) => c.hash(alg, data), alg);
    same((c) => c.hash(alg, 'text ✓', 'base64'), alg);
    same((c) => c.hash(alg, data, 'buffer'), alg);
  }
  sameError((c) => c.hash('nope', 'a'));
  sameError((c) => c.hash('sha1', 5));
  sameError((c) => c.hash(1, 'a'));
  sameError((c) => c.hash('sha1', 'a', 'nope'));
  sameError((c) => c.hash('sha1', 'a', 5));
  // The options object (Node 22+): outputEncoding and, for SHAKE, outputLength.
  same((c) => c.hash('sha1', 'a', { outputEncoding: 'base64' }));
  same((c) => c.hash('sha1', 'a', { outputEncoding: 'BUFFER' }));
  same((c) => c.hash('sha1', 'a', {}));
  same((c) => c.hash('shake256', 'a', { outputLength: 7 }));
  same((c) => c.hash('shake128', 'a', { outputLength: 0, outputEncoding: 'buffer' }));
  same((c) => c.hash('sha1', 'a', { outputLength: 20 }));
  sameError((c) => c.hash('SHA1', 'a', { outputLength: 4 }));
  sameError((c) => c.hash('sha1', 'a', { outputLength: -1 }));
  sameError((c) => c.hash('sha1', 'a', { outputEncoding: 5, outputLength: 'x' }));
  sameError((c) => c.hash('sha1', 'a', null));
  sameError((c) => c.hash('nope', 'a', { outputEncoding: 'nope' }));
});

test('digest(): encodings converted to strings first, copies, the end of a stream', async () => {
  for (const enc of [{ toString: () => 'base64' }, ['hex'], 1, true, null]) {
    same((c) => c.createHash('sha1').update('a').digest(enc));
    same((c) => c.createHmac('sha1', 'k').update('a').digest(enc));
    same((c) => {
      const h = c.createHmac('sha1', 'k');
      h.digest();
      return h.digest(enc);
    });
  }
  same((c) => {
    const h = c.createHash('sha1');
    try {
      h.digest({
        toString() {
          throw new Error('boom');
        },
      });
    } catch {
      // the conversion failed: the hash is still usable
    }
    return h.digest('hex');
  });
  same((c) => c.createHash('shake128', { outputLength: 5 }).copy().digest('hex'));
  same((c) => c.createHmac('dss1', 'k').update('a').digest('hex'));
  for (const c of [nodeCrypto, ferrodeCrypto]) {
    const h = c.createHash('sha256');
    const chunks = [];
    h.on('data', (d) => chunks.push(d));
    await new Promise((resolve) => h.end('abc', resolve));
    const streamed = Buffer.concat(chunks).toString('hex');
    assert.equal(h.digest('hex'), streamed);
    assert.throws(() => h.digest('hex'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
  }
  same((c) => {
    const h = c.createHash('sha256');
    h.end('abc');
    h.read();
    return h.update('x');
  });
});

test("results are ferrode Buffers, like Node's are Buffers", async () => {
  const { Buffer: FerrodeBuffer } = await import('ferrode/buffer');
  const c = ferrodeCrypto;
  const key = Buffer.alloc(32, 1);
  const iv = Buffer.alloc(12, 2);
  const x = c.createCipheriv('aes-256-gcm', key, iv);
  const results = {
    digest: c.createHash('sha1').update('a').digest(),
    bigDigest: c.createHash('sha1').update('a'.repeat(10000)).digest(),
    hmac: c.createHmac('sha1', 'k').digest(),
    hash: c.hash('md5', 'a', 'buffer'),
    update: x.update('hello'),
    final: x.final(),
    tag: x.getAuthTag(),
    randomBytes: c.randomBytes(3),
    pbkdf2Sync: c.pbkdf2Sync('p', 's', 1, 8, 'sha1'),
    scryptSync: c.scryptSync('p', 's', 8, { N: 16 }),
    exported: c.createSecretKey(Buffer.from('k')).export(),
  };
  for (const [name, value] of Object.entries(results)) {
    assert.ok(value instanceof FerrodeBuffer, name);
    assert.ok(FerrodeBuffer.isBuffer(value), name);
  }
  assert.equal(results.digest.toString('hex'), nodeCrypto.createHash('sha1').update('a').digest('hex'));
  assert.ok(c.hkdfSync('sha256', 'k', 's', 'i', 8) instanceof ArrayBuffer);
});
