// The threaded build's wasm memory is a SharedArrayBuffer, which TextEncoder
// and TextDecoder refuse to touch. Inputs large enough to take the wasm paths,
// and user Buffers over a SharedArrayBuffer, must still work there: this runs
// one script on both builds in Chromium and compares its output with Node 20's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../support/browser.mjs';
import { openSeedPage, runInNode } from '../support/seeds.mjs';

const script = `
const { StringDecoder } = require('string_decoder');
const crypto = require('crypto');
const zlib = require('zlib');
const big = Buffer.alloc(1 << 20);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
for (const enc of ['base64', 'base64url', 'hex', 'latin1', 'utf16le', 'utf8', 'ascii']) {
  const s = big.toString(enc);
  const back = Buffer.from(s, enc);
  console.log(enc, s.length, back.length, crypto.createHash('sha256').update(back).digest('hex'));
}
const text = 'héllo wörld ✓ '.repeat(1 << 15);
console.log(Buffer.byteLength(text), Buffer.from(text).toString('hex').length);
// Pages that are not cross-origin isolated have no SharedArrayBuffer.
const Shared = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : ArrayBuffer;
const onShared = Buffer.from(new Shared(64));
console.log(onShared.write('Grüße, ✓', 3), onShared.toString('utf8', 3, 16), onShared.toString('base64'));
const dec = new StringDecoder('utf8');
console.log(dec.write(onShared.subarray(3, 6)) + dec.write(onShared.subarray(6, 16)) + dec.end());
console.log(crypto.createHash('sha512').update(text).digest('base64'));
console.log(crypto.createHmac('sha256', 'key').update(text, 'utf8').digest('hex'));
const key = crypto.scryptSync('password', 'salt', 32, { N: 1024 });
const iv = Buffer.alloc(16, 1);
const c = crypto.createCipheriv('aes-256-cbc', key, iv);
const enc = Buffer.concat([c.update(text, 'utf8'), c.final()]);
const d = crypto.createDecipheriv('aes-256-cbc', key, iv);
const plain = d.update(enc, undefined, 'utf8') + d.final('utf8');
console.log(enc.length, plain === text);
const gz = zlib.gzipSync(text);
console.log(zlib.gunzipSync(gz).toString() === text, zlib.inflateRawSync(zlib.deflateRawSync(big)).equals(big));
`;

let browser;
let expected;
before(async () => {
  browser = await launchBrowser();
  const node = await runInNode(script);
  assert.equal(node.status, 0, node.stderr);
  expected = node.stdout;
});
after(async () => {
  await browser?.close();
});

for (const threaded of [true, false]) {
  test(`large inputs and shared memory print what Node prints (${threaded ? 'threaded' : 'single-threaded'} build)`, async () => {
    const page = await openSeedPage(browser, { threaded });
    try {
      assert.equal(page.threads.threaded, threaded);
      const got = await page.run(script, { settleMs: 100 });
      assert.equal(got.error, null, got.error);
      assert.equal(got.stdout, expected);
    } finally {
      await page.close();
    }
  });
}
