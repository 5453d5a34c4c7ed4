// The same worker_threads scenarios under Node (node:worker_threads) and in
// Chromium (ferrode/worker_threads): messages, event order, error events and
// exit codes must agree. Run on the companion's page (COOP/COEP, threaded
// build) and on a plain page (no isolation, single-threaded build), where the
// scenarios that need SharedArrayBuffer instead check that it is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../support/browser.mjs';
import { servePage, openPage } from './threads-page.mjs';
import { scenarios, makeWatch, makeNormalize, runScenarioInNode } from '../node/threads-scenarios.mjs';

const files = Object.assign({}, ...scenarios.map((s) => s.files));

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function runInPage(page, scenario) {
  return page.evaluate(
    async ({ runSrc, watchSrc, normSrc }) => {
      // eslint-disable-next-line no-eval
      const watch = (0, eval)(`(${watchSrc})`)();
      const normalize = (0, eval)(`(${normSrc})`)();
      const run = (0, eval)(`(${runSrc})`);
      const file = (name) => new URL(name, location.href);
      return normalize(await run({ wt: globalThis.wt, file, watch }));
    },
    { runSrc: scenario.run.toString(), watchSrc: makeWatch.toString(), normSrc: makeNormalize.toString() },
  );
}

for (const isolated of [true, false]) {
  const where = isolated ? 'companion page (COOP/COEP)' : 'plain page (no isolation)';
  test(`worker_threads scenarios agree with Node: ${where}`, async (t) => {
    const site = await servePage(files, { isolated });
    const page = await openPage(browser, site.url);
    try {
      const threads = await page.evaluate(() => globalThis.threads);
      assert.equal(threads.threaded, isolated, threads.reason);
      for (const scenario of scenarios) {
        await t.test(scenario.name, async () => {
          if (scenario.needsSharedMemory && !isolated) {
            const has = await page.evaluate(() => typeof SharedArrayBuffer);
            assert.equal(has, 'undefined', 'SharedArrayBuffer exists without isolation');
            return;
          }
          const expected = await runScenarioInNode(scenario);
          const got = await runInPage(page, scenario);
          assert.deepEqual(got, expected, page.consoleLines.join('\n'));
        });
      }
    } finally {
      await page.close();
      await site.close();
    }
  });
}
