// One Node-like process inside a Web Worker: the `process` object, globals,
// the built-in modules, the modules that start further processes
// (worker_threads, child_process, cluster; each child is another Web Worker
// the page starts), and Node's way of ending: when nothing is pending, or on
// an uncaught error, printed the way Node prints it.
import { ferrode } from './ferrode.js';
import nodeReference from '../tools/node-reference.json';
import { emitterBase } from './emitter.js';
import * as loop from './loop.js';
import {
  timersModule,
  setTimeout,
  setInterval,
  setImmediate,
  clearTimeout,
  clearInterval,
  clearImmediate,
} from './timers.js';
import { utilModule, inspect } from './util.js';
import { pathModule as path, setCwd } from './path.js';
import { makeOs } from './os.js';
import { fsModule, fsPromises, applyRemote, setFsNotifier } from './fs.js';
import { makeConsole } from './console.js';
import { codes, companionRequired, notAvailable } from './errors.js';
import * as mods from './modules.js';
import { makeCompanionModules } from './network.js';

const EventEmitter = emitterBase();
// Writes go out at once, except in a burst (many writes in one job), which
// is sent in batches of 16 KiB and at the end of the job: a program that
// prints a little and then spins still shows it, and one that prints 100 000
// lines does not cost 100 000 messages. Order is kept: pending output always
// goes before any other message.
let outQueue = [];
let outBytes = 0;
let writesThisJob = 0;
let jobScheduled = false;
const OUT_BATCH_BYTES = 16 * 1024;
const OUT_IMMEDIATE_WRITES = 64;
function flushOut() {
  if (outQueue.length === 0) return;
  const batch = outQueue;
  outQueue = [];
  outBytes = 0;
  for (const m of batch) self.postMessage(m);
}
function endOfJob() {
  jobScheduled = false;
  writesThisJob = 0;
  flushOut();
}
const post = (msg, transfer) => {
  if (exited && msg.t !== 'exit') return;
  if (msg.t !== 'out') {
    flushOut();
    self.postMessage(msg, transfer ?? []);
    return;
  }
  if (!jobScheduled) {
    jobScheduled = true;
    queueMicrotask(endOfJob);
  }
  if (++writesThisJob <= OUT_IMMEDIATE_WRITES && outQueue.length === 0) {
    self.postMessage(msg);
    return;
  }
  const last = outQueue[outQueue.length - 1];
  if (last && last.fd === msg.fd) last.text += msg.text;
  else outQueue.push({ ...msg });
  outBytes += msg.text.length;
  if (outBytes >= OUT_BATCH_BYTES) flushOut();
};
let exited = false;
let config = null;
const fileText = new Map();

// ---------------------------------------------------------------- output
const utf8 = new TextDecoder();
function chunkText(chunk, encoding) {
  if (typeof chunk === 'string') return chunk;
  if (ArrayBuffer.isView(chunk)) {
    const B = ferrode.get('buffer')?.Buffer;
    if (B && encoding && encoding !== 'buffer' && !/^utf-?8$/i.test(encoding)) {
      return B.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(encoding);
    }
    return utf8.decode(chunk, { stream: false });
  }
  throw new codes.ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'Uint8Array'], chunk);
}

const INTERNAL_FRAME =
  /\n[ \t]+at [^\n]*\/(dist\/runtime[-\w]*|dist\/ferrode\/[-\w]+|ferrode\/js\/[-\w/]+)\.js:\d+:\d+\)?(?=\n|$)/g;

function cleanText(text) {
  text = mods.fixPaths(text);
  // The runtime's own frames are Node's internals here: not shown.
  if (text.includes('/dist/') || text.includes('/ferrode/js/')) {
    text = text.replace(INTERNAL_FRAME, '');
  }
  return text;
}

function makeOutput(fd) {
  const write = (chunk, encoding, cb) => {
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    post({ t: 'out', fd, text: cleanText(chunkText(chunk, encoding)) });
    if (cb) loop.nextTick(cb);
    return true;
  };
  const stream = ferrode.get('stream');
  let out;
  if (stream?.Writable) {
    out = new stream.Writable({
      decodeStrings: false,
      write(chunk, encoding, cb) {
        write(chunk, encoding);
        cb();
      },
    });
    // The terminal is never closed by a pipe that ends.
    out.end = function (chunk, encoding, cb) {
      if (typeof chunk === 'function') cb = chunk;
      else if (chunk !== undefined && chunk !== null) write(chunk, encoding);
      if (typeof cb === 'function') loop.nextTick(cb);
      return this;
    };
    out.destroySoon = out.end;
    out._isStdio = true;
  } else {
    out = new EventEmitter();
    out.write = write;
    out.end = (chunk, encoding, cb) => {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') write(chunk, encoding);
      return out;
    };
    out.writable = true;
  }
  Object.assign(out, { fd, isTTY: false, columns: 80, rows: 24, _type: 'pipe' });
  out.getColorDepth = () => 1;
  out.hasColors = () => false;
  out.cursorTo = out.moveCursor = out.clearLine = out.clearScreenDown = () => true;
  return out;
}

