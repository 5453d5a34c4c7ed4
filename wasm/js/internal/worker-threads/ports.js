// Node's MessagePort on top of the platform's: the native port object itself
// is given Node's methods (on/once/off/emit, ref/unref, close emitting 'close'
// on both ends) by switching its prototype, so it still clones and transfers
// natively, and a port received in a message is upgraded the same way.
//
// Messages are queued on the JS side until a 'message' listener is attached,
// which is what lets receiveMessageOnPort() take them synchronously. While
// both ends of a channel live in this thread and neither was transferred,
// postMessage() clones straight into the other end's queue (so
// `port1.postMessage(x); receiveMessageOnPort(port2)` works as in Node); a
// message from another thread can only be received once it has reached this
// thread's event loop.
import { EventEmitter } from '../../events.js';
import { codes, defineError } from '../errors.js';
import { keepAlive, letGo, poke } from './loop.js';

const { ERR_INVALID_ARG_TYPE } = codes;
const NativePort = globalThis.MessagePort;
const NativeChannel = globalThis.MessageChannel;
const NativeBroadcast = globalThis.BroadcastChannel;
const nativeAdd = NativePort?.prototype.addEventListener;
const nativePost = NativePort?.prototype.postMessage;
const nativeClose = NativePort?.prototype.close;
const nativeStart = NativePort?.prototype.start;

/** The marker a port sends its peer when it closes (a plain, cloneable object). */
export const CLOSE_NOTICE = 'ferrode:port-close';
const kState = Symbol('ferrode.port');

const later = (fn) => setTimeout(fn, 0);

function transferListOf(options) {
  if (options === undefined || options === null) return [];
  if (Array.isArray(options)) return options;
  if (typeof options === 'object' && Array.isArray(options.transfer)) return options.transfer;
  return [];
}

/** Marks ports in a transfer list as gone from this thread (they now live elsewhere). */
export function noteTransferred(list) {
  for (const item of list) {
    const st = item?.[kState];
    if (!st || st.detached) continue;
    flushLocalQueue(item, st);
    st.detached = true;
    st.closed = true;
    letGo(item);
  }
}

// A port with a local peer is about to leave this thread: what the peer
// already put in its local queue is re-sent through the native channel, ahead
// of anything later, so it travels with the port. The link ends here.
function flushLocalQueue(port, st) {
  const peer = st.peer;
  if (!peer) return;
  peer[kState].peer = null;
  st.peer = null;
  for (const value of st.queue.splice(0)) nativePost.call(peer, value);
}

function deliver(port, st) {
  while (st.queue.length > 0 && !st.closed && st.ee.listenerCount('message') > 0) {
    const value = st.queue.shift();
    st.ee.emit('message', value);
  }
  // A once() listener may just have gone.
  refresh(port, st);
  poke();
}

function scheduleDeliver(port, st) {
  if (st.scheduled) return;
  st.scheduled = true;
  later(() => {
    st.scheduled = false;
    deliver(port, st);
  });
}

function startNative(port, st) {
  if (st.nativeStarted || st.detached || st.transport) return;
  st.nativeStarted = true;
  nativeAdd.call(port, 'message', (ev) => {
    if (isCloseNotice(ev.data)) {
      closeLocally(port, st);
      return;
    }
    for (const p of ev.ports ?? []) upgradePort(p);
    st.queue.push(ev.data);
    deliver(port, st);
  });
  nativeAdd.call(port, 'messageerror', (ev) => {
    st.ee.emit('messageerror', ev.data ?? new Error('Message could not be deserialized'));
  });
  nativeStart.call(port);
}

function isCloseNotice(data) {
  return data !== null && typeof data === 'object' && data[CLOSE_NOTICE] === true && Object.keys(data).length === 1;
}

function closeLocally(port, st) {
  if (st.closed) return;
  st.closed = true;
  letGo(port);
  if (!st.transport) nativeClose.call(port);
  later(() => {
    st.ee.emit('close');
    poke();
  });
}

function refresh(port, st) {
  if (!st.closed && st.refed && st.ee.listenerCount('message') > 0) keepAlive(port);
  else letGo(port);
}

