// Shared by the drop-in tests and bench/dropin.mjs: a scratch project with the
// PACKED ferrode tarball and the sample app, Vite builds of it, the bundle
// sizes, and a page's result read back from Chromium.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { installPackedTarball } from '../support/tarball.mjs';
import { ROOT } from '../support/paths.mjs';

export const APPS = path.dirname(fileURLToPath(import.meta.url));
// Packages the sample app uses, linked from the workspace (their own
// dependencies resolve from there through the link's real path).
const LINKED = ['pngjs', 'tar-stream', 'safe-buffer', 'vite', 'vite-plugin-node-polyfills', 'webpack', 'esbuild'];

/** Installs the tarball into a scratch project and copies the app in: { dir, app, cleanup }. */
export function scratchApp(name = 'vite-app') {
  const { dir } = installPackedTarball();
  for (const pkg of LINKED) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', pkg), path.join(dir, 'node_modules', pkg), 'dir');
  }
  // All of tests/apps: the apps share ../shared/.
  fs.cpSync(APPS, path.join(dir, 'apps'), { recursive: true });
  const app = path.join(dir, 'apps', name);
  return { dir, app, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `vite build` of `app` with `configFile`; `pages` are the HTML entries (relative to app). */
export async function viteBuild(app, configFile, outDir, pages = ['index.html']) {
  const { build } = await import('vite');
  const input = Object.fromEntries(pages.map((p) => [path.basename(p, '.html'), path.join(app, p)]));
  await build({
    root: app,
    configFile: path.join(app, configFile),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rolldownOptions: { input } },
  });
  return outDir;
}

/** Opens `url`, waits for `window.__result`, returns it (with the console on failure). */
export async function pageResult(browser, url, { timeout = 60000 } = {}) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout });
    const result = await page.evaluate(() => window.__result);
    if (result && result.error) throw new Error(`${url}: ${result.error}\n${page.consoleLines.join('\n')}`);
    return { result, page };
  } catch (err) {
    await page.close();
    err.message += `\n${page.consoleLines.join('\n')}`;
    throw err;
  }
}

/** Bytes (JS and wasm) the page downloads, by part, gzip -9 and brotli each file. */
export async function loadAndMeasure(browser, url) {
  const page = await browser.newPage();
  const bodies = [];
  page.on('response', async (res) => {
    if (/\.(m?js|wasm)(\?|$)/.test(res.url())) bodies.push(res.body().then((b) => ({ url: res.url(), b })));
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60000 });
  const result = await page.evaluate(() => window.__result);
  const sizes = { core: { raw: 0, gzip: 0, brotli: 0 }, brotliModule: { raw: 0, gzip: 0, brotli: 0 } };
  for (const { url: u, b } of await Promise.all(bodies)) {
    const part = /brotli/i.test(new URL(u).pathname) ? sizes.brotliModule : sizes.core;
    part.raw += b.length;
    part.gzip += zlib.gzipSync(b, { level: 9 }).length;
    part.brotli += zlib.brotliCompressSync(b).length;
  }
  return { page, result, sizes };
}

export const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
