// The drop-in comparison: the sample Vite app (tests/apps/vite-app) built with
// the packed tarball and ferrode/vite, and with vite-plugin-node-polyfills.
// Prints what a page downloads per module (JS + wasm, gzip -9 and brotli per
// file; ferrode's brotli module on its own line) and the time to gzip and to
// sha256 16 MiB in Chromium (best of 3 after the page's own warm-up run).
// Needs a build (./scripts/build.sh st mt) and Chromium. Numbers are noisy on a
// loaded machine.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../tests/support/browser.mjs';
import { startStaticServer } from '../tests/support/static-server.mjs';
import crypto from 'node:crypto';
import { scratchApp, viteBuild, pageResult, loadAndMeasure, kib } from '../tests/apps/support.mjs';
import { speedInput } from '../tests/apps/vite-app/workload.js';

const MODULES = {
  buffer: "import * as m from 'buffer'; m.Buffer.from('x');",
  events: "import * as m from 'events'; new m.EventEmitter();",
  stream: "import * as m from 'stream'; new m.PassThrough();",
  string_decoder: "import * as m from 'string_decoder'; new m.StringDecoder();",
  zlib: "import * as m from 'zlib'; m.gzipSync('x');",
  crypto: "import * as m from 'crypto'; m.createHash('sha256');",
  'buffer+events+stream+zlib+crypto': "import './modules.js';",
};

export default async function dropin() {
  const scratch = scratchApp();
  const browser = await launchBrowser();
  for (const [name, code] of Object.entries(MODULES)) {
    const id = `only-${name.replace(/\W+/g, '-')}`;
    fs.writeFileSync(path.join(scratch.app, `${id}.js`), `${code}\nwindow.__result = { ok: true };\n`);
    fs.writeFileSync(
      path.join(scratch.app, `${id}.html`),
      `<!doctype html><meta charset="utf-8"><script type="module" src="/${id}.js"></script>\n`,
    );
  }
  const rows = [];
  const speed = {};
  // One build per page: what a page downloads depends on its whole bundle
  // (ferrode skips the brotli module when nothing uses zlib).
  const measure = async (label, config, htmlPage, fn) => {
    const out = path.join(scratch.dir, `dist-${label}-${path.basename(htmlPage, '.html')}`);
    await viteBuild(scratch.app, config, out, [htmlPage]);
    const server = await startStaticServer({ '/': out });
    try {
      return await fn(`${server.origin}/${htmlPage}`);
    } finally {
      await server.close();
    }
  };
  try {
    for (const [label, config] of [
      ['ferrode', 'vite.config.mjs'],
      ['polyfills', 'vite.polyfills.config.mjs'],
    ]) {
      for (const name of Object.keys(MODULES)) {
        const id = `only-${name.replace(/\W+/g, '-')}`;
        await measure(label, config, `${id}.html`, async (url) => {
          const { page, sizes } = await loadAndMeasure(browser, url);
          await page.close();
          rows.push({
            module: name,
            build: label,
            gzip: sizes.core.gzip,
            brotli: sizes.core.brotli,
            brotliModuleGzip: sizes.brotliModule.gzip,
          });
        });
      }
      await measure(label, config, 'index.html', async (url) => {
        const { page } = await pageResult(browser, url);
        speed[label] = await page.evaluate(() => window.__speed(16, 3));
        // The browser's own gzip, measured once (the same in both pages).
        if (label === 'ferrode') speed.native = await page.evaluate(() => window.__nativeGzipSpeed(16, 3));
        await page.close();
      });
    }
  } finally {
    await browser.close();
    scratch.cleanup();
  }
  // Both pages did the same work: their gzip reads back and their sha256 is Node's.
  const want = crypto.createHash('sha256').update(speedInput(16)).digest('hex');
  for (const label of ['ferrode', 'polyfills']) {
    if (!speed[label].roundTrip) throw new Error(`${label}: the page's gzip did not read back to the input`);
    if (speed[label].digest !== want) throw new Error(`${label}: sha256 ${speed[label].digest}, Node says ${want}`);
  }
  console.log(
    '| page imports | ferrode gzip | polyfills gzip | ferrode/polyfills | ferrode brotli | polyfills brotli |' +
      ' + brotli module fetched (gzip) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const name of Object.keys(MODULES)) {
    const f = rows.find((r) => r.module === name && r.build === 'ferrode');
    const p = rows.find((r) => r.module === name && r.build === 'polyfills');
    console.log(
      `| ${name} | ${kib(f.gzip)} | ${kib(p.gzip)} | ${(f.gzip / p.gzip).toFixed(2)} | ${kib(f.brotli)} | ` +
        `${kib(p.brotli)} | ${f.brotliModuleGzip ? kib(f.brotliModuleGzip) : 'no'} |`,
    );
  }
  console.log('\n| 16 MiB in Chromium | ferrode | polyfills | ratio (polyfills / ferrode) |');
  console.log('| --- | --- | --- | --- |');
  for (const [k, label] of [
    ['gzipMs', 'zlib.gzipSync'],
    ['sha256Ms', 'sha256'],
  ]) {
    console.log(
      `| ${label} | ${speed.ferrode[k].toFixed(1)} ms | ${speed.polyfills[k].toFixed(1)} ms | ` +
        `${(speed.polyfills[k] / speed.ferrode[k]).toFixed(2)}x |`,
    );
  }
  console.log(
    '\n| 16 MiB gzip in Chromium | ferrode zlib.gzipSync | CompressionStream (async) | ratio (native / ferrode) |',
  );
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| time | ${speed.ferrode.gzipMs.toFixed(1)} ms | ${speed.native.gzipMs.toFixed(1)} ms | ` +
      `${(speed.native.gzipMs / speed.ferrode.gzipMs).toFixed(2)}x |`,
  );
  console.log(`| output | ${speed.ferrode.gzLength} B | ${speed.native.gzLength} B | |`);
}

if (import.meta.url === `file://${process.argv[1]}`) await dropin();