function makeStdin() {
  const stream = ferrode.get('stream');
  let stdin;
  let release = null;
  const ref = () => {
    if (!release && !stdinEnded) release = loop.hold();
  };
  const unref = () => {
    release?.();
    release = null;
  };
  let stdinEnded = false;
  if (stream?.Readable) {
    stdin = new stream.Readable({ read() {} });
  } else {
    stdin = new EventEmitter();
    let encoding = null;
    stdin.setEncoding = (enc) => {
      encoding = enc;
      return stdin;
    };
    stdin.resume = () => stdin;
    stdin.pause = () => stdin;
    stdin.pipe = () => {
      throw notAvailable('stream');
    };
    stdin.push = (chunk) => {
      if (chunk === null) stdin.emit('end');
      else if (encoding !== null) stdin.emit('data', utf8.decode(chunk));
      else stdin.emit('data', ferrode.get('buffer')?.Buffer.from(chunk) ?? chunk);
    };
  }
  for (const method of ['on', 'addListener', 'once', 'pipe', 'resume', 'read']) {
    const original = stdin[method];
    stdin[method] = function (...args) {
      const name = args[0];
      if (['pipe', 'resume', 'read'].includes(method) || name === 'data' || name === 'readable') ref();
      return original.apply(this, args);
    };
  }
  const pause = stdin.pause;
  stdin.pause = function (...args) {
    unref();
    return pause.apply(this, args);
  };
  Object.assign(stdin, { fd: 0, isTTY: false });
  stdin.setRawMode = () => stdin;
  stdin._feed = (data) => {
    if (stdinEnded) return;
    if (data === null) {
      stdinEnded = true;
      unref();
      stdin.push(null);
    } else {
      const B = ferrode.get('buffer')?.Buffer;
      stdin.push(B ? B.from(data) : new TextEncoder().encode(data));
    }
  };
  return stdin;
}

// ---------------------------------------------------------------- process
const startTime = performance.now();
const hrBase = BigInt(Math.round(performance.timeOrigin * 1e6));

function hrtimeBigint() {
  return hrBase + BigInt(Math.round(performance.now() * 1e6));
}

function hrtime(prev) {
  const now = hrtimeBigint();
  let s = now / 1000000000n;
  let ns = now % 1000000000n;
  if (Array.isArray(prev)) {
    s -= BigInt(prev[0]);
    ns -= BigInt(prev[1]);
    if (ns < 0n) {
      s -= 1n;
      ns += 1000000000n;
    }
  }
  return [Number(s), Number(ns)];
}
hrtime.bigint = hrtimeBigint;

function memoryUsage() {
  const m = performance.memory;
  const heapUsed = m?.usedJSHeapSize ?? 0;
  const heapTotal = m?.totalJSHeapSize ?? 0;
  return { rss: heapTotal, heapTotal, heapUsed, external: 0, arrayBuffers: 0 };
}
memoryUsage.rss = () => memoryUsage().rss;

class ExitSignal {
  constructor(code) {
    this.code = code;
  }
}

const process = new EventEmitter();
let exitCode;
let cwd = '/app';

function exitNow(code) {
  if (exited) return;
  if (code !== undefined) process.exitCode = code;
  const final = Number(process.exitCode ?? 0) | 0;
  process._exiting = true;
  try {
    process.emit('exit', final);
  } catch (err) {
    // An 'exit' listener that throws ends the process with that error.
    reportUncaught(err, null);
    return;
  }
  exited = true;
  loop.stopLoop();
  post({ t: 'exit', code: final });
}

function setupProcess() {
  const version = config.nodeVersion;
  Object.assign(process, {
    title: 'node',
    version,
    versions: { ...nodeReference.versions },
    arch: 'wasm32',
    platform: 'linux',
    release: { name: 'node' },
    argv: config.argv,
    argv0: 'node',
    execArgv: config.execArgv ?? [],
    execPath: '/usr/local/bin/node',
    env: config.env,
    pid: config.pid,
    ppid: config.ppid,
    features: {},
    config: { variables: {} },
    allowedNodeEnvironmentFlags: new Set(),
    stdout: makeOutput(1),
    stderr: makeOutput(2),
    stdin: makeStdin(),
    nextTick: loop.nextTick,
    hrtime,
    memoryUsage,
    cwd: () => cwd,
    chdir(dir) {
      const target = path.resolve(dir);
      if (!fsModule.existsSync(target)) {
        const err = new Error(`ENOENT: no such file or directory, chdir ${cwd} -> '${dir}'`);
        err.code = 'ENOENT';
        throw err;
      }
      cwd = target;
    },
    uptime: () => (performance.now() - startTime) / 1000,
    umask: () => 0o22,
    getuid: () => 1000,
    geteuid: () => 1000,
    getgid: () => 1000,
    getegid: () => 1000,
    cpuUsage: () => ({ user: Math.round(performance.now() * 1000), system: 0 }),
    resourceUsage: () => ({}),
    abort() {
      exitNow(134);
      throw new ExitSignal(134);
    },
    exit(code) {
      if (code !== undefined) process.exitCode = code;
      exitNow();
      throw new ExitSignal(process.exitCode);
    },
    reallyExit(code) {
      process.exit(code);
    },
    kill(pid, signal = 'SIGTERM') {
      if (pid === process.pid) {
        post({ t: 'signal-self', signal });
        return true;
      }
      post({ t: 'kill-pid', pid, signal });
      return true;
    },
    emitWarning(warning, type, code) {
      let w = warning;
      if (typeof type === 'object' && type !== null) {
        code = type.code;
        type = type.type;
      }
      if (!(w instanceof Error)) {
        w = new Error(String(warning));
        w.name = type || 'Warning';
        if (code !== undefined) w.code = code;
      }
      loop.nextTick(() => {
        process.emit('warning', w);
        if (process.listenerCount('warning') > 1) return;
        const first = process._warned
          ? ''
          : '\n(Use `node --trace-warnings ...` to show where the warning was created)';
        process._warned = true;
        process.stderr.write(`(node:${process.pid}) ${code ? `[${code}] ` : ''}${w.name}: ${w.message}${first}\n`);
      });
    },
  });
  Object.defineProperty(process, 'exitCode', {
    get: () => exitCode,
    set(v) {
      if (v !== undefined && v !== null && !Number.isInteger(Number(v))) {
        throw new codes.ERR_INVALID_ARG_TYPE('code', 'number', v);
      }
      exitCode = v;
    },
    enumerable: true,
    configurable: true,
  });
  // Node's own 'warning' listener counts as one.
  process.on('warning', () => {});
  process.hrtime = hrtime;
  setCwd(() => cwd);
}

