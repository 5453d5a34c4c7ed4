// Threads: parallel gzip of 64 MiB of text in Chromium on the companion's
// page (threaded build, pool of 2, called from a Worker) against the
// single-threaded build on the same input in the same Worker; and
// crypto.hashBatch against a createHash loop in Node (single-threaded build).
// The machine is shared: figures under load are noisy, say so when quoting.
import assert from 'node:assert/strict';
import nodeCrypto from 'node:crypto';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { hashBatch } from 'ferrode/crypto';
import { launchBrowser } from '../tests/support/browser.mjs';
import { servePage, openPage, gzipBenchmark, gzipBenchFiles } from '../tests/browser/threads-page.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function (h) {
  const inputs = Array.from({ length: 2000 }, (_, i) => nodeCrypto.randomBytes(64 + (i % 512)));
  const bytes = inputs.reduce((n, b) => n + b.length, 0);
  await h.row(
    'hash',
    'sha256 of 2000 small buffers',
    {
      ferrode: () => hashBatch('sha256', inputs),
      node: () => inputs.map((b) => nodeCrypto.createHash('sha256').update(b).digest()),
    },
    {
      bytes,
      check: ({ ferrode, node }) => ferrode.forEach((d, i) => assert.ok(Buffer.from(d).equals(node[i]))),
    },
  );

  const files = gzipBenchFiles(ROOT);
  const browser = await launchBrowser();
  const site = await servePage(files, { isolated: true });
  try {
    const page = await openPage(browser, site.url);
    const res = await gzipBenchmark(page, { threads: 2, runs: 2 });
    if (!res.parallel) {
      console.log(`gzip 64 MiB text, parallel vs single-threaded build: ${res.reason}`);
      return;
    }
    assert.ok(zlib.gunzipSync(res.parallel.gz).equals(files['corpus.txt']));
    const sizeDiff = ((res.parallel.size / res.single.size - 1) * 100).toFixed(2);
    const mbs = (ms) => (res.inputBytes / 1e6 / (ms / 1e3)).toFixed(1);
    console.log(
      `gzip 64 MiB text in Chromium: threaded build, ${res.parallel.poolSize} threads, parallel blocks ` +
        `${res.parallel.ms.toFixed(0)} ms (${mbs(res.parallel.ms)} MB/s) vs single-threaded build ` +
        `${res.single.ms.toFixed(0)} ms (${mbs(res.single.ms)} MB/s): ${res.ratio.toFixed(2)}x; ` +
        `size ${res.parallel.size} vs ${res.single.size} B (${sizeDiff}%)`,
    );
  } finally {
    await site.close();
    await browser.close();
  }
}
