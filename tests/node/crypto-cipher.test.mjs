// createCipheriv / createDecipheriv against node:crypto: every cipher, random
// keys/IVs/data/chunkings, input and output encodings (partial multi-byte
// outputs included), padding, AEAD tags, and every error Node gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { same, sameError, rng, normalize, nodeCrypto, ferrodeCrypto } from '../support/crypto-diff.mjs';

const VECTORS = new URL('../vectors/crypto/', import.meta.url);
const H = (s) => Buffer.from(s ?? '', 'hex');

test("getCiphers() is a subsequence of Node's list; getCipherInfo() matches", () => {
  const ours = ferrodeCrypto.getCiphers();
  const theirs = nodeCrypto.getCiphers();
  assert.deepEqual(
    ours,
    theirs.filter((n) => ours.includes(n)),
  );
  assert.equal(ours.length, 34);
  for (const name of ours) {
    same((c) => c.getCipherInfo(name), name);
    same((c) => c.getCipherInfo(name.toUpperCase()), name);
    same((c) => c.getCipherInfo(c.getCipherInfo(name).nid), name);
    const variants = [
      { keyLength: 16 },
      { keyLength: 32 },
      { ivLength: 12 },
      { ivLength: 16 },
      { ivLength: 1 },
      { ivLength: 0 },
      { ivLength: 6 },
      { ivLength: 7 },
      { ivLength: 13 },
      { ivLength: 14 },
    ];
    for (const opts of variants) {
      same((c) => c.getCipherInfo(name, opts), `${name} ${JSON.stringify(opts)}`);
    }
  }
  same((c) => c.getCipherInfo('nope'));
  sameError((c) => c.getCipherInfo({}));
  sameError((c) => c.getCipherInfo('aes-128-cbc', 5));
  sameError((c) => c.getCipherInfo('aes-128-cbc', { keyLength: 'x' }));
  sameError((c) => c.getCipherInfo(1.5));
});