// ---------------------------------------------------------------- uncaught errors
function userFrame(stack) {
  for (const line of String(stack ?? '')
    .split('\n')
    .slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(cleanText(line));
    if (m) {
      const file = m[1].replace(/^file:\/\//, '');
      if (fileText.has(file)) return { file, url: m[1], line: Number(m[2]), col: Number(m[3]) };
    }
  }
  return null;
}

function header(loc) {
  const text = fileText.get(loc.file);
  if (text === undefined) return '';
  const src = text.split('\n')[loc.line - 1] ?? '';
  return `${loc.url}:${loc.line}\n${src}\n${' '.repeat(Math.max(0, loc.col - 1))}^\n\n`;
}

function describeError(err) {
  if (err instanceof Error || (err && typeof err === 'object' && 'stack' in err)) {
    return cleanText(inspect(err, { colors: false }));
  }
  return cleanText(inspect(err, { colors: false }));
}

function stripInternalFrames(text) {
  return text
    .split('\n')
    .filter((l) => !/^\s+at .*(\/dist\/(runtime|ferrode)|\/ferrode\/js\/)/.test(l))
    .filter((l) => !/^\s+at (eval|new Promise) \(<anonymous>\)$/.test(l))
    .join('\n');
}

export function reportUncaught(err, location, fromPromise = false) {
  if (err instanceof ExitSignal || exited) return;
  if (process.listenerCount('uncaughtException') > 0) {
    try {
      process.emit('uncaughtException', err, fromPromise ? 'unhandledRejection' : 'uncaughtException');
    } catch (again) {
      reportUncaught(again, null);
    }
    return;
  }
  if (config.kind === 'thread') {
    // A thread's uncaught error goes to its parent's Worker as 'error'.
    post({ t: 'thread-error', error: serializeError(err) });
    exitNow(1);
    return;
  }
  let text;
  if (fromPromise && !(err instanceof Error)) {
    text =
      `node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n      ^\n\n` +
      'UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a ' +
      'catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the ' +
      `reason "${inspect(err)}".\n    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7) {\n` +
      "  code: 'ERR_UNHANDLED_REJECTION'\n}";
  } else {
    const loc = location ?? userFrame(err?.stack);
    text = (loc ? header(loc) : '') + stripInternalFrames(describeError(err));
  }
  process.stderr.write(`${text.replace(/\n+$/, '')}\n\nNode.js ${process.version}\n`);
  exitNow(fromPromise ? 1 : 1);
}

function serializeError(err) {
  if (err instanceof Error) {
    return {
      error: true,
      name: err.name,
      message: err.message,
      stack: cleanText(stripInternalFrames(err.stack ?? '')),
      props: Object.fromEntries(Object.entries(err).filter(([, v]) => typeof v !== 'function')),
    };
  }
  return { error: false, value: err };
}

function deserializeError(e) {
  if (!e.error) return e.value;
  const Ctor = globalThis[e.name] && globalThis[e.name].prototype instanceof Error ? globalThis[e.name] : Error;
  const err = new Ctor(e.message);
  if (err.name !== e.name) err.name = e.name;
  err.stack = e.stack;
  Object.assign(err, e.props);
  return err;
}

self.addEventListener('error', (event) => {
  event.preventDefault();
  const err = event.error;
  if (err instanceof ExitSignal) return;
  let loc = null;
  const file = String(event.filename ?? '').replace(/^file:\/\//, '');
  if (fileText.has(file) && event.lineno > 0) {
    let col = event.colno;
    if (event.lineno === 1 && !mods.isEsm(file)) col -= mods.CJS_PREFIX.length;
    // Chromium reports where the Error was made; Node's caret is on the
    // throw statement that threw it.
    const src = (fileText.get(file) ?? '').split('\n')[event.lineno - 1] ?? '';
    const before = src.slice(0, Math.max(0, col - 1)).trimEnd();
    if (src.slice(col - 1).startsWith('new ') && before.endsWith('throw')) col = before.length - 4;
    loc = { file, url: file, line: event.lineno, col };
  }
  reportUncaught(err, loc);
});

self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  if (event.reason instanceof ExitSignal) return;
  if (process.listenerCount('unhandledRejection') > 0) {
    process.emit('unhandledRejection', event.reason, event.promise);
    return;
  }
  reportUncaught(event.reason, null, true);
});

