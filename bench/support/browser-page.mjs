// What the browser benchmarks (bench/browser-*.mjs) share: their page is written
// to a temporary folder, served beside the ferrode package (/ferrode/) and the
// root node_modules (/nm/) and opened in Chromium; the timing happens in the
// page (its runBench), the table is printed here. Not a benchmark itself: it
// lives below bench/ so that bench/run.mjs does not run it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchBrowser } from '../../tests/support/browser.mjs';
import { startStaticServer } from '../../tests/support/static-server.mjs';
import { PKG_DIR, ROOT } from '../../tests/support/paths.mjs';

/**
 * The best time in ms of `runs` calls of `fn` after one warm-up call. Pages take its source (`${best}` in their
 * script), so it must not use anything from outside.
 */
export async function best(fn, runs) {
  await fn();
  let t = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

/**
 * Writes `files` ({ name: contents }, index.html among them) to a temporary folder, lets `prepare(dir)` add to it,
 * serves it, opens it in Chromium, waits for the page's `benchReady` and calls its `runBench(arg)`.
 * Resolves with { result, version } (what runBench returned, Chromium's version).
 */
export async function runBenchPage(name, files, arg, { prepare = null } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ferrode-${name}-bench-`));
  let server = null;
  let browser = null;
  try {
    for (const [file, contents] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), contents);
    if (prepare) await prepare(dir);
    server = await startStaticServer({ '/ferrode/': PKG_DIR, '/nm/': path.join(ROOT, 'node_modules'), '/': dir });
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => globalThis.benchReady === true, null, { timeout: 60000 });
    const result = await page.evaluate((a) => globalThis.runBench(a), arg);
    return { result, version: browser.context.browser()?.version() ?? '' };
  } finally {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Prints rows ({ row, times: { label: ms }, bytes?, sizes?: { label: bytes } }): each implementation's rate (MB/s
 * of the row's `bytes`, or of `bytes` here; op/s where neither is given) and its time over ferrode's.
 */
export function printTable(rows, { bytes = 0, width = 22 } = {}) {
  for (const { row, times, bytes: rowBytes, sizes } of rows) {
    const n = rowBytes ?? bytes;
    console.log(row);
    for (const [label, ms] of Object.entries(times)) {
      const rate = n ? `${(n / 1e6 / (ms / 1e3)).toFixed(1)} MB/s` : `${(1e3 / ms).toFixed(2)} op/s`;
      const ratio = label === 'ferrode' ? '' : `  ferrode/${label} = ${(ms / times.ferrode).toFixed(2)}x`;
      console.log(`  ${label.padEnd(width)} ${rate.padStart(12)}${ratio}`);
    }
    if (sizes) {
      const list = Object.entries(sizes).map(([k, v]) => `${k} ${((v / n) * 100).toFixed(2)}%`);
      console.log(`  sizes: ${list.join(', ')}`);
    }
  }
}
