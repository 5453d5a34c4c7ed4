// worker_threads scenarios run unchanged under Node (node:worker_threads) and
// in Chromium (ferrode/worker_threads): each `run` receives { wt, file, watch }
// and resolves with a log of what happened (events, messages, errors, exit
// codes) that the tests compare between the two. `run` functions are shipped
// to the page as source text, so they use nothing from their closure.
//
// `file(name)` is the URL of a scenario file; `watch(worker, log)` records a
// Worker's events until 'exit' and resolves with the exit code.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nodeThreads from 'node:worker_threads';

/** Runs one scenario with `wt` in a fresh folder of its files; resolves with its normalised log. */
export async function runScenarioInNode(scenario, wt = nodeThreads) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-threads-node-'));
  try {
    for (const [name, text] of Object.entries(scenario.files)) fs.writeFileSync(path.join(dir, name), text);
    const file = (name) => pathToFileURL(path.join(dir, name));
    const log = await scenario.run({ wt, file, watch: makeWatch() });
    return makeNormalize()(log);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The helper shipped with every scenario (as text to the page). */
export function makeWatch() {
  const describe = (e) => {
    if (e instanceof Error) {
      const out = { isError: true, ctor: e.constructor.name, name: e.name, message: e.message };
      for (const k of Object.keys(e)) out[k] = e[k];
      return out;
    }
    return { isError: false, type: typeof e, value: e };
  };
  // Node sends 'online' on another channel than messages, so its place among
  // them varies from run to run: whether it came is recorded at 'exit'.
  return (worker, log) =>
    new Promise((resolve) => {
      let online = false;
      worker.on('online', () => {
        online = true;
      });
      worker.on('message', (m) => log.push(['message', m]));
      worker.on('messageerror', (e) => log.push(['messageerror', describe(e)]));
      worker.on('error', (e) => log.push(['error', describe(e)]));
      worker.on('exit', (code) => {
        log.push(['online', online], ['exit', code]);
        resolve(code);
      });
    });
}

/** Makes logs comparable across the page boundary (Maps, undefined, ports). */
export function makeNormalize() {
  const norm = (v) => {
    if (v === undefined) return { $: 'undefined' };
    if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? { $: 'bigint', v: String(v) } : v;
    if (v instanceof Map) return { $: 'Map', v: [...v].map(norm) };
    if (v instanceof Set) return { $: 'Set', v: [...v].map(norm) };
    if (Array.isArray(v)) return v.map(norm);
    if (ArrayBuffer.isView(v)) return { $: v.constructor.name, v: Array.from(v) };
    const out = {};
    for (const k of Object.keys(v)) out[k] = norm(v[k]);
    return out;
  };
  return norm;
}

/** Scenario list: { name, files, run, needsSharedMemory? }. */
export const scenarios = [
  {
    name: 'seed 000: runService prints hello worker (CommonJS)',
    files: {
      'service.js':
        "const { parentPort, workerData } = require('worker_threads');\n" +
        'parentPort.postMessage(`${workerData} worker`);\n',
    },
    run: async ({ wt, file, watch }) => {
      const log = [];
      await watch(new wt.Worker(file('service.js'), { workerData: 'hello' }), log);
      return log;
    },
  },
  {
    name: 'ESM worker: workerData object, isMainThread, threadId agree',
    files: {
      'esm.mjs':
        "import { parentPort, workerData, isMainThread, threadId } from 'worker_threads';\n" +
        'parentPort.postMessage({ sum: workerData.a + workerData.b, isMainThread, threadId });\n',
    },
    run: async ({ wt, file, watch }) => {
      const raw = [];
      const w = new wt.Worker(file('esm.mjs'), { workerData: { a: 2, b: 40 } });
      const id = w.threadId;
      await watch(w, raw);
      // Ids differ between runs; what must hold is that both sides agree.
      const log = raw.map((e) => (e[0] === 'message' ? ['message', { ...e[1], threadId: e[1].threadId === id }] : e));
      log.push(['threadId after exit', w.threadId], ['main', wt.isMainThread, wt.threadId, wt.parentPort]);
      log.push(['id type', typeof id, id > 0]);
      return log;
    },
  },
  {
    name: 'echo over parentPort until the worker closes its port',
    files: {
      'echo.js':
        "const { parentPort } = require('worker_threads');\n" +
        "parentPort.on('message', (m) => {\n" +
        "  if (m === 'stop') { parentPort.close(); return; }\n" +
        '  parentPort.postMessage({ echo: m });\n' +
        '});\n',
    },
    run: async ({ wt, file, watch }) => {
      const log = [];
      const w = new wt.Worker(file('echo.js'));
      const exited = watch(w, log);
      w.postMessage(1);
      w.postMessage({ deep: [1, 'two', { three: 3 }] });
      w.postMessage(new Map([['k', 'v']]));
      w.postMessage('stop');
      await exited;
      return log;
    },
  },
  {
    name: 'a throwing worker: error (TypeError, own properties) then exit 1',
    files: {},
    run: async ({ wt, watch }) => {
      const log = [];
      await watch(
        new wt.Worker("const e = new TypeError('boom');\ne.code = 'E_BOOM';\ne.extra = { n: 1 };\nthrow e;", {
          eval: true,
        }),
        log,
      );
      return log;
    },
  },
  {
    name: 'thrown non-errors and a custom error class',
    files: {},
    run: async ({ wt, watch }) => {
      const log = [];
      await watch(new wt.Worker("throw 'a string'", { eval: true }), log);
      await watch(new wt.Worker('throw { a: 1 }', { eval: true }), log);
      await watch(
        new wt.Worker(
          "class MyErr extends Error { constructor(m) { super(m); this.name = 'MyErr'; } }\n" +
            "throw new MyErr('mine');",
          { eval: true },
        ),
        log,
      );
      return log;
    },
  },
  {
    name: 'unhandled rejection and a late throw from a timer',
    files: {},
    run: async ({ wt, watch }) => {
      const log = [];
      await watch(new wt.Worker("Promise.reject(new RangeError('rejected'))", { eval: true }), log);
      await watch(
        new wt.Worker(
          "const { parentPort } = require('worker_threads');\n" +
            "parentPort.postMessage('before');\nsetTimeout(() => { throw new Error('late'); }, 20);",
          { eval: true },
        ),
        log,
      );
      return log;
    },
  },
  {
    name: 'terminate() resolves the exit code (1), then undefined',
    files: {},
    run: async ({ wt, watch }) => {
      const log = [];
      const w = new wt.Worker(
        "const { parentPort } = require('worker_threads');\n" +
          "setInterval(() => {}, 1000);\nparentPort.postMessage('running');",
        { eval: true },
      );
      const exited = watch(w, log);
      await new Promise((resolve) => w.once('message', resolve));
      log.push(['terminate', await w.terminate()]);
      await exited;
      log.push(['again', await w.terminate()]);
      return log;
    },
  },
  {
    name: 'timers keep a worker alive; natural exit 0 after them',
    files: {},
    run: async ({ wt, watch }) => {
      const log = [];
      await watch(
        new wt.Worker(
          "const { parentPort } = require('worker_threads');\n" +
            'let n = 0;\n' +
            'const t = setInterval(() => {\n' +
            '  parentPort.postMessage(++n);\n' +
            "  if (n === 3) { clearInterval(t); setTimeout(() => parentPort.postMessage('timeout'), 20); }\n" +
            '}, 10);',
          { eval: true },
        ),
        log,
      );
      return log;
    },
  },
  {
    name: 'MessageChannel: a port transferred in workerData carries messages and close',
    files: {
      'port.js':
        "const { workerData } = require('worker_threads');\n" +
        'const { port } = workerData;\n' +
        "port.on('message', (m) => {\n" +
        "  if (m === 'bye') { port.close(); return; }\n" +
        "  port.postMessage(['got', m]);\n" +
        '});\n',
    },
    run: async ({ wt, file, watch }) => {
      const log = [];
      const { port1, port2 } = new wt.MessageChannel();
      const w = new wt.Worker(file('port.js'), { workerData: { port: port2 }, transferList: [port2] });
      const exited = watch(w, log);
      const closed = new Promise((resolve) => port1.once('close', () => resolve('closed')));
      port1.on('message', (m) => {
        log.push(['port1', m]);
        if (m[1] === 2) port1.postMessage('bye');
      });
      port1.postMessage(1);
      port1.postMessage(2);
      const [how, code] = await Promise.all([closed, exited]);
      return log
        .filter((e) => e[0] !== 'exit')
        .concat([
          ['port1 close event', how],
          ['exit', code],
        ]);
    },
  },
  {
    name: 'receiveMessageOnPort within one thread; EventTarget-style listeners on ports',
    files: {},
    run: async ({ wt }) => {
      const log = [];
      const { port1, port2 } = new wt.MessageChannel();
      port1.postMessage({ hello: 'world' });
      port1.postMessage([1, 2]);
      log.push(wt.receiveMessageOnPort(port2), wt.receiveMessageOnPort(port2), wt.receiveMessageOnPort(port2));
      try {
        wt.receiveMessageOnPort({});
      } catch (e) {
        log.push([e.name, e.code]);
      }
      const got = new Promise((resolve) => port2.addEventListener('message', (ev) => resolve(ev.data), { once: true }));
      port1.postMessage('via addEventListener');
      log.push(await got);
      port1.close();
      log.push(port1 instanceof wt.MessagePort, typeof port2.on);
      return log;
    },
  },
  {
    name: 'transferList moves an ArrayBuffer; environment data reaches the worker',
    files: {
      'env.js':
        "const { parentPort, getEnvironmentData } = require('worker_threads');\n" +
        "parentPort.once('message', (buf) => {\n" +
        "  parentPort.postMessage({ env: getEnvironmentData('config'), missing: getEnvironmentData('nope'),\n" +
        '    bytes: Array.from(new Uint8Array(buf)) });\n' +
        '});\n',
    },
    run: async ({ wt, file, watch }) => {
      const log = [];
      wt.setEnvironmentData('config', { mode: 'test', list: [1, 2] });
      const w = new wt.Worker(file('env.js'));
      wt.setEnvironmentData('config', undefined);
      const exited = watch(w, log);
      const buf = new Uint8Array([5, 6, 7]).buffer;
      w.postMessage(buf, [buf]);
      log.push(['after transfer', buf.byteLength]);
      await exited;
      return log;
    },
  },
  {
    name: 'SharedArrayBuffer and Atomics shared with three workers',
    needsSharedMemory: true,
    files: {
      'atomics.js':
        "const { parentPort, workerData } = require('worker_threads');\n" +
        'const view = new Int32Array(workerData.shared);\n' +
        'for (let i = 0; i < 10000; i++) Atomics.add(view, 0, 1);\n' +
        "parentPort.postMessage('done');\n",
    },
    run: async ({ wt, file, watch }) => {
      const log = [];
      const shared = new SharedArrayBuffer(4);
      const runs = [0, 1, 2].map(() => watch(new wt.Worker(file('atomics.js'), { workerData: { shared } }), []));
      log.push(['exit codes', await Promise.all(runs)]);
      log.push(['total', Atomics.load(new Int32Array(shared), 0)]);
      return log;
    },
  },
  {
    name: 'a worker starting a worker (nested), relaying its message',
    files: {
      'outer.js':
        "const { Worker, parentPort } = require('worker_threads');\n" +
        'const inner = new Worker(\n' +
        "  \"require('worker_threads').parentPort.postMessage('from inner')\", { eval: true });\n" +
        "inner.on('message', (m) => parentPort.postMessage(['relayed', m]));\n" +
        "inner.on('exit', (code) => parentPort.postMessage(['inner exit', code]));\n",
    },
    run: async ({ wt, file, watch }) => {
      const log = [];
      await watch(new wt.Worker(file('outer.js')), log);
      return log;
    },
  },
  {
    // The worker speaks first: in Chromium a channel made in another thread is
    // registered asynchronously, so a message posted to it right after its
    // 'ready' can be lost (Node delivers it). The page's channel exists before
    // the worker starts, so this direction is reliable on both.
    name: 'BroadcastChannel between the page and a worker',
    files: {
      'bc.js':
        "const { parentPort, BroadcastChannel } = require('worker_threads');\n" +
        "const bc = new BroadcastChannel('ferrode-test');\n" +
        'bc.postMessage({ hi: 1 });\n' +
        'bc.close();\n' +
        "parentPort.postMessage('sent');\n",
    },
    run: async ({ wt, file, watch }) => {
      const log = [];
      const bc = new wt.BroadcastChannel('ferrode-test');
      const got = new Promise((resolve) => {
        bc.onmessage = (ev) => resolve(['bc', ev.data]);
      });
      await watch(new wt.Worker(file('bc.js')), log);
      log.push(await got);
      bc.close();
      return log;
    },
  },
  {
    name: "argument errors: Node's codes and messages",
    files: {},
    run: async ({ wt }) => {
      const log = [];
      const attempts = [
        () => new wt.Worker(123),
        () => new wt.Worker('foo.js'),
        () => new wt.Worker(new URL('file:///x.js'), { eval: true }),
        () => new wt.Worker('1', { eval: true, workerData: () => 1 }),
        () => new wt.MessagePort(),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
          log.push('no error');
        } catch (e) {
          log.push([e.name, e.code ?? null, e.message]);
        }
      }
      log.push(wt.resourceLimits, typeof wt.SHARE_ENV);
      return log;
    },
  },
];
