// Both builds load in real Chromium: the threaded one on the companion's
// cross-origin isolated page (pool of two or more threads that really run in
// parallel), the single-threaded one where the isolation headers are absent,
// and the packed tarball serves a page as well as the source tree does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launchBrowser } from '../support/browser.mjs';
import { startCompanion } from '../support/server.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { installPackedTarball } from '../support/tarball.mjs';
import { WEB_DIR, PKG_DIR } from '../support/paths.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function statusOf(url) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__ferrodeStatus !== undefined, null, { timeout: 30000 });
    const status = await page.evaluate(() => globalThis.__ferrodeStatus);
    assert.equal(status.error, undefined, `${status.error}\n${page.consoleLines.join('\n')}`);
    status.threadsUsed = await page.evaluate(async () => {
      const { wasm } = await import('#wasm');
      return wasm.threadsUsed(256);
    });
    return status;
  } finally {
    await page.close();
  }
}

test('companion page: cross-origin isolated, threaded build, pool >= 2 really used', async () => {
  const companion = await startCompanion();
  try {
    const status = await statusOf(companion.url);
    assert.equal(status.crossOriginIsolated, true);
    assert.equal(status.threaded, true, status.reason);
    assert.ok(status.poolSize >= 2, `pool size ${status.poolSize}`);
    assert.ok(status.threadsUsed >= 2, `work ran on ${status.threadsUsed} thread(s)`);
  } finally {
    await companion.stop();
  }
});

test('page without COOP/COEP: single-threaded build, silently', async () => {
  const server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': WEB_DIR });
  try {
    const status = await statusOf(`${server.origin}/`);
    assert.equal(status.crossOriginIsolated, false);
    assert.equal(status.threaded, false);
    assert.equal(status.poolSize, 0);
    assert.equal(status.threadsUsed, 1);
  } finally {
    await server.close();
  }
});

test('the packed tarball, installed, serves the page with both builds', async () => {
  const { dir, pkgDir } = installPackedTarball();
  const companion = await startCompanion([], { pkgDir });
  const plain = await startStaticServer({ '/ferrode/': pkgDir, '/': WEB_DIR });
  try {
    const threaded = await statusOf(companion.url);
    assert.equal(threaded.threaded, true, threaded.reason);
    const single = await statusOf(`${plain.origin}/`);
    assert.equal(single.threaded, false);
  } finally {
    await companion.stop();
    await plain.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
