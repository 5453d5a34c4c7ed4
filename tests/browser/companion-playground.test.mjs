// The seed examples that need real ports and processes (http, https, net,
// child_process, cluster), run end to end in Chromium through the companion
// and with the real Node 20 on the same files, one after the other on the
// same port. Examples that only listen are driven by this test (Node's http
// client, a TCP socket) against both runs, and the answers are compared too.
// Changes to the examples, all made identically for both runs: the port
// number is rewritten to a free one, and the https example's host
// (www.google.com:443) to a local TLS server whose CA both Node
// (NODE_EXTRA_CA_CERTS) and the companion (--extra-ca) trust. Normalised:
// pids, and `ls -la` listings (sizes, dates, owners; the companion lists its
// workdir, filled with the same files as Node's temporary directory).
//
// Also here: a page-side HTTP and HTTPS server driven by curl (issue #6), the
// same examples without the companion (a static server: they say what they
// need), and 10 runs in a row leaking no Web Workers, no JS heap and no
// companion processes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import { startCompanion } from '../support/server.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { makeCerts, curl, tmpdir } from '../support/server-helpers.mjs';
import { ARTIFACTS, PKG_DIR, WEB_DIR } from '../support/paths.mjs';
import { isEsm, normalise } from '../support/playground.mjs';
import { buildExamples } from '../../web/tools/examples.mjs';

const COMPANION_EXAMPLES = [
  'you-don-t-know-node-js-http-1',
  'you-don-t-know-node-js-https',
  'you-don-t-know-node-js-net',
  'you-don-t-know-node-js-child-process-1',
  'you-don-t-know-node-js-child-process-2',
  'you-don-t-know-node-js-child-process-3',
  'cluster-module-basic-example',
  'you-don-t-know-node-js-cluster-1',
];
const examples = new Map(buildExamples(path.join(WEB_DIR, 'seeds')).map((e) => [e.id, e]));
const CPUS = os.cpus().length;

let certs;
let tls;
let selfSigned;
const scratch = [];
let workdir;
let companion;
let browser;
let page;

