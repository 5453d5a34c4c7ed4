// The sample Vite app (tests/apps/vite-app) built with the PACKED ferrode
// tarball and `ferrode/vite`: unmodified pngjs, tar-stream, safe-buffer and
// string_decoder users give in Chromium what the same code gives under Node 20,
// with `vite build` and with the dev server. The same app built with
// vite-plugin-node-polyfills is measured in the same run (sizes and speed are
// printed, never asserted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { launchBrowser } from '../support/browser.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { scratchApp, viteBuild, pageResult, loadAndMeasure, APPS, kib } from '../apps/support.mjs';

let browser;
let scratch;
let expected;
let speedDigest;
const table = {};

before(async () => {
  browser = await launchBrowser();
  scratch = scratchApp();
  const { run, speedInput } = await import(path.join(APPS, 'vite-app/workload.js'));
  expected = await run();
  speedDigest = sha256(speedInput(16));
});
after(async () => {
  await browser?.close();
  scratch?.cleanup();
  if (Object.keys(table).length) console.log(JSON.stringify(table, null, 1));
});

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

/** Compares a page's result with Node's: everything equal except compressed bytes, which Node must read back. */
function assertSameAsNode(got) {
  const text = 'ferrode '.repeat(1000);
  assert.equal(zlib.gunzipSync(Buffer.from(got.smoke.gzip, 'base64')).toString(), text, 'Node gunzips the page gzip');
  const archive = zlib.gunzipSync(Buffer.from(got.tar.tgz, 'base64'));
  assert.equal(sha256(archive), expected.tar.archive, 'Node gunzips the page tgz to the same tar');
  const strip = (r) => ({ ...r, smoke: { ...r.smoke, gzip: null }, tar: { ...r.tar, tgz: null } });
  assert.deepEqual(strip(got), strip(expected));
}

async function buildAndServe(config, name, pages) {
  const out = path.join(scratch.dir, name);
  await viteBuild(scratch.app, config, out, pages);
  return startStaticServer({ '/': out });
}

test('vite build with ferrode/vite: pngjs, tar-stream, safe-buffer, string_decoder equal Node 20', async () => {
  const server = await buildAndServe('vite.config.mjs', 'dist-ferrode', ['index.html', 'modules.html']);
  try {
    const { result, page } = await pageResult(browser, `${server.origin}/index.html`);
    try {
      assertSameAsNode(result);
      const speed = await page.evaluate(() => window.__speed(16, 3));
      table['speed 16 MiB, ferrode (ms)'] = { gzip: +speed.gzipMs.toFixed(1), sha256: +speed.sha256Ms.toFixed(1) };
      const native = await page.evaluate(() => window.__nativeGzipSpeed(16, 3));
      table['speed 16 MiB, CompressionStream gzip (ms, async)'] = +native.gzipMs.toFixed(1);
      assert.equal(speed.roundTrip, true, 'the timed gzip reads back to its input');
      assert.equal(speed.digest, speedDigest, "the timed sha256 is Node's");
    } finally {
      await page.close();
    }
    const mods = await loadAndMeasure(browser, `${server.origin}/modules.html`);
    await mods.page.close();
    assert.deepEqual(mods.result, { ok: true });
    table['ferrode: buffer+events+stream+zlib+crypto, downloaded'] = {
      raw: kib(mods.sizes.core.raw),
      gzip: kib(mods.sizes.core.gzip),
      brotli: kib(mods.sizes.core.brotli),
    };
    table['ferrode: zlib brotli module (own line)'] = {
      raw: kib(mods.sizes.brotliModule.raw),
      gzip: kib(mods.sizes.brotliModule.gzip),
    };
    table.coreGzipBytes = { ferrode: mods.sizes.core.gzip };
  } finally {
    await server.close();
  }
});

test('the same app on vite-plugin-node-polyfills (measured for comparison)', async () => {
  const server = await buildAndServe('vite.polyfills.config.mjs', 'dist-polyfills', ['index.html', 'modules.html']);
  try {
    const { result, page } = await pageResult(browser, `${server.origin}/index.html`);
    try {
      // Recorded, not asserted: what the polyfills get right is not this test's claim.
      const failed = Object.entries(result)
        .filter(([, v]) => v && v.error)
        .map(([k, v]) => `${k}: ${v.error}`);
      table['polyfills: parts that failed in the page'] = failed.length ? failed : 'none';
      const speed = await page.evaluate(() => window.__speed(16, 3));
      table['speed 16 MiB, polyfills (ms)'] = { gzip: +speed.gzipMs.toFixed(1), sha256: +speed.sha256Ms.toFixed(1) };
      table["polyfills: timed gzip reads back, sha256 is Node's"] = [speed.roundTrip, speed.digest === speedDigest];
    } finally {
      await page.close();
    }
    const mods = await loadAndMeasure(browser, `${server.origin}/modules.html`);
    await mods.page.close();
    assert.deepEqual(mods.result, { ok: true });
    table['polyfills: buffer+events+stream+zlib+crypto, downloaded'] = {
      raw: kib(mods.sizes.core.raw),
      gzip: kib(mods.sizes.core.gzip),
      brotli: kib(mods.sizes.core.brotli),
    };
    table.coreGzipBytes = { ...table.coreGzipBytes, polyfills: mods.sizes.core.gzip };
  } finally {
    await server.close();
  }
});

