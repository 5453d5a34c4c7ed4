// The process's connection to the companion server (server/PROTOCOL.md): one
// WebSocket per process (per Web Worker), opened on first use. When the
// worker ends (exit, Stop), the socket closes and the companion ends what the
// process opened there: listeners, sockets, child processes.
import * as loop from './loop.js';

let conn = null;

/**
 * The companion's access token: the page hands it to each worker in the fragment of the
 * worker's script URL (`runtime.js#token=…`); never a cookie, which every server on the
 * host would receive.
 */
function token() {
  const hash = self.location?.hash ?? '';
  return new URLSearchParams(hash.slice(1)).get('token');
}

/** A JSON error of the companion rebuilt as an Error of Node's shape. */
export function toError(e) {
  const err = new Error(e?.message ?? 'companion error');
  for (const [k, v] of Object.entries(e ?? {})) if (k !== 'message') err[k] = v;
  return err;
}

function frame(id, stream, bytes) {
  const out = new Uint8Array(5 + bytes.byteLength);
  new DataView(out.buffer).setUint32(0, id);
  out[4] = stream;
  out.set(bytes, 5);
  return out;
}

class Connection {
  constructor() {
    const scheme = self.location.protocol === 'https:' ? 'wss' : 'ws';
    // A browser's WebSocket can send no header of its own: the token goes as a subprotocol,
    // next to `ferrode` (the one the companion selects and echoes).
    const t = token();
    const protocols = t ? ['ferrode', `ferrode-token.${t}`] : ['ferrode'];
    this.ws = new WebSocket(`${scheme}://${self.location.host}/api/ws`, protocols);
    this.ws.binaryType = 'arraybuffer';
    this.ready = false;
    this.gone = false;
    this.queue = [];
    this.channels = new Map();
    this.nextId = 1;
    this.ws.onmessage = (e) => this.receive(e.data);
    this.ws.onclose = () => this.closed();
    this.ws.onerror = () => {};
  }

  rawSend(payload) {
    if (this.gone) return;
    if (this.ready) this.ws.send(payload);
    else this.queue.push(payload);
  }

  send(msg) {
    this.rawSend(JSON.stringify(msg));
  }

  /** Sends bytes on a channel (stream 0: stdin, socket or body data). */
  data(id, bytes, stream = 0) {
    const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.byteLength === 0) return;
    this.rawSend(frame(id, stream, view));
  }

  /** Opens a channel of the page's own: `handler` gets message(msg), data(bytes, stream), gone(err). */
  open(msg, handler) {
    const id = this.nextId++;
    this.channels.set(id, handler);
    this.send({ ...msg, id });
    return id;
  }

  /** Attaches a handler to a channel the server opened (a connection, a request). */
  attach(id, handler) {
    this.channels.set(id, handler);
  }

  drop(id) {
    this.channels.delete(id);
  }

  receive(data) {
    if (typeof data !== 'string') {
      const view = new DataView(data);
      if (view.byteLength < 5) return;
      const h = this.channels.get(view.getUint32(0));
      if (h) loop.invoke(() => h.data(new Uint8Array(data, 5), view.getUint8(4)));
      return;
    }
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg.t === 'hello') {
      this.ready = true;
      this.info = msg;
      for (const p of this.queue.splice(0)) this.ws.send(p);
      return;
    }
    const h = this.channels.get(msg.id);
    if (msg.t === 'close') this.channels.delete(msg.id);
    if (h) loop.invoke(() => h.message(msg));
  }

  closed() {
    this.gone = true;
    const err = toError({ code: 'ECONNRESET', message: 'the ferrode companion closed the connection' });
    const handlers = [...this.channels.values()];
    this.channels.clear();
    for (const h of handlers) loop.invoke(() => h.gone?.(err));
  }
}

/** The process's connection (opened on first use). */
export function connection() {
  conn ??= new Connection();
  return conn;
}

/** Headers that carry the token on a companion HTTP route. */
export function apiHeaders() {
  const t = token();
  return t ? { 'x-ferrode-token': t } : {};
}

/** URL of a companion HTTP route (the token goes in apiHeaders(), never in a URL). */
export function apiUrl(route) {
  return new URL(route, self.location.origin).href;
}
