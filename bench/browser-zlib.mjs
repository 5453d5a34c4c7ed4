// The large gzip rows of bench/zlib.mjs in real Chromium: ferrode/zlib
// (single-threaded build) beside the platform's CompressionStream and
// DecompressionStream, and fflate. Serves a page, runs it, prints a table.
// Usage: node bench/browser-zlib.mjs (or node bench/run.mjs browser-zlib).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { best, printTable, runBenchPage } from './support/browser-page.mjs';
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

${best}

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
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const files = { 'index.html': PAGE, 'corpus.txt': corpus() };
  const { result, version } = await runBenchPage('zlib', files, runs);
  console.log(`Chromium ${version}; best of ${runs} after a warm-up;`);
  console.log('ratio = other time / ferrode time (> 1: ferrode faster)');
  printTable(result.rows, { bytes: result.bytes });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await run();