// ---------------------------------------------------------------- children (threads, forks, cluster)
let nextRef = 1;
const children = new Map();

function spawnChild(kind, file, options, handler) {
  const ref = nextRef++;
  children.set(ref, handler);
  post({ t: 'spawn', kind, ref, file, options });
  return ref;
}

function onChildMessage(msg) {
  const h = children.get(msg.ref);
  if (!h) return;
  switch (msg.t) {
    case 'spawned':
      h.spawned(msg);
      break;
    case 'child-online':
      h.online?.();
      break;
    case 'child-message':
      h.message(msg.data);
      break;
    case 'child-error':
      h.error?.(deserializeError(msg.error));
      break;
    case 'child-disconnect':
      h.disconnect?.();
      break;
    case 'child-exit':
      children.delete(msg.ref);
      h.exit(msg.code, msg.signal ?? null);
      break;
    default:
  }
}

function resolveScript(file, what) {
  if (file instanceof URL) file = decodeURIComponent(file.pathname);
  if (typeof file !== 'string') throw new codes.ERR_INVALID_ARG_TYPE(what, ['string', 'URL'], file);
  return path.resolve(file);
}

let threadCount = 0;

const environmentData = new Map();

function makeWorkerThreads() {
  const isMainThread = config.kind !== 'thread';
  class Worker extends EventEmitter {
    constructor(filename, options = {}) {
      super();
      let file = null;
      if (options.eval) {
        file = null;
      } else {
        if (typeof filename === 'string' && !/^(\.{0,2}\/|\/|file:)/.test(filename)) {
          throw new codes.ERR_WORKER_PATH(filename);
        }
        file = resolveScript(filename, 'filename');
      }
      this.threadId = ++threadCount + (isMainThread ? 0 : config.threadId * 1000);
      this._release = loop.hold();
      this._exited = false;
      this._ref = spawnChild(
        'thread',
        file,
        {
          eval: options.eval ? String(filename) : null,
          workerData: options.workerData,
          argv: (options.argv ?? []).map(String),
          env: options.env && typeof options.env === 'object' ? { ...options.env } : { ...process.env },
          threadId: this.threadId,
          name: options.name ?? '',
        },
        {
          spawned: () => {},
          online: () => loop.invoke(() => this.emit('online')),
          message: (data) => loop.invoke(() => this.emit('message', data)),
          error: (err) => loop.invoke(() => this.emit('error', err)),
          exit: (code) => {
            this._exited = true;
            this._release?.();
            this._release = null;
            loop.invoke(() => this.emit('exit', code));
            this._onExit?.(code);
          },
        },
      );
    }
    postMessage(value, transfer) {
      if (this._exited) return;
      post({ t: 'send', ref: this._ref, data: value }, Array.isArray(transfer) ? transfer : transfer?.transfer);
    }
    terminate(cb) {
      return new Promise((resolve) => {
        if (this._exited) return resolve(undefined);
        this._onExit = (code) => {
          if (typeof cb === 'function') cb(null, code);
          resolve(code);
        };
        post({ t: 'kill', ref: this._ref, signal: 'terminate' });
      });
    }
    ref() {
      if (!this._release && !this._exited) this._release = loop.hold();
    }
    unref() {
      this._release?.();
      this._release = null;
    }
    getHeapSnapshot() {
      return Promise.reject(new codes.ERR_METHOD_NOT_IMPLEMENTED('getHeapSnapshot()'));
    }
  }
  let parentPort = null;
  if (!isMainThread) {
    parentPort = new EventEmitter();
    let release = null;
    const sync = () => {
      const want = parentPort.listenerCount('message') > 0 && !parentPort._closed;
      if (want && !release) release = loop.hold();
      if (!want && release) {
        release();
        release = null;
      }
    };
    parentPort.on('newListener', () => queueMicrotask(sync));
    parentPort.on('removeListener', () => queueMicrotask(sync));
    parentPort.postMessage = (value, transfer) => {
      post({ t: 'send-parent', data: value }, Array.isArray(transfer) ? transfer : transfer?.transfer);
    };
    parentPort.close = () => {
      parentPort._closed = true;
      sync();
      loop.nextTick(() => parentPort.emit('close'));
    };
    parentPort.start = () => {};
    parentPort.ref = () => {};
    parentPort.unref = () => {};
    parentPort._deliver = (data) => loop.invoke(() => parentPort.emit('message', data));
  }
  return {
    isMainThread,
    parentPort,
    workerData: isMainThread ? null : config.workerData,
    threadId: isMainThread ? 0 : config.threadId,
    resourceLimits: {},
    SHARE_ENV: Symbol.for('nodejs.worker_threads.SHARE_ENV'),
    Worker,
    MessageChannel: globalThis.MessageChannel,
    MessagePort: globalThis.MessagePort,
    BroadcastChannel: globalThis.BroadcastChannel,
    markAsUntransferable() {},
    isMarkedAsUntransferable: () => false,
    moveMessagePortToContext: () => {
      throw new codes.ERR_METHOD_NOT_IMPLEMENTED('moveMessagePortToContext()');
    },
    receiveMessageOnPort: () => {
      throw new codes.ERR_METHOD_NOT_IMPLEMENTED('receiveMessageOnPort()');
    },
    // This thread's own environment data (not yet handed to the threads it starts).
    getEnvironmentData: (key) => environmentData.get(key),
    setEnvironmentData(key, value) {
      if (value === undefined) environmentData.delete(key);
      else environmentData.set(key, value);
    },
  };
}

