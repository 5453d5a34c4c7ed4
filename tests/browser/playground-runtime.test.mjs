// The playground's Node-like runtime, program by program, against the real
// Node 20 on the same files: module systems, process, timers and nextTick
// ordering, console, util, path, fs, worker_threads, child_process.fork,
// uncaught errors and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { runNode, normalise, usePlayground, startRun, waitForExit } from '../support/playground.mjs';

const playground = usePlayground();

async function runInPage(files, entry, stdin) {
  const { page } = playground;
  await page.evaluate(([f, e]) => __playground.setFiles(f, e), [files, entry]);
  const runs = await startRun(page, stdin ?? null);
  await waitForExit(page, runs, { timeout: 60000, polling: 50 });
  return page.evaluate(() => __playground.output());
}

async function same(files, entry = 'main.js', stdin = undefined) {
  const [node, web] = await Promise.all([
    runNode(files, {}, entry, { stdin: stdin ?? null }),
    runInPage(files, entry, stdin),
  ]);
  try {
    assert.equal(normalise(web.stdout), normalise(node.stdout, { dir: node.dir }), 'stdout');
    assert.equal(normalise(web.stderr), normalise(node.stderr, { dir: node.dir }), 'stderr');
    assert.equal(web.lastExit.code, node.code, 'exit code');
  } finally {
    fs.rmSync(node.dir, { recursive: true, force: true });
  }
}

test('CommonJS: require of a relative file, module.exports, __filename, __dirname, require.main, JSON', () =>
  same({
    'main.js': `const lib = require('./lib');
const data = require('./data.json');
console.log(lib.twice(21), data, __filename, __dirname, require.main === module, module.id);
console.log(typeof require.resolve, require.resolve('./lib'), require('node:path') === require('path'));
try { require('./missing'); } catch (err) { console.log(err.code, err.message.split('\\n')[0]); }
try { require('left-pad'); } catch (err) { console.log(err.code); }
`,
    'lib.js': "exports.twice = (x) => x * 2;\nconsole.log('lib loaded', module.parent !== undefined);\n",
    'data.json': '{ "a": [1, 2, { "b": null }] }\n',
  }));

test('ES modules: static imports of files and built-ins, top-level await, dynamic import, import.meta', () =>
  same(
    {
      'main.mjs': `import { join } from 'node:path';
import os, { EOL } from 'os';
import def, { named } from './lib.mjs';
const timers = await import('timers/promises');
const v = await timers.setTimeout(5, 'awaited');
console.log(join('/a', 'b', '../c'), typeof os.cpus, JSON.stringify(EOL), def, named, v);
const { half } = await import('./half.mjs');
console.log(half(8), import.meta.url.endsWith('/main.mjs'), typeof import.meta.resolve);
`,
      'lib.mjs': "export default 'default export';\nexport const named = 'named export';\n",
      'half.mjs': 'export const half = (x) => x / 2;\n',
    },
    'main.mjs',
  ));

test('event loop order: sync, nextTick, promises, timers, setImmediate inside I/O, exit and beforeExit', () =>
  same({
    'main.js': `const fs = require('fs');
console.log('sync 1');
setTimeout(() => {
  console.log('timeout 0');
  process.nextTick(() => console.log('tick in timeout'));
  Promise.resolve().then(() => console.log('promise in timeout'));
}, 0);
Promise.resolve().then(() => {
  console.log('promise 1');
  process.nextTick(() => console.log('tick from promise'));
}).then(() => console.log('promise 2'));
process.nextTick(() => console.log('tick 1'));
process.nextTick(() => process.nextTick(() => console.log('tick nested')));
queueMicrotask(() => console.log('microtask'));
fs.readFile(__filename, () => {
  setTimeout(() => console.log('timeout after io'), 0);
  setImmediate(() => console.log('immediate after io'));
});
const t = setInterval(() => { console.log('interval'); clearInterval(t); }, 1);
setTimeout(() => console.log('never'), 100000).unref();
let once = false;
process.on('beforeExit', (code) => {
  console.log('beforeExit', code);
  if (!once) { once = true; setTimeout(() => console.log('revived'), 1); }
});
process.on('exit', (code) => console.log('exit', code, process.exitCode));
process.exitCode = 3;
console.log('sync 2');
`,
  }));

