// ferrode/zlib in real Chromium: the same bytes and errors as node:zlib, and
// interoperation with the platform's CompressionStream/DecompressionStream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodeZlib from 'node:zlib';
import { launchBrowser } from '../support/browser.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { PKG_DIR } from '../support/paths.mjs';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">
{ "imports": { "ferrode/zlib": "/ferrode/js/zlib.js", "#wasm": "/ferrode/js/internal/wasm-browser.js" } }
</script>
<script type="module">
import * as zlib from 'ferrode/zlib';
globalThis.zlib = zlib;
globalThis.ready = true;
</script>`;

let browser;
let server;
let dir;
let page;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-zlib-page-'));
  fs.writeFileSync(path.join(dir, 'index.html'), PAGE);
  server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': dir });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => globalThis.ready === true, null, { timeout: 30000 });
});
after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const text = fs.readFileSync(new URL('../../core/src/zlib/flate.rs', import.meta.url)).toString('latin1');

test("Sync forms give Node's bytes in the page", async () => {
  const got = await page.evaluate((t) => {
    const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return {
      gzip0: hex(zlib.gzipSync(t, { level: 0 })),
      deflate8: hex(zlib.deflateSync(t, { level: 8 })),
      brotli: hex(zlib.brotliCompressSync('hello hello hello')),
      back: new TextDecoder().decode(zlib.gunzipSync(zlib.gzipSync(t))) === t,
      crc: zlib.crc32(t),
    };
  }, text);
  const bytes = Buffer.from(text, 'utf8');
  assert.equal(got.gzip0, nodeZlib.gzipSync(bytes, { level: 0 }).toString('hex'));
  assert.equal(got.deflate8, nodeZlib.deflateSync(bytes, { level: 8 }).toString('hex'));
  assert.equal(got.brotli, nodeZlib.brotliCompressSync('hello hello hello').toString('hex'));
  assert.equal(got.back, true);
  assert.equal(got.crc, nodeZlib.crc32(bytes));
});

test("errors keep Node's shape in the page, and the module stays usable", async () => {
  const got = await page.evaluate(() => {
    const grab = (f) => {
      try {
        f();
        return null;
      } catch (e) {
        return { name: e.name, code: e.code, errno: e.errno, message: e.message };
      }
    };
    return [
      grab(() => zlib.gunzipSync(new TextEncoder().encode('not gzip'))),
      grab(() => zlib.inflateSync(new Uint8Array(0))),
      grab(() => zlib.gzipSync('a', { level: 10 })),
      grab(() => zlib.brotliDecompressSync(new Uint8Array([255, 255, 255, 255]))),
      new TextDecoder().decode(zlib.inflateSync(zlib.deflateSync('still works'))),
    ];
  });
  const grab = (f) => {
    try {
      f();
      return null;
    } catch (e) {
      return { name: e.name, code: e.code, errno: e.errno, message: e.message };
    }
  };
  assert.deepEqual(got.slice(0, 4), [
    grab(() => nodeZlib.gunzipSync(Buffer.from('not gzip'))),
    grab(() => nodeZlib.inflateSync(Buffer.alloc(0))),
    grab(() => nodeZlib.gzipSync('a', { level: 10 })),
    grab(() => nodeZlib.brotliDecompressSync(Buffer.from([255, 255, 255, 255]))),
  ]);
  assert.equal(got[4], 'still works');
});

test('interoperates with CompressionStream and DecompressionStream', async () => {
  const ok = await page.evaluate(async (t) => {
    const data = new TextEncoder().encode(t.repeat(20));
    const through = async (bytes, S) =>
      new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new S('gzip'))).arrayBuffer());
    const platform = await through(data, CompressionStream);
    const a = zlib.gunzipSync(platform);
    const b = await through(zlib.gzipSync(data), DecompressionStream);
    const same = (x, y) => x.length === y.length && x.every((v, i) => v === y[i]);
    return same(a, data) && same(b, data);
  }, text);
  assert.equal(ok, true);
});