class ChildProcessBase extends EventEmitter {}

function makeChildProcessClass() {
  return class ChildProcess extends ChildProcessBase {
    constructor() {
      super();
      this.pid = undefined;
      this.connected = false;
      this.killed = false;
      this.exitCode = null;
      this.signalCode = null;
      this.stdin = null;
      this.stdout = null;
      this.stderr = null;
      this.stdio = [null, null, null];
      this.spawnfile = null;
      this.spawnargs = [];
    }
  };
}

let ChildProcess;

/**
 * Node's send(message[, sendHandle[, options]][, callback]) for either end of an IPC channel (`target`: the
 * ChildProcess or process); `envelope(message)` is what goes to the page. Handles are not passed.
 */
function ipcSend(target, envelope) {
  return (message, handle, options, cb) => {
    if (typeof handle === 'function') cb = handle;
    else if (typeof options === 'function') cb = options;
    if (!target.connected) {
      const err = new codes.ERR_IPC_CHANNEL_CLOSED();
      if (cb) loop.nextTick(cb, err);
      else loop.nextTick(() => target.emit('error', err));
      return false;
    }
    post(envelope(message));
    if (cb) loop.nextTick(cb, null);
    return true;
  };
}

function forkProcess(kind, modulePath, args, options, extra = {}, hooks = {}) {
  const child = new ChildProcess();
  const file = resolveScript(modulePath, 'modulePath');
  child.spawnfile = '/usr/local/bin/node';
  child.spawnargs = ['/usr/local/bin/node', file, ...args];
  child.connected = true;
  let release = loop.hold();
  child._ref = spawnChild(
    kind,
    file,
    {
      argv: args.map(String),
      env: { ...(options.env ?? process.env), ...(extra.env ?? {}) },
      execArgv: options.execArgv ?? [],
      ...extra,
    },
    {
      spawned: (msg) => {
        child.pid = msg.pid;
        loop.invoke(() => child.emit('spawn'));
      },
      online: () => hooks.online?.(),
      message: (data) => loop.invoke(() => child.emit('message', data)),
      // The child closed the channel (process.disconnect()).
      // The child process itself keeps the parent alive until it exits.
      disconnect: () => {
        if (!child.connected) return;
        child.connected = false;
        hooks.disconnect?.();
        loop.invoke(() => child.emit('disconnect'));
      },
      exit: (code, signal) => {
        child.exitCode = signal ? null : code;
        child.signalCode = signal;
        const wasConnected = child.connected;
        child.connected = false;
        release?.();
        release = null;
        loop.invoke(() => {
          if (wasConnected) child.emit('disconnect');
          child.emit('exit', child.exitCode, signal);
          child.emit('close', child.exitCode, signal);
        });
      },
    },
  );
  child.send = ipcSend(child, (data) => ({ t: 'send', ref: child._ref, data }));
  child.kill = (signal = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    child.killed = true;
    post({ t: 'kill', ref: child._ref, signal });
    return true;
  };
  child.disconnect = () => {
    if (!child.connected) return;
    child.connected = false;
    post({ t: 'disconnect-child', ref: child._ref });
    loop.nextTick(() => child.emit('disconnect'));
  };
  child.ref = () => {
    if (!release && child.exitCode === null) release = loop.hold();
  };
  child.unref = () => {
    release?.();
    release = null;
  };
  return child;
}

function fakeStream() {
  const stream = ferrode.get('stream');
  if (stream?.Readable) {
    const r = new stream.Readable({ read() {} });
    return r;
  }
  const e = new EventEmitter();
  e.setEncoding = () => e;
  e.pipe = (d) => d;
  e.resume = () => e;
  return e;
}

