// The seeds' worker_threads examples in Chromium with ferrode/worker_threads,
// compared with Node running the same files: the first seed's runService
// prints 'hello worker', and the second seed's counter split over three
// workers gives Node's total. Also: 100 Worker create/terminate cycles leave
// no Web Worker behind (counted by the browser itself).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../support/browser.mjs';
import { seedBlocks, runInNode } from '../support/seeds.mjs';
import { servePage, openPage } from './threads-page.mjs';

function block(seed, needle) {
  const found = seedBlocks({ seed }).filter((b) => b.code.includes(needle));
  assert.equal(found.length, 1, `one block of seed ${seed} contains ${needle}`);
  return found[0].code;
}

// Seed 000: main.js + service.js, as printed.
const main000 = block('000', 'function runService');
const service000 = block('000', '// service.js');
// Seed 002: the counter. As printed, index.js never calls createWorker and
// names an undefined THREAD_COUNT; the two smallest edits that make it do what
// its text describes (three workers, each counting its third) are applied.
const worker002 = block('002', 'workerData.numberOfWorkers');
const index002 = block('002', 'const createWorker')
  .replace('workers.push(createWorker);', 'workers.push(createWorker());')
  .replace('workerData: { thread_count: THREAD_COUNT }', 'workerData: { numberOfWorkers: MAX_WORKERS }');

const files = {
  'main.js': main000,
  'service.js': service000,
  'worker.js': worker002,
  'index.mjs': index002,
  'package.json': '{ "type": "module" }\n',
};

let nodeCounter = null;
// Node's run of the counter, once for both pages (it is the slow part).
function counterInNode() {
  nodeCounter ??= runInNode(index002, {
    filename: 'index.mjs',
    files: { 'worker.js': worker002, 'package.json': files['package.json'] },
    timeoutMs: 180000,
  });
  return nodeCounter;
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const isolated of [true, false]) {
  const where = isolated ? 'companion page (COOP/COEP)' : 'plain page (no isolation)';

  test(`seed 000: runService prints 'hello worker' as in Node — ${where}`, async () => {
    const node = await runInNode(main000, { files: { 'service.js': service000 } });
    assert.equal(node.stdout, 'hello worker\n');
    const site = await servePage(files, { isolated });
    try {
      const page = await openPage(browser, site.url);
      assert.equal(await page.evaluate(() => globalThis.threads.threaded), isolated);
      const out = await page.evaluate(() => globalThis.runProgram('main.js'));
      assert.equal(out, node.stdout, page.consoleLines.join('\n'));
    } finally {
      await site.close();
    }
  });

  test(`seed 002: the counter over three workers gives Node's total — ${where}`, async () => {
    const node = await counterInNode();
    assert.equal(node.stderr, '');
    const site = await servePage(files, { isolated });
    try {
      const page = await openPage(browser, site.url);
      const out = await page.evaluate(() => globalThis.runProgram('index.mjs', { lines: 2, timeoutMs: 120000 }));
      // The total line; console.timeEnd's line is a timing (and goes to the console in browsers).
      const total = (text) => text.split('\n')[0];
      assert.equal(total(out), total(node.stdout), page.consoleLines.join('\n'));
      assert.equal(total(out), '3,000,000,000');
    } finally {
      await site.close();
    }
  });
}

test('100 Worker create/terminate cycles leave no Web Worker behind', async () => {
  const site = await servePage({}, { isolated: true });
  try {
    const page = await openPage(browser, site.url);
    // Settle the build's own workers (the rayon pool) before counting.
    await new Promise((r) => setTimeout(r, 500));
    const before = page.workers().length;
    const codes = await page.evaluate(async () => {
      const out = [];
      for (let i = 0; i < 100; i++) {
        const code = "require('worker_threads').parentPort.postMessage('up');\nsetInterval(() => {}, 1000);";
        const w = new wt.Worker(code, { eval: true });
        await new Promise((resolve) => w.once('message', resolve));
        out.push(await w.terminate());
      }
      return out;
    });
    assert.deepEqual(codes, Array(100).fill(1));
    let now = page.workers().length;
    for (let i = 0; i < 50 && now > before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = page.workers().length;
    }
    assert.equal(now, before, `${now - before} Web Worker(s) still alive after 100 cycles`);
  } finally {
    await site.close();
  }
});
