// http and https through the companion: page-side servers reached with curl
// and Node's http client, and outbound requests, against Node's http/https.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import { startCompanion, session, curl, makeCerts } from '../support/server-helpers.mjs';

let srv;
let c;
let certs;

before(async () => {
  certs = await makeCerts();
  srv = await startCompanion(['--extra-ca', certs.ca]);
  c = await session(srv);
});

after(async () => {
  c?.close();
  await srv?.stop();
  fs.rmSync(certs.dir, { recursive: true, force: true });
});

/** The seed's handler, as a page runs it through the tunnel. */
function pageHandler(req, head) {
  const body = [];
  req.on('data', (b) => body.push(Buffer.from(b)));
  req.on('end', () => {
    if (head.url === '/hello' && head.method === 'GET') {
      c.respond(req, 200, [['content-type', 'application/json']]);
      req.end(JSON.stringify({ message: 'Hello, World!' }));
    } else if (head.url === '/hello' && head.method === 'POST') {
      c.respond(req, 200, [['content-type', 'application/octet-stream']]);
      req.end(Buffer.concat(body));
    } else if (head.url === '/headers') {
      c.respond(
        req,
        201,
        [
          ['x-method', head.method],
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
        ],
        'Made It',
      );
      req.end(JSON.stringify(Object.fromEntries(head.headers)));
    } else {
      c.respond(req, 404, []);
      req.end('not found');
    }
  });
}

/** The same handler on Node's own http, for the differential checks. */
function nodeHandler(req, res) {
  const body = [];
  req.on('data', (b) => body.push(b));
  req.on('end', () => {
    if (req.url === '/hello' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Hello, World!' }));
    } else if (req.url === '/hello' && req.method === 'POST') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.concat(body));
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
}

async function curlBoth(port, nodePort, args, proto = 'http') {
  const ours = await curl([...args, `${proto}://127.0.0.1:${port}/hello`]);
  const node = await curl([...args, `${proto}://127.0.0.1:${nodePort}/hello`]);
  return { ours, node };
}

test('a tunnelled http server answers curl like Node http does', async () => {
  const l = await c.listen({ kind: 'http', port: 0 });
  l.on('request', pageHandler);
  const ns = http.createServer(nodeHandler);
  await new Promise((r) => ns.listen(0, '127.0.0.1', r));
  const fmt = ['-w', '\n%{http_code} %{content_type}'];
  const get = await curlBoth(l.port, ns.address().port, fmt);
  assert.equal(get.ours.stdout.toString(), get.node.stdout.toString());
  assert.match(get.ours.stdout.toString(), /^\{"message":"Hello, World!"\}\n200 application\/json$/);
  const file = path.join(certs.dir, 'upload.bin');
  fs.writeFileSync(file, crypto.randomBytes(1 << 20));
  const post = await curlBoth(l.port, ns.address().port, ['--data-binary', `@${file}`]);
  assert.ok(post.ours.stdout.equals(fs.readFileSync(file)), '1 MiB echoed through the tunnel');
  assert.ok(post.ours.stdout.equals(post.node.stdout));
  ns.close();
  await l.close();
});

test("Node's http client sees status, message, repeated headers and request headers", async () => {
  const l = await c.listen({ kind: 'http', port: 0 });
  l.on('request', pageHandler);
  const res = await new Promise((resolve, reject) => {
    const req = http.request(
      { port: l.port, host: '127.0.0.1', path: '/headers', method: 'PUT', headers: { 'x-a': 'b' } },
      (r) => {
        const chunks = [];
        r.on('data', (d) => chunks.push(d));
        r.on('end', () => resolve({ r, body: JSON.parse(Buffer.concat(chunks)) }));
      },
    );
    req.on('error', reject);
    req.end('data');
  });
  assert.equal(res.r.statusCode, 201);
  assert.equal(res.r.statusMessage, 'Made It');
  assert.equal(res.r.headers['x-method'], 'PUT');
  assert.deepEqual(res.r.headers['set-cookie'], ['a=1', 'b=2']);
  assert.equal(res.body['x-a'], 'b');
  assert.equal(res.body.host, `127.0.0.1:${l.port}`);
  await l.close();
});

test('a tunnelled https server (TLS at the companion) answers curl', async () => {
  const l = await c.listen({
    kind: 'https',
    port: 0,
    key: fs.readFileSync(certs.key, 'utf8'),
    cert: fs.readFileSync(certs.cert, 'utf8'),
  });
  l.on('request', pageHandler);
  const r = await curl(['--cacert', certs.ca, '-w', ' %{http_code}', `https://localhost:${l.port}/hello`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), '{"message":"Hello, World!"} 200');
  const bad = await c.listen({ kind: 'https', port: 0, key: 'nope', cert: 'nope' }).catch((e) => e);
  assert.equal(bad.code, 'ERR_OSSL_PEM_NO_START_LINE');
  await l.close();
});

test('outbound http request: status, headers and streamed bodies', async () => {
  const ns = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(202, 'Fine', { 'x-len': String(body.length), 'x-te': String(req.headers['transfer-encoding']) });
      res.end(crypto.createHash('sha256').update(body).digest('hex'));
    });
  });
  await new Promise((r) => ns.listen(0, '127.0.0.1', r));
  const port = ns.address().port;
  const get = await c.fetchAll({ protocol: 'http:', hostname: '127.0.0.1', port, path: '/x' });
  assert.equal(get.statusCode, 202);
  assert.equal(get.statusMessage, 'Fine');
  const h = Object.fromEntries(get.headers);
  assert.equal(h['x-len'], '0');
  assert.equal(h['x-te'], 'undefined', 'a GET ended without writes has no body framing, as in Node');
  const big = crypto.randomBytes(3 << 20);
  const ch = c.request({ protocol: 'http:', hostname: '127.0.0.1', port, method: 'POST', path: '/' });
  const done = new Promise((resolve, reject) => {
    const chunks = [];
    ch.on('data', (b) => chunks.push(Buffer.from(b)));
    ch.on('end', () => resolve(Buffer.concat(chunks).toString()));
    ch.on('error', reject);
  });
  for (let i = 0; i < big.length; i += 256 << 10) ch.write(big.subarray(i, i + (256 << 10)));
  ch.end();
  assert.equal(await done, crypto.createHash('sha256').update(big).digest('hex'));
  ns.close();
});

