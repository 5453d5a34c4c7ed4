// Every Buffer code block of seed 002, run in Chromium with ferrode's modules
// (both builds), prints what the same block prints under Node 20.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../support/browser.mjs';
import { seedBlocks, runInNode, openSeedPage, normalise } from '../support/seeds.mjs';

const blocks = seedBlocks({ seed: '002', section: 'Buffer' });

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const threaded of [false, true]) {
  test(`seed 002 Buffer blocks in Chromium (${threaded ? 'threaded' : 'single-threaded'} build)`, async () => {
    assert.equal(blocks.length, 3);
    const page = await openSeedPage(browser, { threaded });
    try {
      assert.equal(page.threads.threaded, threaded, page.threads.reason);
      for (const block of blocks) {
        const filename = /^\s*import\s/m.test(block.code) ? 'main.mjs' : 'main.js';
        const node = await runInNode(block.code, { filename });
        assert.equal(node.status, 0, node.stderr);
        const ours = await page.run(block.code);
        assert.equal(ours.error, null, `block at line ${block.line}: ${ours.error}`);
        assert.equal(normalise(ours.stdout), normalise(node.stdout), `block at line ${block.line}`);
        assert.equal(ours.stderr, '', `block at line ${block.line}`);
      }
    } finally {
      await page.close();
    }
  });
}
