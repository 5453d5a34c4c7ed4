// ferrode/worker_threads: Node 20's worker_threads on Web Workers (under
// Node, the package's `node` condition gives the real module instead).
//
// A Worker is a module Web Worker running ./internal/worker-threads/bootstrap.js,
// which loads the user's script (a URL or `eval` source, CommonJS or ESM) with
// `require`/`import` of ferrode's modules working. The parent and the worker
// talk over the native worker channel with small envelopes, so user messages,
// errors and the exit arrive in the order they were sent.
//
// What browsers cannot give, and how it shows here:
// - resourceLimits cannot be set on a Web Worker: the option is validated and
//   not applied, and every limit is reported as -1 (none).
// - a thread ends (exit code 0) when nothing it is known to wait on is left:
//   ref'd timers, ports with 'message' listeners, child Workers (see
//   ./internal/worker-threads/loop.js). A pending promise alone does not keep
//   it alive, as in Node.
// - receiveMessageOnPort() sees messages that have reached this thread's event
//   loop (or were posted from this thread): a thread blocked in Atomics.wait
//   does not receive.
import { EventEmitter } from './events.js';
import { codes, defineError } from './internal/errors.js';
import { validateObject } from './internal/validators.js';
import {
  BroadcastChannel,
  MessageChannel,
  MessagePort,
  createTransportPort,
  noteTransferred,
  receiveMessageOnPort,
  upgradePort,
} from './internal/worker-threads/ports.js';
import { keepAlive, letGo, poke, onIdle, liveHandles } from './internal/worker-threads/loop.js';
import { packageModules, adoptPackageModules } from './internal/worker-threads/modules.js';
import { serializeError, deserializeError } from './internal/worker-threads/serdes.js';

const { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE } = codes;
const ERR_WORKER_PATH = defineError(
  'ERR_WORKER_PATH',
  (filename) =>
    "The worker script or module filename must be an absolute path or a relative path starting with './' or " +
    `'../'. Received "${filename}"`,
  TypeError,
);
const ERR_WORKER_INIT_FAILED = defineError(
  'ERR_WORKER_INIT_FAILED',
  (why) => `Worker initialization failure: ${why}`,
  Error,
);

const THREAD = Symbol.for('ferrode.worker_threads.thread');
const thread = globalThis[THREAD] ?? null;
const NativeWorker = globalThis.Worker;
const BOOTSTRAP = new URL('./internal/worker-threads/bootstrap.js', import.meta.url).href;

if (thread?.moduleMap) adoptPackageModules(thread.moduleMap);
// Ports that came with workerData get Node's methods before user code sees them.
for (const port of thread?.initPorts ?? []) upgradePort(port);

/** Whether this code runs outside any Worker. */
export const isMainThread = thread === null;
/** This thread's id: 0 on the main thread. */
export const threadId = thread?.threadId ?? 0;
/** The clone of the `workerData` option this Worker was started with (null on the main thread). */
export const workerData = thread ? thread.workerData : null;
/** Limits in force in this thread: browsers let a page set none, so none are reported. */
export const resourceLimits = thread ? noLimits() : {};
/** Node's marker for sharing process.env (there is no process.env to share here). */
export const SHARE_ENV = Symbol.for('nodejs.worker_threads.SHARE_ENV');

function noLimits() {
  return { maxYoungGenerationSizeMb: -1, maxOldGenerationSizeMb: -1, codeRangeSizeMb: -1, stackSizeMb: -1 };
}

// Thread ids are unique across the page when threads can share a counter.
const idCounter =
  thread?.idCounter ??
  (typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true
    ? new Int32Array(new SharedArrayBuffer(4))
    : null);
let localIds = 0;
function nextThreadId() {
  if (idCounter) return Atomics.add(idCounter, 0, 1) + 1;
  // Without shared memory, a nested thread's ids live in its own range.
  localIds += 1;
  return threadId === 0 ? localIds : threadId * 1000 + localIds;
}

