// ferrode/crypto in real Chromium: the seed's crypto examples in a page, with
// Node on the other side of the aes-256-cbc exchange in both directions, and
// the async KDFs running off the page's main thread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodeCrypto from 'node:crypto';
import { launchBrowser } from '../support/browser.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { PKG_DIR } from '../support/paths.mjs';
import { seedBlocks, runInNode, openSeedPage, normalise } from '../support/seeds.mjs';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">
{ "imports": { "ferrode/crypto": "/ferrode/js/crypto.js", "#wasm": "/ferrode/js/internal/wasm-browser.js" } }
</script>
<script type="module">
  import crypto from 'ferrode/crypto';
  globalThis.crypto_ = crypto;
  globalThis.__ready = true;
</script>`;

let browser;
let server;
let page;
let dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-crypto-page-'));
  fs.writeFileSync(path.join(dir, 'index.html'), PAGE);
  server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': dir });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => globalThis.__ready === true, null, { timeout: 30000 });
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the seed: sha256 of "hello world" in the page', async () => {
  const out = await page.evaluate(() => {
    const hash = globalThis.crypto_.createHash('sha256');
    hash.update('hello world');
    return hash.digest('hex');
  });
  assert.equal(out, 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
});

test('the seed: randomBytes(16) in the page, and past the 64 KiB getRandomValues limit', async () => {
  const out = await page.evaluate(() => {
    const c = globalThis.crypto_;
    const big = c.randomBytes(200000);
    return {
      hex: Array.from(c.randomBytes(16), (b) => b.toString(16).padStart(2, '0')).join(''),
      tailNonZero: big.subarray(199000).some((b) => b !== 0),
      len: big.length,
    };
  });
  assert.match(out.hex, /^[0-9a-f]{32}$/);
  assert.equal(out.len, 200000);
  assert.equal(out.tailNonZero, true);
});

test('the seed: the page encrypts aes-256-cbc with a scryptSync key, Node decrypts', async () => {
  const salt = nodeCrypto.randomBytes(16).toString('hex');
  const iv = nodeCrypto.randomBytes(16).toString('hex');
  const encrypted = await page.evaluate(
    ({ salt, iv }) => {
      const c = globalThis.crypto_;
      const hex = (s) => new Uint8Array(s.match(/../g).map((x) => parseInt(x, 16)));
      const key = c.scryptSync('pass', hex(salt), 32);
      const cipher = c.createCipheriv('aes-256-cbc', key, hex(iv));
      return cipher.update('hello world', 'utf8', 'hex') + cipher.final('hex');
    },
    { salt, iv },
  );
  const key = nodeCrypto.scryptSync('pass', Buffer.from(salt, 'hex'), 32);
  const decipher = nodeCrypto.createDecipheriv('aes-256-cbc', key, Buffer.from(iv, 'hex'));
  assert.equal(decipher.update(encrypted, 'hex', 'utf8') + decipher.final('utf8'), 'hello world');
});

test('the seed: Node encrypts, the page decrypts', async () => {
  const salt = nodeCrypto.randomBytes(16);
  const iv = nodeCrypto.randomBytes(16);
  const key = nodeCrypto.scryptSync('pass', salt, 32);
  const cipher = nodeCrypto.createCipheriv('aes-256-cbc', key, iv);
  const encrypted = cipher.update('hello world ✓', 'utf8', 'hex') + cipher.final('hex');
  const decrypted = await page.evaluate(
    ({ salt, iv, encrypted }) => {
      const c = globalThis.crypto_;
      const hex = (s) => new Uint8Array(s.match(/../g).map((x) => parseInt(x, 16)));
      const decipher = c.createDecipheriv('aes-256-cbc', c.scryptSync('pass', hex(salt), 32), hex(iv));
      return decipher.update(encrypted, 'hex', 'utf8') + decipher.final('utf8');
    },
    { salt: salt.toString('hex'), iv: iv.toString('hex'), encrypted },
  );
  assert.equal(decrypted, 'hello world ✓');
});

test("async scrypt and pbkdf2 give Node's keys and leave the page's main thread free", async () => {
  const out = await page.evaluate(async () => {
    const c = globalThis.crypto_;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    const [s, p] = await Promise.all([
      new Promise((resolve, reject) =>
        c.scrypt('pw', 'salt', 32, { N: 65536, r: 8, maxmem: 256 << 20 }, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
      new Promise((resolve, reject) =>
        c.pbkdf2('pw', 'salt', 200000, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key))),
      ),
    ]);
    const ms = performance.now() - t0;
    clearInterval(timer);
    const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');
    return { s: hex(s), p: hex(p), ticks, ms };
  });
  assert.equal(out.s, nodeCrypto.scryptSync('pw', 'salt', 32, { N: 65536, r: 8, maxmem: 256 << 20 }).toString('hex'));
  assert.equal(out.p, nodeCrypto.pbkdf2Sync('pw', 'salt', 200000, 32, 'sha256').toString('hex'));
  // With the derivations on the main thread no timer could fire until they finished.
  assert.ok(out.ticks >= Math.min(10, out.ms / 20), `${out.ticks} timer ticks in ${out.ms.toFixed(0)} ms`);
});

test("errors keep Node's shape in the page", async () => {
  const out = await page.evaluate(() => {
    const c = globalThis.crypto_;
    const grab = (fn) => {
      try {
        fn();
        return null;
      } catch (e) {
        return { name: e.name, code: e.code, message: e.message, reason: e.reason };
      }
    };
    return [
      grab(() => c.createCipheriv('aes-256-cbc', new Uint8Array(31), new Uint8Array(16))),
      grab(() => {
        const d = c.createDecipheriv('aes-256-cbc', new Uint8Array(32), new Uint8Array(16));
        d.update(new Uint8Array(16));
        d.final();
      }),
      grab(() => c.createHash('nope')),
    ];
  });
  const grab = (fn) => {
    try {
      fn();
      return null;
    } catch (e) {
      return { name: e.name, code: e.code, message: e.message, reason: e.reason };
    }
  };
  assert.deepEqual(out, [
    grab(() => nodeCrypto.createCipheriv('aes-256-cbc', Buffer.alloc(31), Buffer.alloc(16))),
    grab(() => {
      const d = nodeCrypto.createDecipheriv('aes-256-cbc', Buffer.alloc(32), Buffer.alloc(16));
      d.update(Buffer.alloc(16));
      d.final();
    }),
    grab(() => nodeCrypto.createHash('nope')),
  ]);
});

const SWEEP = `import crypto from 'crypto';
import { Buffer } from 'buffer';
const out = [];
for (const alg of ['md5', 'sha1', 'sha256', 'sha512', 'sha3-256', 'shake128', 'ripemd160']) {
  out.push(crypto.createHash(alg).update('h\u00e9llo').update(Buffer.from([1, 2, 3])).digest('hex'));
  out.push(crypto.createHash(alg).update('x'.repeat(5000)).digest('base64'));
  out.push(crypto.createHmac(alg === 'shake128' ? 'sha256' : alg, 'key').update('h\u00e9llo').digest('base64url'));
  out.push(crypto.hash(alg, 'abc'));
}
const key = crypto.scryptSync('pw', 'salt', 32, { N: 1024 });
for (const alg of ['aes-256-cbc', 'aes-256-gcm', 'aes-256-ctr', 'chacha20-poly1305']) {
  const aead = alg.includes('gcm') || alg.includes('chacha');
  const iv = Buffer.alloc(aead ? 12 : 16, 7);
  const c = crypto.createCipheriv(alg, key, iv);
  out.push(c.update('hello w\u00f6rld', 'utf8', 'hex') + c.final('hex'));
  if (aead) out.push(c.getAuthTag().toString('hex'));
}
out.push(crypto.pbkdf2Sync('p', 's', 1000, 16, 'sha512').toString('hex'));
out.push(Buffer.from(crypto.hkdfSync('sha256', 'k', 's', 'i', 16)).toString('hex'));
crypto.pbkdf2('p', 's', 1000, 16, 'sha256', (err, k) => {
  console.log(out.join('\\n'));
  console.log(err, k.toString('hex'));
});
`;

for (const threaded of [false, true]) {
  const build = threaded ? 'threaded' : 'single-threaded';
  test(`a sweep of hashes, HMACs, ciphers and KDFs prints what Node prints (${build})`, async () => {
    const node = await runInNode(SWEEP, { filename: 'main.mjs' });
    assert.equal(node.status, 0, node.stderr);
    assert.ok(node.stdout.split('\n').length > 35, node.stdout);
    const seedPage = await openSeedPage(browser, { threaded });
    try {
      assert.equal(seedPage.threads.threaded, threaded, seedPage.threads.reason);
      const ours = await seedPage.run(SWEEP, { settleMs: 3000 });
      assert.equal(ours.error, null, ours.error);
      assert.equal(ours.stdout, node.stdout);
    } finally {
      await seedPage.close();
    }
  });
}

for (const threaded of [false, true]) {
  test(`seed 002 crypto blocks on the seed page (${threaded ? 'threaded' : 'single-threaded'} build)`, async () => {
    const blocks = seedBlocks({ seed: '002', section: 'crypto' });
    assert.equal(blocks.length, 4);
    const seedPage = await openSeedPage(browser, { threaded });
    try {
      assert.equal(seedPage.threads.threaded, threaded, seedPage.threads.reason);
      const node = await runInNode(blocks[0].code, { filename: 'main.mjs' });
      const hash = await seedPage.run(blocks[0].code);
      assert.equal(hash.error, null, hash.error);
      assert.equal(normalise(hash.stdout), normalise(node.stdout));
      const random = await seedPage.run(blocks[1].code);
      assert.equal(random.error, null, random.error);
      assert.match(random.stdout, /^[0-9a-f]{32}\n$/);
      const leak = `${blocks[2].code}${blocks[3].code}console.log(salt.toString('hex'), iv.toString('hex'));\n`;
      const cbc = await seedPage.run(leak);
      assert.equal(cbc.error, null, cbc.error);
      const [encrypted, decrypted, saltIv] = cbc.stdout.trim().split('\n');
      assert.equal(decrypted, 'hello world');
      const [salt, iv] = saltIv.split(' ');
      const key = nodeCrypto.scryptSync('pass', Buffer.from(salt, 'hex'), 32);
      const d = nodeCrypto.createDecipheriv('aes-256-cbc', key, Buffer.from(iv, 'hex'));
      assert.equal(d.update(encrypted, 'hex', 'utf8') + d.final('utf8'), 'hello world');
    } finally {
      await seedPage.close();
    }
  });
}