test('console: format specifiers, inspect of nested values, table, count, group, assert, dir, errors', () =>
  same({
    'main.js': `console.log('%s is %d years and %i days, %f, %j %o %O %%',
  'Bob', 42.5, 7.9, 1.5, { a: 1 }, [1], { b: { c: {} } });
console.log({ value: 2 }, [1, 'two', { three: [3, [4, [5, [6]]]] }], new Map([[1, { a: 1 }]]), new Set(['x']));
console.log(function named() {}, () => {}, class Foo {}, Symbol('s'), 10n, -0, null, undefined, NaN);
console.log('a\\nb', ['a\\nb'], { 'key with space': "it's" }, new Date(0), /re/g, [undefined, , 3]);
console.log(new Uint8Array([1, 2, 3]), new WeakMap(), Object.create(null));
console.error('to stderr', { e: 1 });
console.info('info'); console.debug('debug'); console.warn('warn');
console.table([{ a: 1, b: 'x' }, { a: 22 }]);
console.table(['p', 'q']);
console.count(); console.count(); console.count('lbl'); console.countReset(); console.count();
console.group('Group'); console.log('inside'); console.group(); console.log('deeper');
console.groupEnd(); console.groupEnd();
console.log('outside');
console.assert(true, 'not shown'); console.assert(false, 'shown %s', 'formatted'); console.assert(false);
console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
const e = new RangeError('bad range'); e.code = 'E_CODE';
console.log(Object.assign(new Error('plain'), { extra: true }).message, e.name, e.code);
`,
  }));

test('util: format, inspect, promisify (and custom), callbackify, inherits, types, isDeepStrictEqual', () =>
  same({
    'main.js': `const util = require('util');
console.log(util.format('%s=%d', 'x', 5, 'rest'), util.inspect({ a: [1, 2, { b: 3 }] }, { depth: 0 }));
console.log(util.inspect('str'), util.inspect(new Map([['k', 'v']]), { compact: false }));
const wait = util.promisify((ms, cb) => setTimeout(() => cb(null, 'waited ' + ms), ms));
function custom() {}
custom[util.promisify.custom] = () => Promise.resolve('custom promisified');
const cbified = util.callbackify(async (x) => x * 3);
function Base() {}
Base.prototype.hello = function () { return 'hello from base'; };
function Derived() {}
util.inherits(Derived, Base);
(async () => {
  console.log(await wait(3), await util.promisify(custom)());
  cbified(4, (err, v) => console.log('callbackified', err, v));
  console.log(new Derived().hello(), Derived.super_ === Base);
  console.log(util.types.isPromise(Promise.resolve()), util.types.isDate(new Date()), util.types.isRegExp(/x/),
    util.types.isUint8Array(new Uint8Array()), util.types.isAsyncFunction(async () => {}));
  console.log(util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), util.isDeepStrictEqual([1], ['1']));
  try { util.promisify(5); } catch (err) { console.log(err.code, err.message); }
})();
`,
  }));

test('path (POSIX) and os', () =>
  same({
    'main.js': `const path = require('path');
const cases = [['/a/b/../c/./d.txt'], ['a//b/'], [''], ['.'], ['/'], ['../x/..'], ['./a/b.tar.gz'], ['.hidden']];
for (const [p] of cases) {
  console.log(JSON.stringify(p), path.normalize(p), path.dirname(p), path.basename(p), path.extname(p),
    path.isAbsolute(p));
  console.log(JSON.stringify(path.parse(p)));
}
console.log(path.join('a', '', 'b', '../c'), path.join(), path.basename('/x/y.js', '.js'), path.sep, path.delimiter);
console.log(path.relative('/a/b/c', '/a/d'), path.relative('/a', '/a'), path.resolve('/x', 'y', '..', 'z'));
console.log(path.format({ dir: '/home/u', base: 'f.txt' }), path.format({ root: '/', name: 'n', ext: '.e' }),
  path.posix === path);
try { path.join(1); } catch (err) { console.log(err.code, err.message); }
const os = require('os');
console.log(typeof os.cpus().length, os.EOL === '\\n', typeof os.totalmem(), typeof os.hostname());
`,
  }));

