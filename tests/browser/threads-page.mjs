// A page for the worker_threads browser tests: ferrode's modules under Node's
// names through an import map, scenario files written into a temporary web
// folder, served either by the companion (COOP/COEP: threaded build) or by a
// plain static server (no isolation: single-threaded build).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCompanion } from '../support/server.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { PKG_DIR } from '../support/paths.mjs';

const MODULES = ['buffer', 'crypto', 'events', 'stream', 'string_decoder', 'zlib', 'worker_threads'];

function importMap() {
  const imports = { ferrode: '/ferrode/js/index.js', '#wasm': '/ferrode/js/internal/wasm-browser.js' };
  for (const name of MODULES) {
    const file = name === 'worker_threads' ? 'worker_threads.js' : `${name}.js`;
    for (const key of [name, `node:${name}`, `ferrode/${name}`]) imports[key] = `/ferrode/js/${file}`;
  }
  imports['ferrode/stream/promises'] = '/ferrode/js/stream/promises.js';
  return imports;
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">${JSON.stringify({ imports: importMap() })}</script>
<script type="module">
import * as wt from 'worker_threads';
import { threads } from 'ferrode';
globalThis.wt = wt;
globalThis.threads = threads;
globalThis.ready = true;
</script>`;

/**
 * Writes `files` ({ name: text }) next to the page and serves it;
 * `isolated` picks the companion (COOP/COEP) or the plain static server.
 * Resolves with { url, dir, close() }.
 */
export async function servePage(files, { isolated }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-threads-'));
  fs.writeFileSync(path.join(dir, 'index.html'), PAGE);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  if (isolated) {
    const companion = await startCompanion([], { webDir: dir, pkgDir: PKG_DIR });
    return {
      url: companion.url,
      dir,
      async close() {
        await companion.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': dir });
  return {
    url: `${server.origin}/`,
    dir,
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the page and waits until worker_threads and the wasm build are loaded. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  try {
    await page.waitForFunction(() => globalThis.ready === true, null, { timeout: 60000 });
  } catch (e) {
    throw new Error(`page did not load: ${e.message}\n${page.consoleLines.join('\n')}`);
  }
  return page;
}
