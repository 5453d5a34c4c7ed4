// The benchmarks page of the playground, in real Chromium: reachable from the
// playground's header, runs a short configuration, every row has a number for
// every implementation, and every row's outputs agree (the page checks them
// before timing). Screenshots at 1280×800 and 390×844 go to tests/artifacts/.
// Speed itself is never asserted: the page prints ratios.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS } from '../support/paths.mjs';
import { usePlayground } from '../support/playground.mjs';

before(() => fs.mkdirSync(ARTIFACTS, { recursive: true }));
const playground = usePlayground({ open: false });

test('the benchmarks page: linked from the header, every row measured, outputs agree', async () => {
  const page = await playground.newPage();
  await page.click('#bench-link');
  await page.waitForFunction(() => globalThis.__bench?.ready === true, null, { timeout: 60000 });
  assert.match(page.url(), /bench\.html$/);
  const results = await page.evaluate(() => __bench.run({ minTime: 20 }));
  const diag = page.consoleLines.join('\n');
  assert.ok(results.length >= 10, `${results.length} rows\n${diag}`);
  const native = new Set([
    'TextEncoder',
    'TextDecoder',
    'EventTarget',
    'WHATWG streams',
    'CompressionStream',
    'DecompressionStream',
    'crypto.subtle',
  ]);
  const seen = new Set();
  for (const row of results) {
    const where = `${row.group} ${row.name}: ${JSON.stringify(row.times)}`;
    assert.equal(row.agree, true, `outputs differ: ${where}`);
    assert.ok('ferrode' in row.times && Object.keys(row.times).length >= 2, where);
    for (const [label, ms] of Object.entries(row.times)) {
      assert.ok(Number.isFinite(ms) && ms > 0, `${label} has no time: ${where}`);
      seen.add(label);
    }
  }
  // Every package and native API the page promises is measured somewhere.
  for (const label of [
    'ferrode',
    'buffer@6',
    'events@3',
    'readable-stream@4',
    'pako',
    'fflate',
    'browserify-zlib',
    'crypto-browserify',
    'hash-wasm',
    '@noble/hashes',
    ...native,
  ]) {
    assert.ok(seen.has(label), `${label} is measured`);
  }
  // The table shows a number of ops/s in every implementation's line, and the chart one bar per measurement.
  const cells = await page.$$eval('#results td.ops', (tds) => tds.map((td) => td.textContent));
  assert.equal(
    cells.length,
    results.reduce((n, r) => n + Object.keys(r.times).length, 0),
  );
  for (const c of cells) assert.match(c, /^\d+(\.\d+)?$/);
  assert.equal(await page.$$eval('#chart rect', (r) => r.length), cells.length);
  await page.screenshot({ path: path.join(ARTIFACTS, 'bench-desktop.png'), fullPage: true });
  for (const row of results) {
    const base = row.times.ferrode;
    const ratios = Object.entries(row.times)
      .filter(([l]) => l !== 'ferrode')
      .map(([l, ms]) => `${l} ${(ms / base).toFixed(2)}x`)
      .join(', ');
    console.log(`${row.group} ${row.name}: ferrode ${(1000 / base).toFixed(0)} ops/s; other/ferrode time: ${ratios}`);
  }
  await page.close();
});

test('the benchmarks page at 390×844: usable, nothing wider than the screen but the table', async () => {
  const page = await playground.browser.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(new URL('bench.html', playground.companion.url).href);
  await page.waitForFunction(() => globalThis.__bench?.ready === true, null, { timeout: 60000 });
  await page.evaluate(() => __bench.run({ minTime: 5, only: 'events' }));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `page is ${overflow}px wide`);
  const box = await page.locator('#run').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the Run button is on screen');
  await page.screenshot({ path: path.join(ARTIFACTS, 'bench-phone.png'), fullPage: true });
  await page.close();
});
