// `net`, `http`, `https` and `child_process`'s spawn/exec/execFile (and the
// Sync forms) through the companion server: real ports and real processes,
// with Node's objects at the page's end (sockets, requests and responses
// are ferrode streams; errors keep the companion's Node-shaped fields). Only
// used when the page was served by the companion; otherwise core.js's
// versions say that the companion is needed.
import * as loop from './loop.js';
import { connection, toError, apiUrl, apiHeaders } from './companion.js';
import { codes } from './errors.js';

const STATUS_CODES = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
const METHODS = [
  'ACL',
  'BIND',
  'CHECKOUT',
  'CONNECT',
  'COPY',
  'DELETE',
  'GET',
  'HEAD',
  'LINK',
  'LOCK',
  'M-SEARCH',
  'MERGE',
  'MKACTIVITY',
  'MKCALENDAR',
  'MKCOL',
  'MOVE',
  'NOTIFY',
  'OPTIONS',
  'PATCH',
  'POST',
  'PROPFIND',
  'PROPPATCH',
  'PURGE',
  'PUT',
  'REBIND',
  'REPORT',
  'SEARCH',
  'SOURCE',
  'SUBSCRIBE',
  'TRACE',
  'UNBIND',
  'UNLINK',
  'UNLOCK',
  'UNSUBSCRIBE',
];

/** Node's `headers` object from [[name, value]] pairs: lower-case names, repeats joined (set-cookie: an array). */
function headersObject(pairs) {
  const out = {};
  for (const [name, value] of pairs ?? []) {
    const k = String(name).toLowerCase();
    if (k === 'set-cookie') (out[k] ??= []).push(value);
    else if (k in out) out[k] += `, ${value}`;
    else out[k] = value;
  }
  return out;
}

function headerPairs(headers) {
  if (!headers) return [];
  if (Array.isArray(headers)) {
    if (headers.length > 0 && !Array.isArray(headers[0])) {
      const pairs = [];
      for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), String(headers[i + 1])]);
      return pairs;
    }
    return headers.map(([k, v]) => [String(k), String(v)]);
  }
  const pairs = [];
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) pairs.push([k, String(x)]);
    else pairs.push([k, String(v)]);
  }
  return pairs;
}