before(async () => {
  certs = await makeCerts();
  tls = https.createServer({ key: fs.readFileSync(certs.key), cert: fs.readFileSync(certs.cert) }, (req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>local TLS server</title><p>${req.method} ${req.url}</p>\n`);
  });
  await new Promise((r) => tls.listen(0, '127.0.0.1', r));
  selfSigned = https.createServer(
    { key: fs.readFileSync(certs.selfKey), cert: fs.readFileSync(certs.selfCert) },
    (req, res) => res.end('never trusted'),
  );
  await new Promise((r) => selfSigned.listen(0, '127.0.0.1', r));
  workdir = tmpdir('ferrode-companion-wd-');
  companion = await startCompanion(['--workdir', workdir, '--extra-ca', certs.ca]);
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(companion.url);
  await page.waitForFunction(() => globalThis.__playground !== undefined, null, { timeout: 60000 });
  assert.ok(await page.evaluate(() => __playground.companion !== null), 'the page sees the companion');
});

after(async () => {
  await browser?.close();
  await companion?.stop();
  tls?.close();
  selfSigned?.close();
  for (const d of [certs?.dir, workdir, ...scratch]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

// ------------------------------------------------------------------ helpers
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function portFree(port, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const refused = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.on('connect', () => {
        c.destroy();
        resolve(false);
      });
      c.on('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} is still taken`);
}

function until(pred, ms, what) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const tick = async () => {
      try {
        if (await pred()) return resolve();
      } catch (err) {
        return reject(err);
      }
      if (Date.now() > end) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

/** A GET on a fresh connection; resolves { status, headers, body, at } (at: when it ended). */
function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 170000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body, at: Date.now() }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath} timed out`)));
    req.on('error', reject);
  });
}

/** The parts of a response that both runs must agree on. */
function comparable(r) {
  const h = r.headers;
  return {
    status: r.status,
    body: r.body,
    'content-type': h['content-type'],
    'content-length': h['content-length'],
    'transfer-encoding': h['transfer-encoding'],
  };
}

/** A TCP client: reads all, writes `send`, half-closes; resolves { received, closed }. */
function tcpExchange(port, send) {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1');
    let received = '';
    c.setEncoding('utf8');
    c.on('data', (d) => {
      received += d;
      if (received.length > 0 && !c.writableEnded) setTimeout(() => c.end(send), 200);
    });
    c.on('error', reject);
    c.on('close', () => resolve({ received }));
  });
}

function writeFiles(dir, files, binary) {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  for (const [name, b64] of Object.entries(binary ?? {})) {
    fs.writeFileSync(path.join(dir, name), Buffer.from(b64, 'base64'));
  }
}

/** Node 20 on the files in a fresh directory; `drive(out)` runs once started, then it is stopped unless it ended. */
async function nodeRun(
  files,
  entry,
  { env = {}, ready = null, drive = null, settle = null, ends = true, limit = 180000 } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-seed-'));
  writeFiles(dir, files);
  if (isEsm(entry, files[entry])) fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: os.homedir(), ...env },
    detached: true,
  });
  const out = { stdout: '', stderr: '', code: null, dir };
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  const exited = new Promise((r) => child.on('close', (code) => r(code)));
  try {
    if (ready) await until(() => ready(out), limit, `Node: ${ready}`);
    if (drive) out.driven = await drive(out);
    if (settle) await until(() => settle(out), limit, `Node: ${settle}`);
    if (ends) {
      out.code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), limit))]);
    }
  } finally {
    // The whole group: a cluster's workers go with their primary.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await exited;
  }
  return out;
}

/** The same in the page. */
async function pageRun(files, entry, { ready = null, drive = null, settle = null, ends = true, limit = 180000 } = {}) {
  const runs = await page.evaluate(() => __playground.output().runs);
  await page.evaluate(
    ([f, e]) => {
      __playground.setFiles(f, e);
      __playground.run();
    },
    [files, entry],
  );
  const out = () => page.evaluate(() => __playground.output());
  let driven;
  try {
    if (ready) await until(async () => ready(await out()), limit, `page: ${ready}`);
    if (drive) driven = await drive(await out());
    if (settle) await until(async () => settle(await out()), limit, `page: ${settle}`);
    if (ends) {
      await page.waitForFunction(
        (n) => {
          const o = __playground.output();
          return o.lastExit !== null && o.runs === n + 1;
        },
        runs,
        { timeout: limit, polling: 100 },
      );
    }
  } finally {
    if (await page.evaluate(() => __playground.running)) await page.evaluate(() => __playground.stop());
  }
  const o = await out();
  return { ...o, code: ends ? o.lastExit?.code : null, driven, diagnostics: page.consoleLines.splice(0).join('\n') };
}

/** `ls -la` lines keep their type, permissions and name; sizes, links, owners and dates differ between machines. */
function listing(text) {
  return text
    .replace(/\btotal \d+$/gm, 'total <n>')
    .replace(/^([-dlcbps][rwxsStT-]{9}[.+@]?)\s+\d+\s+\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+\S+\s+(.+)$/gm, '$1 <listing> $2');
}

function assertSameOutput(web, node, { ls = false } = {}) {
  const norm = (t, dir) => {
    const n = normalise(t, { dir });
    return ls ? listing(n) : n;
  };
  const why = `\npage stdout:\n${web.stdout}\npage stderr:\n${web.stderr}\n${web.diagnostics ?? ''}`;
  assert.equal(norm(web.stdout), norm(node.stdout, node.dir), `stdout${why}`);
  assert.equal(norm(web.stderr), norm(node.stderr, node.dir), `stderr${why}`);
}

function rewritePort(files, from, to) {
  return Object.fromEntries(Object.entries(files).map(([n, t]) => [n, t.split(String(from)).join(String(to))]));
}

const lines = (text, re) => text.split('\n').filter((l) => re.test(l)).length;

/** Runs an example in Node, then in the page, on the same (rewritten) port. */
async function both(ex, opts) {
  const node = await nodeRun(opts.files ?? ex.files, ex.entry, opts);
  scratch.push(node.dir);
  if (opts.port) await portFree(opts.port);
  if (opts.beforePage) opts.beforePage(node);
  const web = await pageRun(opts.files ?? ex.files, ex.entry, opts);
  return { node, web };
}

const report = [];

// ------------------------------------------------------------------ the examples
test('seed example you-don-t-know-node-js-http-1: a server the test requests', async () => {
  const ex = examples.get('you-don-t-know-node-js-http-1');
  const port = await freePort();
  const files = rewritePort(ex.files, 8080, port);
  const drive = async () => comparable(await get(port, '/'));
  const listening = async () => {
    try {
      await get(port, '/');
      return true;
    } catch {
      return false;
    }
  };
  const { node, web } = await both(ex, { files, port, ready: listening, drive, ends: false });
  assert.deepEqual(web.driven, node.driven);
  assert.equal(web.driven.body, 'hello world');
  assertSameOutput(web, node);
  report.push(ex.id);
});

test('seed example you-don-t-know-node-js-https: a request to a local TLS server', async () => {
  const ex = examples.get('you-don-t-know-node-js-https');
  const port = tls.address().port;
  const files = {
    'index.js': ex.files['index.js']
      .replace("hostname: 'www.google.com'", "hostname: 'localhost'")
      .replace('port: 443', `port: ${port}`),
  };
  assert.notEqual(files['index.js'], ex.files['index.js']);
  const { node, web } = await both(ex, { files, env: { NODE_EXTRA_CA_CERTS: certs.ca } });
  assertSameOutput(web, node);
  assert.match(web.stdout, /local TLS server<\/title><p>GET \//);
  assert.equal(web.code, node.code);
  report.push(ex.id);
});

test('seed example you-don-t-know-node-js-net: the test talks to the TCP server', async () => {
  const ex = examples.get('you-don-t-know-node-js-net');
  const port = await freePort();
  const files = rewritePort(ex.files, 3000, port);
  const { node, web } = await both(ex, {
    files,
    port,
    ends: false,
    ready: (o) => o.stdout.includes(`Server listening on port ${port}`),
    drive: () => tcpExchange(port, 'hi from the test'),
    // The server's last lines come after the client closed: wait for them in both runs.
    settle: (o) => o.stdout.includes('Client disconnected'),
  });
  assert.deepEqual(web.driven, node.driven);
  assert.equal(web.driven.received, 'Hello from TCP server!');
  assertSameOutput(web, node);
  report.push(ex.id);
});

for (const id of [
  'you-don-t-know-node-js-child-process-1',
  'you-don-t-know-node-js-child-process-2',
  'you-don-t-know-node-js-child-process-3',
]) {
  test(`seed example ${id}: ls -la in the companion's workdir`, async () => {
    const ex = examples.get(id);
    const { node, web } = await both(ex, {
      beforePage: (n) => {
        // The companion's workdir holds what Node's directory held.
        for (const f of fs.readdirSync(workdir)) fs.rmSync(path.join(workdir, f), { recursive: true, force: true });
        for (const f of fs.readdirSync(n.dir)) fs.copyFileSync(path.join(n.dir, f), path.join(workdir, f));
      },
    });
    assertSameOutput(web, node, { ls: true });
    assert.match(web.stdout, /index\.js/);
    assert.equal(web.code, node.code);
    report.push(ex.id);
  });
}

