// The first module of every ferrode Worker (a module Web Worker). It waits
// for the parent's `init` (thread id, workerData, environment data, the
// script) and `modules` (the package rewritten for workers, see modules.js)
// messages, picks the same wasm build as the parent, loads worker_threads
// from that map (so user code and this file share one instance), then runs
// the user's script: CommonJS with a synchronous `require`, or ESM with its
// imports rewritten. It reports 'online', uncaught errors and the exit code.
//
// Only pure helpers are imported statically here: anything with state must
// come from the rewritten map, or the user's code would see another copy.
import { rewriteModule, builtinName } from './modules.js';
import { serializeError } from './serdes.js';

const THREAD = Symbol.for('ferrode.worker_threads.thread');
const early = [];
let init = null;
let moduleMap = null;
let started = false;
let exiting = false;
const record = { early, receiveFromParent: null, internals: null };

function exit(code) {
  if (exiting) return;
  exiting = true;
  globalThis.postMessage({ t: 'exit', code });
  globalThis.close();
}

function fail(err) {
  if (exiting) return;
  let desc;
  try {
    desc = serializeError(err);
  } catch {
    desc = { error: false, value: String(err) };
  }
  globalThis.postMessage({ t: 'error', error: desc });
  exit(1);
}

globalThis.addEventListener('error', (ev) => {
  ev.preventDefault();
  fail(ev.error ?? new Error(ev.message));
});
globalThis.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
  fail(ev.reason);
});

globalThis.onmessage = (ev) => {
  const d = ev.data;
  if (d === null || typeof d !== 'object' || exiting) return;
  if (d.t === 'm') {
    if (record.receiveFromParent) {
      record.receiveFromParent(ev);
      record.internals?.poke();
    } else {
      early.push(ev);
    }
    return;
  }
  if (d.t === 'init') {
    init = d;
    record.initPorts = [...(ev.ports ?? [])];
  } else if (d.t === 'modules') moduleMap = d.map;
  if (init !== null && moduleMap !== null && !started) {
    started = true;
    start().catch(fail);
  }
};

function notFound(what) {
  const err = new Error(`Cannot find module '${what}'`);
  err.code = 'MODULE_NOT_FOUND';
  return err;
}

// Timers are what most workers wait on: count them for the idle check.
function trackTimers(internals) {
  const nativeSetTimeout = globalThis.setTimeout;
  const nativeSetInterval = globalThis.setInterval;
  const nativeClear = globalThis.clearTimeout;
  const live = new Map();
  const settle = (id) => {
    const token = live.get(id);
    if (token === undefined) return;
    live.delete(id);
    internals.letGo(token);
  };
  const wrap = (fn, args) => (typeof fn === 'function' ? () => fn(...args) : () => (0, eval)(String(fn)));
  // A timer keeps the worker alive until it is cleared; a timeout also lets go when it fires.
  const timer = (native, once) =>
    function (fn, ms, ...args) {
      const run = wrap(fn, args);
      const token = {};
      const id = native.call(
        globalThis,
        () => {
          if (once) settle(id);
          try {
            run();
          } finally {
            internals.poke();
          }
        },
        ms,
      );
      live.set(id, token);
      internals.keepAlive(token);
      return id;
    };
  globalThis.setTimeout = Object.defineProperty(timer(nativeSetTimeout, true), 'name', { value: 'setTimeout' });
  globalThis.setInterval = Object.defineProperty(timer(nativeSetInterval, false), 'name', { value: 'setInterval' });
  const clear = function clearTimer(id) {
    nativeClear.call(globalThis, id);
    settle(id);
    internals.poke();
  };
  globalThis.clearTimeout = clear;
  globalThis.clearInterval = clear;
}

function looksLikeScript(source) {
  try {
    // eslint-disable-next-line no-new-func
    new Function('require', 'module', 'exports', '__filename', '__dirname', source);
    return true;
  } catch (e) {
    if (e instanceof SyntaxError) return false;
    throw e;
  }
}

const REQUIRE = /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

async function fetchSource(url) {
  let res;
  try {
    res = await fetch(url);
  } catch {
    return null;
  }
  return res.ok ? res.text() : null;
}

