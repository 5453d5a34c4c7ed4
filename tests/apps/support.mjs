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

const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => zlib.brotliCompressSync(bytes, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;

/**
 * Sizes of a build's JS and wasm files, split into what the page needs for
 * buffer+events+stream+zlib+crypto and ferrode's brotli chunk (its own line:
 * the polyfills have no brotli).
 */
export function bundleSizes(outDir) {
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(m?js|wasm)$/.test(e.name)) files.push(p);
    }
  };
  walk(outDir);
  const sum = { core: { raw: 0, gzip: 0, brotli: 0 }, brotliModule: { raw: 0, gzip: 0, brotli: 0 }, files: [] };
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    const name = path.relative(outDir, f);
    const part = /brotli/i.test(path.basename(f)) ? sum.brotliModule : sum.core;
    const row = { name, raw: bytes.length, gzip: gzip(bytes), brotli: brotli(bytes) };
    part.raw += row.raw;
    part.gzip += row.gzip;
    part.brotli += row.brotli;
    sum.files.push(row);
  }
  return sum;
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

export const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
