// AES-CCM against node:crypto: the SP 800-38C / RFC 3610 vectors, random
// keys, nonces (7-13 bytes), tag lengths, AAD and messages, and Node's
// one-message protocol (authTagLength required, plaintextLength in setAAD, a
// single update(), failures reported by final()) with the same errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { same, sameError, rng, nodeCrypto, ferrodeCrypto } from '../support/crypto-diff.mjs';

const H = (s) => Buffer.from(s, 'hex');
const VECTORS = JSON.parse(fs.readFileSync(new URL('../vectors/crypto/ccm.json', import.meta.url), 'utf8'));
const ALGS = ['aes-128-ccm', 'aes-192-ccm', 'aes-256-ccm'];

function seal(c, alg, key, nonce, pt, { aad, tagLen, outEnc } = {}) {
  const x = c.createCipheriv(alg, key, nonce, { authTagLength: tagLen });
  if (aad !== undefined) x.setAAD(aad, { plaintextLength: pt.length });
  const parts = [x.update(pt, undefined, outEnc), x.final(outEnc)];
  return { parts, tag: x.getAuthTag() };
}

function open(c, alg, key, nonce, ct, tag, { aad, tagLen, outEnc, tagFirst = true } = {}) {
  const x = c.createDecipheriv(alg, key, nonce, { authTagLength: tagLen });
  if (tagFirst) x.setAuthTag(tag);
  if (aad !== undefined) x.setAAD(aad, { plaintextLength: ct.length });
  if (!tagFirst) x.setAuthTag(tag);
  const out = [x.update(ct, undefined, outEnc)];
  out.push(x.final(outEnc));
  return out;
}

test('getCiphers() lists CCM where Node does; getCipherInfo() agrees', () => {
  for (const alg of [...ALGS, 'id-aes128-CCM', 'id-aes192-CCM', 'id-aes256-CCM']) {
    assert.ok(ferrodeCrypto.getCiphers().includes(alg), alg);
    for (const opts of [undefined, { ivLength: 6 }, { ivLength: 7 }, { ivLength: 13 }, { ivLength: 14 }]) {
      same((c) => c.getCipherInfo(alg, opts), `${alg} ${JSON.stringify(opts)}`);
    }
  }
  same((c) => c.getCipherInfo(896));
});

test('SP 800-38C and RFC 3610 vectors (data file): ferrode and Node both give them', () => {
  for (const v of VECTORS) {
    const alg = `aes-${H(v.key).length * 8}-ccm`;
    for (const c of [nodeCrypto, ferrodeCrypto]) {
      const { parts, tag } = seal(c, alg, H(v.key), H(v.nonce), H(v.pt), { aad: H(v.aad), tagLen: v.tagLength });
      assert.equal(Buffer.concat([...parts, tag]).toString('hex'), v.ct, v.name);
      const ct = H(v.ct).subarray(0, H(v.pt).length);
      const t = H(v.ct).subarray(H(v.pt).length);
      const out = open(c, alg, H(v.key), H(v.nonce), ct, t, { aad: H(v.aad), tagLen: v.tagLength });
      assert.equal(Buffer.concat(out).toString('hex'), v.pt, v.name);
    }
  }
});

