// Seed 002's "Stream" block that needs no file system runs in Chromium (seed
// page, single-threaded build) with ferrode/stream and prints what Node 20
// prints; and seed 000's Transform, fed from a Readable in place of stdin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../support/browser.mjs';
import { seedBlocks, runInNode, openSeedPage, normalise } from '../support/seeds.mjs';

const blocks = seedBlocks({ seed: '002', section: 'Stream', lang: 'javascript' }).filter((b) => !/\bfs\b/.test(b.code));
const transform = seedBlocks({ seed: '000', lang: 'javascript' }).find((b) => /new Transform/.test(b.code));

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

test('the seeds have the blocks', () => {
  assert.ok(blocks.length >= 1);
  assert.ok(transform, 'seed 000 Transform block');
});

for (const block of blocks) {
  test(`seed 002 "Stream" block ${block.index} in Chromium`, async () => {
    const node = await runInNode(block.code, { filename: 'main.mjs' });
    assert.equal(node.status, 0, node.stderr);
    const page = await seedPage.run(block.code, { settleMs: 100 });
    assert.equal(page.error, null, page.stderr);
    assert.equal(normalise(page.stdout), normalise(node.stdout));
  });
}

test('seed 000 Transform block in Chromium, stdin replaced by a Readable and stdout by console.log', async () => {
  // The page has no process.stdin/stdout: the same transform runs between streams it does have.
  const code = transform.code.replace(
    'process.stdin.pipe(uppercaseTransform).pipe(process.stdout);',
    "const { Readable, Writable } = require('stream');\n" +
      "Readable.from(['hello ', 'streams\\n']).pipe(uppercaseTransform).pipe(new Writable({\n" +
      '  write(c, e, cb) { console.log(JSON.stringify(String(c))); cb(); } }));',
  );
  assert.notEqual(code, transform.code, 'the block still pipes stdin to stdout');
  const node = await runInNode(code, { filename: 'main.js' });
  assert.equal(node.status, 0, node.stderr);
  const page = await seedPage.run(code, { settleMs: 100 });
  assert.equal(page.error, null, page.stderr);
  assert.equal(normalise(page.stdout), normalise(node.stdout));
  assert.match(node.stdout, /HELLO/);
});
