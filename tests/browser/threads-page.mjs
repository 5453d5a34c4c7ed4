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

// runProgram(file): runs a program file of the page's folder as Node would
// run it as the main module (CommonJS with require() of the builtins, or ESM),
// resolving with what it printed once it has been quiet for a while.
const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">${JSON.stringify({ imports: importMap() })}</script>
<script type="module">
import * as wt from 'worker_threads';
import * as ferrode from 'ferrode';
const builtins = { worker_threads: wt };
for (const name of ${JSON.stringify(MODULES)}) builtins[name] = await import(name);
globalThis.wt = wt;
globalThis.threads = ferrode.threads;
globalThis.runProgram = async (file, { quietMs = 500, timeoutMs = 60000, lines = 1 } = {}) => {
  const out = [];
  let last = Date.now();
  const saved = console.log;
  console.log = (...args) => { out.push(args.map(String).join(' ')); last = Date.now(); };
  const saveErr = console.error;
  console.error = (...args) => { out.push('stderr: ' + args.map(String).join(' ')); last = Date.now(); };
  try {
    if (file.endsWith('.mjs')) {
      await import(new URL(file, location.href).href);
    } else {
      const code = await (await fetch(file)).text();
      const require = (n) => {
        const m = builtins[n.replace(/^node:/, '')];
        if (!m) throw new Error('Cannot find module ' + n);
        return m.default ?? m;
      };
      new Function('require', 'module', 'exports', code)(require, { exports: {} }, {});
    }
    const end = Date.now() + timeoutMs;
    while ((out.length < lines || Date.now() - last < quietMs) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  } finally {
    console.log = saved;
    console.error = saveErr;
  }
  return out.join('\\n') + (out.length ? '\\n' : '');
};
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