/** Node's own https error for a server, to compare codes and messages. */
function nodeHttpsError(port, ca) {
  return new Promise((resolve) => {
    https
      .get({ host: 'localhost', port, path: '/', ca: ca ? fs.readFileSync(ca) : undefined }, (r) => resolve(r))
      .on('error', resolve);
  });
}

async function httpsServer(key, cert) {
  const s = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) =>
    res.end('secure'),
  );
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return s;
}

test("outbound https: trusted through --extra-ca; certificate failures carry Node's codes", async () => {
  const good = await httpsServer(certs.key, certs.cert);
  const ok = await c.fetchAll({ protocol: 'https:', hostname: 'localhost', port: good.address().port });
  assert.equal(Buffer.from(ok.body).toString(), 'secure');

  const self = await httpsServer(certs.selfKey, certs.selfCert);
  const other = await httpsServer(certs.otherKey, certs.otherCert);
  for (const s of [self, other]) {
    const port = s.address().port;
    const ours = await c.fetchAll({ protocol: 'https:', hostname: 'localhost', port }).catch((e) => e);
    const node = await nodeHttpsError(port, certs.ca);
    assert.equal(ours.code, node.code);
    assert.equal(ours.message, node.message);
    const lax = await c.fetchAll({ protocol: 'https:', hostname: 'localhost', port, rejectUnauthorized: false });
    assert.equal(Buffer.from(lax.body).toString(), 'secure');
  }
  for (const s of [good, self, other]) s.close();
});

test('outbound request errors: ENOTFOUND and ECONNREFUSED like Node', async () => {
  const ours = await c.fetchAll({ protocol: 'http:', hostname: 'nowhere.invalid', port: 80 }).catch((e) => e);
  const node = await new Promise((r) => http.get('http://nowhere.invalid/').on('error', r));
  for (const k of ['code', 'syscall', 'hostname', 'message']) assert.equal(ours[k], node[k], k);
  const free = http.createServer();
  await new Promise((r) => free.listen(0, '127.0.0.1', r));
  const port = free.address().port;
  await new Promise((r) => free.close(r));
  const refused = await c.fetchAll({ protocol: 'http:', hostname: '127.0.0.1', port }).catch((e) => e);
  const nodeRefused = await new Promise((r) => http.get(`http://127.0.0.1:${port}/`).on('error', r));
  for (const k of ['code', 'errno', 'syscall', 'address', 'port', 'message'])
    assert.equal(refused[k], nodeRefused[k], k);
});

test('one-message responses; a client that goes away mid-response closes the exchange', async () => {
  const l = await c.listen({ kind: 'http', port: 0 });
  let stuck;
  const closed = new Promise((r) => (stuck = r));
  l.on('request', (req, head) => {
    if (head.url === '/one') {
      assert.equal(head.end, true, 'a GET arrives ended');
      c.respond(req, 200, [['content-type', 'text/plain']], undefined, { end: true, data: 'héllo' });
    } else {
      c.respond(req, 200, []);
      req.write('partial');
      req.on('close', () => stuck('closed'));
    }
  });
  const r = await curl(['-i', `http://127.0.0.1:${l.port}/one`]);
  const text = r.stdout.toString();
  assert.match(text, /content-length: 6\r\n/i);
  assert.ok(text.endsWith('\r\n\r\nhéllo'), text);
  const req = http.get({ host: '127.0.0.1', port: l.port, path: '/never-ends', agent: false }, (res) => {
    res.once('data', () => req.destroy());
  });
  req.on('error', () => {});
  assert.equal(await closed, 'closed');
  await l.close();
});