test('seed example cluster-module-basic-example: workers share port 8000 (rewritten)', async () => {
  const ex = examples.get('cluster-module-basic-example');
  const port = await freePort();
  const files = rewritePort(ex.files, 8000, port);
  const { node, web } = await both(ex, {
    files,
    port,
    ends: false,
    ready: (o) => lines(o.stdout, /^Worker \d+ started$/) === CPUS,
    drive: async () => {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(comparable(await get(port, '/')));
      return answers;
    },
  });
  assert.deepEqual(web.driven, node.driven);
  assert.equal(web.driven[0].body, 'Hello World\n');
  assertSameOutput(web, node);
  report.push(ex.id);
});

test('seed example you-don-t-know-node-js-cluster-1: /slow and /fast answered by different workers', async () => {
  const ex = examples.get('you-don-t-know-node-js-cluster-1');
  const port = await freePort();
  const files = rewritePort(ex.files, 3000, port);
  const drive = async () => {
    const slow = get(port, '/slow');
    // The second connection goes to the other worker, which is free while the first one counts.
    await new Promise((r) => setTimeout(r, 300));
    const fast = await get(port, '/fast');
    const s = await slow;
    return { slow: comparable(s), fast: comparable(fast), fastFirst: fast.at < s.at };
  };
  const { node, web } = await both(ex, {
    files,
    port,
    ends: false,
    ready: (o) => lines(o.stdout, /^Process \d+ listening on port \d+$/) === CPUS,
    drive,
    limit: 240000,
  });
  assert.equal(node.driven.fastFirst, true, 'Node: /fast answered while /slow was busy');
  assert.deepEqual(web.driven, node.driven);
  assert.equal(web.driven.slow.body, 'slow response: 3000000000');
  assertSameOutput(web, node);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'playground-desktop-companion-cluster.png') });
  report.push(ex.id);
});