/** Makes the companion-backed modules; `env` gives the runtime's pieces. */
export function makeCompanionModules(env) {
  const { ferrode, EventEmitter, ChildProcess, process, config, utilModule } = env;
  const { Readable, Writable, Duplex } = ferrode.get('stream');
  const { Buffer } = ferrode.get('buffer');
  const toBuffer = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const asBytes = (chunk, encoding) => (typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);

  // ------------------------------------------------------------ net.Socket
  class Socket extends Duplex {
    constructor(options = {}) {
      super({ allowHalfOpen: Boolean(options.allowHalfOpen), emitClose: false, decodeStrings: true });
      this._id = null;
      this.connecting = false;
      this.bytesRead = 0;
      this.bytesWritten = 0;
      this._release = null;
      this._serverGone = false;
      this._hadError = false;
      this._pendingWrite = null;
      this.remoteAddress = undefined;
      this.remotePort = undefined;
      this.remoteFamily = undefined;
      this.localAddress = undefined;
      this.localPort = undefined;
      this.on('end', () => {
        if (!this.allowHalfOpen && !this.writableEnded) this.end();
      });
    }

    _attach(id, info) {
      this._id = id;
      this._info(info);
      this._release ??= loop.hold();
      connection().attach(id, this._handler());
    }

    _info(m) {
      for (const k of ['remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort']) {
        if (m && m[k] !== undefined) this[k] = m[k];
      }
    }

    _handler() {
      return {
        data: (bytes) => {
          this.bytesRead += bytes.byteLength;
          this.push(toBuffer(bytes.slice()));
        },
        message: (m) => {
          if (m.t === 'connect') {
            this.connecting = false;
            this._info(m);
            const w = this._pendingWrite;
            this._pendingWrite = null;
            w?.();
            this.emit('connect');
            this.emit('ready');
          } else if (m.t === 'end') {
            this.push(null);
          } else if (m.t === 'error') {
            this._hadError = true;
            this._serverGone = true;
            this.destroy(toError(m.error));
          } else if (m.t === 'close') {
            this._serverGone = true;
            if (m.hadError) this._hadError = true;
            if (!this.destroyed) {
              if (!this.readableEnded) this.push(null);
              this.destroy();
            }
          }
        },
        gone: (err) => {
          this._serverGone = true;
          this.destroy(err);
        },
      };
    }

    connect(...args) {
      let options = args[0];
      const cb = args.find((a) => typeof a === 'function');
      if (options === null || typeof options !== 'object') {
        options = { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
      }
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new codes.ERR_SOCKET_BAD_PORT('Port', options.port, true);
      }
      if (cb) this.once('connect', cb);
      this.connecting = true;
      this._release ??= loop.hold();
      const msg = { t: 'connect', port, host: options.host ?? 'localhost' };
      if (options.timeout) msg.timeout = options.timeout;
      this._id = connection().open(msg, this._handler());
      return this;
    }

    _write(chunk, encoding, cb) {
      const send = () => {
        if (this._serverGone || this._id === null) {
          cb(toError({ code: 'EPIPE', message: 'This socket has been ended by the other party' }));
          return;
        }
        this.bytesWritten += chunk.byteLength;
        connection().data(this._id, chunk);
        cb();
      };
      if (this.connecting) this._pendingWrite = send;
      else send();
    }

    _final(cb) {
      const fin = () => {
        if (!this._serverGone && this._id !== null) connection().send({ t: 'end', id: this._id });
        cb();
      };
      if (this.connecting) this.once('connect', fin);
      else fin();
    }

    _read() {}

    _destroy(err, cb) {
      if (this._id !== null && !this._serverGone) {
        connection().send({ t: 'destroy', id: this._id });
        connection().drop(this._id);
      }
      this._serverGone = true;
      const release = this._release;
      this._release = null;
      const hadError = Boolean(err) || this._hadError;
      cb(err);
      loop.nextTick(() => {
        this.emit('close', hadError);
        release?.();
      });
    }

    address() {
      return this.localPort === undefined ? {} : { address: this.localAddress, family: 'IPv4', port: this.localPort };
    }
    setEncoding(enc) {
      return super.setEncoding(enc);
    }
    setKeepAlive() {
      return this;
    }
    setNoDelay() {
      return this;
    }
    setTimeout(ms, cb) {
      if (cb) this.once('timeout', cb);
      return this;
    }
    ref() {
      this._release ??= this.destroyed ? null : loop.hold();
      return this;
    }
    unref() {
      this._release?.();
      this._release = null;
      return this;
    }
    get readyState() {
      if (this.connecting) return 'opening';
      if (this.readable && this.writable) return 'open';
      if (this.readable) return 'readOnly';
      if (this.writable) return 'writeOnly';
      return 'closed';
    }
  }

  // ------------------------------------------------------------ servers
  function listenArgs(args) {
    const cb = args.find((a) => typeof a === 'function');
    let port = 0;
    const first = args[0];
    if (first !== null && typeof first === 'object') port = first.port ?? 0;
    else if (first !== undefined && typeof first !== 'function') port = first;
    if (typeof port === 'string' && /^\d+$/.test(port)) port = Number(port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new codes.ERR_SOCKET_BAD_PORT('options.port', port, true);
    }
    return { port, cb };
  }

  class Server extends EventEmitter {
    constructor(kind, options, listener, event) {
      super();
      this._kind = kind;
      this._options = options ?? {};
      if (typeof listener === 'function') this.on(event, listener);
      this.listening = false;
      this._id = null;
      this._address = null;
      this._release = null;
      this._connections = new Set();
    }

    listen(...args) {
      const { port, cb } = listenArgs(args);
      if (this.listening || this._id !== null) throw new codes.ERR_SERVER_ALREADY_LISTEN();
      if (cb) this.once('listening', cb);
      const msg = { t: 'listen', kind: this._kind, port };
      // The page's cluster workers share the ports they listen on, as Node's do.
      if (config.clusterGroup) msg.group = config.clusterGroup;
      if (this._kind === 'https') {
        msg.key = String(this._options.key ?? '');
        msg.cert = String(this._options.cert ?? '');
      }
      this._release = loop.hold();
      this._id = connection().open(msg, {
        data: () => {},
        message: (m) => this._message(m),
        gone: (err) => this._ended(err),
      });
      return this;
    }

    _message(m) {
      if (m.t === 'listening') {
        this.listening = true;
        this._address = { address: m.address, family: m.family, port: m.port };
        this.emit('listening');
      } else if (m.t === 'error') {
        // A failed listen ends with its error (no 'close' follows).
        if (this._id !== null) connection().drop(this._id);
        this._ended(toError(m.error));
      } else if (m.t === 'close') {
        this._ended(null);
      } else if (m.t === 'connection') {
        const socket = new Socket({ allowHalfOpen: Boolean(this._options.allowHalfOpen) });
        socket._attach(m.conn, m);
        this._track(socket);
        this.emit('connection', socket);
      } else if (m.t === 'request') {
        this._request(m);
      }
    }

    _track(x) {
      this._connections.add(x);
      x.once('close', () => this._connections.delete(x));
    }

    _ended(err) {
      const wasListening = this.listening;
      this.listening = false;
      this._id = null;
      const release = this._release;
      this._release = null;
      if (err && !wasListening) {
        this.emit('error', err);
        release?.();
        return;
      }
      this.emit('close');
      release?.();
    }

    close(cb) {
      if (typeof cb === 'function') {
        if (!this.listening) {
          loop.nextTick(cb, new codes.ERR_SERVER_NOT_RUNNING());
          return this;
        }
        this.once('close', cb);
      }
      if (this._id !== null) connection().send({ t: 'unlisten', id: this._id });
      return this;
    }

    address() {
      return this._address;
    }
    ref() {
      if (!this._release && this._id !== null) this._release = loop.hold();
      return this;
    }
    unref() {
      this._release?.();
      this._release = null;
      return this;
    }
    getConnections(cb) {
      loop.nextTick(cb, null, this._connections.size);
      return this;
    }
    setTimeout() {
      return this;
    }
    closeAllConnections() {
      for (const c of this._connections) c.destroy();
    }
    closeIdleConnections() {}
  }

  // ------------------------------------------------------------ http: the server side
  class IncomingMessage extends Readable {
    constructor(head, socket) {
      super();
      this.socket = socket;
      this.connection = socket;
      this.httpVersion = head.httpVersion ?? '1.1';
      const [major, minor] = this.httpVersion.split('.').map(Number);
      this.httpVersionMajor = major;
      this.httpVersionMinor = minor;
      this.rawHeaders = (head.headers ?? []).flat();
      this.headers = headersObject(head.headers);
      this.trailers = {};
      this.rawTrailers = [];
      this.aborted = false;
      this.complete = false;
      this.method = head.method;
      this.url = head.url ?? '';
      this.statusCode = head.statusCode ?? null;
      this.statusMessage = head.statusMessage ?? null;
    }
    _read() {}
    setTimeout(ms, cb) {
      if (cb) this.once('timeout', cb);
      return this;
    }
  }

  // The header bag ServerResponse and ClientRequest share (both are OutgoingMessages in Node): `_headers` maps a
  // lower-cased name to [the name as given, value]; once `headersSent`, it can no longer change.
  class OutgoingHeaders extends Writable {
    setHeader(name, value) {
      if (this.headersSent) throw new codes.ERR_HTTP_HEADERS_SENT('set');
      this._headers.set(String(name).toLowerCase(), [String(name), value]);
      return this;
    }
    getHeader(name) {
      return this._headers.get(String(name).toLowerCase())?.[1];
    }
    hasHeader(name) {
      return this._headers.has(String(name).toLowerCase());
    }
    removeHeader(name) {
      if (this.headersSent) throw new codes.ERR_HTTP_HEADERS_SENT('remove');
      this._headers.delete(String(name).toLowerCase());
    }
    getHeaders() {
      const out = Object.create(null);
      for (const [k, [, v]] of this._headers) out[k] = v;
      return out;
    }
    getHeaderNames() {
      return [...this._headers.keys()];
    }
    /** Adds `headers` (an object or a list); a name given again replaces the value, or with `join` adds to it. */
    _addHeaders(headers, join) {
      for (const [k, v] of headerPairs(headers)) {
        const prev = this._headers.get(k.toLowerCase());
        this._headers.set(k.toLowerCase(), [k, prev && join ? [].concat(prev[1], v) : v]);
      }
    }
    /** The head's [name, value] pairs as the companion takes them: one pair per value. */
    _headerList() {
      const headers = [];
      for (const [, [name, value]] of this._headers) {
        if (Array.isArray(value)) for (const v of value) headers.push([name, String(v)]);
        else headers.push([name, String(value)]);
      }
      return headers;
    }
  }

  class ServerResponse extends OutgoingHeaders {
    constructor(id, req) {
      // 'close' is emitted once the exchange is over (below), not by the stream.
      super({ decodeStrings: true, emitClose: false });
      this._id = id;
      this.req = req;
      this.socket = req.socket;
      this.connection = req.socket;
      this.statusCode = 200;
      this.statusMessage = undefined;
      this.sendDate = true;
      this._headers = new Map();
      this._headStored = false;
      this._headSent = false;
      this._wroteBody = false;
      this._gone = false;
    }
    get headersSent() {
      return this._headStored;
    }
    appendHeader(name, value) {
      const k = String(name).toLowerCase();
      const prev = this._headers.get(k);
      const list = prev ? [].concat(prev[1], value) : value;
      return this.setHeader(prev ? prev[0] : name, list);
    }
    writeHead(status, message, headers) {
      if (this._headStored) throw new codes.ERR_HTTP_HEADERS_SENT('write');
      if (typeof message !== 'string') {
        headers = message;
        message = undefined;
      }
      this.statusCode = status;
      if (message !== undefined) this.statusMessage = message;
      this._addHeaders(headers, Array.isArray(headers));
      this._headStored = true;
      return this;
    }
    flushHeaders() {
      this._sendHead();
    }
    _sendHead() {
      if (this._headSent) return;
      this._headStored = true;
      this._headSent = true;
      const msg = { t: 'respond', id: this._id, status: this.statusCode, headers: this._headerList() };
      msg.statusMessage = this.statusMessage ?? STATUS_CODES[this.statusCode] ?? 'unknown';
      if (!this._gone) connection().send(msg);
    }
    _write(chunk, encoding, cb) {
      this._sendHead();
      this._wroteBody = true;
      if (!this._gone) connection().data(this._id, chunk);
      cb();
    }
    _final(cb) {
      this._sendHead();
      if (!this._gone) {
        connection().send({ t: 'end', id: this._id });
        connection().drop(this._id);
      }
      cb();
    }
    end(chunk, encoding, cb) {
      if (typeof chunk === 'function') {
        cb = chunk;
        chunk = undefined;
      } else if (typeof encoding === 'function') {
        cb = encoding;
        encoding = undefined;
      }
      // As Node: a body given whole to end() before anything else gets a content-length.
      if (!this._headStored && !this._wroteBody && !this.hasHeader('content-length')) {
        const body = chunk === undefined || chunk === null ? null : asBytes(chunk, encoding);
        const noBody = this.statusCode === 204 || this.statusCode === 304 || this.req?.method === 'HEAD';
        if (!noBody) this.setHeader('Content-Length', body === null ? 0 : body.byteLength);
      }
      return super.end(chunk, encoding, cb);
    }
    setTimeout(ms, cb) {
      if (cb) this.once('timeout', cb);
      return this;
    }
    writeContinue() {}
    assignSocket() {}
    detachSocket() {}
  }

  function requestSocket(m, encrypted) {
    const s = new EventEmitter();
    Object.assign(s, {
      remoteAddress: m.remoteAddress,
      remotePort: m.remotePort,
      remoteFamily: m.remoteFamily,
      encrypted: encrypted || undefined,
      destroy() {},
      setTimeout() {
        return s;
      },
      setNoDelay() {},
      setKeepAlive() {},
    });
    return s;
  }

  class HttpServer extends Server {
    constructor(kind, options, handler) {
      if (typeof options === 'function') {
        handler = options;
        options = {};
      }
      super(kind, options, handler, 'request');
      this.timeout = 0;
      this.keepAliveTimeout = 5000;
      this.headersTimeout = 60000;
      this.requestTimeout = 300000;
      this.maxHeadersCount = null;
    }
    _request(m) {
      const socket = requestSocket(m, this._kind === 'https');
      const req = new IncomingMessage(m, socket);
      const res = new ServerResponse(m.req, req);
      const release = loop.hold();
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        release();
      };
      res.once('finish', () => {
        finish();
        loop.nextTick(() => res.emit('close'));
      });
      connection().attach(m.req, {
        data: (bytes) => req.push(toBuffer(bytes.slice())),
        message: (x) => {
          if (x.t === 'end') {
            req.complete = true;
            req.push(null);
          } else if (x.t === 'aborted' || x.t === 'close' || x.t === 'error') {
            res._gone = true;
            if (!req.complete) {
              req.aborted = true;
              req.emit('aborted');
            }
            req.destroy();
            res.destroy();
            finish();
          }
        },
        gone: () => {
          res._gone = true;
          req.destroy();
          res.destroy();
          finish();
        },
      });
      if (m.end) {
        req.complete = true;
        req.push(null);
      }
      this.emit('request', req, res);
    }
  }

  // ------------------------------------------------------------ http: the client side
  class ClientRequest extends OutgoingHeaders {
    constructor(protocol, input, options, cb) {
      // The request lives until the companion closes the exchange, not until its body is written.
      super({ decodeStrings: true, autoDestroy: false, emitClose: false });
      if (typeof input === 'string' || input instanceof URL) {
        const u = new URL(String(input));
        const fromUrl = {
          protocol: u.protocol,
          hostname: u.hostname.replace(/^\[|\]$/g, ''),
          port: u.port ? Number(u.port) : undefined,
          path: `${u.pathname}${u.search}`,
        };
        if (u.username || u.password) {
          fromUrl.auth = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
        }
        if (typeof options === 'function') {
          cb = options;
          options = {};
        }
        options = { ...fromUrl, ...(options ?? {}) };
      } else {
        cb = typeof options === 'function' ? options : cb;
        options = { ...(input ?? {}) };
      }
      const proto = options.protocol ?? protocol;
      if (proto !== protocol) throw new codes.ERR_INVALID_PROTOCOL(proto, protocol);
      if (cb) this.once('response', cb);
      this.method = String(options.method ?? 'GET').toUpperCase();
      this.path = options.path ?? '/';
      this.host = options.hostname ?? String(options.host ?? 'localhost').replace(/:\d+$/, '');
      this.protocol = protocol;
      this.port = options.port ?? options.defaultPort ?? (protocol === 'https:' ? 443 : 80);
      this.reusedSocket = false;
      this._options = options;
      this._headers = new Map();
      this._addHeaders(options.headers, true);
      if (options.auth && !this._headers.has('authorization')) {
        this._headers.set('authorization', ['Authorization', `Basic ${btoa(options.auth)}`]);
      }
      this._id = null;
      this._opened = false;
      this.res = null;
      this.aborted = false;
      this._release = loop.hold();
      this._timer = null;
      if (options.timeout) this.setTimeout(options.timeout);
      this.once('close', () => {
        this._clearTimer();
        this._release?.();
        this._release = null;
      });
    }
    get headersSent() {
      return this._opened;
    }
    flushHeaders() {
      this._open();
    }
    _open() {
      if (this._opened) return;
      this._opened = true;
      const msg = {
        t: 'request',
        protocol: this.protocol,
        hostname: this.host,
        port: Number(this.port),
        method: this.method,
        path: this.path,
        headers: this._headerList(),
      };
      const o = this._options;
      if (o.rejectUnauthorized === false) msg.rejectUnauthorized = false;
      if (o.servername) msg.servername = o.servername;
      this._id = connection().open(msg, {
        data: (bytes) => this.res?.push(toBuffer(bytes.slice())),
        message: (m) => this._message(m),
        gone: (err) => this.destroy(err),
      });
    }
    _message(m) {
      if (m.t === 'response') {
        this._clearTimer();
        const res = new IncomingMessage(m, this.socket);
        res.req = this;
        this.res = res;
        if (!this.emit('response', res)) res.resume();
      } else if (m.t === 'end') {
        if (this.res) {
          this.res.complete = true;
          this.res.push(null);
        }
      } else if (m.t === 'error') {
        this._failed = toError(m.error);
      } else if (m.t === 'close') {
        this._id = null;
        if (this._failed) {
          if (this.res && !this.res.complete) this.res.destroy(this._failed);
          this.destroy(this._failed);
        } else if (this.res && !this.res.complete) {
          this.res.aborted = true;
          this.res.emit('aborted');
          this.res.destroy(toError({ code: 'ECONNRESET', message: 'aborted' }));
          this.destroy();
        } else {
          this.destroy();
        }
      }
    }
    _write(chunk, encoding, cb) {
      this._open();
      if (this._id !== null) connection().data(this._id, chunk);
      cb();
    }
    _final(cb) {
      this._open();
      if (this._id !== null) connection().send({ t: 'end', id: this._id });
      cb();
    }
    _destroy(err, cb) {
      if (this._id !== null) {
        connection().send({ t: 'destroy', id: this._id });
        connection().drop(this._id);
        this._id = null;
      }
      cb(err);
      loop.nextTick(() => this.emit('close'));
    }
    end(chunk, encoding, cb) {
      // A body given whole to end() gets a content-length, as Node sends it.
      if (
        !this._opened &&
        chunk !== undefined &&
        chunk !== null &&
        typeof chunk !== 'function' &&
        !this._headers.has('content-length') &&
        !this._headers.has('transfer-encoding')
      ) {
        const enc = typeof encoding === 'string' ? encoding : undefined;
        this.setHeader('Content-Length', asBytes(chunk, enc).byteLength);
      }
      return super.end(chunk, encoding, cb);
    }
    abort() {
      if (this.aborted) return;
      this.aborted = true;
      loop.nextTick(() => this.emit('abort'));
      this.destroy();
    }
    setTimeout(ms, cb) {
      if (cb) this.once('timeout', cb);
      this._clearTimer();
      if (ms > 0) this._timer = loop.setTimeoutNative(() => loop.invoke(() => this.emit('timeout')), ms);
      return this;
    }
    _clearTimer() {
      if (this._timer !== null) loop.clearTimeoutNative(this._timer);
      this._timer = null;
    }
    setNoDelay() {}
    setSocketKeepAlive() {}
    get socket() {
      return (this._socket ??= requestSocket({}, this.protocol === 'https:'));
    }
    get connection() {
      return this.socket;
    }
  }

  class Agent extends EventEmitter {
    constructor(options = {}) {
      super();
      this.options = options;
      this.maxSockets = options.maxSockets ?? Infinity;
      this.sockets = {};
      this.freeSockets = {};
      this.requests = {};
      this.keepAlive = Boolean(options.keepAlive);
    }
    destroy() {}
  }

  const httpModule = (name, protocol) => ({
    Server: HttpServer,
    IncomingMessage,
    ServerResponse,
    OutgoingMessage: Writable,
    ClientRequest,
    Agent,
    globalAgent: new Agent({ keepAlive: true }),
    STATUS_CODES,
    METHODS,
    maxHeaderSize: 16384,
    createServer(options, handler) {
      return new HttpServer(name, options, handler);
    },
    request(input, options, cb) {
      return new ClientRequest(protocol, input, options, cb);
    },
    get(input, options, cb) {
      const req = new ClientRequest(protocol, input, options, cb);
      req.end();
      return req;
    },
  });

  const net = {
    Socket,
    Stream: Socket,
    Server,
    createServer(options, handler) {
      if (typeof options === 'function') {
        handler = options;
        options = {};
      }
      return new Server('net', options, handler, 'connection');
    },
    connect(...args) {
      const options = args[0] !== null && typeof args[0] === 'object' ? args[0] : {};
      return new Socket(options).connect(...args);
    },
    createConnection(...args) {
      return net.connect(...args);
    },
    isIP: (s) => (/^(\d{1,3}\.){3}\d{1,3}$/.test(s) ? 4 : /:/.test(s) ? 6 : 0),
    isIPv4: (s) => /^(\d{1,3}\.){3}\d{1,3}$/.test(s),
    isIPv6: (s) => /:/.test(s),
  };

  // ------------------------------------------------------------ child_process
  // A cwd inside the program's /app is the companion's workdir; other paths go as they are (the companion
  // refuses those outside its workdir).
  const companionCwd = (cwd) => {
    if (cwd === undefined || cwd === null) return undefined;
    const c = String(cwd instanceof URL ? decodeURIComponent(cwd.pathname) : cwd);
    if (c === '/app' || c === '/app/') return '.';
    if (c.startsWith('/app/')) return c.slice(5);
    return c;
  };

  function stdioModes(stdio) {
    if (typeof stdio === 'string') return [stdio, stdio, stdio];
    if (Array.isArray(stdio)) return [0, 1, 2].map((i) => (typeof stdio[i] === 'string' ? stdio[i] : 'pipe'));
    return ['pipe', 'pipe', 'pipe'];
  }

  function spawnMessage(file, args, options) {
    const msg = { t: 'spawn', file: String(file), args: args.map(String) };
    const cwd = companionCwd(options.cwd);
    if (cwd !== undefined) msg.cwd = cwd;
    if (options.env) msg.env = Object.fromEntries(Object.entries(options.env).map(([k, v]) => [k, String(v)]));
    if (options.shell) msg.shell = options.shell;
    if (options.timeout) msg.timeout = options.timeout;
    if (options.killSignal) msg.killSignal = options.killSignal;
    return msg;
  }

  function normaliseSpawnArgs(file, args, options) {
    if (typeof file !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('file', 'string', file);
    if (file.length === 0) throw new codes.ERR_INVALID_ARG_VALUE('file', file, 'cannot be empty');
    if (!Array.isArray(args)) {
      if (args !== undefined && args !== null && typeof args === 'object') options = args;
      args = [];
    }
    return { file, args, options: options ?? {} };
  }

  function spawn(fileArg, argsArg, optionsArg) {
    const { file, args, options } = normaliseSpawnArgs(fileArg, argsArg, optionsArg);
    const child = new ChildProcess();
    const modes = stdioModes(options.stdio);
    child.spawnfile = options.shell ? (typeof options.shell === 'string' ? options.shell : '/bin/sh') : file;
    child.spawnargs = options.shell ? [child.spawnfile, '-c', [file, ...args].join(' ')] : [file, ...args];
    let id = null;
    const out = [1, 2].map((fd) => (modes[fd] === 'pipe' ? new Readable({ read() {} }) : null));
    child.stdout = out[0];
    child.stderr = out[1];
    if (modes[0] === 'pipe') {
      child.stdin = new Writable({
        write(chunk, encoding, cb) {
          if (id !== null) connection().data(id, chunk);
          cb();
        },
        final(cb) {
          if (id !== null) connection().send({ t: 'end', id });
          cb();
        },
      });
    }
    child.stdio = [child.stdin, child.stdout, child.stderr];
    let release = loop.hold();
    let exitSeen = false;
    const finish = (code, signal) => {
      const streams = [child.stdout, child.stderr].filter(Boolean);
      for (const s of streams) if (!s.readableEnded) s.push(null);
      const waits = streams
        .filter((s) => s.readableFlowing === true && !s.readableEnded)
        .map(
          (s) =>
            new Promise((resolve) => {
              s.once('end', resolve);
              s.once('close', resolve);
            }),
        );
      Promise.all(waits).then(() =>
        loop.invoke(() => {
          child.stdin?.destroy();
          child.emit('close', code, signal);
          release?.();
          release = null;
        }),
      );
    };
    id = connection().open(spawnMessage(file, args, options), {
      data: (bytes, fd) => {
        const b = toBuffer(bytes.slice());
        if (modes[fd] === 'pipe') out[fd - 1].push(b);
        else if (modes[fd] === 'inherit') (fd === 1 ? process.stdout : process.stderr).write(b);
      },
      message: (m) => {
        if (m.t === 'spawned') {
          child.pid = m.pid;
          child.emit('spawn');
        } else if (m.t === 'error') {
          const err = toError(m.error);
          child._spawnError = err;
          child.emit('error', err);
        } else if (m.t === 'exit') {
          exitSeen = true;
          child.exitCode = m.signal ? null : m.code;
          child.signalCode = m.signal ?? null;
          child.emit('exit', child.exitCode, child.signalCode);
        } else if (m.t === 'close') {
          if (!exitSeen) {
            child.exitCode = m.signal ? null : m.code;
            child.signalCode = m.signal ?? null;
          }
          finish(child.exitCode, child.signalCode);
        }
      },
      gone: (err) => {
        child.emit('error', err);
        finish(child.exitCode, child.signalCode);
      },
    });
    if (modes[0] !== 'pipe') connection().send({ t: 'end', id });
    child.kill = (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null || id === null) return false;
      connection().send({ t: 'kill', id, signal });
      child.killed = true;
      return true;
    };
    child.ref = () => {
      if (!release && child.exitCode === null && child.signalCode === null) release = loop.hold();
    };
    child.unref = () => {
      release?.();
      release = null;
    };
    return child;
  }

  function decodeOutput(chunks, encoding) {
    const all = Buffer.concat(chunks);
    return encoding && encoding !== 'buffer' ? all.toString(encoding) : all;
  }

  function execLike(command, file, args, options, cb) {
    const encoding = options.encoding ?? 'utf8';
    const maxBuffer = options.maxBuffer ?? 1024 * 1024;
    const child = spawn(file, args, { ...options, encoding: undefined });
    const chunks = { 1: [], 2: [] };
    const lengths = { 1: 0, 2: 0 };
    let error = null;
    let killed = false;
    const collect = (fd) => (d) => {
      if (error) return;
      lengths[fd] += d.length;
      if (lengths[fd] > maxBuffer) {
        const keep = d.subarray(0, d.length - (lengths[fd] - maxBuffer));
        chunks[fd].push(keep);
        error = new RangeError(`${fd === 1 ? 'stdout' : 'stderr'} maxBuffer length exceeded`);
        error.code = 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';
        killed = true;
        child.kill(options.killSignal ?? 'SIGTERM');
        return;
      }
      chunks[fd].push(d);
    };
    child.stdout.on('data', collect(1));
    child.stderr.on('data', collect(2));
    let done = false;
    const complete = (code, signal) => {
      if (done) return;
      done = true;
      const stdout = decodeOutput(chunks[1], encoding);
      const stderr = decodeOutput(chunks[2], encoding);
      let err = error;
      if (!err && child._spawnError) err = child._spawnError;
      if (!err && (code !== 0 || signal)) {
        err = new Error(`Command failed: ${command}\n${stderr}`);
        err.code = code;
        err.killed = child.killed || killed;
        err.signal = signal;
      }
      if (err) {
        if (err.cmd === undefined) err.cmd = command;
        err.stdout = stdout;
        err.stderr = stderr;
      }
      if (typeof cb === 'function') cb(err, stdout, stderr);
    };
    child.on('close', complete);
    child.on('error', (e) => {
      if (!error) error = e;
    });
    return child;
  }

  function exec(command, options, cb) {
    if (typeof options === 'function') {
      cb = options;
      options = {};
    }
    if (typeof command !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('command', 'string', command);
    options = { ...(options ?? {}) };
    return execLike(command, command, [], { ...options, shell: options.shell ?? true }, cb);
  }
  exec[utilModule.promisify.custom] = promisifyExec(exec);

  // util.promisify(exec or execFile): resolves with { stdout, stderr }; the ChildProcess is the promise's `child`.
  function promisifyExec(run) {
    return (...args) => {
      let child;
      const promise = new Promise((resolve, reject) => {
        child = run(...args, (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr })));
      });
      promise.child = child;
      return promise;
    };
  }

  function execFile(file, args, options, cb) {
    cb = [args, options, cb].find((a) => typeof a === 'function');
    if (!Array.isArray(args)) {
      options = args;
      args = [];
    }
    if (typeof options !== 'object' || options === null) options = {};
    const command = [file, ...args].join(' ');
    return execLike(command, file, args, options, cb);
  }
  execFile[utilModule.promisify.custom] = promisifyExec(execFile);

  // The Sync forms block this worker on a synchronous XMLHttpRequest to the companion, which runs the process.
  function spawnSync(fileArg, argsArg, optionsArg) {
    const { file, args, options } = normaliseSpawnArgs(fileArg, argsArg, optionsArg);
    const body = spawnMessage(file, args, options);
    delete body.t;
    if (options.input !== undefined) {
      const input = asBytes(options.input, 'utf8');
      body.input = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('base64');
    }
    body.maxBuffer = options.maxBuffer ?? 1024 * 1024;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/api/spawn-sync'), false);
    xhr.setRequestHeader('content-type', 'application/json');
    for (const [name, value] of Object.entries(apiHeaders())) xhr.setRequestHeader(name, value);
    xhr.send(JSON.stringify(body));
    if (xhr.status !== 200) {
      throw toError({ code: 'ERR_FERRODE_COMPANION', message: `the companion refused spawnSync (${xhr.status})` });
    }
    const r = JSON.parse(xhr.responseText);
    const encoding = options.encoding && options.encoding !== 'buffer' ? options.encoding : null;
    const decode = (b64) => {
      const b = Buffer.from(b64 ?? '', 'base64');
      return encoding ? b.toString(encoding) : b;
    };
    const stdout = decode(r.stdout);
    const stderr = decode(r.stderr);
    const result = {
      pid: r.pid,
      output: [null, stdout, stderr],
      stdout,
      stderr,
      status: r.status,
      signal: r.signal ?? null,
    };
    if (r.error) result.error = toError(r.error);
    return result;
  }

  function checkSync(result, command, options) {
    const modes = stdioModes(options.stdio ?? ['pipe', 'pipe', 'inherit']);
    if (modes[2] === 'inherit' && result.stderr.length > 0) process.stderr.write(result.stderr);
    if (modes[1] === 'inherit' && result.stdout.length > 0) process.stdout.write(result.stdout);
    // What the thrown error carries, whether the process failed to start or ended badly.
    const fields = {
      status: result.status,
      signal: result.signal,
      output: result.output,
      pid: result.pid,
      stdout: result.stdout,
      stderr: result.stderr,
    };
    if (result.error) {
      Object.assign(result.error, fields);
      throw result.error;
    }
    if (result.status !== 0 || result.signal) {
      const err = new Error(`Command failed: ${command}${result.stderr.length ? `\n${result.stderr}` : ''}`);
      Object.assign(err, fields);
      throw err;
    }
    return result.stdout;
  }

  function execSync(command, options = {}) {
    const result = spawnSync(command, [], { ...options, shell: options.shell ?? true });
    return checkSync(result, command, options);
  }

  function execFileSync(file, args, options) {
    if (!Array.isArray(args)) {
      options = args;
      args = [];
    }
    options = options ?? {};
    const result = spawnSync(file, args, options);
    return checkSync(result, [file, ...args].join(' '), options);
  }

  return {
    http: httpModule('http', 'http:'),
    https: httpModule('https', 'https:'),
    net,
    childProcess: { spawn, exec, execFile, spawnSync, execSync, execFileSync },
  };
}