function makeChildProcessModule() {
  const failing = (api) => {
    const child = new ChildProcess();
    child.stdout = fakeStream();
    child.stderr = fakeStream();
    child.stdin = null;
    const err = companionRequired(api);
    const release = loop.hold();
    setTimeout(() => {
      release();
      child.emit('error', err);
      child.stdout.push?.(null);
      child.stderr.push?.(null);
    }, 0);
    return { child, err };
  };
  const withCallback = (api, cb) => {
    const { child, err } = failing(api);
    if (typeof cb === 'function') {
      child.on('error', (e) => cb(Object.assign(e, { stdout: '', stderr: '' }), '', ''));
    }
    return child;
  };
  const exec = (command, options, cb) =>
    withCallback('child_process.exec()', typeof options === 'function' ? options : cb);
  exec[utilModule.promisify.custom] = (...args) =>
    new Promise((resolve, reject) => {
      exec(...args, (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr })));
    });
  const execFile = (file, args, options, cb) =>
    withCallback(
      'child_process.execFile()',
      [args, options, cb].find((a) => typeof a === 'function'),
    );
  execFile[utilModule.promisify.custom] = (...args) =>
    new Promise((resolve, reject) => {
      execFile(...args, (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr })));
    });
  // fork runs in the page either way; the companion, when there, runs the other processes.
  const fork = (modulePath, args, options) => {
    if (!Array.isArray(args)) {
      options = args;
      args = [];
    }
    return forkProcess('fork', modulePath, args ?? [], options ?? {});
  };
  const real = companion()?.childProcess;
  if (real) return { ChildProcess, fork, ...real };
  return {
    ChildProcess,
    fork,
    spawn: () => failing('child_process.spawn()').child,
    exec,
    execFile,
    spawnSync() {
      throw companionRequired('child_process.spawnSync()');
    },
    execSync() {
      throw companionRequired('child_process.execSync()');
    },
    execFileSync() {
      throw companionRequired('child_process.execFileSync()');
    },
  };
}

function makeCluster() {
  const isPrimary = config.kind !== 'cluster';
  const cluster = new EventEmitter();
  cluster.isPrimary = isPrimary;
  cluster.isMaster = isPrimary;
  cluster.isWorker = !isPrimary;
  cluster.SCHED_NONE = 1;
  cluster.SCHED_RR = 2;
  cluster.schedulingPolicy = 2;
  cluster.settings = {};
  cluster.workers = isPrimary ? {} : undefined;
  let ids = 0;
  // The port group the workers' servers share at the companion: unique to this primary.
  const group = `cluster-${config.pid}-${Math.random().toString(36).slice(2)}`;
  class Worker extends EventEmitter {
    constructor(id, child) {
      super();
      this.id = id;
      this.process = child;
      this.exitedAfterDisconnect = undefined;
      this.state = 'none';
    }
    send(...args) {
      return this.process.send(...args);
    }
    kill(signal = 'SIGTERM') {
      this.exitedAfterDisconnect = false;
      return this.process.kill(signal);
    }
    destroy(signal) {
      return this.kill(signal);
    }
    disconnect() {
      this.exitedAfterDisconnect = true;
      this.process.disconnect();
      return this;
    }
    isConnected() {
      return this.process.connected;
    }
    isDead() {
      return this.process.exitCode !== null || this.process.signalCode !== null;
    }
  }
  cluster.Worker = Worker;
  if (isPrimary) {
    cluster.setupPrimary = (settings = {}) => {
      cluster.settings = { ...cluster.settings, ...settings };
      cluster.emit('setup', cluster.settings);
    };
    cluster.setupMaster = cluster.setupPrimary;
    cluster.fork = (env) => {
      const id = ++ids;
      const settings = { exec: process.argv[1], args: process.argv.slice(2), execArgv: [], ...cluster.settings };
      let worker;
      const child = forkProcess(
        'cluster',
        settings.exec,
        settings.args ?? [],
        { execArgv: settings.execArgv },
        {
          env: { ...process.env, ...env, NODE_UNIQUE_ID: String(id) },
          clusterId: id,
          clusterGroup: group,
        },
        {
          disconnect: () => {
            worker.exitedAfterDisconnect = true;
          },
          online: () =>
            loop.invoke(() => {
              worker.state = 'online';
              worker.emit('online');
              cluster.emit('online', worker);
            }),
        },
      );
      worker = new Worker(id, child);
      cluster.workers[id] = worker;
      child.on('message', (msg) => {
        worker.emit('message', msg, undefined);
        cluster.emit('message', worker, msg, undefined);
      });
      child.on('exit', (code, signal) => {
        worker.state = 'dead';
        worker.exitedAfterDisconnect = Boolean(worker.exitedAfterDisconnect);
        delete cluster.workers[id];
        worker.emit('exit', code, signal);
        cluster.emit('exit', worker, code, signal);
      });
      child.on('disconnect', () => {
        worker.emit('disconnect');
        cluster.emit('disconnect', worker);
      });
      loop.nextTick(() => cluster.emit('fork', worker));
      return worker;
    };
    cluster.disconnect = (cb) => {
      for (const w of Object.values(cluster.workers)) w.disconnect();
      if (cb) loop.nextTick(cb);
    };
  } else {
    const me = new Worker(config.clusterId, process);
    me.state = 'online';
    cluster.worker = me;
  }
  return cluster;
}

