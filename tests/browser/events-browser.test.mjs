// ferrode/events in real Chromium: scenarios run in the page and under Node's
// node:events must give the same traces; plus what only a browser has (no
// `process`: the warning goes to console.warn; DOM EventTargets; nextTick
// ordering on the browser's microtask queue).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as nodeEvents from 'node:events';
import { launchBrowser } from '../support/browser.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { PKG_DIR } from '../support/paths.mjs';

let browser;
let server;
let page;
let pageDir;

before(async () => {
  pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-events-page-'));
  const html = [
    '<!doctype html><meta charset="utf-8"><title>events</title>',
    '<script type="importmap">{"imports":{"#wasm":"/ferrode/js/internal/wasm-browser.js"}}</script>',
    '',
  ];
  fs.writeFileSync(path.join(pageDir, 'index.html'), html.join('\n'));
  server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': pageDir });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.evaluate(async () => {
    globalThis.ev = await import('/ferrode/js/events.js');
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (pageDir) fs.rmSync(pageDir, { recursive: true, force: true });
});

/** Runs `scenario(ev, log)` in the page and in Node (node:events); returns both traces. */
async function both(scenario) {
  const inPage = await page.evaluate(async (src) => {
    const trace = [];
    const log = (...xs) => trace.push(JSON.parse(JSON.stringify(xs)));
    // eslint-disable-next-line no-eval
    const fn = (0, eval)(`(${src})`);
    try {
      await fn(globalThis.ev, log);
    } catch (e) {
      trace.push(['uncaught', e.name, e.code, e.message]);
    }
    return trace;
  }, scenario.toString());
  const inNode = [];
  const log = (...xs) => inNode.push(JSON.parse(JSON.stringify(xs)));
  try {
    await scenario(nodeEvents, log);
  } catch (e) {
    inNode.push(['uncaught', e.name, e.code, e.message]);
  }
  return { inPage, inNode };
}

test('emitter scenarios agree with node:events in Chromium', async () => {
  const { inPage, inNode } = await both(async ({ EventEmitter, errorMonitor, once, on }, log) => {
    const e = new EventEmitter();
    e.on('newListener', (t) => log('newListener', String(t)));
    e.on('removeListener', (t) => log('removeListener', String(t)));
    function a(x) {
      log('a', x);
      e.removeListener('x', b);
      e.on('x', c);
    }
    function b(x) {
      log('b', x);
    }
    function c(x) {
      log('c', x);
    }
    e.on('x', a);
    e.once('x', b);
    log(e.emit('x', 1), e.emit('x', 2), e.listenerCount('x'));
    e.on(errorMonitor, (err) => log('monitor', err.message));
    try {
      e.emit('error', new Error('boom'));
    } catch (err) {
      log('thrown', err.message);
    }
    try {
      e.emit('error', { some: 'object' });
    } catch (err) {
      log('thrown', err.code, err.message);
    }
    try {
      e.on('y', 'not a function');
    } catch (err) {
      log('thrown', err.name, err.code, err.message);
    }
    class Sub extends EventEmitter {}
    const s = new Sub();
    setTimeout(() => s.emit('ready', 42), 1);
    log('once', await once(s, 'ready'));
    const ac = new AbortController();
    const p = once(s, 'never', { signal: ac.signal });
    ac.abort();
    try {
      await p;
    } catch (err) {
      log('aborted', err.name, err.code, err.message);
    }
    const it = on(s, 'tick');
    s.emit('tick', 1);
    s.emit('tick', 2);
    log('on', (await it.next()).value, (await it.next()).value);
    await it.return();
    log('left', s.eventNames());
    e.removeAllListeners();
    log(e.eventNames());
  });
  assert.deepEqual(inPage, inNode);
});

