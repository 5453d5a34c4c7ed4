// A minimal WebSocket client for Node 20 tests (Node 20 has no global WebSocket
// without a flag): the browser API's shape (onopen/onmessage/onclose/onerror,
// send(string | ArrayBufferView | ArrayBuffer), close(), binaryType 'arraybuffer'),
// over node:net, for talking to the companion. Not for production use.
import net from 'node:net';
import crypto from 'node:crypto';

export class NodeWebSocket {
  constructor(url, { headers = {} } = {}) {
    const u = new URL(url);
    this.binaryType = 'arraybuffer';
    this.readyState = 0;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    this._buf = Buffer.alloc(0);
    this._frags = [];
    this._fragOp = 0;
    const key = crypto.randomBytes(16).toString('base64');
    this._sock = net.connect(Number(u.port) || 80, u.hostname);
    this._sock.setNoDelay(true);
    let open = false;
    this._sock.on('connect', () => {
      const extra = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      this._sock.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
      );
    });
    this._sock.on('data', (d) => {
      this._buf = Buffer.concat([this._buf, d]);
      if (!open) {
        const end = this._buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = this._buf.subarray(0, end).toString();
        this._buf = this._buf.subarray(end + 4);
        const status = Number(head.split(' ')[1]);
        if (status !== 101) {
          this.readyState = 3;
          this.onerror?.({ type: 'error', status, message: head.split('\r\n')[0] });
          this.onclose?.({ type: 'close', code: 1006, status });
          this._sock.destroy();
          return;
        }
        open = true;
        this.readyState = 1;
        this.onopen?.({ type: 'open' });
      }
      this._parse();
    });
    this._sock.on('error', (e) => this.onerror?.({ type: 'error', error: e, message: e.message }));
    this._sock.on('close', () => {
      const was = this.readyState;
      this.readyState = 3;
      if (was !== 3 || open) this.onclose?.({ type: 'close', code: this._closeCode ?? 1006 });
      this.onclose = null;
    });
  }

  _parse() {
    for (;;) {
      const b = this._buf;
      if (b.length < 2) return;
      const fin = (b[0] & 0x80) !== 0;
      const op = b[0] & 0x0f;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (b.length < off + len) return;
      const payload = b.subarray(off, off + len);
      this._buf = b.subarray(off + len);
      if (op === 0x8) {
        this._closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        if (this.readyState === 1) this._frame(0x8, payload.subarray(0, 2));
        this.readyState = 2;
        this._sock.end();
        continue;
      }
      if (op === 0x9) {
        this._frame(0xa, payload);
        continue;
      }
      if (op === 0xa) continue;
      if (op !== 0) this._fragOp = op;
      this._frags.push(Buffer.from(payload));
      if (!fin) continue;
      const whole = Buffer.concat(this._frags);
      this._frags = [];
      const data =
        this._fragOp === 1
          ? whole.toString('utf8')
          : whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.length);
      this.onmessage?.({ type: 'message', data });
    }
  }

  _frame(op, payload) {
    const len = payload.length;
    const head = len < 126 ? Buffer.alloc(6) : len < 65536 ? Buffer.alloc(8) : Buffer.alloc(14);
    head[0] = 0x80 | op;
    let off;
    if (len < 126) {
      head[1] = 0x80 | len;
      off = 2;
    } else if (len < 65536) {
      head[1] = 0x80 | 126;
      head.writeUInt16BE(len, 2);
      off = 4;
    } else {
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(len), 2);
      off = 10;
    }
    const mask = crypto.randomBytes(4);
    mask.copy(head, off);
    const body = Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) body[i] = payload[i] ^ mask[i & 3];
    this._sock.write(Buffer.concat([head, body]));
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('WebSocket is not open');
    if (typeof data === 'string') this._frame(0x1, Buffer.from(data, 'utf8'));
    else if (data instanceof ArrayBuffer) this._frame(0x2, Buffer.from(data));
    else this._frame(0x2, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  close(code = 1000) {
    if (this.readyState !== 1) return;
    const p = Buffer.alloc(2);
    p.writeUInt16BE(code, 0);
    this._frame(0x8, p);
    this.readyState = 2;
    setTimeout(() => this._sock.destroy(), 1000).unref();
  }

  /** Drops the TCP connection without a close frame (a page that vanished). */
  terminate() {
    this._sock.destroy();
  }
}