test('fs: sync, callback and promise forms on the example files, errors of Node’s shape', () =>
  same({
    'main.js': `const fs = require('fs');
const fsp = require('fs/promises');
console.log(fs.readFileSync('file.txt', 'utf8'), fs.existsSync('file.txt'), fs.existsSync('nope.txt'));
fs.writeFileSync('out.txt', 'one');
fs.appendFileSync('out.txt', ' two');
console.log(fs.readFileSync('./out.txt', { encoding: 'utf8' }), fs.statSync('out.txt').size,
  fs.statSync('.').isDirectory());
fs.mkdirSync('dir/sub', { recursive: true });
fs.writeFileSync('dir/sub/x.txt', 'x');
console.log(fs.readdirSync('dir'), fs.readdirSync('dir/sub', { withFileTypes: true }).map((d) => [d.name, d.isFile()]));
for (const bad of [() => fs.readFileSync('missing.txt'), () => fs.mkdirSync('dir'), () => fs.unlinkSync('dir'),
  () => fs.readdirSync('out.txt')]) {
  try { bad(); } catch (err) { console.log(err.code, err.syscall, err.errno, err.message); }
}
fs.readFile('out.txt', 'utf8', (err, data) => {
  console.log('callback', err, data);
  fs.unlink('out.txt', (err2) => {
    console.log('unlinked', err2, fs.existsSync('out.txt'));
    fs.readFile('out.txt', (err3) => console.log('after unlink', err3.code, err3.message));
  });
});
(async () => {
  await fsp.writeFile('p.txt', 'promised');
  console.log(await fsp.readFile('p.txt', 'utf8'), (await fsp.stat('p.txt')).isFile());
  await fsp.rm('dir', { recursive: true });
  console.log('dir gone', fs.existsSync('dir'));
  try { await fsp.readFile('nope'); } catch (err) { console.log('rejected', err.code); }
})();
`,
    'file.txt': 'hello',
  }));

test('worker_threads: workerData, messages both ways, error and exit events in Node’s order', () =>
  same({
    'main.js': `const { Worker, isMainThread, threadId } = require('worker_threads');
console.log('main', isMainThread, threadId);
const w = new Worker('./w.js', { workerData: { n: 5, list: [1, 2] } });
w.on('online', () => console.log('online'));
w.on('message', (m) => { console.log('from worker', m); if (m.step === 1) w.postMessage('go on'); });
w.on('error', (err) => console.log('error event', err instanceof Error, err.message));
w.on('exit', (code) => {
  console.log('exit', code);
  const w2 = new Worker('./ok.js');
  w2.on('exit', (c) => console.log('second exit', c));
});
`,
    'w.js': `const { parentPort, workerData, isMainThread, threadId } = require('worker_threads');
parentPort.postMessage({ step: 1, workerData, isMainThread, threadId });
parentPort.once('message', (m) => {
  parentPort.postMessage({ step: 2, got: m });
  setTimeout(() => { throw new Error('thread failed'); }, 5);
});
`,
    'ok.js': "require('worker_threads').parentPort.postMessage('unused');\n",
  }));

test('child_process.fork: IPC both ways, exit code and events, process.exitCode in the child', () =>
  same({
    'main.js': `const { fork } = require('child_process');
const child = fork('./child.js', ['arg1']);
child.on('spawn', () => console.log('spawn'));
child.on('message', (m) => { console.log('parent got', m); if (m.ready) child.send({ value: 21 }); });
child.on('exit', (code, signal) => console.log('exit', code, signal, child.exitCode));
child.on('close', (code) => console.log('close', code));
`,
    'child.js': `console.log('child argv', process.argv.slice(2), typeof process.send, process.connected);
process.on('message', (m) => {
  process.send({ doubled: m.value * 2 });
  process.exitCode = 7;
  process.disconnect();
});
process.send({ ready: true });
`,
  }));