// ------------------------------------------------------------------ Node's semantics and errors, differentially
test('error shapes, server.close(), exit codes, kill, Sync forms: the page prints what Node prints', async () => {
  const port = await freePort();
  const program = `
const http = require('http');
const https = require('https');
const net = require('net');
const { execFile, exec, spawn, execSync, spawnSync, execFileSync } = require('child_process');
const step = (fn) => new Promise((resolve) => fn(resolve));
(async () => {
  await step((done) => http.get('http://127.0.0.1:1/x', () => {}).on('error', (e) => {
    console.log('refused:', e.code, e.errno, e.syscall, e.address, e.port, e.message);
    done();
  }));
  await step((done) => http.get('http://nowhere.invalid/', () => {}).on('error', (e) => {
    console.log('not found:', e.code, e.errno, e.syscall, e.hostname, e.message);
    done();
  }));
  await step((done) => https.get('https://localhost:${selfSigned.address().port}/', () => {}).on('error', (e) => {
    console.log('self-signed:', e.code, e.message);
    done();
  }));
  await step((done) => net.connect(1, '127.0.0.1').on('error', (e) => {
    console.log('net refused:', e.code, e.message);
  }).on('close', (hadError) => {
    console.log('net close', hadError);
    done();
  }));
  await step((done) => {
    const a = net.createServer().listen(${port}, '127.0.0.1', () => {
      const b = net.createServer();
      b.on('error', (e) => {
        console.log('in use:', e.code, e.syscall, e.port, e.message);
        a.close(() => {
          console.log('closed; listening =', a.listening);
          done();
        });
      });
      b.listen(${port}, '127.0.0.1');
    });
  });
  await step((done) => {
    const srv = http.createServer((req, res) => {
      res.writeHead(201, { 'x-test': 'yes' });
      req.pipe(res);
    }).listen(${port}, '127.0.0.1', () => {
      const req = http.request({ port: ${port}, host: '127.0.0.1', method: 'PUT', path: '/echo?q=1' }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          console.log('echo:', res.statusCode, res.statusMessage, res.headers['x-test'], Buffer.concat(chunks).length);
          srv.close(() => done());
        });
      });
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(10000, i));
      req.end();
    });
  });
  await step((done) => execFile('sh', ['-c', 'echo partial; exit 3'], (err, out) => {
    console.log('exit 3:', err.code, err.killed, err.signal, JSON.stringify(err.message), JSON.stringify(out));
    done();
  }));
  await step((done) => exec('echo $((6 * 7)) && echo oops >&2', (err, out, errout) => {
    console.log('exec:', err, JSON.stringify(out), JSON.stringify(errout));
    done();
  }));
  await step((done) => spawn('no-such-command-ferrode', ['a']).on('error', (e) => {
    console.log('spawn error:', e.code, e.errno, e.syscall, e.path, e.spawnargs, e.message);
  }).on('close', (code, signal) => {
    console.log('close after error:', code, signal);
    done();
  }));
  await step((done) => {
    const c = spawn('sh', ['-c', 'trap "" TERM; echo ready; sleep 5']);
    c.stdout.once('data', () => c.kill('SIGKILL'));
    c.on('exit', (code, signal) => console.log('killed:', code, signal, c.killed));
    c.on('close', () => done());
  });
  await step((done) => {
    const c = spawn('cat');
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) => {
      console.log('cat:', code, JSON.stringify(out));
      done();
    });
    c.stdin.write('to ');
    c.stdin.end('cat\\n');
  });
  console.log('execSync:', JSON.stringify(execSync('echo sync; echo to-stderr >&2').toString()));
  const piped = execFileSync('sh', ['-c', 'cat'], { input: 'piped in', encoding: 'utf8' });
  console.log('execFileSync:', JSON.stringify(piped));
  const r = spawnSync('sh', ['-c', 'echo out; echo err >&2; exit 2'], { encoding: 'utf8' });
  console.log('spawnSync:', r.status, r.signal, JSON.stringify(r.stdout), JSON.stringify(r.stderr), r.output.length);
  try {
    execSync('exit 4', { stdio: 'pipe' });
  } catch (e) {
    console.log('execSync failed:', e.status, e.signal, JSON.stringify(e.message));
  }
  console.log('done');
})();
`;
  const files = { 'main.js': program };
  const node = await nodeRun(files, 'main.js', { limit: 60000 });
  scratch.push(node.dir);
  await portFree(port);
  const web = await pageRun(files, 'main.js', { limit: 60000 });
  assertSameOutput(web, node);
  assert.match(web.stdout, /^refused: ECONNREFUSED -111 connect 127\.0\.0\.1 1 connect ECONNREFUSED/m);
  assert.match(web.stdout, /^in use: EADDRINUSE listen/m);
  assert.match(web.stdout, /^not found: ENOTFOUND -3008 getaddrinfo nowhere\.invalid/m);
  assert.match(
    web.stdout,
    /^self-signed: DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate; if the root CA is installed locally, try running Node\.js with --use-system-ca$/m,
  );
  assert.match(web.stdout, /^echo: 201 Created yes 200000$/m);
  assert.match(web.stdout, /^done$/m);
  assert.equal(web.code, node.code);
});

