// ferrode/stream in real Chromium: scenarios run in the page (ferrode/stream)
// and in Node (node:stream) must give the same traces: event order, values,
// errors, pipeline with a failing stage, async iteration, operators,
// Readable.from, setEncoding over split characters, web stream adapters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as nodeStream from 'node:stream';
import * as nodeStreamPromises from 'node:stream/promises';
import { launchBrowser } from '../support/browser.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { PKG_DIR } from '../support/paths.mjs';

let browser;
let server;
let page;
let pageDir;

before(async () => {
  pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-stream-page-'));
  fs.writeFileSync(
    path.join(pageDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>stream</title>\n' +
      '<script type="importmap">{ "imports": { "#wasm": "/ferrode/js/internal/wasm-browser.js" } }</script>\n',
  );
  server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': pageDir });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.evaluate(async () => {
    globalThis.st = {
      ...(await import('/ferrode/js/stream.js')),
      promises: await import('/ferrode/js/stream/promises.js'),
      Buffer: (await import('/ferrode/js/buffer.js')).Buffer,
    };
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (pageDir) fs.rmSync(pageDir, { recursive: true, force: true });
});

// Runs in both places: values are logged as JSON-safe forms.
const helpers = `
  const show = (v) => v instanceof Error ? { name: v.name, code: v.code, message: v.message }
    : v instanceof Uint8Array ? { hex: Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') }
    : v === undefined ? 'undefined' : v;
`;

async function both(scenario) {
  const src = `(async (S, log) => { ${helpers} await (${scenario.toString()})(S, (...xs) => log(...xs.map(show))); })`;
  const inPage = await page.evaluate(async (code) => {
    const trace = [];
    const log = (...xs) => trace.push(JSON.parse(JSON.stringify(xs)));
    // eslint-disable-next-line no-eval
    const fn = (0, eval)(code);
    try {
      await fn(globalThis.st, log);
      await new Promise((res) => setTimeout(res, 20));
    } catch (e) {
      trace.push(['uncaught', e.name, e.code, e.message]);
    }
    return trace;
  }, src);
  const inNode = [];
  const log = (...xs) => inNode.push(JSON.parse(JSON.stringify(xs)));
  // eslint-disable-next-line no-eval
  const fn = (0, eval)(src);
  try {
    await fn({ ...nodeStream, promises: nodeStreamPromises, Buffer }, log);
    await new Promise((res) => setTimeout(res, 20));
  } catch (e) {
    inNode.push(['uncaught', e.name, e.code, e.message]);
  }
  return { inPage, inNode };
}

async function agree(scenario) {
  const { inPage, inNode } = await both(scenario);
  assert.ok(inNode.length > 0);
  assert.deepEqual(inPage, inNode);
}

test('Readable/Writable event order, backpressure with highWaterMark 1, errors after end', () =>
  agree(async ({ Readable, Writable }, log) => {
    const w = new Writable({
      highWaterMark: 1,
      write(c, e, cb) {
        log('write', c);
        setTimeout(cb, 1);
      },
    });
    for (const ev of ['drain', 'finish', 'close', 'error']) w.on(ev, (x) => log(ev, x));
    log('ret', w.write('a'), w.writableNeedDrain);
    await new Promise((res) => w.once('drain', res));
    w.end('b');
    await new Promise((res) => w.on('close', res));
    log(
      'late',
      w.write('c', (err) => log('cb', err)),
    );
    const r = new Readable({ read() {} });
    for (const ev of ['data', 'end', 'close']) r.on(ev, (x) => log('r', ev, x));
    r.push('x');
    r.push(null);
    log('sync');
    await new Promise((res) => r.on('close', res));
  }));

test('pipeline with a failing middle stream, and a generator pipeline via stream/promises', () =>
  agree(async ({ Readable, Transform, Writable, pipeline, promises }, log) => {
    await new Promise((resolve) => {
      pipeline(
        Readable.from(['a', 'b', 'c']),
        new Transform({
          transform(c, e, cb) {
            cb(String(c) === 'b' ? new Error('middle') : null, c);
          },
        }),
        new Writable({
          write(c, e, cb) {
            log('got', String(c));
            cb();
          },
        }),
        (err) => {
          log('done', err);
          resolve();
        },
      );
    });
    const out = await promises.pipeline(
      Readable.from([1, 2, 3]),
      async function* (src) {
        for await (const n of src) yield n * 2;
      },
      async (src) => {
        let sum = 0;
        for await (const n of src) sum += n;
        return sum;
      },
    );
    log('sum', out);
  }));

test('async iteration, operators, Readable.from with a string and a Buffer', () =>
  agree(async ({ Readable, Buffer }, log) => {
    for await (const c of Readable.from('hello streams')) log('from string', c);
    for await (const c of Readable.from(Buffer.from('buf'))) log('from buffer', c);
    log(
      await Readable.from([1, 2, 3, 4])
        .filter((x) => x % 2)
        .map(async (x) => x * 10, { concurrency: 2 })
        .toArray(),
    );
    log(await Readable.from([1, 2, 3]).reduce((a, b) => a + b, 0), await Readable.from([5, 6]).some((x) => x > 5));
    log(await Readable.from([1, 2, 3, 4]).drop(1).take(2).toArray());
  }));

test('setEncoding with split multi-byte characters; objectMode falsy values', () =>
  agree(async ({ Readable, Buffer }, log) => {
    const bytes = Buffer.from('€uro 😀', 'utf8');
    const r = new Readable({ read() {} });
    r.setEncoding('utf8');
    for (let i = 0; i < bytes.length; i++) r.push(bytes.subarray(i, i + 1));
    r.push(null);
    let s = '';
    for await (const c of r) s += c;
    log(s);
    const o = new Readable({ objectMode: true, read() {} });
    for (const v of [0, false, '']) o.push(v);
    o.push(null);
    log(await o.toArray());
  }));

test('web streams: Readable.toWeb / fromWeb', () =>
  agree(async ({ Readable }, log) => {
    const reader = Readable.toWeb(Readable.from(['a', 'b'])).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      log('web', value);
    }
    const r = Readable.fromWeb(
      new ReadableStream({
        start(c) {
          c.enqueue('x');
          c.close();
        },
      }),
      { objectMode: true },
    );
    log(await r.toArray());
  }));
