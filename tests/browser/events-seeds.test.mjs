// Seed 002's "Event Emitter" blocks in Chromium (seed page, single-threaded
// build) print what Node 20 prints for them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../support/browser.mjs';
import { seedBlocks, runInNode, openSeedPage, normalise } from '../support/seeds.mjs';

const blocks = seedBlocks({ seed: '002', section: 'Event Emitter', lang: 'javascript' });

let browser;
let seedPage;
before(async () => {
  browser = await launchBrowser();
  seedPage = await openSeedPage(browser, { threaded: false });
});
after(async () => {
  await seedPage?.close();
  await browser?.close();
});

function runnable(block) {
  const declares = /\b(const|let|var)\s+eventEmitter\b/.test(block.code);
  return declares ? block.code : `${blocks[0].code}${block.code}`;
}

test('the section has the blocks the tutorial shows', () => {
  assert.ok(blocks.length >= 3, `found ${blocks.length} blocks`);
});

for (const block of blocks) {
  test(`seed 002 "${block.heading}" block ${block.index} in Chromium`, async () => {
    const code = runnable(block);
    const node = await runInNode(code, { filename: 'main.mjs' });
    assert.equal(node.status, 0, node.stderr);
    const page = await seedPage.run(code, { settleMs: 100 });
    assert.equal(page.error, null, page.stderr);
    assert.equal(normalise(page.stdout), normalise(node.stdout));
  });
}
