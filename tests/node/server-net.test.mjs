// net through the companion: a page-side TCP server reached by real clients,
// and outbound connections, checked against Node's net on the same sockets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import crypto from 'node:crypto';
import { startCompanion, session } from '../support/server-helpers.mjs';

let srv;
let c;

before(async () => {
  srv = await startCompanion();
  c = await session(srv);
});

after(async () => {
  c?.close();
  await srv?.stop();
});

/** A page-side server: `onConn(ch, info)` for each connection. */
async function pageServer(onConn, opts = {}) {
  const l = await c.listen({ kind: 'net', port: 0, ...opts });
  l.on('connection', onConn);
  return l;
}

function connectTo(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

function collect(sock) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => resolve(Buffer.concat(chunks)));
    sock.on('error', reject);
  });
}

test('echo server with half-close: the page writes after the client ended', async () => {
  const events = [];
  const l = await pageServer((ch, info) => {
    assert.equal(info.remoteAddress, '127.0.0.1');
    ch.write('Hello from TCP server!');
    ch.on('data', (b) => ch.write(b));
    ch.on('end', () => {
      events.push('end');
      ch.end(' bye');
    });
    ch.on('close', () => events.push('close'));
  });
  const s = await connectTo(l.port);
  const got = collect(s);
  s.write('ping');
  await new Promise((r) => setTimeout(r, 100));
  s.end();
  assert.equal((await got).toString(), 'Hello from TCP server!ping bye');
  await new Promise((r) => s.on('close', r));
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(events, ['end', 'close']);
  await l.close();
});

test('1 MiB each way through a tunnelled server', async () => {
  const up = crypto.randomBytes(1 << 20);
  const down = crypto.randomBytes(1 << 20);
  const received = [];
  let pageGot;
  const gotAll = new Promise((r) => (pageGot = r));
  const l = await pageServer((ch) => {
    ch.write(down);
    ch.on('data', (b) => received.push(Buffer.from(b)));
    ch.on('end', () => {
      pageGot(Buffer.concat(received));
      ch.end();
    });
  });
  const s = await connectTo(l.port);
  const got = collect(s);
  s.end(up);
  const [clientGot, serverGot] = await Promise.all([got, gotAll]);
  assert.ok(clientGot.equals(down), 'client received the page bytes');
  assert.ok(serverGot.equals(up), 'page received the client bytes');
  await l.close();
});

test('outbound connect talks to a real server, with end and close', async () => {
  const server = net.createServer((sock) => {
    sock.on('data', (d) => sock.write(d.toString().toUpperCase()));
    sock.on('end', () => sock.end('!'));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const ch = await c.connect(port, '127.0.0.1');
  assert.equal(ch.info.remotePort, port);
  assert.equal(ch.info.remoteAddress, '127.0.0.1');
  const chunks = [];
  ch.on('data', (b) => chunks.push(Buffer.from(b)));
  const ended = new Promise((r) => ch.on('end', r));
  const closed = new Promise((r) => ch.on('close', r));
  ch.write('abc');
  await new Promise((r) => setTimeout(r, 50));
  ch.end();
  await ended;
  const m = await closed;
  assert.equal(Buffer.concat(chunks).toString(), 'ABC!');
  assert.equal(m.hadError, false);
  server.close();
});

test("ECONNREFUSED and ENOTFOUND have Node's shape", async () => {
  const free = net.createServer();
  await new Promise((r) => free.listen(0, '127.0.0.1', r));
  const { port } = free.address();
  await new Promise((r) => free.close(r));
  const ours = await c.connect(port, '127.0.0.1').catch((e) => e);
  const node = await new Promise((r) => net.connect(port, '127.0.0.1').on('error', r));
  for (const k of ['code', 'errno', 'syscall', 'address', 'port', 'message']) assert.equal(ours[k], node[k], k);
  const ours2 = await c.connect(80, 'nowhere.invalid').catch((e) => e);
  const node2 = await new Promise((r) => net.connect(80, 'nowhere.invalid').on('error', r));
  for (const k of ['code', 'syscall', 'hostname', 'message']) assert.equal(ours2[k], node2[k], k);
});

test('EADDRINUSE like Node; a group shares a port round-robin', async () => {
  const taken = net.createServer();
  await new Promise((r) => taken.listen(0, '127.0.0.1', r));
  const { port } = taken.address();
  const ours = await c.listen({ kind: 'net', port }).catch((e) => e);
  const node = await new Promise((r) => net.createServer().listen(port, '127.0.0.1').on('error', r));
  for (const k of ['code', 'errno', 'syscall', 'address', 'port', 'message']) assert.equal(ours[k], node[k], k);
  taken.close();

  const hits = [];
  const worker = (name) => (ch) => {
    hits.push(name);
    ch.end(name);
  };
  const other = await session(srv);
  const a = await pageServer(worker('a'), { group: 'cluster-1' });
  const b = await other.listen({ kind: 'net', port: a.port, group: 'cluster-1' });
  b.on('connection', worker('b'));
  const lone = await c.listen({ kind: 'net', port: a.port }).catch((e) => e);
  assert.equal(lone.code, 'EADDRINUSE');
  const replies = [];
  for (let i = 0; i < 4; i++) {
    const s = await connectTo(a.port);
    replies.push((await collect(s)).toString());
  }
  assert.deepEqual(replies, ['a', 'b', 'a', 'b']);
  // When one worker's page goes away, the other keeps the port.
  other.ws.terminate();
  await new Promise((r) => setTimeout(r, 200));
  const s = await connectTo(a.port);
  assert.equal((await collect(s)).toString(), 'a');
  await a.close();
});
