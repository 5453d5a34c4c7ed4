// The nextTick queue (wasm/js/internal/next-tick.js) against process.nextTick,
// on the orderings it promises to match (see the file's header). Under Node the
// package uses Node's own queue; the browser's queue is the one tested here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { microtaskNextTick as nextTick, pendingTicks } from '../../wasm/js/internal/next-tick.js';

const impls = { node: process.nextTick, ferrode: nextTick };

/** Runs `scenario(tick, log)` at the start of a fresh macrotask and waits until it settles. */
function inMacrotask(scenario, tick) {
  return new Promise((resolve) => {
    setTimeout(() => {
      const trace = [];
      scenario(tick, (x) => trace.push(x));
      setTimeout(() => resolve(trace), 5);
    }, 0);
  });
}

async function same(scenario) {
  const node = await inMacrotask(scenario, impls.node);
  const ferrode = await inMacrotask(scenario, impls.ferrode);
  assert.deepEqual(ferrode, node);
  return node;
}

test('ticks run in order with their arguments, after sync code, before timers', async () => {
  const trace = await same((tick, log) => {
    setTimeout(() => log('timeout'), 0);
    tick(() => log('t1'));
    tick((a, b) => log(`t2 ${a} ${b}`), 'x', 2);
    tick((...args) => log(`t3 ${args.length}`));
    log('sync');
  });
  assert.deepEqual(trace, ['sync', 't1', 't2 x 2', 't3 0', 'timeout']);
});

test('every argument count reaches the callback as given (arguments.length too)', async () => {
  const trace = await same((tick, log) => {
    const show = (...args) => log(`${args.length}:${args.map(String).join(',')}`);
    tick(show);
    tick(show, undefined);
    tick(show, 1, undefined);
    tick(show, 1, 2, 3);
    tick(show, 1, 2, 3, 4);
    tick(show, 1, 2, 3, 4, 5, 6);
    tick(
      function () {
        log(`arguments ${arguments.length}`);
      },
      'a',
      'b',
    );
  });
  assert.equal(trace.length, 7);
  assert.equal(nextTick.length, process.nextTick.length);
});

test('ticks queued by ticks run before promise reactions queued by ticks', async () => {
  await same((tick, log) => {
    tick(() => {
      log('t1');
      Promise.resolve().then(() => log('p1'));
      queueMicrotask(() => log('m1'));
      tick(() => {
        log('t2');
        tick(() => log('t3'));
        Promise.resolve().then(() => log('p2'));
      });
    });
    tick(() => log('t1b'));
  });
});

test('nested chains: promise reaction queuing a tick queuing a promise', async () => {
  await same((tick, log) => {
    tick(() => {
      log('a');
      Promise.resolve()
        .then(() => log('b'))
        .then(() => log('c'));
    });
    tick(() => log('d'));
  });
});

test('argument validation matches process.nextTick', () => {
  for (const bad of [undefined, null, 1, 'f', {}]) {
    let expected;
    let actual;
    try {
      process.nextTick(bad);
    } catch (e) {
      expected = { name: e.name, code: e.code, message: e.message };
    }
    try {
      nextTick(bad);
    } catch (e) {
      actual = { name: e.name, code: e.code, message: e.message };
    }
    assert.deepEqual(actual, expected);
  }
  assert.equal(pendingTicks(), 0);
});

test('a throwing tick does not lose the ticks behind it', () => {
  const url = new URL('../../wasm/js/internal/next-tick.js', import.meta.url).href;
  const script = (tickExpr, importLine) => `
    ${importLine}
    const tick = ${tickExpr};
    const out = [];
    process.on('uncaughtException', (e) => out.push('uncaught ' + e.message));
    tick(() => out.push('t1'));
    tick(() => { throw new Error('boom'); });
    tick(() => out.push('t3'));
    tick(() => tick(() => out.push('t4')));
    // At exit every tick has run; a 10 ms timer could fire first on a loaded
    // machine, since Node resumes the ticks behind a throw only after the next
    // callback from the event loop.
    process.on('exit', () => console.log(JSON.stringify(out)));
  `;
  const run = (src) =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8' }));
  const node = run(script('process.nextTick', ''));
  const ferrode = run(script('nextTick', `import { microtaskNextTick as nextTick } from ${JSON.stringify(url)};`));
  assert.deepEqual(ferrode, node);
});