// ------------------------------------------------------------------ issue #6: a page-side server, curl as the client
test('a page-side HTTP and HTTPS server tunnelled by the companion, curl as the client', async () => {
  const [hp, sp] = [await freePort(), await freePort()];
  const key = fs.readFileSync(certs.key, 'utf8');
  const cert = fs.readFileSync(certs.cert, 'utf8');
  const program = `
const http = require('http');
const https = require('https');
const handler = (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-served-by', 'the page');
    res.end(JSON.stringify({ method: req.method, url: req.url, ua: req.headers['user-agent'].split('/')[0],
      bytes: body.length, sha: require('crypto').createHash('sha256').update(body).digest('hex') }));
  });
};
http.createServer(handler).listen(${hp}, () => console.log('http on', ${hp}));
https.createServer({ key: ${JSON.stringify(key)}, cert: ${JSON.stringify(cert)} }, handler)
  .listen(${sp}, () => console.log('https on', ${sp}));
`;
  const body = Buffer.alloc(300000, 'ferrode ');
  const bodyFile = path.join(certs.dir, 'body.bin');
  fs.writeFileSync(bodyFile, body);
  const sha = createHash('sha256').update(body).digest('hex');
  const out = await pageRun({ 'main.js': program }, 'main.js', {
    ends: false,
    ready: (o) => o.stdout.includes('http on') && o.stdout.includes('https on'),
    drive: async () => {
      const plain = await curl(['-i', `http://127.0.0.1:${hp}/plain?x=1`]);
      const secure = await curl([
        '--cacert',
        certs.ca,
        '-X',
        'POST',
        '--data-binary',
        `@${bodyFile}`,
        `https://localhost:${sp}/upload`,
      ]);
      return {
        plain: { ...plain, stdout: plain.stdout.toString() },
        secure: { ...secure, stdout: secure.stdout.toString() },
      };
    },
  });
  const { plain, secure } = out.driven;
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(plain.stdout, /x-served-by: the page/i);
  assert.deepEqual(JSON.parse(plain.stdout.split('\r\n\r\n')[1]), {
    method: 'GET',
    url: '/plain?x=1',
    ua: 'curl',
    bytes: 0,
    sha: createHash('sha256').update('').digest('hex'),
  });
  assert.equal(secure.code, 0, secure.stderr);
  assert.deepEqual(JSON.parse(secure.stdout), { method: 'POST', url: '/upload', ua: 'curl', bytes: body.length, sha });
});