// ---------------------------------------------------------------- http, https, net without the companion
function makeNetworkModules() {
  class Server extends EventEmitter {
    constructor(api, handler, eventName) {
      super();
      this._api = api;
      if (typeof handler === 'function') this.on(eventName, handler);
      this.listening = false;
    }
    listen(...args) {
      const cb = args.find((a) => typeof a === 'function');
      if (cb) this.once('listening', cb);
      const err = companionRequired(`${this._api}.listen()`);
      loop.nextTick(() => this.emit('error', err));
      return this;
    }
    close(cb) {
      if (cb) loop.nextTick(cb);
      loop.nextTick(() => this.emit('close'));
      return this;
    }
    address() {
      return null;
    }
    ref() {
      return this;
    }
    unref() {
      return this;
    }
    setTimeout() {
      return this;
    }
  }
  class ClientRequest extends EventEmitter {
    constructor(api, cb) {
      super();
      if (typeof cb === 'function') this.once('response', cb);
      const err = companionRequired(api);
      const release = loop.hold();
      setTimeout(() => {
        release();
        this.emit('error', err);
        this.emit('close');
      }, 0);
    }
    write() {
      return true;
    }
    end() {
      return this;
    }
    setHeader() {
      return this;
    }
    getHeader() {
      return undefined;
    }
    removeHeader() {}
    setTimeout() {
      return this;
    }
    abort() {}
    destroy() {
      return this;
    }
  }
  const STATUS_CODES = {
    200: 'OK',
    201: 'Created',
    204: 'No Content',
    301: 'Moved Permanently',
    302: 'Found',
    304: 'Not Modified',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  };
  const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
  const httpLike = (name) => ({
    Server,
    ClientRequest,
    STATUS_CODES,
    METHODS,
    createServer(options, handler) {
      return new Server(`${name}.Server`, typeof options === 'function' ? options : handler, 'request');
    },
    request(url, options, cb) {
      return new ClientRequest(
        `${name}.request()`,
        [url, options, cb].find((a) => typeof a === 'function'),
      );
    },
    get(url, options, cb) {
      const req = new ClientRequest(
        `${name}.get()`,
        [url, options, cb].find((a) => typeof a === 'function'),
      );
      req.end();
      return req;
    },
    Agent: class Agent {},
    globalAgent: {},
  });
  const net = {
    Server,
    createServer(options, handler) {
      return new Server('net.Server', typeof options === 'function' ? options : handler, 'connection');
    },
    connect() {
      return new ClientRequest('net.connect()');
    },
    createConnection() {
      return new ClientRequest('net.createConnection()');
    },
    isIP: (s) => (/^(\d{1,3}\.){3}\d{1,3}$/.test(s) ? 4 : /:/.test(s) ? 6 : 0),
    isIPv4: (s) => /^(\d{1,3}\.){3}\d{1,3}$/.test(s),
    isIPv6: (s) => /:/.test(s),
  };
  return { http: httpLike('http'), https: httpLike('https'), net };
}

// ---------------------------------------------------------------- http, https, net, child_process with the companion
let companionModules = null;
function companion() {
  if (!config.companion || !ferrode.get('stream') || !ferrode.get('buffer')) return null;
  companionModules ??= makeCompanionModules({ ferrode, EventEmitter, ChildProcess, process, config, utilModule });
  return companionModules;
}

// ---------------------------------------------------------------- built-ins
function registerBuiltins() {
  const d = mods.defineBuiltin;
  for (const name of ['buffer', 'events', 'stream', 'stream/promises', 'zlib', 'crypto', 'string_decoder']) {
    if (ferrode.get(name)) {
      d(name, () => {
        const ns = ferrode.get(name);
        const def = ns.default;
        if (def && (typeof def === 'function' || typeof def === 'object')) return def;
        return { ...ns };
      });
    } else {
      d(name, () => {
        throw notAvailable(name);
      });
    }
  }
  let network;
  const net = () => (network ??= companion() ?? makeNetworkModules());
  d('util', () => utilModule);
  d('util/types', () => utilModule.types);
  d('path', () => path);
  d('path/posix', () => path);
  d('os', makeOs);
  d('timers', () => timersModule);
  d('timers/promises', () => timersModule.promises);
  d('fs', () => fsModule);
  d('fs/promises', () => fsPromises);
  d('process', () => process);
  d('console', () => globalThis.console);
  d('worker_threads', makeWorkerThreads);
  d('child_process', makeChildProcessModule);
  d('cluster', makeCluster);
  d('http', () => net().http);
  d('https', () => net().https);
  d('net', () => net().net);
  d('module', () => ({
    createRequire: mods.createRequire,
    builtinModules: [...mods.NODE_BUILTINS],
    Module: mods.Module,
  }));
  d('url', () => ({
    URL,
    URLSearchParams,
    fileURLToPath: (u) => decodeURIComponent(new URL(String(u)).pathname),
    pathToFileURL: (p) => new URL(`file://${path.resolve(p)}`),
  }));
  d('perf_hooks', () => ({ performance: globalThis.performance, PerformanceObserver: globalThis.PerformanceObserver }));
}

function installGlobals() {
  globalThis.process = process;
  globalThis.global = globalThis;
  globalThis.console = makeConsole(process.stdout, process.stderr);
  Object.assign(globalThis, { setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate });
  const buffer = ferrode.get('buffer');
  if (buffer?.Buffer) globalThis.Buffer = buffer.Buffer;
  else {
    Object.defineProperty(globalThis, 'Buffer', {
      get() {
        throw notAvailable('buffer');
      },
      configurable: true,
    });
  }
  // The ferrode modules' deferred callbacks share process.nextTick's queue.
  globalThis.__ferrodeTicks = { nextTick: loop.nextTick, pending: loop.pendingTicks };
  globalThis.__ferrode = {
    require: (name) => mods.requireBuiltin(name),
    requireFile: (file) => mods.requireFile(file),
    import: (from, request) => mods.dynamicImport(from, request),
  };
  mods.setEsmSource((name) => (ferrode.get(name) ? ferrode.url(name) : null));
}

