// The playground page itself, driven through its UI in real Chromium: Stop
// ends a busy program within a second and the page stays usable, an uncaught
// error ends only that program, the console prints objects and errors like
// Node, share links carry the files, the status bar tells the build and the
// companion state, the ferrode status the build tests read is there, and the
// page is laid out at desktop and phone sizes (screenshots in tests/artifacts/).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS } from '../support/paths.mjs';
import { usePlayground } from '../support/playground.mjs';

before(() => fs.mkdirSync(ARTIFACTS, { recursive: true }));
const playground = usePlayground({ open: false });

const openPage = (url, viewport) => playground.newPage(url, viewport);

async function typeProgram(page, text) {
  // Through the editor, as a user would.
  await page.click('#editor .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function waitExit(page, runs, timeout = 60000) {
  await page.waitForFunction(
    (n) => {
      const o = __playground.output();
      return o.lastExit !== null && o.runs === n;
    },
    runs,
    { timeout, polling: 50 },
  );
  return page.evaluate(() => __playground.output());
}

test('Stop ends a busy loop within a second; the page stays usable', async () => {
  const page = await openPage();
  try {
    await typeProgram(page, "console.log('spinning');\nwhile (true) {}\n");
    await page.click('#run');
    await page.waitForFunction(() => __playground.output().stdout.includes('spinning'), null, { timeout: 60000 });
    assert.equal(await page.isEnabled('#stop'), true);
    const started = Date.now();
    await page.click('#stop');
    const out = await waitExit(page, 1, 1000);
    assert.ok(Date.now() - started < 1000, `stopped after ${Date.now() - started} ms`);
    assert.equal(out.lastExit.signal, 'SIGTERM');
    assert.match(await page.textContent('#console'), /stopped \(SIGTERM\)/);
    assert.equal(await page.isEnabled('#stop'), false);
    // A busy worker thread and a busy fork are stopped with it.
    await page.evaluate(() => {
      __playground.setFiles(
        {
          'main.js':
            "const { Worker } = require('worker_threads');\n" +
            "new Worker('while (true) {}', { eval: true });\nrequire('child_process').fork('./spin.js');\n" +
            "console.log('started');\n",
          'spin.js': 'while (true) {}\n',
        },
        'main.js',
      );
    });
    await page.click('#run');
    await page.waitForFunction(() => __playground.output().stdout.includes('started'), null, { timeout: 60000 });
    const t0 = Date.now();
    await page.click('#stop');
    await waitExit(page, 2, 1000);
    assert.ok(Date.now() - t0 < 1000);
    // Usable: the next program runs and prints.
    await typeProgram(page, "console.log({ value: 2 }, [function x() {}], 'after stop');\n");
    await page.click('#run');
    const next = await waitExit(page, 3);
    assert.equal(next.stdout, '{ value: 2 } [ [Function: x] ] after stop\n');
    assert.equal(next.lastExit.code, 0);
  } finally {
    await page.close();
  }
});

test('an uncaught error ends only that program, printed with its stack; the next run works', async () => {
  const page = await openPage();
  try {
    await typeProgram(page, "function fail() {\n  throw new TypeError('no good');\n}\nfail();\n");
    await page.click('#run');
    const out = await waitExit(page, 1);
    assert.equal(out.lastExit.code, 1);
    assert.equal(
      out.stderr,
      [
        '/app/main.js:2',
        "  throw new TypeError('no good');",
        '  ^',
        '',
        'TypeError: no good',
        '    at fail (/app/main.js:2:9)',
        '    at Object.<anonymous> (/app/main.js:4:1)',
        '',
        `Node.js ${await page.evaluate(() => __playground.nodeVersion)}`,
        '',
      ].join('\n'),
    );
    const consoleText = await page.textContent('#console');
    assert.match(consoleText, /TypeError: no good/);
    assert.match(consoleText, /exited with code 1/);
    await typeProgram(page, "setTimeout(() => console.log('fine'), 5);\n");
    await page.click('#run');
    const next = await waitExit(page, 2);
    assert.equal(next.stdout, 'fine\n');
    assert.equal(next.stderr, '');
  } finally {
    await page.close();
  }
});

test('the input line feeds process.stdin; EOF ends it', async () => {
  const page = await openPage();
  try {
    await typeProgram(
      page,
      "process.stdin.setEncoding('utf8');\n" +
        "process.stdin.on('data', (d) => console.log('got', JSON.stringify(d)));\n" +
        "process.stdin.on('end', () => console.log('end of input'));\n",
    );
    await page.click('#run');
    await page.waitForFunction(() => __playground.running, null, { timeout: 60000 });
    await page.fill('#stdin', 'typed line');
    await page.press('#stdin', 'Enter');
    await page.waitForFunction(() => __playground.output().stdout.includes('got'), null, { timeout: 60000 });
    await page.click('#eof');
    const out = await waitExit(page, 1);
    assert.equal(out.stdout, 'got "typed line\\n"\nend of input\n');
  } finally {
    await page.close();
  }
});

test('files written by a program appear in the file list, and share links carry the files', async () => {
  const page = await openPage();
  try {
    await typeProgram(page, "require('fs').writeFileSync('made.txt', 'made by the program');\n");
    await page.click('#run');
    await waitExit(page, 1);
    await page.waitForSelector('#file-list >> text=made.txt');
    assert.equal((await page.evaluate(() => __playground.files()))['/app/made.txt'], 'made by the program');
    const link = await page.evaluate(() => __playground.shareLink());
    assert.match(link, /#code=[\w-]+$/);
    const other = await openPage(link);
    try {
      const files = await other.evaluate(() => __playground.files());
      assert.equal(files['/app/made.txt'], 'made by the program');
      assert.equal(files['/app/main.js'], "require('fs').writeFileSync('made.txt', 'made by the program');\n");
    } finally {
      await other.close();
    }
  } finally {
    await page.close();
  }
});

test('status bar: build, pool and companion state; ferrode status for the build tests', async () => {
  const page = await openPage();
  try {
    await page.waitForFunction(() => globalThis.__ferrodeStatus !== undefined, null, { timeout: 30000 });
    const status = await page.evaluate(() => globalThis.__ferrodeStatus);
    assert.equal(status.crossOriginIsolated, true);
    const build = await page.textContent('#st-build');
    const expected = status.threaded
      ? `threaded build, pool of ${status.poolSize}`
      : `single-threaded build (${status.reason})`;
    assert.equal(build, expected);
    assert.match(await page.textContent('#st-companion'), /^companion: connected \(ferrode-server /);
    await page.waitForFunction(() => /page JS heap/.test(document.getElementById('st-memory').textContent));
  } finally {
    await page.close();
  }
});

test('screenshots at 1280×800 and 390×844: empty, an example run, a failing example', async () => {
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const page = await openPage(playground.companion.url, viewport);
    try {
      await page.screenshot({ path: path.join(ARTIFACTS, `playground-${label}-empty.png`) });
      await page.selectOption('#examples', 'worker-threads-worker-threads-2');
      await page.click('#run');
      const ok = await waitExit(page, 1);
      assert.equal(ok.stdout, 'hello worker\n');
      await page.screenshot({ path: path.join(ARTIFACTS, `playground-${label}-example.png`) });
      await page.selectOption('#examples', 'you-don-t-know-node-js-event-emitter-3');
      await page.click('#run');
      const failed = await waitExit(page, 2);
      assert.equal(failed.lastExit.code, 1);
      await page.screenshot({ path: path.join(ARTIFACTS, `playground-${label}-error.png`) });
      // Everything that matters is on screen and nothing overflows sideways.
      for (const id of ['#run', '#stop', '#examples', '#console', '#stdin', '#editor']) {
        const box = await page.locator(id).boundingBox();
        assert.ok(box && box.width > 0 && box.height > 0, `${id} visible`);
        assert.ok(box.x >= 0 && box.x + box.width <= viewport.width + 1, `${id} inside the viewport horizontally`);
      }
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= viewport.width, `page is ${scrollWidth}px wide`);
    } finally {
      await page.close();
    }
  }
});