async function withDevServer(config, fn) {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: scratch.app,
    configFile: path.join(scratch.app, config),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  try {
    const { port } = server.httpServer.address();
    await fn(`http://127.0.0.1:${port}`);
  } finally {
    await server.close();
  }
}

test('vite dev server with ferrode/vite: the same results', async () => {
  await withDevServer('vite.config.mjs', async (origin) => {
    const { result, page } = await pageResult(browser, `${origin}/index.html`, { timeout: 120000 });
    await page.close();
    assertSameAsNode(result);
  });
});

test('coopCoep: true isolates the dev and preview servers, whose pages get the threaded build', async () => {
  const fs = await import('node:fs');
  const config = 'vite.coop.config.mjs';
  fs.writeFileSync(
    path.join(scratch.app, config),
    "import ferrode from 'ferrode/vite';\nexport default { logLevel: 'warn', plugins: [ferrode({ coopCoep: true })] };\n",
  );
  const sha = crypto.createHash('sha256').update('abc').digest('hex');
  // Dev server: isolated, and the threaded build with a real pool.
  await withDevServer(config, async (origin) => {
    const { result, page } = await pageResult(browser, `${origin}/threads.html`, { timeout: 120000 });
    await page.close();
    assert.equal(result.crossOriginIsolated, true);
    assert.equal(result.threads.threaded, true, result.threads.reason);
    assert.ok(result.threads.poolSize >= 2, `pool size ${result.threads.poolSize}`);
    assert.equal(result.sha, sha);
  });
  // Preview of the build: isolated, and the threaded build with a real pool.
  const out = path.join(scratch.dir, 'dist-coop');
  await viteBuild(scratch.app, config, out, ['threads.html']);
  const { preview } = await import('vite');
  const server = await preview({
    root: scratch.app,
    configFile: path.join(scratch.app, config),
    logLevel: 'warn',
    build: { outDir: out },
    preview: { host: '127.0.0.1', port: 0 },
  });
  try {
    const { port } = server.httpServer.address();
    const { result, page } = await pageResult(browser, `http://127.0.0.1:${port}/threads.html`, { timeout: 120000 });
    await page.close();
    assert.equal(result.crossOriginIsolated, true);
    assert.equal(result.threads.threaded, true, result.threads.reason);
    assert.ok(result.threads.poolSize >= 2, `pool size ${result.threads.poolSize}`);
    assert.equal(result.sha, sha);
  } finally {
    await server.close();
  }
  // Without the option: not isolated, single-threaded, silently.
  await withDevServer('vite.config.mjs', async (origin) => {
    const { result, page } = await pageResult(browser, `${origin}/threads.html`, { timeout: 120000 });
    await page.close();
    assert.equal(result.crossOriginIsolated, false);
    assert.equal(result.threads.threaded, false);
    assert.equal(result.sha, sha);
  });
});

test('globals: each one switchable, none injected when off', async () => {
  const fs = await import('node:fs');
  const cases = [
    [
      undefined,
      {
        Buffer: 'function',
        process: 'object',
        global: 'object',
        freeBuffer: 'function',
        freeProcess: 'object',
        browser: true,
        nodeVersion: null,
        isBuffer: true,
      },
    ],
    [
      false,
      {
        Buffer: 'undefined',
        process: 'undefined',
        global: 'undefined',
        freeBuffer: 'undefined',
        freeProcess: 'undefined',
        browser: null,
        nodeVersion: null,
        isBuffer: null,
      },
    ],
    [
      { process: false },
      {
        Buffer: 'function',
        process: 'undefined',
        global: 'object',
        freeBuffer: 'function',
        freeProcess: 'undefined',
        browser: null,
        nodeVersion: null,
        isBuffer: true,
      },
    ],
  ];
  for (const [i, [globals, want]] of cases.entries()) {
    const config = `vite.globals${i}.config.mjs`;
    const arg = globals === undefined ? '' : JSON.stringify({ globals });
    fs.writeFileSync(
      path.join(scratch.app, config),
      `import ferrode from 'ferrode/vite';\nexport default { logLevel: 'warn', plugins: [ferrode(${arg})] };\n`,
    );
    const server = await buildAndServe(config, `dist-globals${i}`, ['globals.html']);
    try {
      const { result, page } = await pageResult(browser, `${server.origin}/globals.html`);
      await page.close();
      assert.deepEqual(result, want, `globals: ${arg || 'default'}`);
    } finally {
      await server.close();
    }
  }
});
