// crypto in the threaded build (companion page): scrypt with p > 1 runs its
// lanes on the pool and still derives Node's key; hashBatch over the pool
// gives createHash's digests. The same calls on the plain page (single-threaded
// build) give the same bytes.
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

const cases = [
  { password: 'password', salt: 'NaCl', keylen: 64, options: { N: 1024, r: 8, p: 16 } },
  { password: 'pleaseletmein', salt: 'SodiumChloride', keylen: 48, options: { N: 4096, r: 4, p: 3 } },
  { password: '', salt: '', keylen: 16, options: { N: 16, r: 1, p: 1 } },
];
const batch = Array.from({ length: 300 }, (_, i) => `input ${i} `.repeat(i % 50));

for (const isolated of [true, false]) {
  const where = isolated ? 'companion page (threaded)' : 'plain page (single-threaded)';
  test(`scryptSync with p > 1 and hashBatch give Node's bytes — ${where}`, async (t) => {
    const site = await servePage({}, { isolated });
    try {
      const page = await openPage(browser, site.url);
      const got = await page.evaluate(
        async ({ cases, batch }) => {
          const crypto = await import('crypto');
          const scrypt = cases.map((c) => {
            const t0 = performance.now();
            const key = crypto.scryptSync(c.password, c.salt, c.keylen, c.options).toString('hex');
            return { key, ms: performance.now() - t0 };
          });
          return { threaded: globalThis.threads.threaded, scrypt, hashes: crypto.hashBatch('sha256', batch, 'hex') };
        },
        { cases, batch },
      );
      assert.equal(got.threaded, isolated);
      cases.forEach((c, i) => {
        const want = nodeCrypto.scryptSync(c.password, c.salt, c.keylen, c.options).toString('hex');
        assert.equal(got.scrypt[i].key, want, JSON.stringify(c.options));
      });
      t.diagnostic(`scryptSync N=1024 r=8 p=16 in the page: ${got.scrypt[0].ms.toFixed(0)} ms (${where})`);
      assert.deepEqual(
        got.hashes,
        batch.map((x) => nodeCrypto.createHash('sha256').update(x).digest('hex')),
      );
    } finally {
      await site.close();
    }
  });
}
