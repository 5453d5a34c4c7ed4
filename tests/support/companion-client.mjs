// Reference client of the companion's protocol (server/PROTOCOL.md). It runs in
// browsers and in Node (no node: imports): pass a WebSocket constructor when the
// platform has none. The playground's http/net/child_process modules can build
// Node's exact API on top of it; this file gives the raw events.

class Emitter {
  constructor() {
    this._l = new Map();
  }
  on(name, fn) {
    if (!this._l.has(name)) this._l.set(name, []);
    this._l.get(name).push(fn);
    return this;
  }
  once(name, fn) {
    const w = (...a) => {
      this.off(name, w);
      fn(...a);
    };
    return this.on(name, w);
  }
  off(name, fn) {
    const a = this._l.get(name);
    if (a)
      this._l.set(
        name,
        a.filter((f) => f !== fn),
      );
    return this;
  }
  emit(name, ...args) {
    const a = this._l.get(name);
    if (!a || a.length === 0) return false;
    for (const f of [...a]) f(...args);
    return true;
  }
}

const enc = new TextEncoder();

function toBytes(chunk) {
  if (typeof chunk === 'string') return enc.encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('chunk must be a string, ArrayBuffer or ArrayBufferView');
}

/** Rebuilds an Error of Node's shape from the companion's JSON. */
export function toError(e) {
  const err = new Error(e.message);
  for (const [k, v] of Object.entries(e)) if (k !== 'message') err[k] = v;
  return err;
}

