// Parallel gzip in the threaded build: 64 MiB of text compressed in blocks on
// a pool of two threads inflates with Node's gunzip to the same bytes and is
// within 2% of the single-threaded build's output size. The speed-up over the
// single-threaded build is printed (never asserted). Without COOP/COEP the
// same test reports "threads unavailable" and checks the fallback instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { launchBrowser } from '../support/browser.mjs';
import { ROOT } from '../support/paths.mjs';
import { servePage, openPage, gzipBenchFiles, gzipBenchmark, textCorpus } from './threads-page.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * Serves `files` (`isolated`: on the companion, with COOP/COEP), opens the page and runs `fn(page)`. With `corpus`,
 * the page first gets the globals the scenarios share: `zlib` (the module), `input` (/corpus.txt's bytes) and `b64`
 * (bytes to base64, for the way back).
 */
async function onPage(files, { isolated, corpus = true }, fn) {
  const site = await servePage(files, { isolated });
  try {
    const page = await openPage(browser, site.url);
    if (!corpus) return await fn(page);
    await page.evaluate(async () => {
      globalThis.zlib = await import('zlib');
      globalThis.input = new Uint8Array(await (await fetch('/corpus.txt')).arrayBuffer());
      globalThis.b64 = (u8) => {
        let s = '';
        for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000));
        return btoa(s);
      };
    });
    return await fn(page);
  } finally {
    await site.close();
  }
}

test('64 MiB of text: parallel gzip round-trips through Node, size within 2%, speed-up printed', async (t) => {
  const files = gzipBenchFiles(ROOT);
  await onPage(files, { isolated: true, corpus: false }, async (page) => {
    const res = await gzipBenchmark(page, { threads: 2 });
    assert.ok(res.parallel, res.reason);
    assert.equal(res.parallel.poolSize, 2);
    assert.equal(res.inputBytes, files['corpus.txt'].length);
    assert.ok(zlib.gunzipSync(res.parallel.gz).equals(files['corpus.txt']), 'parallel output inflates to the input');
    assert.ok(zlib.gunzipSync(res.single.gz).equals(files['corpus.txt']), 'single-threaded output inflates');
    const sizeRatio = res.parallel.size / res.single.size;
    assert.ok(Math.abs(sizeRatio - 1) <= 0.02, `parallel ${res.parallel.size} B vs single ${res.single.size} B`);
    const line =
      `parallel gzip, 64 MiB text, 2 threads: ${res.parallel.ms.toFixed(0)} ms vs single-threaded build ` +
      `${res.single.ms.toFixed(0)} ms: ${res.ratio.toFixed(2)}x (size ${(sizeRatio * 100 - 100).toFixed(2)}%)`;
    t.diagnostic(line);
    console.log(line);
  });
});

test('without COOP/COEP: "threads unavailable"; {parallel: true} falls back to single-stream bytes', async (t) => {
  const text = textCorpus(ROOT, 6 * 1024 * 1024);
  const files = { 'corpus.txt': text, 'gzip-bench.js': gzipBenchFiles(ROOT, 1)['gzip-bench.js'] };
  await onPage(files, { isolated: false }, async (page) => {
    const res = await gzipBenchmark(page, { runs: 1 });
    assert.equal(res.parallel, null);
    assert.match(res.reason, /^threads unavailable/);
    t.diagnostic(`speed-up check: ${res.reason}`);
    console.log(`speed-up check: ${res.reason}`);
    const same = await page.evaluate(() => {
      const a = zlib.gzipSync(input, { parallel: true });
      const b = zlib.gzipSync(input);
      return a.equals(b) && zlib.gunzipSync(a).equals(new Uint8Array(input));
    });
    assert.equal(same, true);
  });
});

test('companion page: the public API compresses large inputs in parallel, and they inflate with Node', async () => {
  const text = textCorpus(ROOT, 6 * 1024 * 1024);
  const got = await onPage({ 'corpus.txt': text }, { isolated: true }, (page) =>
    page.evaluate(async () => {
      const small = input.subarray(0, 100000);
      const abc = new TextEncoder().encode('abc');
      const viaCallback = await new Promise((resolve, reject) =>
        zlib.deflate(input, { level: 4 }, (err, out) => (err ? reject(err) : resolve(out))),
      );
      return {
        auto: b64(zlib.gzipSync(input)),
        single: b64(zlib.gzipSync(input, { parallel: false })),
        forcedSmall: b64(zlib.deflateSync(small, { parallel: true, level: 9, strategy: 1 })),
        viaCallback: b64(viaCallback),
        dictionary: b64(zlib.deflateSync(small, { parallel: true, dictionary: abc })),
        dictionarySingle: b64(zlib.deflateSync(small, { parallel: false, dictionary: abc })),
      };
    }),
  );
  const buf = (k) => Buffer.from(got[k], 'base64');
  assert.ok(zlib.gunzipSync(buf('auto')).equals(text));
  assert.ok(!buf('auto').equals(buf('single')), 'a 6 MiB gzipSync took the parallel path');
  assert.ok(buf('auto').length <= buf('single').length * 1.02);
  assert.ok(zlib.inflateSync(buf('forcedSmall')).equals(text.subarray(0, 100000)));
  assert.ok(zlib.inflateSync(buf('viaCallback')).equals(text));
  // A dictionary cannot be split: the single-stream path's bytes, which Node inflates with it.
  assert.ok(buf('dictionary').equals(buf('dictionarySingle')));
  assert.ok(zlib.inflateSync(buf('dictionary'), { dictionary: Buffer.from('abc') }).equals(text.subarray(0, 100000)));
});

test("companion page: a timer keeps firing while a large async gzip runs; errors keep Node's shape", async () => {
  const text = textCorpus(ROOT, 16 * 1024 * 1024);
  const got = await onPage({ 'corpus.txt': text }, { isolated: true }, (page) =>
    page.evaluate(async () => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const t0 = performance.now();
      const out = await new Promise((resolve, reject) =>
        zlib.gzip(input, (err, res) => (err ? reject(err) : resolve(res))),
      );
      const ms = performance.now() - t0;
      clearInterval(timer);
      const garbage = new Uint8Array(300 * 1024).fill(7);
      const err = await new Promise((resolve) => zlib.gunzip(garbage, (e) => resolve(e)));
      return {
        ticks,
        ms,
        gz: b64(out),
        isBuffer: out.constructor.name,
        err: { name: err.name, code: err.code, errno: err.errno, message: err.message },
        inputIntact: input.byteLength,
      };
    }),
  );
  assert.ok(zlib.gunzipSync(Buffer.from(got.gz, 'base64')).equals(text));
  assert.equal(got.isBuffer, 'Buffer');
  assert.equal(got.inputIntact, text.length);
  // A blocked thread would not run its 5 ms interval at all during the call.
  assert.ok(got.ticks >= 3, `${got.ticks} timer ticks during a ${got.ms.toFixed(0)} ms gzip`);
  const nodeErr = await new Promise((resolve) => zlib.gunzip(Buffer.alloc(300 * 1024, 7), resolve));
  const { name, code, errno, message } = nodeErr;
  assert.deepEqual(got.err, { name, code, errno, message });
});
