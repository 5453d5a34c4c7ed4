// AES-CCM and HKDF in Chromium, in both builds (plain page: single-threaded;
// companion page: threaded), against Node's own crypto on the same inputs:
// every key size, nonce length 7-13 and tag length, AAD empty or not, the
// ciphertext and tag equal to Node's, Node's output decrypted in the page, and
// a tampered tag refused with Node's error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import nodeCrypto from 'node:crypto';
import { launchBrowser } from '../support/browser.mjs';
import { servePage, openPage } from './threads-page.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const hex = (n) => nodeCrypto.randomBytes(n).toString('hex');
const cases = [];
for (const keyLen of [16, 24, 32]) {
  for (let nonceLen = 7; nonceLen <= 13; nonceLen++) {
    const tagLen = 4 + 2 * ((keyLen + nonceLen) % 7);
    const aadLen = [0, 1, 16, 40][nonceLen % 4];
    const ptLen = [0, 1, 15, 16, 17, 100, 1000][(keyLen + 3 * nonceLen) % 7];
    cases.push({ keyLen, key: hex(keyLen), nonce: hex(nonceLen), tagLen, aad: hex(aadLen), pt: hex(ptLen) });
  }
}
const hkdfCases = ['sha256', 'sha512', 'sha1', 'md5', 'sha3-256', 'ripemd160', 'sha512-224'].map((digest, i) => ({
  digest,
  ikm: hex(10 + i),
  salt: hex(i * 5),
  info: hex(i * 3),
  keylen: 20 + 37 * i,
}));

function nodeCcm(c) {
  const cipher = nodeCrypto.createCipheriv(
    `aes-${c.keyLen * 8}-ccm`,
    Buffer.from(c.key, 'hex'),
    Buffer.from(c.nonce, 'hex'),
    {
      authTagLength: c.tagLen,
    },
  );
  cipher.setAAD(Buffer.from(c.aad, 'hex'), { plaintextLength: c.pt.length / 2 });
  const ct = Buffer.concat([cipher.update(Buffer.from(c.pt, 'hex')), cipher.final()]).toString('hex');
  return { ct, tag: cipher.getAuthTag().toString('hex') };
}

for (const isolated of [false, true]) {
  const where = isolated ? 'companion page (threaded)' : 'plain page (single-threaded)';
  test(`AES-CCM and HKDF give Node's bytes — ${where}`, async () => {
    const site = await servePage({}, { isolated });
    try {
      const page = await openPage(browser, site.url);
      const want = cases.map(nodeCcm);
      const got = await page.evaluate(
        async ({ cases, want, hkdfCases }) => {
          const crypto = await import('crypto');
          const { Buffer } = await import('buffer');
          const b = (h) => Buffer.from(h, 'hex');
          const ccm = cases.map((c, i) => {
            const alg = `aes-${c.keyLen * 8}-ccm`;
            const opts = { authTagLength: c.tagLen };
            const enc = crypto.createCipheriv(alg, b(c.key), b(c.nonce), opts);
            enc.setAAD(b(c.aad), { plaintextLength: c.pt.length / 2 });
            const ct = Buffer.concat([enc.update(b(c.pt)), enc.final()]).toString('hex');
            const tag = enc.getAuthTag().toString('hex');
            // Node's ciphertext and tag decrypt in the page.
            const dec = crypto.createDecipheriv(alg, b(c.key), b(c.nonce), opts);
            dec.setAuthTag(b(want[i].tag));
            dec.setAAD(b(c.aad), { plaintextLength: c.pt.length / 2 });
            const pt = Buffer.concat([dec.update(b(want[i].ct)), dec.final()]).toString('hex');
            // A tampered tag: update() gives nothing, final() throws.
            const bad = b(want[i].tag);
            bad[0] ^= 1;
            const tampered = crypto.createDecipheriv(alg, b(c.key), b(c.nonce), opts);
            tampered.setAuthTag(bad);
            tampered.setAAD(b(c.aad), { plaintextLength: c.pt.length / 2 });
            const early = tampered.update(b(want[i].ct)).length;
            let error = null;
            try {
              tampered.final();
            } catch (e) {
              error = e.message;
            }
            return { ct, tag, pt, early, error };
          });
          const hkdf = hkdfCases.map((h) =>
            Buffer.from(crypto.hkdfSync(h.digest, b(h.ikm), b(h.salt), b(h.info), h.keylen)).toString('hex'),
          );
          return { threaded: globalThis.threads.threaded, ccm, hkdf };
        },
        { cases, want, hkdfCases },
      );
      assert.equal(got.threaded, isolated);
      cases.forEach((c, i) => {
        const what = `aes-${c.keyLen * 8}-ccm nonce ${c.nonce.length / 2} tag ${c.tagLen} pt ${c.pt.length / 2}`;
        assert.deepEqual({ ct: got.ccm[i].ct, tag: got.ccm[i].tag }, want[i], what);
        assert.equal(got.ccm[i].pt, c.pt, what);
        let nodeError = null;
        let nodeEarly = null;
        try {
          const d = nodeCrypto.createDecipheriv(
            `aes-${c.keyLen * 8}-ccm`,
            Buffer.from(c.key, 'hex'),
            Buffer.from(c.nonce, 'hex'),
            { authTagLength: c.tagLen },
          );
          const bad = Buffer.from(want[i].tag, 'hex');
          bad[0] ^= 1;
          d.setAuthTag(bad);
          d.setAAD(Buffer.from(c.aad, 'hex'), { plaintextLength: c.pt.length / 2 });
          nodeEarly = d.update(Buffer.from(want[i].ct, 'hex')).length;
          d.final();
        } catch (e) {
          nodeError = e.message;
        }
        assert.equal(got.ccm[i].early, nodeEarly, what);
        assert.equal(got.ccm[i].error, nodeError, what);
        assert.notEqual(nodeError, null, what);
      });
      hkdfCases.forEach((h, i) => {
        const want = Buffer.from(
          nodeCrypto.hkdfSync(
            h.digest,
            Buffer.from(h.ikm, 'hex'),
            Buffer.from(h.salt, 'hex'),
            Buffer.from(h.info, 'hex'),
            h.keylen,
          ),
        ).toString('hex');
        assert.equal(got.hkdf[i], want, h.digest);
      });
    } finally {
      await site.close();
    }
  });
}