const environmentData = new Map(thread?.environmentData ?? []);

/** Node's setEnvironmentData: copied into every Worker started from this thread afterwards. */
export function setEnvironmentData(key, value) {
  if (value === undefined) environmentData.delete(key);
  else environmentData.set(key, value);
}

/** Node's getEnvironmentData. */
export function getEnvironmentData(key) {
  return environmentData.get(key);
}

/** The worker's end of the channel to its parent (null on the main thread). */
export const parentPort = (() => {
  if (thread === null) return null;
  const { port, receive, closeLocally } = createTransportPort({
    post(value, list) {
      globalThis.postMessage({ t: 'm', v: value }, list);
    },
    close() {
      thread.parentClosed = true;
    },
  });
  thread.receiveFromParent = receive;
  thread.closeParentPort = closeLocally;
  for (const ev of thread.early.splice(0)) receive(ev);
  return port;
})();

if (thread) thread.internals = { keepAlive, letGo, poke, onIdle, liveHandles, upgradePort };

function resolveFilename(filename, options) {
  if (options.eval) {
    if (typeof filename !== 'string') {
      throw new ERR_INVALID_ARG_VALUE('options.eval', options.eval, "must be false when 'filename' is not a string");
    }
    return null;
  }
  if (filename instanceof URL || Object.prototype.toString.call(filename) === '[object URL]') {
    return String(filename);
  }
  if (typeof filename !== 'string') throw new ERR_INVALID_ARG_TYPE('filename', ['string', 'URL'], filename);
  if (!filename.startsWith('/') && !/^\.\.?[\\/]/.test(filename)) throw new ERR_WORKER_PATH(filename);
  // Node resolves against the working directory; here the page (or the
  // script of the thread that starts the Worker) plays that part.
  const base = thread?.baseURL ?? globalThis.document?.baseURI ?? globalThis.location?.href;
  return new URL(filename.replaceAll('\\', '/'), base).href;
}

function transferListOf(options) {
  const list = options?.transferList;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ERR_INVALID_ARG_TYPE('options.transferList', 'Array', list);
  return list;
}

const kNative = Symbol('kNative');
const kExited = Symbol('kExited');
const kExitCode = Symbol('kExitCode');
const kFinish = Symbol('kFinish');
const kRefed = Symbol('kRefed');

/** Node's Worker, on a module Web Worker. */
export class Worker extends EventEmitter {
  constructor(filename, options = {}) {
    super();
    if (options === null || typeof options !== 'object') options = {};
    if (options.resourceLimits !== undefined) validateObject(options.resourceLimits, 'options.resourceLimits');
    const url = resolveFilename(filename, options);
    if (typeof NativeWorker !== 'function') {
      // A browser that cannot start nested workers, for one.
      throw new ERR_WORKER_INIT_FAILED('this platform has no Web Workers here');
    }
    const transferList = transferListOf(options);
    this.threadId = nextThreadId();
    this[kExited] = false;
    this[kExitCode] = undefined;
    this[kRefed] = true;
    const init = {
      t: 'init',
      threadId: this.threadId,
      url,
      source: options.eval ? String(filename) : null,
      workerData: options.workerData,
      environmentData: [...environmentData],
      baseURL: url ?? thread?.baseURL ?? globalThis.document?.baseURI ?? globalThis.location?.href,
      argv: Array.isArray(options.argv) ? options.argv.map(String) : [],
      idCounter,
      build: buildChoice(),
    };
    const native = new NativeWorker(BOOTSTRAP, { type: 'module', name: options.name ? String(options.name) : '' });
    this[kNative] = native;
    native.onmessage = (ev) => this.#onMessage(ev);
    native.onmessageerror = () => {
      this.emit('messageerror', new Error('Message could not be deserialized'));
    };
    native.onerror = (ev) => {
      // The bootstrap itself failed to load (a network error, say).
      ev.preventDefault?.();
      if (this[kExited]) return;
      this.emit('error', new Error(ev.message || 'The worker failed to start'));
      this[kFinish](1);
    };
    try {
      native.postMessage(init, transferList);
    } catch (e) {
      native.terminate();
      throw asNodeCloneError(e);
    }
    noteTransferred(transferList);
    keepAlive(this);
    packageModules().then(
      (map) => {
        if (!this[kExited]) native.postMessage({ t: 'modules', map });
      },
      (err) => {
        if (this[kExited]) return;
        this.emit('error', err);
        this[kFinish](1);
      },
    );
  }