test('captureRejections and nextTick ordering on the browser microtask queue', async () => {
  const { inPage, inNode } = await both(async ({ EventEmitter }, log) => {
    const e = new EventEmitter({ captureRejections: true });
    e.on('error', (err) => log('error event', err.message));
    e.on('x', async () => {
      throw new Error('rejected');
    });
    e.emit('x');
    log('sync');
    await new Promise((r) => setTimeout(r, 5));
  });
  assert.deepEqual(inPage, inNode);
  const order = await page.evaluate(async () => {
    const { nextTick } = await import('/ferrode/js/internal/next-tick.js');
    const out = [];
    await new Promise((resolve) => {
      setTimeout(() => {
        nextTick(() => {
          out.push('t1');
          Promise.resolve().then(() => out.push('p1'));
          nextTick(() => out.push('t2'));
        });
        nextTick((a, b) => out.push(`t3 ${a}${b}`), 'x', 'y');
        setTimeout(resolve, 5);
      }, 0);
    });
    return out;
  });
  const nodeOrder = await new Promise((resolve) => {
    const out = [];
    setTimeout(() => {
      process.nextTick(() => {
        out.push('t1');
        Promise.resolve().then(() => out.push('p1'));
        process.nextTick(() => out.push('t2'));
      });
      process.nextTick((a, b) => out.push(`t3 ${a}${b}`), 'x', 'y');
      setTimeout(() => resolve(out), 5);
    }, 0);
  });
  assert.deepEqual(order, nodeOrder);
});

test("max-listeners warning without process: console.warn in Node's shape, once", async () => {
  const messages = [];
  const original = process.emitWarning;
  process.emitWarning = (w) => messages.push(`${w.name}: ${w.message}`);
  try {
    class Foo extends nodeEvents.EventEmitter {}
    const f = new Foo();
    for (let i = 0; i < 12; i++) f.on('leak', () => {});
  } finally {
    process.emitWarning = original;
  }
  const lines = await page.evaluate(() => {
    const seen = [];
    const warn = console.warn;
    console.warn = (...args) => seen.push(args.join(' '));
    try {
      class Foo extends globalThis.ev.EventEmitter {}
      const f = new Foo();
      for (let i = 0; i < 12; i++) f.on('leak', () => {});
    } finally {
      console.warn = warn;
    }
    return { seen, hasProcess: typeof process !== 'undefined' };
  });
  assert.equal(lines.hasProcess, false);
  assert.equal(messages.length, 1);
  assert.deepEqual(lines.seen, [`(node:1) ${messages[0]}`]);
});

test('getEventListeners on DOM EventTargets and AbortSignal', async () => {
  const result = await page.evaluate(() => {
    const { getEventListeners, setMaxListeners, getMaxListeners } = globalThis.ev;
    const el = document.createElement('div');
    const out = [];
    function a() {}
    function b() {
      out.push('b fired');
    }
    el.addEventListener('click', a);
    el.addEventListener('click', a);
    el.addEventListener('click', b, { once: true });
    out.push(getEventListeners(el, 'click').map((f) => f.name));
    el.click();
    out.push(getEventListeners(el, 'click').map((f) => f.name));
    el.removeEventListener('click', a);
    out.push(getEventListeners(el, 'click').length);
    const ac = new AbortController();
    ac.signal.addEventListener('abort', a);
    out.push(getEventListeners(ac.signal, 'abort').map((f) => f.name));
    setMaxListeners(5, ac.signal);
    out.push(getMaxListeners(ac.signal));
    // A bare call (no receiver) means the global object, as the platform's own methods do.
    const bare = globalThis.addEventListener;
    function onMessage() {}
    bare('ferrode-test', onMessage);
    out.push(getEventListeners(globalThis, 'ferrode-test').map((f) => f.name));
    globalThis.removeEventListener.call(undefined, 'ferrode-test', onMessage);
    out.push(getEventListeners(globalThis, 'ferrode-test').length);
    try {
      EventTarget.prototype.addEventListener.call({}, 'x', a);
    } catch (err) {
      out.push(err.name);
    }
    return out;
  });
  assert.deepEqual(result, [['a', 'b'], 'b fired', ['a'], 0, ['a'], 5, ['onMessage'], 0, 'TypeError']);
});