test('uncaught errors print like Node and set exit code 1; process.exit(n) stops at once', async () => {
  await same({ 'main.js': "function f() {\n  throw new TypeError('bad thing');\n}\nsetTimeout(f, 1);\n" });
  await same({
    'main.js':
      "console.log('before');\nprocess.on('exit', (c) => console.log('exit', c));\nprocess.exit(4);\n" +
      "console.log('after');\n",
  });
  await same({ 'main.js': "Promise.reject(new Error('rejected'));\n" });
  await same({ 'main.mjs': "const e = new Error('in a module');\ne.code = 'E_MOD';\nthrow e;\n" }, 'main.mjs');
  await same({
    'main.js':
      "process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin));\n" +
      "setTimeout(() => { throw new Error('x'); }, 1);\nsetTimeout(() => console.log('still running'), 5);\n",
  });
});

test('process: argv, env, version, platform, cwd, hrtime, memoryUsage, nextTick arguments, emitWarning', () =>
  same({
    'main.js': `console.log(process.argv.length, process.argv[1], process.version === 'v' + process.versions.node);
console.log(process.cwd(), typeof process.pid, typeof process.ppid, process.release.name);
console.log(typeof process.env.PATH, Array.isArray(process.hrtime()), typeof process.hrtime.bigint());
const m = process.memoryUsage();
console.log(Object.keys(m).join(), typeof process.uptime());
process.nextTick((a, b) => console.log('tick args', a, b), 1, 'two');
process.emitWarning('careful now');
process.emitWarning('old api', 'DeprecationWarning', 'DEP0999');
try { process.nextTick(42); } catch (err) { console.log(err.code, err.message); }
`,
  }));

test('process.stdin: data and end events from the input line', () =>
  same(
    {
      'main.js': `process.stdin.setEncoding('utf8');
let text = '';
process.stdin.on('data', (d) => { text += d; });
process.stdin.on('end', () => console.log('read', JSON.stringify(text), text.length));
`,
    },
    'main.js',
    'first line\nsecond line\n',
  ));

test('cluster: primary and worker roles, fork/online/message/exit events, respawn after a worker dies', () =>
  same({
    'main.js': `const cluster = require('cluster');
if (cluster.isPrimary) {
  console.log('primary', cluster.isMaster, cluster.isWorker);
  let forks = 0;
  cluster.on('fork', (w) => console.log('fork', w.id));
  cluster.on('online', (w) => console.log('online', w.id));
  cluster.on('message', (w, msg) => console.log('message from', w.id, msg));
  cluster.on('exit', (w, code, signal) => {
    console.log('exit', w.id, code, signal, Object.keys(cluster.workers));
    if (forks++ === 0) cluster.fork({ ROUND: 'second' });
  });
  cluster.fork({ ROUND: 'first' });
  console.log('workers', Object.keys(cluster.workers));
} else {
  process.send({ id: cluster.worker.id, round: process.env.ROUND, isWorker: cluster.isWorker });
  setTimeout(() => process.exit(process.env.ROUND === 'first' ? 3 : 0), 20);
}
`,
  }));

test('cluster.setupPrimary({ exec }) runs another file in the workers; worker.send reaches process.on(message)', () =>
  same({
    'main.js': `const cluster = require('cluster');
cluster.setupPrimary({ exec: './worker.js', args: ['--flag'] });
const w = cluster.fork();
w.on('online', () => w.send({ hello: 'worker' }));
w.on('message', (m) => console.log('primary got', m));
w.on('exit', (code, signal) => console.log('worker exit', code, signal, w.isDead(), w.exitedAfterDisconnect));
`,
    'worker.js': `const cluster = require('cluster');
process.on('message', (m) => {
  process.send({ echo: m, argv: process.argv.slice(2), id: cluster.worker.id, primary: cluster.isPrimary });
  cluster.worker.disconnect();
});
`,
  }));

test("process.version and process.versions are the reference Node's", () =>
  same({
    'main.js': `console.log(process.version, process.release.name);
console.log(JSON.stringify(process.versions));
`,
  }));
