// Access rules and resource limits on a real socket: token, Host, Origin,
// oversized bodies, and slow clients that must not hold the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startCompanion, session } from '../support/server-helpers.mjs';
import { NodeWebSocket } from '../support/ws-node.mjs';

let srv;
let port;

before(async () => {
  srv = await startCompanion(['--read-timeout', '1']);
  port = Number(new URL(srv.url).port);
});

after(async () => {
  await srv?.stop();
});

function get(path, headers = {}, method = 'GET', body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    // The server may answer (413) and close before a big body is all written.
    req.on('error', (e) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? null : reject(e)));
    req.end(body);
  });
}

function wsStatus(headers, token = srv.token) {
  return new Promise((resolve) => {
    const protocol = token ? { 'sec-websocket-protocol': `ferrode, ferrode-token.${token}` } : {};
    const ws = new NodeWebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers: { ...headers, ...protocol } });
    ws.onopen = () => {
      ws.close();
      resolve(101);
    };
    ws.onerror = (e) => resolve(e.status ?? 0);
  });
}

test('no token: 401 on the API and the WebSocket; static files stay public', async () => {
  assert.equal((await get('/api/info')).status, 401);
  assert.equal((await get('/api/info', { 'x-ferrode-token': 'wrong' })).status, 401);
  assert.equal(await wsStatus({ origin: srv.origin }, null), 401);
  assert.equal((await get('/')).status, 200);
  const ok = await get('/api/info', { 'x-ferrode-token': srv.token });
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body).protocol, 1);
});

test('the printed URL carries the token in its fragment; no cookie carries it', async () => {
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{32}$/);
  const page = await get(`/?token=${srv.token}`);
  assert.equal(page.headers['set-cookie'], undefined);
  assert.equal((await get('/api/info', { cookie: `ferrode_token=${srv.token}` })).status, 401);
});

test('foreign Origin and rebinding Host: 403', async () => {
  const t = { 'x-ferrode-token': srv.token };
  assert.equal((await get('/api/info', { ...t, origin: 'http://evil.example' })).status, 403);
  assert.equal((await get('/api/info', { ...t, host: `evil.example:${port}` })).status, 403);
  assert.equal((await get('/', { host: `rebind.example:${port}` })).status, 403);
  assert.equal(await wsStatus({ origin: 'http://evil.example' }), 403);
  assert.equal(await wsStatus({ origin: srv.origin }), 101);
  assert.equal(
    (await get('/api/info', { ...t, host: `localhost:${port}`, origin: `http://localhost:${port}` })).status,
    200,
  );
});

test('an oversized API body is refused with 413', async () => {
  const body = JSON.stringify({ file: 'true', input: 'A'.repeat(17 << 20) });
  const r = await get(
    '/api/spawn-sync',
    { 'x-ferrode-token': srv.token, 'content-type': 'application/json' },
    'POST',
    body,
  );
  assert.equal(r.status, 413);
});

test('slow clients are cut off and do not block others', async () => {
  const slow = [];
  for (let i = 0; i < 50; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    slow.push(new Promise((r) => s.on('close', () => r(Date.now()))));
  }
  const start = Date.now();
  assert.equal((await get('/')).status, 200, 'served while slow clients hang');
  const closedAt = await Promise.all(slow);
  for (const t of closedAt) assert.ok(t - start < 5000, `slow client closed after ${t - start} ms`);
  // A WebSocket that stops mid-frame does not keep the session's processes either: covered in
  // server-child (disconnect ends processes).
  const c = await session(srv);
  assert.equal(c.info.protocol, 1);
  c.close();
});
