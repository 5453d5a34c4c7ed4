// The static helpers of ferrode/events (once, on, getEventListeners,
// get/setMaxListeners, addAbortListener, listenerCount) against node:events.
// Scenarios that touch the platform's EventTarget run Node's side in a fresh
// Node process: ferrode/events tracks EventTarget listeners by wrapping
// EventTarget.prototype methods, and that must not leak into the oracle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as nodeEvents from 'node:events';
import * as ferrodeEvents from 'ferrode/events';

const impls = { node: nodeEvents, ferrode: ferrodeEvents };

// Scenario helpers, passed by source into the pristine child process as well.
const helpers = `
const errShape = (e) => e instanceof Error
  ? { name: e.name, code: e.code, message: e.message, cause: e.cause === undefined ? undefined : String(e.cause) }
  : { thrown: String(e) };
const tick = () => new Promise((r) => setTimeout(r, 2));
async function settle(log, label, p) {
  try { log(label, 'resolved', await p); } catch (e) { log(label, 'rejected', errShape(e)); }
}
function attempt(log, label, fn) {
  try { log(label, 'ok', fn()); } catch (e) { log(label, 'threw', errShape(e)); }
}
`;
// eslint-disable-next-line no-new-func
const { errShape, tick, settle, attempt } = new Function(`${helpers}; return { errShape, tick, settle, attempt };`)();

async function runIn(ev, scenario) {
  const trace = [];
  const log = (...xs) => trace.push(JSON.parse(JSON.stringify(xs, (_k, v) => (v === undefined ? '<undefined>' : v))));
  try {
    await scenario(ev, log, { errShape, tick, settle, attempt });
  } catch (e) {
    trace.push(['uncaught', errShape(e)]);
  }
  return trace;
}

/** Both implementations in this process. */
async function same(scenario) {
  const node = await runIn(nodeEvents, scenario);
  const ferrode = await runIn(ferrodeEvents, scenario);
  assert.deepEqual(ferrode, node);
  return node;
}