test('random keys, nonces, tag lengths, AAD and messages: same ciphertext, tag and plaintext as Node', () => {
  const r = rng();
  for (let round = 0; round < 150; round++) {
    const alg = ALGS[round % 3];
    const key = r.bytes(nodeCrypto.getCipherInfo(alg).keyLength);
    const nonce = r.bytes(7 + r.int(7));
    const tagLen = 4 + 2 * r.int(7);
    const pt = r.bytes(r.int(round % 10 === 0 ? 3000 : 100));
    const aad = round % 4 === 0 ? undefined : r.bytes(r.int(round % 7 === 0 ? 300 : 40));
    const outEnc = [undefined, 'hex', 'base64', 'latin1'][round % 4];
    const label = `seed ${r.seed} round ${round} ${alg} nonce ${nonce.length} tag ${tagLen}`;
    const enc = same((c) => {
      const { parts, tag } = seal(c, alg, key, nonce, pt, { aad, tagLen, outEnc });
      return [...parts, tag];
    }, label);
    assert.ok(!enc.error, label);
    const ct = Buffer.concat(enc.slice(0, 2).map((p) => (typeof p === 'string' ? Buffer.from(p, outEnc) : H(p.bytes))));
    const tag = H(enc[2].bytes);
    same((c) => open(c, alg, key, nonce, ct, tag, { aad, tagLen, tagFirst: round % 2 === 0 }), label);
    // Tampered tag or ciphertext: update() gives nothing, final() throws. (Not for an empty
    // message: Node then skips the check when the empty Buffer has no backing store.)
    if (ct.length > 0) {
      const badTag = Buffer.from(tag);
      badTag[r.int(tagLen)] ^= 1 << r.int(8);
      sameError((c) => open(c, alg, key, nonce, ct, badTag, { aad, tagLen }), `${label} bad tag`);
      same((c) => c.createDecipheriv(alg, key, nonce, { authTagLength: tagLen }).setAuthTag(badTag).update(ct), label);
      const badCt = Buffer.from(ct);
      badCt[r.int(ct.length)] ^= 1;
      sameError((c) => open(c, alg, key, nonce, badCt, tag, { aad, tagLen }), `${label} bad ciphertext`);
    }
  }
});

test('AAD length encodings around 0xff00 bytes match Node', () => {
  const r = rng();
  const key = r.bytes(16);
  const nonce = r.bytes(12);
  for (const n of [0xfeff, 0xff00, 0xff01, 70000]) {
    same((c) => {
      const aad = Buffer.alloc(n, 7);
      const { parts, tag } = seal(c, 'aes-128-ccm', key, nonce, Buffer.from('hello'), { aad, tagLen: 16 });
      return [...parts, tag];
    }, `aad ${n}`);
  }
});

test("Node's option and argument errors: authTagLength, nonce, key, plaintextLength", () => {
  const key = Buffer.alloc(16, 1);
  const iv = Buffer.alloc(12, 2);
  sameError((c) => c.createCipheriv('aes-128-ccm', key, iv));
  sameError((c) => c.createDecipheriv('AES-128-CCM', key, iv));
  sameError((c) => c.createCipheriv('id-aes128-CCM', key, iv, {}));
  for (const authTagLength of [0, 2, 3, 5, 15, 17, 18, -1, 1.5, '8']) {
    sameError((c) => c.createCipheriv('aes-128-ccm', key, iv, { authTagLength }), `tag ${authTagLength}`);
  }
  for (const n of [0, 5, 6, 14, 16]) {
    sameError((c) => c.createCipheriv('aes-128-ccm', key, Buffer.alloc(n), { authTagLength: 16 }), `nonce ${n}`);
  }
  sameError((c) => c.createCipheriv('aes-128-ccm', key, null, { authTagLength: 16 }));
  sameError((c) => c.createCipheriv('aes-128-ccm', Buffer.alloc(3), Buffer.alloc(5)));
  sameError((c) => c.createCipheriv('aes-128-ccm', Buffer.alloc(3), iv));
  sameError((c) => c.createCipheriv('aes-256-ccm', key, iv, { authTagLength: 16 }));
  sameError((c) => c.createCipheriv('aes-128-ccm', key, iv, { authTagLength: 8 }).setAAD(Buffer.from('a')));
  sameError((c) => c.createCipheriv('aes-128-ccm', key, iv, { authTagLength: 8 }).setAAD(Buffer.alloc(0)));
  for (const plaintextLength of [-1, 1.5, '5', 2 ** 32]) {
    sameError(
      (c) =>
        c.createCipheriv('aes-128-ccm', key, iv, { authTagLength: 8 }).setAAD(Buffer.from('a'), { plaintextLength }),
      `plaintextLength ${plaintextLength}`,
    );
  }
  sameError((c) => c.createDecipheriv('aes-128-ccm', key, iv, { authTagLength: 4 }).setAuthTag(Buffer.alloc(16)));
  sameError((c) => c.createDecipheriv('aes-128-ccm', key, iv, { authTagLength: 16 }).setAuthTag(Buffer.alloc(8)));
});