function onListenerChange(port, st, type) {
  if (type === 'close') startNative(port, st);
  if (type !== 'message') return;
  refresh(port, st);
  if (st.ee.listenerCount('message') > 0) {
    startNative(port, st);
    scheduleDeliver(port, st);
  } else {
    poke();
  }
}

/** Node's MessagePort methods, put on native ports' prototype chain. */
class NodeMessagePort {
  postMessage(value, transferList) {
    const st = this[kState];
    const list = transferListOf(transferList);
    if (st.closed) return;
    if (st.transport) {
      st.transport.post(value, list);
      noteTransferred(list);
      return;
    }
    const peer = st.peer;
    if (peer && !list.some((t) => t?.[kState])) {
      // Both ends are here: clone into the peer's queue (Node's sync semantics).
      const copy = structuredClone(value, { transfer: list });
      const pst = peer[kState];
      pst.queue.push(copy);
      scheduleDeliver(peer, pst);
      return;
    }
    if (peer) flushLocalQueue(peer, peer[kState]);
    nativePost.call(this, value, list);
    noteTransferred(list);
  }

  close() {
    const st = this[kState];
    if (st.closed) return;
    const peer = st.peer;
    if (st.transport) {
      st.transport.close();
    } else if (peer) {
      closeLocally(peer, peer[kState]);
    } else {
      try {
        nativePost.call(this, { [CLOSE_NOTICE]: true });
      } catch {
        // Already disentangled: nothing to tell.
      }
    }
    closeLocally(this, st);
  }

  start() {
    const st = this[kState];
    startNative(this, st);
    scheduleDeliver(this, st);
  }

  ref() {
    const st = this[kState];
    st.refed = true;
    refresh(this, st);
    return this;
  }

  unref() {
    const st = this[kState];
    st.refed = false;
    refresh(this, st);
    poke();
    return this;
  }

  hasRef() {
    const st = this[kState];
    return !st.closed && st.refed && st.ee.listenerCount('message') > 0;
  }

  addEventListener(type, listener, options) {
    const st = this[kState];
    if (typeof listener !== 'function' && typeof listener?.handleEvent !== 'function') return;
    const call = typeof listener === 'function' ? listener : (e) => listener.handleEvent(e);
    const wrapper = (data) => {
      const event = type === 'close' ? new Event('close') : new MessageEvent(type, { data });
      call.call(this, event);
    };
    wrapper.listener = listener;
    if (options?.once) st.ee.once(type, wrapper);
    else st.ee.on(type, wrapper);
    onListenerChange(this, st, type);
  }

  removeEventListener(type, listener) {
    const st = this[kState];
    const found = st.ee.rawListeners(type).find((w) => w.listener === listener || w.listener?.listener === listener);
    if (found) st.ee.removeListener(type, found);
    onListenerChange(this, st, type);
  }

  set onmessage(fn) {
    const st = this[kState];
    if (st.onmessage) this.removeEventListener('message', st.onmessage);
    st.onmessage = typeof fn === 'function' ? fn : null;
    if (st.onmessage) this.addEventListener('message', st.onmessage);
  }

  get onmessage() {
    return this[kState].onmessage ?? null;
  }
}

// EventEmitter's methods, forwarded to the port's own emitter and returning the port.
for (const name of [
  'on',
  'addListener',
  'once',
  'prependListener',
  'prependOnceListener',
  'off',
  'removeListener',
  'removeAllListeners',
]) {
  NodeMessagePort.prototype[name] = function (...args) {
    const st = this[kState];
    st.ee[name](...args);
    onListenerChange(this, st, name === 'removeAllListeners' ? (args[0] ?? 'message') : args[0]);
    return this;
  };
}
for (const name of [
  'emit',
  'listenerCount',
  'listeners',
  'rawListeners',
  'eventNames',
  'setMaxListeners',
  'getMaxListeners',
]) {
  NodeMessagePort.prototype[name] = function (...args) {
    const out = this[kState].ee[name](...args);
    return out === this[kState].ee ? this : out;
  };
}

