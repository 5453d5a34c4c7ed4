// ferrode/string_decoder in real Chromium: random chunkings of random bytes and
// text decode in the page exactly as node:string_decoder decodes them in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { launchBrowser } from '../support/browser.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { PKG_DIR } from '../support/paths.mjs';
import { rng } from '../support/rng.mjs';

let browser;
let server;
let pageDir;

before(async () => {
  pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-sd-page-'));
  const html = [
    '<!doctype html><meta charset="utf-8"><title>sd</title>',
    '<script type="importmap">{"imports":{"#wasm":"/ferrode/js/internal/wasm-browser.js"}}</script>',
    '',
  ];
  fs.writeFileSync(path.join(pageDir, 'index.html'), html.join('\n'));
  server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': pageDir });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (pageDir) fs.rmSync(pageDir, { recursive: true, force: true });
});

test('random chunkings decode in Chromium as in Node, every encoding', async () => {
  const rand = rng(2024);
  const encodings = ['utf8', 'utf16le', 'base64', 'base64url', 'latin1', 'ascii', 'hex'];
  const pool = [0x41, 0xc3, 0xe2, 0xf0, 0x80, 0x82, 0xac, 0x9f, 0xd8, 0xde, 0xff, 0xed, 0xa0];
  const cases = [];
  for (let run = 0; run < 700; run++) {
    const bytes = [];
    const len = Math.floor(rand() * 20);
    for (let i = 0; i < len; i++) {
      bytes.push(rand() < 0.7 ? pool[Math.floor(rand() * pool.length)] : Math.floor(rand() * 256));
    }
    const chunks = [];
    for (let i = 0; i < bytes.length;) {
      const n = Math.floor(rand() * 5);
      chunks.push(bytes.slice(i, i + n));
      i += n;
    }
    cases.push({ encoding: encodings[run % encodings.length], chunks });
  }
  const expected = cases.map(({ encoding, chunks }) => {
    const d = new StringDecoder(encoding);
    const out = chunks.map((c) => [d.write(Buffer.from(c)), d.lastNeed, d.lastTotal]);
    out.push([d.end(), d.lastNeed, d.lastTotal]);
    return out;
  });
  const page = await browser.newPage();
  try {
    await page.goto(`${server.origin}/`);
    const actual = await page.evaluate(async (all) => {
      const { StringDecoder: SD } = await import('/ferrode/js/string_decoder.js');
      return all.map(({ encoding, chunks }) => {
        const d = new SD(encoding);
        const out = chunks.map((c) => [d.write(new Uint8Array(c)), d.lastNeed, d.lastTotal]);
        out.push([d.end(), d.lastNeed, d.lastTotal]);
        return out;
      });
    }, cases);
    assert.deepEqual(actual, expected);
  } finally {
    await page.close();
  }
});