// CommonJS: fetch every file reachable through literal require() calls and
// load every builtin they name first, so that require() can be synchronous.
async function runCommonJS(mainURL, mainSource) {
  const sources = new Map([[mainURL, mainSource]]);
  const builtins = new Map();
  const resolved = new Map();
  const visit = async (url, source) => {
    for (const m of source.matchAll(REQUIRE)) {
      const spec = m[2];
      const name = builtinName(spec);
      if (name) {
        if (!builtins.has(name)) builtins.set(name, await import(moduleMap[name]));
        continue;
      }
      if (spec === 'ferrode') {
        if (!builtins.has(spec)) builtins.set(spec, await import(moduleMap.ferrode));
        continue;
      }
      if (!/^\.\.?\/|^\//.test(spec)) continue;
      const key = `${url}\n${spec}`;
      for (const candidate of [new URL(spec, url).href, new URL(`${spec}.js`, url).href]) {
        if (sources.has(candidate)) {
          resolved.set(key, candidate);
          break;
        }
        const text = await fetchSource(candidate);
        if (text !== null) {
          sources.set(candidate, text);
          resolved.set(key, candidate);
          await visit(candidate, text);
          break;
        }
      }
    }
  };
  await visit(mainURL, mainSource);
  const cache = new Map();
  const load = (url) => {
    if (cache.has(url)) return cache.get(url).exports;
    const module = { exports: {}, id: url, filename: url, loaded: false };
    cache.set(url, module);
    const filename = url.startsWith('blob:') || url.endsWith('#eval') ? '[worker eval]' : new URL(url).pathname;
    const dirname = filename === '[worker eval]' ? '.' : filename.replace(/\/[^/]*$/, '') || '/';
    // eslint-disable-next-line no-new-func
    const fn = new Function('require', 'module', 'exports', '__filename', '__dirname', sources.get(url));
    fn.call(module.exports, makeRequire(url), module, module.exports, filename, dirname);
    module.loaded = true;
    return module.exports;
  };
  const makeRequire = (from) => (spec) => {
    const name = builtinName(spec) ?? (spec === 'ferrode' ? spec : null);
    if (name) {
      const ns = builtins.get(name);
      if (!ns) throw notFound(spec);
      return ns.default ?? ns;
    }
    const url = resolved.get(`${from}\n${spec}`);
    if (!url) throw notFound(spec);
    if (url.endsWith('.json')) return JSON.parse(sources.get(url));
    return load(url);
  };
  load(mainURL);
}

async function runModule(url, source) {
  const resolveBare = (spec) => {
    if (spec === 'ferrode') return moduleMap.ferrode;
    const name = builtinName(spec);
    return name ? moduleMap[name] : null;
  };
  const follow = (target) => target.startsWith(globalThis.location.origin) && /\.m?js$/.test(new URL(target).pathname);
  const cache = new Map();
  const blob = await rewriteModule(url, { resolveBare, follow, cache, source });
  await import(blob);
}

async function start() {
  record.threadId = init.threadId;
  record.workerData = init.workerData;
  record.environmentData = init.environmentData;
  record.moduleMap = moduleMap;
  record.idCounter = init.idCounter;
  record.baseURL = init.baseURL;
  globalThis[THREAD] = record;
  // The same build as the parent: its choice, and its pool size.
  if (init.build?.threaded === false) globalThis.__FERRODE_THREADS__ = false;
  if (Number.isInteger(init.build?.poolSize) && init.build.poolSize > 0) {
    globalThis.__FERRODE_POOL_SIZE__ = init.build.poolSize;
  }
  await import(moduleMap.worker_threads);
  const internals = record.internals;
  trackTimers(internals);
  internals.onIdle(() => exit(0));
  globalThis.postMessage({ t: 'online' });

  let url = init.url;
  let source = init.source;
  if (source === null) {
    source = await fetchSource(url);
    if (source === null) throw notFound(url);
  } else {
    url = new URL('__worker_eval__.js#eval', init.baseURL).href;
  }
  const esm = url.endsWith('.mjs') || !looksLikeScript(source);
  if (esm) await runModule(url, source);
  else await runCommonJS(url, source);
  internals.poke();
}
