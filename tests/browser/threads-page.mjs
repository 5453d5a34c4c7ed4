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
    while ((out.length < lines || Date.now() - last < quietMs) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
    }
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

// The gzip benchmark's worker: the single-threaded build's gzip (the same
// handle call gzipSync makes) against the threaded build's block-parallel
// gzip, on the same input in the same Worker (parallel code is meant to be
// called from a Worker: the page's main thread may only spin while it waits).
const GZIP_BENCH_WORKER = `
self.onmessage = async ({ data: { threads, runs, blockSize } }) => {
  const input = new Uint8Array(await (await fetch('/corpus.txt')).arrayBuffer());
  const timeIt = (fn) => {
    let out = fn(); // warm-up
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      out = fn();
      best = Math.min(best, performance.now() - t0);
    }
    return { ms: best, out };
  };
  const st = await import('/ferrode/pkg/st/ferrode_wasm.js');
  await st.default({ module_or_path: '/ferrode/pkg/st/ferrode_wasm_bg.wasm' });
  const single = timeIt(() => {
    const h = new st.ZlibHandle(3, 6, 15, 8, 0, new Uint8Array(0), new Uint32Array(0));
    try {
      return h.process(input, 4, 16384, Infinity);
    } finally {
      h.free();
    }
  });
  let parallel = null;
  let reason = 'threads unavailable: the page is not cross-origin isolated';
  if (self.crossOriginIsolated) {
    const mt = await import('/ferrode/pkg/mt/ferrode_wasm.js');
    await mt.default({ module_or_path: '/ferrode/pkg/mt/ferrode_wasm_bg.wasm' });
    await mt.initThreadPool(threads);
    parallel = timeIt(() => mt.deflateParallel(3, input, 6, 15, 8, 0, blockSize));
    parallel.poolSize = mt.poolSize();
    reason = null;
  }
  self.postMessage({ inputBytes: input.byteLength, single, parallel, reason });
};`;

/** Text to compress: the repository's own sources, repeated up to `bytes`. */
export function textCorpus(root, bytes) {
  const parts = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(rs|js|mjs|md)$/.test(e.name)) parts.push(fs.readFileSync(p));
    }
  };
  for (const d of ['core/src', 'wasm/js', 'server/src', 'tests']) walk(path.join(root, d));
  const one = Buffer.concat(parts);
  const out = Buffer.alloc(bytes);
  for (let at = 0; at < bytes; at += one.length) one.copy(out, at, 0, Math.min(one.length, bytes - at));
  return out;
}

/**
 * Runs the gzip benchmark in a Worker of `page` (served with corpus.txt and
 * gzip-bench.js): resolves with { inputBytes, single: { ms, size },
 * parallel: { ms, size, poolSize, gz } | null, reason, ratio }.
 */
export async function gzipBenchmark(page, { threads = 2, runs = 2, blockSize = 1 << 20 } = {}) {
  const res = await page.evaluate(
    async (opts) => {
      const w = new Worker('/gzip-bench.js', { type: 'module' });
      const result = await new Promise((resolve, reject) => {
        w.onmessage = (ev) => resolve(ev.data);
        w.onerror = (ev) => reject(new Error(ev.message));
        w.postMessage(opts);
      });
      w.terminate();
      const b64 = (u8) => {
        let s = '';
        for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000));
        return btoa(s);
      };
      const summary = (r) => r && { ms: r.ms, size: r.out.byteLength, poolSize: r.poolSize, gz: b64(r.out) };
      return { ...result, single: summary(result.single), parallel: summary(result.parallel) };
    },
    { threads, runs, blockSize },
  );
  res.single.gz = Buffer.from(res.single.gz, 'base64');
  if (res.parallel) {
    res.parallel.gz = Buffer.from(res.parallel.gz, 'base64');
    res.ratio = res.single.ms / res.parallel.ms;
  }
  return res;
}

/** The files servePage needs for gzipBenchmark. */
export function gzipBenchFiles(root, bytes = 64 * 1024 * 1024) {
  return { 'corpus.txt': textCorpus(root, bytes), 'gzip-bench.js': GZIP_BENCH_WORKER };
}