function catchError(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function encrypt(c, alg, key, iv, chunks, { aad, tagLen, padding = true, inEnc, outEnc } = {}) {
  const opts = tagLen ? { authTagLength: tagLen } : undefined;
  const x = c.createCipheriv(alg, key, iv, opts);
  x.setAutoPadding(padding);
  if (aad) x.setAAD(aad);
  const parts = chunks.map((ch) => x.update(inEnc ? ch.toString(inEnc) : ch, inEnc, outEnc));
  parts.push(x.final(outEnc));
  const info = c.getCipherInfo(alg);
  const tag = info.mode === 'gcm' || info.mode === 'stream' ? x.getAuthTag() : null;
  return { parts, tag };
}

test('every cipher: random keys, IVs, data and chunkings encrypt and decrypt like Node', () => {
  const r = rng();
  // CCM takes one update per message and more options: crypto-ccm.test.mjs.
  for (const alg of ferrodeCrypto.getCiphers().filter((a) => nodeCrypto.getCipherInfo(a).mode !== 'ccm')) {
    const info = nodeCrypto.getCipherInfo(alg);
    for (let round = 0; round < 12; round++) {
      const key = r.bytes(info.keyLength);
      const iv = info.ivLength ? r.bytes(info.mode === 'gcm' && round % 3 === 2 ? 1 + r.int(40) : info.ivLength) : null;
      const data = r.bytes(r.int(round % 4 === 0 ? 2000 : 80));
      const chunks = r.chunks(data, 1 + r.int(40));
      const aad = info.mode === 'gcm' || info.mode === 'stream' ? r.bytes(r.int(40)) : undefined;
      const label = `seed ${r.seed} ${alg} round ${round}`;
      const enc = same((c) => {
        const { parts, tag } = encrypt(c, alg, key, iv, chunks, { aad });
        return [...parts, tag];
      }, label);
      const ct = Buffer.concat(enc.slice(0, -1).map((p) => H(p.bytes)));
      const tag = enc[enc.length - 1] ? H(enc[enc.length - 1].bytes) : null;
      const ctChunks = r.chunks(ct, 30);
      same((c) => {
        const d = c.createDecipheriv(alg, key, iv);
        if (aad) d.setAAD(aad);
        if (tag) d.setAuthTag(tag);
        return [...ctChunks.map((ch) => d.update(ch)), d.final()];
      }, `${label} decrypt`);
    }
  }
});

test('decrypt update() holds back the last block like OpenSSL (chunk by chunk equal)', () => {
  const r = rng();
  for (const alg of ['aes-128-cbc', 'aes-256-ecb']) {
    const key = r.bytes(alg.includes('128') ? 16 : 32);
    const iv = alg.endsWith('cbc') ? r.bytes(16) : null;
    for (const len of [0, 15, 16, 17, 32, 48, 100]) {
      const ct = Buffer.concat(encrypt(nodeCrypto, alg, key, iv, [r.bytes(len)]).parts);
      for (const padding of [true, false]) {
        same((c) => {
          const d = c.createDecipheriv(alg, key, iv);
          d.setAutoPadding(padding);
          const pieces = [16, 5, 11, 32, 1000].map((n, i, a) => {
            const start = a.slice(0, i).reduce((x, y) => x + y, 0);
            return d.update(ct.subarray(start, start + n));
          });
          return [...pieces, d.final()];
        }, `${alg} ${len} ${padding}`);
      }
    }
  }
});

test('input and output encodings, including partial multi-byte outputs per chunk', () => {
  const r = rng();
  const key = r.bytes(32);
  const iv = r.bytes(16);
  for (const alg of ['aes-256-ctr', 'aes-256-cbc', 'aes-256-cfb8']) {
    const outs = [
      'hex',
      'base64',
      'base64url',
      'utf8',
      'latin1',
      'binary',
      'ucs2',
      'utf16le',
      'ascii',
      'buffer',
      undefined,
    ];
    for (const outEnc of outs) {
      for (const inEnc of [undefined, 'utf8', 'hex', 'base64', 'latin1', 'ucs2']) {
        const data = r.bytes(1 + r.int(70));
        const chunks = r.chunks(data, 9);
        same(
          (c) => encrypt(c, alg, key, iv, chunks, { outEnc, inEnc: inEnc === 'utf8' ? undefined : inEnc }).parts,
          `${alg} ${inEnc}->${outEnc}`,
        );
      }
    }
    // Decrypting into UTF-8 split inside multi-byte characters.
    const text = 'h€llo wörld ✓ 🎉 '.repeat(5);
    const ct = Buffer.concat(encrypt(nodeCrypto, alg, key, iv, [Buffer.from(text)]).parts);
    const ctChunks = r.chunks(ct, 5);
    same((c) => {
      const d = c.createDecipheriv(alg, key, iv);
      return [...ctChunks.map((ch) => d.update(ch, undefined, 'utf8')), d.final('utf8')];
    }, alg);
  }
  sameError((c) => {
    const x = c.createCipheriv('aes-256-ctr', key, iv);
    x.update('abcd', 'utf8', 'base64');
    x.update('ef', 'utf8', 'hex');
  });
  sameError((c) => c.createCipheriv('aes-256-cbc', key, iv).update('a'.repeat(20), 'utf8', 'nope'));
  sameError((c) => c.createCipheriv('aes-256-cbc', key, iv).final('nope'));
  sameError((c) => c.createCipheriv('aes-256-cbc', key, iv).update('abc', 'hex'));
  same((c) => c.createCipheriv('aes-256-ctr', key, iv).update('a', 'nope', 'hex'));
});

test("the seed's aes-256-cbc with a scryptSync key, in both directions with Node", () => {
  const password = 'pass';
  const salt = nodeCrypto.randomBytes(16);
  const iv = nodeCrypto.randomBytes(16);
  // ferrode encrypts, Node decrypts.
  const key = ferrodeCrypto.scryptSync(password, salt, 32);
  assert.equal(Buffer.from(key).toString('hex'), nodeCrypto.scryptSync(password, salt, 32).toString('hex'));
  const cipher = ferrodeCrypto.createCipheriv('aes-256-cbc', key, iv);
  const encrypted = cipher.update('hello world', 'utf8', 'hex') + cipher.final('hex');
  assert.equal(encrypted.length, 32);
  const decipher = nodeCrypto.createDecipheriv('aes-256-cbc', nodeCrypto.scryptSync(password, salt, 32), iv);
  assert.equal(decipher.update(encrypted, 'hex', 'utf8') + decipher.final('utf8'), 'hello world');
  // Node encrypts, ferrode decrypts.
  const nodeCipher = nodeCrypto.createCipheriv('aes-256-cbc', nodeCrypto.scryptSync(password, salt, 32), iv);
  const fromNode = nodeCipher.update('hello world', 'utf8', 'hex') + nodeCipher.final('hex');
  const ours = ferrodeCrypto.createDecipheriv('aes-256-cbc', key, iv);
  assert.equal(ours.update(fromNode, 'hex', 'utf8') + ours.final('utf8'), 'hello world');
});

test('construction errors: unknown cipher, key and IV lengths, types, tag lengths', () => {
  const k32 = Buffer.alloc(32, 1);
  const iv16 = Buffer.alloc(16, 2);
  const iv12 = Buffer.alloc(12, 3);
  const cases = [
    (c) => c.createCipheriv('aes-256-xyz', k32, iv16),
    (c) => c.createCipheriv('aes-128-ccm-nope', k32, iv16),
    (c) => c.createCipheriv('aes-256-cbc', Buffer.alloc(31), iv16),
    (c) => c.createCipheriv('aes-256-cbc', Buffer.alloc(31), Buffer.alloc(15)),
    (c) => c.createCipheriv('aes-256-cbc', k32, Buffer.alloc(15)),
    (c) => c.createCipheriv('aes-256-ecb', k32, iv16),
    (c) => c.createCipheriv('aes-256-cbc', k32, null),
    (c) => c.createCipheriv('aes-256-cbc', k32),
    (c) => c.createCipheriv('aes-256-cbc', k32, 5),
    (c) => c.createCipheriv('aes-256-cbc', 5, iv16),
    (c) => c.createCipheriv('aes-256-cbc', null, iv16),
    (c) => c.createCipheriv(5, k32, iv16),
    (c) => c.createCipheriv('aes-256-gcm', k32, Buffer.alloc(0)),
    (c) => c.createCipheriv('aes-256-gcm', k32, iv12, { authTagLength: 3 }),
    (c) => c.createCipheriv('aes-256-gcm', k32, iv12, { authTagLength: 17 }),
    (c) => c.createCipheriv('aes-256-gcm', k32, iv12, { authTagLength: 10 }),
    (c) => c.createCipheriv('aes-256-gcm', k32, iv12, { authTagLength: -1 }),
    (c) => c.createCipheriv('aes-256-gcm', k32, iv12, { authTagLength: 1.5 }),
    (c) => c.createCipheriv('aes-256-gcm', Buffer.alloc(3), iv12, { authTagLength: 3 }),
    (c) => c.createCipheriv('chacha20-poly1305', k32, Buffer.alloc(8)),
    (c) => c.createCipheriv('chacha20-poly1305', k32, Buffer.alloc(16)),
    (c) => c.createCipheriv('chacha20-poly1305', k32, iv12, { authTagLength: 17 }),
    (c) => c.createCipheriv('chacha20-poly1305', k32, iv12, { authTagLength: 0 }),
    (c) => c.createDecipheriv('aes-128-ctr', k32, iv16),
  ];
  for (const fn of cases) sameError(fn);
  same((c) => c.createCipheriv('aes-256-ecb', k32, null).final());
  same((c) => c.createCipheriv('aes-256-ecb', k32, Buffer.alloc(0)).final());
  same((c) => c.createCipheriv('AES-256-CBC', k32, iv16).final());
  same((c) => c.createCipheriv('aes256', k32, 'a'.repeat(16)).final());
  same((c) => c.createCipheriv('aes-256-cbc', c.createSecretKey(k32), iv16).final());
  same((c) => c.createCipheriv('aes-128-cbc', 'ab'.repeat(16), iv16, { encoding: 'hex' }).final());
  same((c) => c.Cipheriv('aes-128-cbc', Buffer.alloc(16), iv16) instanceof c.Cipheriv);
});

test('state errors: final twice, update after final, padding, AAD/tag misuse', () => {
  const k32 = Buffer.alloc(32, 1);
  const iv16 = Buffer.alloc(16, 2);
  const iv12 = Buffer.alloc(12, 3);
  const cases = [
    (c) => {
      const x = c.createCipheriv('aes-256-cbc', k32, iv16);
      x.final();
      return x.final();
    },
    (c) => {
      const x = c.createCipheriv('aes-256-cbc', k32, iv16);
      x.final();
      return x.update('a');
    },
    (c) => {
      const x = c.createCipheriv('aes-256-cbc', k32, iv16);
      x.final();
      return x.setAutoPadding(false);
    },
    (c) => {
      const x = c.createDecipheriv('aes-256-cbc', k32, iv16);
      x.update(Buffer.alloc(16));
      return x.final();
    },
    (c) => {
      const x = c.createDecipheriv('aes-256-cbc', k32, iv16);
      x.update(Buffer.alloc(15));
      return x.final();
    },
    (c) => {
      const x = c.createDecipheriv('aes-256-cbc', k32, iv16);
      return x.final();
    },
    (c) => {
      const x = c.createCipheriv('aes-256-cbc', k32, iv16);
      x.setAutoPadding(false);
      x.update(Buffer.alloc(15));
      return x.final();
    },
    (c) => c.createCipheriv('aes-256-gcm', k32, iv12).getAuthTag(),
    (c) => {
      const x = c.createDecipheriv('aes-256-gcm', k32, iv12);
      x.update('00', 'hex');
      return x.final();
    },
    (c) => {
      const x = c.createDecipheriv('aes-256-gcm', k32, iv12);
      x.setAuthTag(Buffer.alloc(16));
      x.update('00', 'hex');
      return x.final();
    },
    (c) => c.createDecipheriv('aes-256-gcm', k32, iv12).setAuthTag(Buffer.alloc(3)),
    (c) => c.createDecipheriv('aes-256-gcm', k32, iv12).setAuthTag(Buffer.alloc(10)),
    (c) => c.createDecipheriv('aes-256-gcm', k32, iv12).setAuthTag(5),
    (c) => {
      const x = c.createDecipheriv('aes-256-gcm', k32, iv12);
      x.setAuthTag(Buffer.alloc(16));
      x.setAuthTag(Buffer.alloc(16));
    },
    (c) => c.createDecipheriv('aes-256-gcm', k32, iv12, { authTagLength: 8 }).setAuthTag(Buffer.alloc(16)),
    (c) => {
      const x = c.createDecipheriv('aes-256-gcm', k32, iv12);
      x.setAuthTag(Buffer.alloc(16));
      try {
        x.final();
      } catch {
        // The failed authentication is expected; the second setAuthTag is the case.
      }
      x.setAuthTag(Buffer.alloc(16));
    },
    (c) => {
      const x = c.createCipheriv('aes-256-gcm', k32, iv12);
      x.update('a');
      x.setAAD(Buffer.from('x'));
    },
    (c) => c.createCipheriv('aes-256-cbc', k32, iv16).setAAD(Buffer.from('x')),
    (c) => {
      const x = c.createCipheriv('aes-256-cbc', k32, iv16);
      x.final();
      return x.getAuthTag();
    },
    (c) => c.createDecipheriv('aes-256-cbc', k32, iv16).setAuthTag(Buffer.alloc(16)),
    (c) => c.createDecipheriv('chacha20-poly1305', k32, iv12).setAuthTag(Buffer.alloc(8)),
    (c) => {
      const x = c.createDecipheriv('chacha20-poly1305', k32, iv12, { authTagLength: 16 });
      x.update('00', 'hex');
      return x.final();
    },
    (c) => c.createCipheriv('aes-256-cbc', k32, iv16).update(5),
    (c) => c.createCipheriv('aes-256-cbc', k32, iv16).update(null),
  ];
  for (const fn of cases) sameError(fn);
  // ChaCha20-Poly1305 decrypting without a tag: Node 24's OpenSSL 3.5 lets final() succeed
  // unless authTagLength was given (openssl/openssl#28137, a missing-tag bug fixed upstream;
  // nodejs/node#45874). ferrode fails closed either way, with the error Node gives when the
  // tag length is set (the case above).
  for (const opts of [undefined, { authTagLength: 16 }]) {
    const noTag = (c, options) => {
      const x = c.createDecipheriv('chacha20-poly1305', k32, iv12, options);
      x.update('00', 'hex');
      return x.final();
    };
    assert.deepEqual(
      normalize(catchError(() => noTag(ferrodeCrypto, opts))),
      normalize(catchError(() => noTag(nodeCrypto, { authTagLength: 16 }))),
    );
  }
  // What does exist and works.
  same((c) => [
    typeof c.createDecipheriv('aes-256-gcm', k32, iv12).getAuthTag,
    typeof c.createCipheriv('aes-256-gcm', k32, iv12).setAuthTag,
  ]);
  same((c) => {
    const x = c.createDecipheriv('aes-256-cbc', k32, iv16);
    x.setAutoPadding(false);
    return x.final();
  });
  same((c) => {
    const x = c.createCipheriv('aes-256-ctr', k32, iv16);
    return x.setAutoPadding(false) === x;
  });
  same((c) => {
    const x = c.createCipheriv('aes-256-gcm', k32, iv12, { authTagLength: 4 });
    x.final();
    return x.getAuthTag();
  });
  same((c) => {
    const x = c.createCipheriv('chacha20-poly1305', k32, iv12, { authTagLength: 8 });
    x.update('hi');
    x.final();
    return x.getAuthTag();
  });
  same((c) => {
    const x = c.createCipheriv('aes-256-gcm', k32, iv12);
    x.setAAD('61', { encoding: 'hex' });
    x.setAAD(Buffer.from('b'));
    x.final();
    return x.getAuthTag();
  });
});

test('Wycheproof-style AES-CBC-PKCS5, AES-GCM and ChaCha20-Poly1305 cases (data file), also run in Node', () => {
  const { testCases } = JSON.parse(fs.readFileSync(new URL('wycheproof-style.json', VECTORS)));
  assert.ok(testCases.length > 200);
  let valid = 0;
  for (const t of testCases) {
    const label = `tcId ${t.tcId} ${t.type} ${t.comment}`;
    const outcome = same((c) => {
      const d = c.createDecipheriv(t.cipher, H(t.key), H(t.iv));
      if (t.aad !== undefined) d.setAAD(H(t.aad));
      if (t.tag !== undefined) d.setAuthTag(H(t.tag));
      return Buffer.concat([d.update(H(t.ct)), d.final()]);
    }, label);
    if (t.result === 'valid') {
      valid++;
      assert.equal(outcome.bytes, t.pt ?? t.msg, label);
    } else {
      assert.ok(outcome.error, label);
      assert.equal(outcome.error.code ?? outcome.error.message, t.error.startsWith('ERR_') ? t.error : t.error, label);
    }
    if (t.msg !== undefined) {
      same((c) => {
        const e = c.createCipheriv(t.cipher, H(t.key), H(t.iv));
        if (t.aad !== undefined) e.setAAD(H(t.aad));
        const ct = Buffer.concat([e.update(H(t.msg)), e.final()]);
        assert.equal(ct.toString('hex'), t.ct, label);
        return t.tag !== undefined ? e.getAuthTag() : ct;
      }, label);
    }
  }
  assert.ok(valid > 50);
});

test('standard AES and AEAD vectors (FIPS-197, SP 800-38A, GCM spec, RFC 8439) through the JS API', () => {
  for (const v of JSON.parse(fs.readFileSync(new URL('aes.json', VECTORS)))) {
    const x = ferrodeCrypto.createCipheriv(v.cipher, H(v.key), v.iv ? H(v.iv) : null);
    x.setAutoPadding(v.padding);
    assert.equal(x.update(v.pt, 'hex', 'hex') + x.final('hex'), v.ct, v.source);
    const d = ferrodeCrypto.createDecipheriv(v.cipher, H(v.key), v.iv ? H(v.iv) : null);
    d.setAutoPadding(v.padding);
    assert.equal(d.update(v.ct, 'hex', 'hex') + d.final('hex'), v.pt, v.source);
  }
  for (const v of JSON.parse(fs.readFileSync(new URL('aead.json', VECTORS)))) {
    const x = ferrodeCrypto.createCipheriv(v.cipher, H(v.key), H(v.iv));
    x.setAAD(H(v.aad));
    assert.equal(x.update(v.pt, 'hex', 'hex') + x.final('hex'), v.ct, v.source);
    assert.equal(Buffer.from(x.getAuthTag()).toString('hex'), v.tag, v.source);
  }
});

test('timingSafeEqual', () => {
  same((c) => c.timingSafeEqual(Buffer.from('abc'), Buffer.from('abc')));
  same((c) => c.timingSafeEqual(Buffer.from('abc'), Buffer.from('abd')));
  same((c) => c.timingSafeEqual(new ArrayBuffer(2), new Uint16Array(1)));
  same((c) => c.timingSafeEqual(new Uint8Array([1, 0]), new Uint16Array([1])));
  sameError((c) => c.timingSafeEqual(Buffer.alloc(2), Buffer.alloc(3)));
  sameError((c) => c.timingSafeEqual('a', Buffer.alloc(3)));
  sameError((c) => c.timingSafeEqual(Buffer.alloc(3), 'a'));
  assert.equal(normalize(new Uint8Array([1])).bytes, '01');
});