const portProto = NativePort ? Object.create(NativePort.prototype) : null;
if (portProto) {
  for (const key of Object.getOwnPropertyNames(NodeMessagePort.prototype)) {
    if (key === 'constructor') continue;
    Object.defineProperty(portProto, key, Object.getOwnPropertyDescriptor(NodeMessagePort.prototype, key));
  }
}

function freshState() {
  return {
    ee: new EventEmitter(),
    queue: [],
    closed: false,
    detached: false,
    nativeStarted: false,
    scheduled: false,
    refed: true,
    peer: null,
    onmessage: null,
    transport: null,
  };
}

/**
 * A MessagePort whose other end is reached through `transport`
 * ({ post(value, transferList), close() }): a Worker's `parentPort`.
 * `receive(event)` hands it a native message event from that transport.
 */
export function createTransportPort(transport) {
  const port = Object.create(portProto ?? NodeMessagePort.prototype);
  const st = freshState();
  st.transport = transport;
  Object.defineProperty(port, kState, { value: st });
  const receive = (ev) => {
    if (st.closed) return;
    for (const p of ev.ports ?? []) upgradePort(p);
    st.queue.push(ev.data.v);
    deliver(port, st);
  };
  return { port, receive, closeLocally: () => closeLocally(port, st) };
}

/** Gives a native MessagePort Node's methods (idempotent); returns it. */
export function upgradePort(port) {
  if (!portProto || port === null || typeof port !== 'object' || port[kState]) return port;
  Object.setPrototypeOf(port, portProto);
  Object.defineProperty(port, kState, { value: freshState() });
  return port;
}

/** Whether `value` is a port this module manages. */
export function isNodePort(value) {
  return value !== null && typeof value === 'object' && value[kState] !== undefined;
}

const ERR_CONSTRUCT_CALL_INVALID = defineError('ERR_CONSTRUCT_CALL_INVALID', 'Constructor cannot be called', TypeError);

/** Node's MessagePort: not constructible, as in Node; `instanceof` works for upgraded ports. */
export function MessagePort() {
  throw new ERR_CONSTRUCT_CALL_INVALID();
}
if (portProto) {
  MessagePort.prototype = portProto;
  Object.defineProperty(portProto, 'constructor', { value: MessagePort, writable: true, configurable: true });
}

/** Node's MessageChannel: two entangled MessagePorts. */
export class MessageChannel {
  constructor() {
    const native = new NativeChannel();
    this.port1 = upgradePort(native.port1);
    this.port2 = upgradePort(native.port2);
    this.port1[kState].peer = this.port2;
    this.port2[kState].peer = this.port1;
  }
}

/** Node's receiveMessageOnPort: the oldest queued message as `{ message }`, or undefined. */
export function receiveMessageOnPort(port) {
  if (!isNodePort(port)) throw new ERR_INVALID_ARG_TYPE('port', 'MessagePort', port);
  const st = port[kState];
  startNative(port, st);
  if (st.queue.length === 0) return undefined;
  return { message: st.queue.shift() };
}

/** Node's BroadcastChannel: the platform's, plus ref()/unref() for the thread's lifetime. */
export class BroadcastChannel extends (NativeBroadcast ?? class {}) {
  #refed = true;
  #listening = false;

  constructor(name) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('name');
    super(`${name}`);
  }

  #update() {
    if (this.#refed && this.#listening) keepAlive(this);
    else letGo(this);
    poke();
  }

  set onmessage(fn) {
    super.onmessage = fn;
    this.#listening = typeof fn === 'function';
    this.#update();
  }

  get onmessage() {
    return super.onmessage;
  }

  addEventListener(type, listener, options) {
    super.addEventListener(type, listener, options);
    if (type === 'message') {
      this.#listening = true;
      this.#update();
    }
  }

  close() {
    super.close();
    this.#listening = false;
    this.#update();
  }

  ref() {
    this.#refed = true;
    this.#update();
    return this;
  }

  unref() {
    this.#refed = false;
    this.#update();
    return this;
  }
}
