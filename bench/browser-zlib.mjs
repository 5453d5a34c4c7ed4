// The large gzip rows of bench/zlib.mjs in real Chromium: ferrode/zlib
// (single-threaded build) beside the platform's CompressionStream and
// DecompressionStream, and fflate. Serves a page, runs it, prints a table.
// Usage: node bench/browser-zlib.mjs (or node bench/run.mjs browser-zlib).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from '../tests/support/browser.mjs';
import { startStaticServer } from '../tests/support/static-server.mjs';
import { PKG_DIR, ROOT } from '../tests/support/paths.mjs';
import { corpus } from './zlib.mjs';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">
{ "imports": {
  "ferrode/zlib": "/ferrode/js/zlib.js",
  "#wasm": "/ferrode/js/internal/wasm-browser.js",
  "fflate": "/nm/fflate/esm/browser.js"
} }
</script>
<script type="module">
import * as fz from 'ferrode/zlib';
import * as fflate from 'fflate';

async function viaStream(data, Stream) {
  const out = new Response(new Blob([data]).stream().pipeThrough(new Stream('gzip')));
  return new Uint8Array(await out.arrayBuffer());
}

async function best(fn, runs) {
  await fn();
  let t = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

globalThis.runBench = async (runs) => {
  const text = new Uint8Array(await (await fetch('/corpus.txt')).arrayBuffer());
  const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
  const gz = fz.gzipSync(text, { level: 6 });
  const platformGz = await viaStream(text, CompressionStream);
  if (!same(fz.gunzipSync(platformGz), text)) throw new Error('ferrode cannot read CompressionStream output');
  if (!same(await viaStream(gz, DecompressionStream), text)) {
    throw new Error('DecompressionStream cannot read ferrode output');
  }
  const rows = [];
  rows.push({ row: 'gzip level 6 compress 16 MiB text', times: {
    ferrode: await best(() => fz.gzipSync(text, { level: 6 }), runs),
    CompressionStream: await best(() => viaStream(text, CompressionStream), runs),
    fflate: await best(() => fflate.gzipSync(text, { level: 6 }), runs),
  }, sizes: { ferrode: gz.length, CompressionStream: platformGz.length } });
  rows.push({ row: 'gunzip 16 MiB text', times: {
    ferrode: await best(() => fz.gunzipSync(platformGz), runs),
    DecompressionStream: await best(() => viaStream(platformGz, DecompressionStream), runs),
    fflate: await best(() => fflate.gunzipSync(platformGz), runs),
  } });
  return { bytes: text.length, rows };
};
globalThis.benchReady = true;
</script>`;

/** Runs the page in Chromium and prints its table (`h` is unused: timing happens in the page). */
export default async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-zlib-bench-'));
  fs.writeFileSync(path.join(dir, 'index.html'), PAGE);
  fs.writeFileSync(path.join(dir, 'corpus.txt'), corpus());
  const server = await startStaticServer({ '/ferrode/': PKG_DIR, '/nm/': path.join(ROOT, 'node_modules'), '/': dir });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => globalThis.benchReady === true, null, { timeout: 60000 });
    const runs = Number(process.env.BENCH_RUNS ?? 5);
    const { bytes, rows } = await page.evaluate((n) => globalThis.runBench(n), runs);
    const version = browser.context.browser()?.version() ?? '';
    console.log(`Chromium ${version}; best of ${runs} after a warm-up;`);
    console.log('ratio = other time / ferrode time (> 1: ferrode faster)');
    for (const { row, times, sizes } of rows) {
      console.log(row);
      for (const [label, ms] of Object.entries(times)) {
        const rate = `${(bytes / 1e6 / (ms / 1e3)).toFixed(1)} MB/s`;
        const ratio = label === 'ferrode' ? '' : `  ferrode/${label} = ${(ms / times.ferrode).toFixed(2)}x`;
        console.log(`  ${label.padEnd(22)} ${rate.padStart(12)}${ratio}`);
      }
      if (sizes) {
        const list = Object.entries(sizes).map(([k, v]) => `${k} ${((v / bytes) * 100).toFixed(2)}%`);
        console.log(`  sizes: ${list.join(', ')}`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await run();