/** Node's side in a fresh process that never loaded ferrode. */
async function samePristine(scenario) {
  const src = `
    ${helpers}
    const ev = await import('node:events');
    const trace = [];
    const log = (...xs) => trace.push(JSON.parse(JSON.stringify(xs, (_k, v) => (v === undefined ? '<undefined>' : v))));
    try { await (${scenario.toString()})(ev, log, { errShape, tick, settle, attempt }); }
    catch (e) { trace.push(['uncaught', errShape(e)]); }
    process.stdout.write(JSON.stringify(trace));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8' });
  const node = JSON.parse(out);
  const ferrode = await runIn(ferrodeEvents, scenario);
  assert.deepEqual(ferrode, node);
  return node;
}

test('once(): resolves with the arguments and cleans up', async () => {
  await same(async ({ EventEmitter, once }, log, { settle }) => {
    const e = new EventEmitter();
    const p = once(e, 'x');
    log('listeners while waiting', e.listenerCount('x'), e.listenerCount('error'));
    e.emit('x', 1, 'two');
    await settle(log, 'x', p);
    log('after', e.listenerCount('x'), e.listenerCount('error'));
    const q = once(e, 'y');
    e.emit('error', new Error('bad'));
    await settle(log, 'error', q);
    log('after', e.listenerCount('y'), e.listenerCount('error'));
    const r = once(e, 'error');
    log('error listeners', e.listenerCount('error'));
    e.emit('error', new Error('as value'));
    await settle(
      log,
      'once error',
      r.then(([err]) => err.message),
    );
    const s = once(e, 'z');
    e.emit('z');
    await settle(log, 'no args', s);
  });
});

test('once(): abort signals and validation', async () => {
  await same(async ({ EventEmitter, once }, log, { settle }) => {
    const e = new EventEmitter();
    const ac = new AbortController();
    ac.abort('early');
    await settle(log, 'pre-aborted', once(e, 'x', { signal: ac.signal }));
    log(e.listenerCount('x'));
    const ac2 = new AbortController();
    const p = once(e, 'x', { signal: ac2.signal });
    ac2.abort(new Error('late'));
    await settle(log, 'aborted while waiting', p);
    log(e.listenerCount('x'), e.listenerCount('error'));
    const ac3 = new AbortController();
    const q = once(e, 'x', { signal: ac3.signal });
    e.emit('x', 5);
    await settle(log, 'before abort', q);
    ac3.abort();
    for (const bad of [1, 'x', {}, null]) await settle(log, `signal ${String(bad)}`, once(e, 'x', { signal: bad }));
    await settle(log, 'not an emitter', once({}, 'x'));
    const r = once(e, 'y', 'options ignored');
    e.emit('y', 1);
    await settle(log, 'string options', r);
  });
});

test('on(): async iteration, error, abort, close, return()', async () => {
  await same(async ({ EventEmitter, on }, log, { settle, attempt, errShape }) => {
    const e = new EventEmitter();
    const it = on(e, 'data');
    log('listeners', e.listenerCount('data'), e.listenerCount('error'));
    e.emit('data', 1);
    e.emit('data', 2, 3);
    const seen = [];
    for await (const args of it) {
      seen.push(args);
      if (seen.length === 1) e.emit('data', 4);
      if (seen.length === 3) break;
    }
    log('seen', seen, e.listenerCount('data'), e.listenerCount('error'));
    // Errors reject the pending next() and end the iteration.
    const it2 = on(e, 'data');
    const pending = it2.next();
    e.emit('error', new Error('boom'));
    await settle(log, 'pending', pending);
    await settle(log, 'after error', it2.next());
    // An error while nobody waits is kept for the next next().
    const it3 = on(e, 'data');
    e.emit('data', 'x');
    e.emit('error', new Error('later'));
    await settle(log, 'queued value', it3.next());
    await settle(log, 'queued error', it3.next());
    await settle(log, 'then done', it3.next());
    // Abort.
    const ac = new AbortController();
    const it4 = on(e, 'data', { signal: ac.signal });
    const p4 = it4.next();
    ac.abort('stop');
    await settle(log, 'abort', p4);
    const ac5 = new AbortController();
    ac5.abort();
    attempt(log, 'pre-aborted', () => on(e, 'data', { signal: ac5.signal }));
    // close option.
    const it6 = on(e, 'data', { close: ['end', 'finish'] });
    e.emit('data', 'a');
    e.emit('end');
    e.emit('data', 'b');
    await settle(log, 'close 1', it6.next());
    await settle(log, 'close 2', it6.next());
    log('after close', e.listenerCount('data'), e.listenerCount('end'), e.listenerCount('finish'));
    // return() and throw().
    const it7 = on(e, 'data');
    await settle(log, 'return', it7.return());
    await settle(log, 'next after return', it7.next());
    const it8 = on(e, 'data');
    attempt(log, 'throw non-error', () => it8.throw('nope'));
    const p8 = it8.next();
    try {
      it8.throw(new Error('thrown in'));
    } catch (err) {
      log('throw threw', errShape(err));
    }
    await settle(log, 'after throw', p8);
    for (const opts of [{ highWaterMark: 0 }, { lowWaterMark: 'x' }, { signal: 1 }, { highWaterMark: 1.5 }]) {
      attempt(log, `opts ${JSON.stringify(opts)}`, () => on(e, 'data', opts));
    }
    attempt(log, 'null options', () => on(e, 'data', null));
    attempt(log, 'not an emitter', () => on({}, 'data'));
    log('left', e.eventNames());
  });
});

test('on(): highWaterMark pauses and lowWaterMark resumes the emitter', async () => {
  await same(async ({ EventEmitter, on }, log) => {
    const e = new EventEmitter();
    e.pause = () => log('pause');
    e.resume = () => log('resume');
    const it = on(e, 'data', { highWaterMark: 2, lowWaterMark: 1 });
    for (let i = 0; i < 4; i++) {
      log('emit', i);
      e.emit('data', i);
    }
    for (let i = 0; i < 4; i++) log('next', await it.next());
    await it.return();
  });
});

test('getEventListeners, get/setMaxListeners, listenerCount on EventEmitters', async () => {
  await same(async (ev, log, { attempt }) => {
    const { EventEmitter, getEventListeners, getMaxListeners, setMaxListeners, listenerCount } = ev;
    const e = new EventEmitter();
    function a() {}
    function b() {}
    e.on('x', a);
    e.once('x', b);
    log(
      getEventListeners(e, 'x').map((f) => f.name),
      getEventListeners(e, 'y'),
      listenerCount(e, 'x'),
    );
    log(getMaxListeners(e));
    setMaxListeners(3, e);
    log(getMaxListeners(e), e.getMaxListeners());
    for (const bad of [{}, null, undefined, 1, 'x']) {
      attempt(log, `getEventListeners ${String(bad)}`, () => getEventListeners(bad, 'x'));
      attempt(log, `getMaxListeners ${String(bad)}`, () => getMaxListeners(bad));
      attempt(log, `setMaxListeners ${String(bad)}`, () => setMaxListeners(1, bad));
      attempt(log, `listenerCount ${String(bad)}`, () => listenerCount(bad, 'x'));
    }
  });
});

test('getEventListeners / setMaxListeners on EventTarget and AbortSignal', async () => {
  await samePristine(async (ev, log, { attempt }) => {
    const { getEventListeners, getMaxListeners, setMaxListeners, once } = ev;
    const t = new EventTarget();
    const names = (type) => getEventListeners(t, type).map((f) => f.name || typeof f);
    function a() {
      log('a ran');
    }
    function b() {
      log('b ran');
    }
    function c() {
      log('c ran');
    }
    const obj = { handleEvent() {} };
    t.addEventListener('foo', a);
    t.addEventListener('foo', a); // duplicate: ignored
    t.addEventListener('foo', b, { once: true });
    t.addEventListener('foo', c, true);
    t.addEventListener('foo', obj);
    log('before', names('foo'));
    t.dispatchEvent(new Event('foo'));
    log('after dispatch', names('foo'));
    t.removeEventListener('foo', c); // wrong capture: stays
    log('wrong capture', names('foo'));
    t.removeEventListener('foo', c, { capture: true });
    t.removeEventListener('foo', a);
    log('removed', names('foo'));
    t.addEventListener('foo', b, { once: true });
    t.removeEventListener('foo', b);
    t.dispatchEvent(new Event('foo'));
    log('once removed before firing', names('foo'));
    const ac = new AbortController();
    t.addEventListener('bar', a, { signal: ac.signal });
    log('with signal', names('bar'), getEventListeners(ac.signal, 'abort').length);
    ac.abort();
    log('after abort', names('bar'));
    const sig = new AbortController().signal;
    const p = once(t, 'baz');
    log('once() on target', names('baz').length);
    t.dispatchEvent(new Event('baz'));
    const [event] = await p;
    log('event', event.type, names('baz').length);
    log('max', getMaxListeners(t));
    setMaxListeners(3, t, sig);
    log('max', getMaxListeners(t), getMaxListeners(sig));
    attempt(log, 'bad target', () => setMaxListeners(3, t, {}));
    attempt(log, 'bad getMax', () => getMaxListeners({}));
  });
});

test('addAbortListener', async () => {
  await same(async ({ addAbortListener }, log, { attempt, tick }) => {
    const ac = new AbortController();
    const d = addAbortListener(ac.signal, (e) => log('abort listener', e.type));
    log('disposable', typeof d[Symbol.dispose], Object.getPrototypeOf(d));
    ac.abort();
    const ac2 = new AbortController();
    const d2 = addAbortListener(ac2.signal, () => log('never'));
    d2[Symbol.dispose]();
    ac2.abort();
    const ac3 = new AbortController();
    ac3.abort();
    addAbortListener(ac3.signal, (...args) => log('pre-aborted', args.length));
    log('sync after pre-aborted');
    await tick();
    attempt(log, 'undefined signal', () => addAbortListener(undefined, () => {}));
    attempt(log, 'object signal', () => addAbortListener({}, () => {}));
    attempt(log, 'bad listener', () => addAbortListener(new AbortController().signal, 'x'));
  });
});