test('message length limits follow the nonce length (L = 15 - nonce bytes)', () => {
  const key = Buffer.alloc(16, 3);
  same((c) => c.createCipheriv('aes-128-ccm', key, Buffer.alloc(13), { authTagLength: 8 }).update(Buffer.alloc(65535)));
  sameError((c) =>
    c.createCipheriv('aes-128-ccm', key, Buffer.alloc(13), { authTagLength: 8 }).update(Buffer.alloc(65536)),
  );
  sameError((c) =>
    c.createDecipheriv('aes-128-ccm', key, Buffer.alloc(13), { authTagLength: 8 }).update(Buffer.alloc(65536)),
  );
  sameError((c) =>
    c
      .createCipheriv('aes-128-ccm', key, Buffer.alloc(13), { authTagLength: 8 })
      .setAAD(Buffer.from('a'), { plaintextLength: 65536 }),
  );
  same((c) => {
    const x = c.createCipheriv('aes-128-ccm', key, Buffer.alloc(12), { authTagLength: 8 });
    x.setAAD(Buffer.from('a'), { plaintextLength: 65536 });
    return [x.update(Buffer.alloc(65536)), x.final(), x.getAuthTag()];
  });
});

test('the one-message protocol: second update, no update, wrong plaintextLength, setAAD twice, states', () => {
  const key = Buffer.alloc(16, 1);
  const iv = Buffer.alloc(12, 2);
  const E = (c, t = 8) => c.createCipheriv('aes-128-ccm', key, iv, { authTagLength: t });
  const D = (c, t = 8) => c.createDecipheriv('aes-128-ccm', key, iv, { authTagLength: t });
  const { parts, tag } = seal(nodeCrypto, 'aes-128-ccm', key, iv, Buffer.from('hello'), { tagLen: 8 });
  const ct = parts[0];
  // Encrypting.
  sameError((c) => {
    const x = E(c);
    x.update('hello');
    return x.update('more');
  });
  same((c) => {
    const x = E(c);
    x.update('hello');
    try {
      x.update('x');
    } catch {
      // refused, as checked above
    }
    return x.final();
  });
  // Without update(), final() seals the empty message (Node 24; Node 20 threw).
  same((c) => {
    const x = E(c);
    return [x.final(), x.getAuthTag()];
  });
  same((c) => {
    const x = E(c);
    return [x.update(''), x.final(), x.getAuthTag()];
  });
  same((c) => {
    const x = E(c);
    x.setAAD(Buffer.from('a'), { plaintextLength: 0 });
    return [x.final(), x.getAuthTag()];
  });
  // Unless setAAD announced a non-empty message.
  sameError((c) => {
    const x = E(c);
    x.setAAD(Buffer.from('a'), { plaintextLength: 5 });
    return x.final();
  });
  sameError((c) => {
    const x = E(c);
    x.setAAD(Buffer.from('a'), { plaintextLength: 5 });
    try {
      x.final();
    } catch {
      // refused, as checked above
    }
    return x.getAuthTag();
  });
  // A message refused as too long for the nonce never reached the cipher.
  same((c) => {
    const x = c.createCipheriv('aes-128-ccm', key, Buffer.alloc(13), { authTagLength: 8 });
    try {
      x.update(Buffer.alloc(65536));
    } catch {
      // too long for a 13-byte nonce
    }
    return [x.final(), x.getAuthTag()];
  });
  sameError((c) => {
    const x = E(c);
    x.setAAD(Buffer.from('aad'), { plaintextLength: 6 });
    return x.update('hello');
  });
  same((c) => {
    const x = E(c);
    x.setAAD(Buffer.from('aad'), { plaintextLength: 6 });
    try {
      x.update('hello');
    } catch {
      // refused, as checked above
    }
    return x.final();
  });
  same((c) => {
    const x = E(c);
    x.setAAD(Buffer.alloc(0), { plaintextLength: 0 });
    return [x.final(), x.getAuthTag()];
  });
  // A second setAAD replaces the first (OpenSSL restarts the MAC).
  same((c) => {
    const x = E(c);
    x.setAAD(Buffer.from('a'), { plaintextLength: 5 });
    x.setAAD(Buffer.from('b'), { plaintextLength: 5 });
    return [x.update('hello'), x.final(), x.getAuthTag()];
  });
  same((c) => {
    const x = E(c);
    x.setAAD(Buffer.alloc(0), { plaintextLength: 5 });
    return [x.update('hello'), x.final(), x.getAuthTag()];
  });
  sameError((c) => E(c).getAuthTag());
  sameError((c) => {
    const x = E(c);
    x.update('a');
    return x.getAuthTag();
  });
  same((c) => {
    const x = E(c);
    x.update('a');
    x.final();
    return [x.getAuthTag(), x.getAuthTag()];
  });
  sameError((c) => {
    const x = E(c);
    x.update('a');
    x.final();
    return x.final();
  });
  sameError((c) => {
    const x = E(c);
    x.update('a');
    x.final();
    return x.update('b');
  });
  same((c) => {
    const x = E(c);
    x.setAutoPadding(false);
    return [x.update('abc'), x.final()];
  });
  // Decrypting.
  same((c) => {
    const d = D(c);
    d.setAuthTag(tag);
    return [d.update(ct), d.final()];
  });
  sameError((c) => {
    const d = D(c);
    return [d.update(ct), d.final()];
  });
  same((c) => D(c).update(ct));
  same((c) => {
    const d = D(c);
    d.setAuthTag(tag);
    return [d.update(ct.subarray(0, 2)), d.update(ct.subarray(2))];
  });
  sameError((c) => {
    const d = D(c);
    d.setAuthTag(tag);
    d.update(ct.subarray(0, 2));
    d.update(ct.subarray(2));
    return d.final();
  });
  sameError((c) => {
    const d = D(c);
    d.setAuthTag(tag);
    d.setAAD(Buffer.from('a'), { plaintextLength: 6 });
    d.update(ct);
    return d.final();
  });
  sameError((c) => {
    const d = D(c);
    d.setAuthTag(tag);
    return d.setAuthTag(tag);
  });
  sameError((c) => {
    const d = D(c);
    d.update(ct);
    d.setAuthTag(tag);
    return d.final();
  });
  sameError((c) => {
    const d = D(c);
    d.setAuthTag(tag);
    d.update(ct);
    d.final();
    return d.update(ct);
  });
  // No data: Node's final() checks nothing.
  same((c) => {
    const d = D(c);
    d.setAuthTag(tag);
    return d.final();
  });
  same((c) => [typeof E(c).setAuthTag, typeof D(c).getAuthTag]);
});

test('the stream interface: one write, then end', async () => {
  const key = Buffer.alloc(32, 9);
  const iv = Buffer.alloc(11, 4);
  const data = Buffer.from('a whole message, in one write');
  const results = [];
  for (const c of [nodeCrypto, ferrodeCrypto]) {
    const x = c.createCipheriv('aes-256-ccm', key, iv, { authTagLength: 12 });
    x.setAAD(Buffer.from('hdr'), { plaintextLength: data.length });
    const chunks = [];
    x.on('data', (d) => chunks.push(d));
    await new Promise((resolve, reject) => {
      x.on('end', resolve);
      x.on('error', reject);
      x.end(data);
    });
    results.push([Buffer.concat(chunks).toString('hex'), x.getAuthTag().toString('hex')]);
  }
  assert.deepEqual(results[1], results[0]);
});