// ---------------------------------------------------------------- IPC for forked processes
function setupIpc() {
  if (config.kind !== 'fork' && config.kind !== 'cluster') return;
  process.connected = true;
  process.channel = { ref() {}, unref() {} };
  process.send = ipcSend(process, (data) => ({ t: 'send-parent', data }));
  process.disconnect = () => {
    if (!process.connected) return;
    process.connected = false;
    post({ t: 'disconnect' });
    syncChannel();
    loop.nextTick(() => process.emit('disconnect'));
  };
  // The IPC channel keeps the process alive while someone listens to it.
  let release = null;
  const syncChannel = () => {
    const want = process.connected && process.listenerCount('message') > 0;
    if (want && !release) release = loop.hold();
    if (!want && release) {
      release();
      release = null;
    }
  };
  process.on('newListener', (name) => name === 'message' && queueMicrotask(syncChannel));
  process.on('removeListener', (name) => name === 'message' && queueMicrotask(syncChannel));
}

// ---------------------------------------------------------------- messages from the page
function onMessage(msg) {
  switch (msg.t) {
    case 'parent-message':
      if (config.kind === 'thread') requireWorkerThreads().parentPort._deliver(msg.data);
      else loop.invoke(() => process.emit('message', msg.data, undefined));
      break;
    case 'stdin':
      loop.invoke(() => process.stdin._feed(msg.data));
      break;
    case 'fs':
      applyRemote(msg.op, msg.path, msg.data);
      if (msg.op === 'write') fileText.delete(msg.path);
      break;
    case 'signal':
      onSignal(msg.signal);
      break;
    case 'disconnected':
      if (process.connected) {
        process.connected = false;
        loop.invoke(() => process.emit('disconnect'));
      }
      break;
    case 'stats':
      ferrode.stats().then((s) => post({ t: 'stats', id: msg.id, ferrode: s, memory: memoryUsage() }));
      break;
    default:
      onChildMessage(msg);
  }
}

function onSignal(signal) {
  if (process.listenerCount(signal) > 0) {
    loop.invoke(() => process.emit(signal, signal));
    return;
  }
  exited = true;
  loop.stopLoop();
  post({ t: 'exit', code: null, signal });
}

function requireWorkerThreads() {
  return mods.requireBuiltin('worker_threads');
}

// ---------------------------------------------------------------- start
function readText(p) {
  if (!fsModule.existsSync(p)) return null;
  try {
    return fsModule.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

export async function start(startConfig, queued) {
  config = startConfig;
  for (const [p, data] of config.files) applyRemote('write', p, data);
  for (const dir of ['/app', '/tmp', '/home/user']) applyRemote('mkdir', dir);
  cwd = config.cwd ?? '/app';
  setFsNotifier((op, p, data) => {
    fileText.delete(p);
    post({ t: 'fs', op, path: p, data });
  });
  mods.configureFiles(
    (p) => {
      const t = readText(p);
      if (t !== null) fileText.set(p, t);
      return t;
    },
    (p) => fsModule.existsSync(p) && fsModule.statSync(p).isFile(),
  );
  ChildProcess = makeChildProcessClass();
  setupProcess();
  registerBuiltins();
  installGlobals();
  setupIpc();
  // Messages wait until the entry's synchronous part has run, so listeners
  // it adds see them (as in Node, where they arrive on a later turn).
  let ready = false;
  const waiting = [...queued];
  self.onmessage = (e) => (ready ? onMessage(e.data) : waiting.push(e.data));
  const becomeReady = () => {
    if (ready) return;
    ready = true;
    for (const m of waiting.splice(0)) onMessage(m);
  };
  globalThis.__ferrode.started = () => loop.setTimeoutNative(becomeReady, 0);
  loop.setIdleHandler(() => {
    if (exited) return;
    process.emit('beforeExit', Number(process.exitCode ?? 0));
    if (loop.pendingCount() === 0) exitNow();
  });
  post({ t: 'online' });
  const release = loop.hold();
  if ((config.eval === null || config.eval === undefined) && mods.isEsm(config.entry)) {
    try {
      await mods.runEsmMain(config.entry);
      loop.drainTicks();
    } catch (err) {
      if (!(err instanceof ExitSignal)) reportUncaught(err, null);
    } finally {
      becomeReady();
      release();
    }
    return;
  }
  // Not inside a try: a throw reaches the worker's 'error' event, which
  // knows where the throw statement is (Node prints that line).
  loop.setTimeoutNative(() => {
    try {
      if (config.eval !== null && config.eval !== undefined) {
        const file = '/app/[worker eval]';
        applyRemote('write', file, new TextEncoder().encode(config.eval));
        loop.invoke(() => mods.runCjsMain(file));
      } else {
        loop.invoke(() => mods.runCjsMain(config.entry));
      }
    } finally {
      becomeReady();
      release();
    }
  }, 0);
}