function concat(chunks) {
  const n = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** One channel's sending side. */
class Channel extends Emitter {
  constructor(companion, id) {
    super();
    this.companion = companion;
    this.id = id;
  }
  write(chunk, stream = 0) {
    this.companion._data(this.id, stream, toBytes(chunk));
    return true;
  }
  end(chunk) {
    if (chunk !== undefined) this.write(chunk);
    this.companion._send({ t: 'end', id: this.id });
    // An exchange the page ended gets no 'close' from the server.
    if (this.incoming === 'request') this.companion.channels.delete(this.id);
  }
  destroy() {
    this.companion._send({ t: 'destroy', id: this.id });
  }
}

/** A connection to the companion: `await Companion.connect(url)`. */
export class Companion extends Emitter {
  /**
   * @param {string} url the printed URL (`http://host:port/#token=T`), or the origin with `opts.token`
   * @param {{ WebSocket?: Function, token?: string, wsOptions?: object }} [opts] a WebSocket
   *   constructor other than the browser's (tests/support/ws-node.mjs) gets `wsOptions` with the
   *   subprotocol header added; the browser's gets the subprotocols
   */
  static connect(url, opts = {}) {
    const u = new URL(url);
    const token = opts.token ?? new URLSearchParams(u.hash.slice(1)).get('token') ?? u.searchParams.get('token');
    const WS = opts.WebSocket ?? globalThis.WebSocket;
    const wsUrl = `ws://${u.host}/api/ws`;
    // The token travels as a WebSocket subprotocol (a browser's WebSocket can set no header),
    // never in the URL or a cookie; the companion selects and echoes `ferrode` only.
    const protocols = token ? ['ferrode', `ferrode-token.${token}`] : ['ferrode'];
    const ws = opts.WebSocket
      ? new WS(wsUrl, {
          ...opts.wsOptions,
          headers: { ...opts.wsOptions?.headers, 'sec-websocket-protocol': protocols.join(', ') },
        })
      : new WS(wsUrl, protocols);
    ws.binaryType = 'arraybuffer';
    const c = new Companion(ws, `http://${u.host}`, token);
    return new Promise((resolve, reject) => {
      ws.onerror = (e) => reject(new Error(`companion WebSocket failed: ${e.message ?? e.type}`));
      c.once('hello', (h) => {
        c.info = h;
        ws.onerror = (e) => c.emit('error', e);
        resolve(c);
      });
    });
  }

  constructor(ws, origin, token) {
    super();
    this.ws = ws;
    this.origin = origin;
    this.token = token;
    this.channels = new Map();
    this.nextId = 1;
    ws.onmessage = (ev) => this._onMessage(ev.data);
    ws.onclose = () => {
      for (const ch of this.channels.values()) ch.emit('close', { gone: true });
      this.channels.clear();
      this.emit('close');
    };
  }

  _send(msg) {
    this.ws.send(JSON.stringify(msg));
  }

  _data(id, stream, bytes) {
    const frame = new Uint8Array(5 + bytes.length);
    new DataView(frame.buffer).setUint32(0, id);
    frame[4] = stream;
    frame.set(bytes, 5);
    this.ws.send(frame);
  }

  _open(msg) {
    const id = this.nextId++;
    const ch = new Channel(this, id);
    this.channels.set(id, ch);
    this._send({ ...msg, id });
    return ch;
  }

  _onMessage(data) {
    if (typeof data !== 'string') {
      const view = new DataView(data);
      const id = view.getUint32(0);
      const stream = view.getUint8(4);
      const ch = this.channels.get(id);
      if (ch) ch.emit('data', new Uint8Array(data, 5), stream);
      return;
    }
    const msg = JSON.parse(data);
    if (msg.t === 'hello') return this.emit('hello', msg);
    if (msg.t === 'connection' || msg.t === 'request') {
      const server = this.channels.get(msg.id);
      const sid = msg.t === 'connection' ? msg.conn : msg.req;
      const ch = new Channel(this, sid);
      ch.incoming = msg.t;
      this.channels.set(sid, ch);
      if (server) server.emit(msg.t, ch, msg);
      // A request without a body arrives ended.
      if (msg.t === 'request' && msg.end) ch.emit('end', { t: 'end', id: sid });
      return;
    }
    const ch = this.channels.get(msg.id);
    if (!ch) return this.emit('orphan', msg);
    if (msg.t === 'error') ch.emit('error', toError(msg.error));
    else ch.emit(msg.t, msg);
    if (msg.t === 'close') this.channels.delete(msg.id);
  }

  /**
   * Starts a process. Events: 'spawned' {pid}, 'data' (bytes, 1|2), 'exit' {code, signal},
   * 'close' {code, signal}, 'error' (Error). `ch.write(x)` feeds stdin, `ch.end()` closes it.
   */
  spawn(file, args = [], opts = {}) {
    const ch = this._open({ t: 'spawn', file, args, ...opts });
    ch.kill = (signal = 'SIGTERM') => this._send({ t: 'kill', id: ch.id, signal });
    return ch;
  }

  /** Runs to the end, collecting output; resolves { code, signal, stdout, stderr, error? }. */
  run(file, args = [], opts = {}, { maxBuffer = 1024 * 1024 } = {}) {
    return new Promise((resolve) => {
      const ch = this.spawn(file, args, opts);
      const out = { 1: [], 2: [] };
      const len = { 1: 0, 2: 0 };
      let error;
      ch.on('data', (b, fd) => {
        len[fd] += b.length;
        if (len[fd] > maxBuffer && !error) {
          const which = fd === 1 ? 'stdout' : 'stderr';
          error = toError({ code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER', message: `${which} maxBuffer length exceeded` });
          ch.kill(opts.killSignal ?? 'SIGTERM');
        }
        out[fd].push(b.slice());
      });
      ch.on('error', (e) => (error ??= e));
      ch.on('close', (m) => {
        const dec = new TextDecoder();
        resolve({
          pid: ch.pid,
          code: m.code,
          signal: m.signal,
          stdout: dec.decode(concat(out[1])).slice(0, maxBuffer),
          stderr: dec.decode(concat(out[2])).slice(0, maxBuffer),
          error,
        });
      });
      ch.on('spawned', (m) => (ch.pid = m.pid));
    });
  }

  /** `spawnSync` over HTTP: the body a page worker would send with a synchronous XHR. */
  async spawnSync(file, args = [], opts = {}) {
    const body = { file, args, ...opts };
    if (opts.input !== undefined) body.input = btoa(String.fromCharCode(...toBytes(opts.input)));
    const res = await fetch(`${this.origin}/api/spawn-sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ferrode-token': this.token },
      body: JSON.stringify(body),
    });
    const r = await res.json();
    const dec = (s) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
    return { ...r, stdout: dec(r.stdout), stderr: dec(r.stderr), error: r.error && toError(r.error) };
  }

  /**
   * Listens on a real port. kind 'net' | 'http' | 'https' (https needs key and cert PEM).
   * Resolves the channel once listening ({ port, address }); it emits 'connection' (conn channel, info)
   * for net and 'request' (req channel, head) for http(s); answer with `respond(req, status, headers)`
   * then `req.write(...)`/`req.end()`.
   */
  listen(opts) {
    const ch = this._open({ t: 'listen', ...opts });
    return new Promise((resolve, reject) => {
      ch.once('listening', (m) => {
        ch.port = m.port;
        ch.address = m.address;
        ch.close = () =>
          new Promise((done) => {
            ch.once('close', done);
            this._send({ t: 'unlisten', id: ch.id });
          });
        resolve(ch);
      });
      ch.once('error', reject);
    });
  }

  /**
   * The head of a response to an incoming request. With `{ end: true, data: 'text' }` it is the
   * whole response in one message (then do not call req.end()).
   */
  respond(req, status, headers = [], statusMessage, { end = false, data } = {}) {
    this._send({ t: 'respond', id: req.id, status, headers, statusMessage, end, data });
    if (end) this.channels.delete(req.id);
  }

  /** Outbound TCP; resolves the connected channel ('data', 'end', 'close', 'error'). */
  connect(port, host = 'localhost', opts = {}) {
    const ch = this._open({ t: 'connect', port, host, ...opts });
    return new Promise((resolve, reject) => {
      ch.once('connect', (m) => {
        ch.info = m;
        resolve(ch);
      });
      ch.once('error', reject);
    });
  }

  /**
   * Outbound HTTP(S) request: `opts` like http.request's ({ protocol, hostname, port, method, path,
   * headers, rejectUnauthorized }). The channel emits 'response' (head), 'data', 'end', 'close', 'error';
   * write the body with ch.write() and finish with ch.end() (as req.end()).
   */
  request(opts) {
    return this._open({ t: 'request', ...opts });
  }

  /** Collects a whole response; resolves { statusCode, statusMessage, headers, body } or rejects. */
  fetchAll(opts, body) {
    return new Promise((resolve, reject) => {
      const ch = this.request(opts);
      let head;
      const chunks = [];
      ch.on('response', (m) => (head = m));
      ch.on('data', (b) => chunks.push(b.slice()));
      ch.on('error', reject);
      ch.on('end', () => resolve({ ...head, body: concat(chunks) }));
      ch.end(body);
    });
  }

  close() {
    this.ws.close();
  }
}