  #onMessage(ev) {
    const d = ev.data;
    if (this[kExited] || d === null || typeof d !== 'object') return;
    switch (d.t) {
      case 'online':
        this.emit('online');
        break;
      case 'm':
        for (const p of ev.ports ?? []) upgradePort(p);
        this.emit('message', d.v);
        break;
      case 'error':
        this.emit('error', deserializeError(d.error));
        break;
      case 'exit':
        this[kFinish](d.code);
        break;
      default:
        break;
    }
  }

  [kFinish](code) {
    if (this[kExited]) return;
    this[kExited] = true;
    this[kExitCode] = code;
    this[kNative].terminate();
    this[kNative].onmessage = null;
    letGo(this);
    this.threadId = -1;
    this.emit('exit', code);
    poke();
  }

  /** Sends a message to the worker's `parentPort`. */
  postMessage(value, transferList) {
    if (this[kExited]) return;
    const list = Array.isArray(transferList) ? transferList : (transferList?.transfer ?? []);
    try {
      this[kNative].postMessage({ t: 'm', v: value }, list);
    } catch (e) {
      throw asNodeCloneError(e);
    }
    noteTransferred(list);
  }

  /** Stops the worker; resolves with the exit code once 'exit' was emitted. */
  terminate(callback) {
    if (typeof callback === 'function') {
      this.once('exit', (code) => setTimeout(() => callback(null, code), 0));
    }
    if (this[kExited]) return Promise.resolve(undefined);
    const done = new Promise((resolve) => this.once('exit', resolve));
    this[kNative].terminate();
    setTimeout(() => this[kFinish](1), 0);
    return done;
  }

  /** Lets this thread end while the Worker runs (matters inside other Workers). */
  unref() {
    this[kRefed] = false;
    letGo(this);
    poke();
  }

  /** Undoes unref(). */
  ref() {
    this[kRefed] = true;
    if (!this[kExited]) keepAlive(this);
  }

  /** The limits in force in the worker: browsers apply none, so none are reported. */
  get resourceLimits() {
    return this[kExited] ? {} : noLimits();
  }

  /** null, as in Node without the `stdin: true` option (which is not supported here). */
  get stdin() {
    return null;
  }
}

// V8 says "<value> could not be cloned." in both; the browser prefixes which call failed.
function asNodeCloneError(e) {
  if (e?.name !== 'DataCloneError' || typeof DOMException !== 'function') return e;
  return new DOMException(String(e.message).replace(/^Failed to execute '[^']+' on '[^']+': /, ''), 'DataCloneError');
}

// The wasm build the parent runs, so that the worker loads the same one.
function buildChoice() {
  const threads = globalThis[Symbol.for('ferrode.threads')];
  if (threads) return { threaded: threads.threaded, poolSize: threads.poolSize };
  return { threaded: globalThis.__FERRODE_THREADS__ !== false, poolSize: globalThis.__FERRODE_POOL_SIZE__ };
}

export { MessageChannel, MessagePort, BroadcastChannel, receiveMessageOnPort };

/** The module as one object, shaped like `require('worker_threads')`. */
export default {
  isMainThread,
  MessagePort,
  MessageChannel,
  BroadcastChannel,
  Worker,
  parentPort,
  receiveMessageOnPort,
  resourceLimits,
  SHARE_ENV,
  setEnvironmentData,
  getEnvironmentData,
  threadId,
  workerData,
};