// ------------------------------------------------------------------ without the companion
test('without the companion (static server) the same examples say what they need', async () => {
  const server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': WEB_DIR });
  const p = await browser.newPage();
  try {
    await p.goto(`${server.origin}/`);
    await p.waitForFunction(() => globalThis.__playground !== undefined, null, { timeout: 60000 });
    assert.equal(await p.evaluate(() => __playground.companion), null);
    assert.match(await p.textContent('#st-companion'), /not connected.*\.\/scripts\/run\.sh/);
    for (const id of COMPANION_EXAMPLES) {
      const runs = await p.evaluate(() => __playground.output().runs);
      await p.evaluate((x) => {
        __playground.load(x);
        __playground.run();
      }, id);
      await p.waitForFunction(
        (n) => {
          const o = __playground.output();
          return o.runs === n + 1 && /needs the ferrode companion server/.test(o.stderr);
        },
        runs,
        { timeout: 60000, polling: 100 },
      );
      const o = await p.evaluate(() => __playground.output());
      assert.match(o.stderr, /needs the ferrode companion server, which is not connected/, id);
      assert.match(o.stderr, /\.\/scripts\/run\.sh/, id);
      await p.evaluate(() => __playground.stop());
    }
  } finally {
    await p.close();
    await server.close();
  }
});

test('the companion without its token: the page says to open the printed URL, and needs-companion errors', async () => {
  // A fresh profile: no token cookie.
  const other = await launchBrowser();
  try {
    const p = await other.newPage();
    await p.goto(companion.origin);
    await p.waitForFunction(() => globalThis.__playground !== undefined, null, { timeout: 60000 });
    assert.equal(await p.evaluate(() => __playground.companion), null);
    assert.match(await p.textContent('#st-companion'), /no access token.*ferrode-server printed/);
    await p.evaluate(() => {
      __playground.setFiles(
        { 'main.js': "require('child_process').exec('ls', (e) => console.log(e.code));\n" },
        'main.js',
      );
      __playground.run();
    });
    await p.waitForFunction(() => __playground.output().lastExit !== null, null, { timeout: 60000, polling: 100 });
    assert.equal((await p.evaluate(() => __playground.output())).stdout, 'ERR_FERRODE_COMPANION_REQUIRED\n');
  } finally {
    await other.close();
  }
});

// ------------------------------------------------------------------ leaks
test('10 runs in a row leak no Web Workers, no JS heap and no companion processes', async () => {
  const port = await freePort();
  const program = `
const { Worker } = require('worker_threads');
const { fork, spawn } = require('child_process');
const http = require('http');
if (process.argv[2] === 'child') {
  // Blocked in a synchronous request to the companion when the run is stopped.
  require('child_process').execSync('sleep 30');
} else {
  new Worker('setInterval(() => {}, 1000)', { eval: true });
  fork(__filename, ['child']);
  spawn('sleep', ['30']);
  http.createServer((q, s) => s.end('x')).listen(${port}, () => console.log('ready', Buffer.alloc(1 << 20).length));
}
`;
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const children = () => {
    // Live processes whose parent is the companion.
    const out = [];
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[1]) === companion.child.pid && fields[0] !== 'Z') out.push(pid);
      } catch {
        // Gone meanwhile.
      }
    }
    return out;
  };
  const one = async () => {
    // Stopped once both sleeps run at the companion (the spawned one and the fork's execSync).
    await pageRun({ 'main.js': program }, 'main.js', {
      ends: false,
      ready: (o) => o.stdout.includes('ready') && children().length >= 2,
    });
    assert.equal(await page.evaluate(() => __playground.liveWorkers()), 0);
  };
  await one();
  await until(() => children().length === 0, 10000, "the first run's processes to end");
  // The page's own ferrode thread pool is made of workers too: that is the baseline.
  await new Promise((r) => setTimeout(r, 1000));
  const baseline = page.workers().length;
  const before = await heap();
  for (let i = 0; i < 10; i++) await one();
  await until(
    () => page.workers().length <= baseline,
    10000,
    `Chromium to drop the terminated workers (${page.workers().length} left, ${baseline} before)`,
  );
  await until(() => children().length === 0, 10000, "the companion to end the runs' processes");
  const afterRuns = await heap();
  const mb = (n) => (n / 1e6).toFixed(1);
  console.log(
    `page JS heap: ${mb(before)} MB before, ${mb(afterRuns)} MB after 10 runs; ` +
      `workers ${page.workers().length} (${baseline} before); companion children ${children().length}`,
  );
  assert.ok(afterRuns - before < 2e6, `the page's JS heap grew by ${afterRuns - before} bytes over 10 runs`);
  await cdp.detach();
});

test('report', () => {
  console.log(`compared with Node 20 through the companion (${report.length}): ${report.join(', ')}`);
  assert.deepEqual([...report].sort(), [...COMPANION_EXAMPLES].sort());
});
