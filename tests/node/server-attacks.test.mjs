// The companion against the attacks of its security review (issue #16), one test per attack.
// Each test starts its own companion and reads on its own. The cross-site page in a real
// browser is tests/browser/companion-cross-site.test.mjs.
// FERRODE_SERVER_BIN=/path/to/old/ferrode-server runs them against another build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { startCompanion, session, tmpdir, waitFor, makeCerts } from '../support/server-helpers.mjs';
import { SERVER_BIN, WEB_DIR, PKG_DIR } from '../support/paths.mjs';

const BIN = process.env.FERRODE_SERVER_BIN || SERVER_BIN;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const portOf = (srv) => Number(new URL(srv.url).port);

/** One HTTP request to the companion; resolves { status, headers, body }. */
function request(port, reqPath, { method = 'GET', headers = {}, body, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: reqPath, method, headers, agent: false, localAddress },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Live (non-zombie) processes whose command line contains `marker`. */
function processesWith(marker) {
  const found = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
      if (cmd.includes(marker) && state !== 'Z') found.push(`${name}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A connection from `localAddress` whose `closedAt` resolves (with the time) when it closes. */
function connect(port, localAddress) {
  const s = net.connect({ port, host: '127.0.0.1', localAddress });
  s.on('error', () => {});
  s.resume(); // read (and drop) the answer, so the server's close is seen
  s.closedAt = new Promise((resolve) => s.once('close', () => resolve(Date.now())));
  return s;
}

/** Whether `sock` (from connect()) closes within `ms`. */
function closedWithin(sock, ms) {
  return Promise.race([sock.closedAt.then(() => true), sleep(ms).then(() => false)]);
}

// ------------------------------------------------------------------ 1. the token in a cookie
test('attack 1: the token never rides in a cookie, so another server on the host cannot collect it', async () => {
  const srv = await startCompanion();
  try {
    // The printed URL keeps the token in its fragment, which a browser never sends.
    const printed = new URL(srv.url);
    assert.equal(printed.search, '');
    assert.match(printed.hash, /^#token=[0-9a-f]{32}$/);
    // Loading the page, even with the old `?token=` form, sets no cookie at all.
    const page = await request(portOf(srv), `/?token=${srv.token}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers['set-cookie'], undefined);
    // And a cookie someone replays is not a credential.
    const replay = await request(portOf(srv), '/api/info', { headers: { cookie: `ferrode_token=${srv.token}` } });
    assert.equal(replay.status, 401);
  } finally {
    await srv.stop();
  }
});

// ------------------------------------------------------------------ 2. signalling a reused PID
// To make the reuse real, the companion runs as the only program of a fresh PID namespace
// (unshare -Urpfm: a user namespace makes us root there, so the namespace's own ns_last_pid is
// writable). After the page's child has exited, the namespace's next PID is set to that
// child's PID minus one and an unrelated `setsid sleep` is started: it gets exactly that PID
// and leads a process group of that number, the one the old server signalled at session end.
test("attack 2: a finished child's PID taken by an unrelated process; the session closes; it lives", async (t) => {
  const probe = spawn('unshare', ['-Urpfm', '--mount-proc', 'true']);
  const probeCode = await new Promise((r) => probe.on('exit', r));
  if (probeCode !== 0) return t.skip('unshare -Urpfm is not allowed here');
  const script = `
    "$0" --port 0 --web-dir "$1" --pkg-dir "$2" --kill-grace 0.3 &
    while read -r cmd arg; do
      case "$cmd" in
        take) echo $((arg - 1)) > /proc/sys/kernel/ns_last_pid; setsid sleep 1000 & echo "took $!" ;;
        check)
          if [ -r /proc/$arg/stat ] && ! grep -q ') Z' /proc/$arg/stat; then echo "alive $arg"; else echo "dead $arg"; fi ;;
        quit) kill -9 -1; exit 0 ;;
      esac
    done`;
  const ns = spawn('unshare', ['-Urpfm', '--mount-proc', 'sh', '-c', script, BIN, WEB_DIR, PKG_DIR], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: ns.stdout });
  const waiting = [];
  const got = [];
  lines.on('line', (l) => (waiting.length ? waiting.shift()(l) : got.push(l)));
  const next = () => (got.length ? Promise.resolve(got.shift()) : new Promise((r) => waiting.push(r)));
  try {
    const url = /listening on (\S+)/.exec(await next())[1];
    const u = new URL(url);
    const token = new URLSearchParams(u.hash.slice(1)).get('token') ?? u.searchParams.get('token');
    const srv = { url, origin: u.origin, token };
    const c = await session(srv);
    const r = await c.run('true');
    assert.equal(r.code, 0);
    const pid = r.pid;
    await sleep(300);
    ns.stdin.write(`take ${pid}\n`);
    const took = Number(/took (\d+)/.exec(await next())[1]);
    assert.equal(took, pid, "the unrelated process got the finished child's PID");
    c.close();
    await sleep(1500); // more than the kill grace (0.3 s)
    ns.stdin.write(`check ${took}\n`);
    assert.equal(await next(), `alive ${took}`, "the session's end signalled a process it did not own");
  } finally {
    ns.stdin.write('quit\n');
    await new Promise((r) => (ns.exitCode !== null ? r() : ns.on('exit', r)));
  }
});

// ------------------------------------------------------------------ 3. spawnSync leaving processes
test('attack 3: spawnSync with a timeout whose grandchild ignores SIGTERM leaves no process behind', async () => {
  const srv = await startCompanion(['--kill-grace', '0.5']);
  try {
    const c = await session(srv);
    const marker = `987.${process.pid}1`;
    const started = Date.now();
    // The child (sh) dies on SIGTERM; the grandchild ignores it and holds stdout.
    const r = await c.spawnSync('sh', ['-c', `sh -c 'trap "" TERM; exec sleep ${marker}' & wait`], { timeout: 300 });
    const took = Date.now() - started;
    assert.equal(r.error?.code, 'ETIMEDOUT');
    assert.ok(took < 5000, `spawnSync answered after ${took} ms`);
    assert.ok(await waitFor(() => processesWith(marker).length === 0, 3000), processesWith(marker).join('\n'));
    c.close();
  } finally {
    await srv.stop();
  }
});

test('attack 3b: spawnSync past maxBuffer answers ENOBUFS at once and ends the whole group', async () => {
  const srv = await startCompanion();
  try {
    const c = await session(srv);
    const marker = `986.${process.pid}2`;
    const started = Date.now();
    const r = await c.spawnSync('sh', ['-c', `head -c 100000 /dev/zero; sleep ${marker}`], { maxBuffer: 1000 });
    const took = Date.now() - started;
    assert.equal(r.error?.code, 'ENOBUFS');
    assert.ok(took < 5000, `ENOBUFS came after ${took} ms`);
    assert.ok(await waitFor(() => processesWith(marker).length === 0, 3000), processesWith(marker).join('\n'));
    c.close();
  } finally {
    await srv.stop();
  }
});

test('attack 3c: a spawnSync whose client goes away (a stopped page) ends its whole group', async () => {
  const srv = await startCompanion();
  try {
    const marker = `985.${process.pid}3`;
    const abort = new AbortController();
    const pending = fetch(`${srv.origin}/api/spawn-sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ferrode-token': srv.token },
      body: JSON.stringify({ file: 'sh', args: ['-c', `sleep ${marker} & sleep ${marker}`] }),
      signal: abort.signal,
    }).catch((e) => e);
    assert.ok(await waitFor(() => processesWith(marker).length >= 2, 3000), 'both sleeps started');
    abort.abort();
    await pending;
    assert.ok(await waitFor(() => processesWith(marker).length === 0, 3000), processesWith(marker).join('\n'));
  } finally {
    await srv.stop();
  }
});

// ------------------------------------------------------------------ 4. /slow from anywhere
test('attack 4: a cross-site <img> cannot make /slow burn CPU (demo routes need the token or same-origin)', async () => {
  const off = await startCompanion();
  try {
    // Without --demo-routes there is no /slow at all.
    assert.equal((await request(portOf(off), '/slow?n=1000')).status, 404);
  } finally {
    await off.stop();
  }
  const srv = await startCompanion(['--demo-routes']);
  try {
    const port = portOf(srv);
    const before = cpuSeconds(srv.child.pid);
    // What Chromium sends for <img src="http://127.0.0.1:PORT/slow"> on another site: no Origin.
    const img = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };
    for (let i = 0; i < 5; i++) assert.equal((await request(port, '/slow', { headers: img })).status, 403);
    assert.equal((await request(port, '/slow')).status, 403, 'no browser headers, no token');
    assert.ok(cpuSeconds(srv.child.pid) - before < 0.2, 'refused requests did no work');
    // The page itself (same-origin) and token holders may.
    const same = await request(port, '/slow?n=1000', { headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(same.body, 'slow response: 1000');
    const tok = await request(port, '/fast', { headers: { 'x-ferrode-token': srv.token } });
    assert.equal(tok.body, 'fast response');
  } finally {
    await srv.stop();
  }
});

test('attack 4b: /slow has a concurrency cap and stops when its client goes', async () => {
  const srv = await startCompanion(['--demo-routes']);
  try {
    const port = portOf(srv);
    const auth = { 'x-ferrode-token': srv.token };
    const reqs = [];
    for (let i = 0; i < 2; i++) {
      const req = http.get({ host: '127.0.0.1', port, path: '/slow', headers: auth, agent: false });
      req.on('error', () => {});
      reqs.push(req);
    }
    await sleep(300);
    assert.equal((await request(port, '/slow', { headers: auth })).status, 503, 'a third loop is refused');
    for (const r of reqs) r.destroy();
    await sleep(500);
    const a = cpuSeconds(srv.child.pid);
    await sleep(1000);
    const burnt = cpuSeconds(srv.child.pid) - a;
    assert.ok(burnt < 0.2, `${burnt} CPU-s burnt after the clients left`);
    assert.equal((await request(port, '/slow?n=1000', { headers: auth })).body, 'slow response: 1000');
  } finally {
    await srv.stop();
  }
});

// ------------------------------------------------------------------ 5. exhausting the connection cap
test('attack 5: bodies that never arrive are cut off on every route, and one peer cannot take every slot', async () => {
  const srv = await startCompanion(['--demo-routes', '--read-timeout', '1', '--max-connections-per-peer', '40']);
  try {
    const port = portOf(srv);
    // Body promised, never sent: on the demo echo, on a static path and on the API.
    const socks = [];
    for (const p of ['/hello', '/index.html', '/api/spawn-sync']) {
      for (let i = 0; i < 10; i++) {
        const s = connect(port, '127.0.0.2');
        s.write(
          `POST ${p} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nSec-Fetch-Site: same-origin\r\n` +
            `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
        );
        socks.push(s);
      }
    }
    const closed = await Promise.all(socks.map((s) => closedWithin(s, 6000)));
    assert.equal(closed.filter(Boolean).length, socks.length, 'every stalled body was cut off');
    // One peer address holding its whole share cannot lock the others out.
    const hogs = [];
    for (let i = 0; i < 60; i++) {
      hogs.push(connect(port, '127.0.0.2'));
    }
    await sleep(300);
    const ok = await request(port, '/api/info', { headers: { 'x-ferrode-token': srv.token } });
    assert.equal(ok.status, 200, 'another peer is still served');
    const refused = await Promise.all(hogs.map((s) => closedWithin(s, 500)));
    assert.ok(refused.filter(Boolean).length >= 20, 'connections past the per-peer cap are closed at once');
    for (const s of hogs) s.destroy();
  } finally {
    await srv.stop();
  }
});

test('attack 5b: a session cannot open channels without end (per-session cap)', async () => {
  const srv = await startCompanion(['--max-channels', '5']);
  try {
    const c = await session(srv);
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await c.listen({ kind: 'net', port: 0 }));
    await assert.rejects(c.listen({ kind: 'net', port: 0 }), (e) => e.code === 'EMFILE');
    await open[0].close();
    const again = await c.listen({ kind: 'net', port: 0 });
    assert.ok(again.port > 0, 'a closed channel frees its slot');
    c.close();
  } finally {
    await srv.stop();
  }
});

// ------------------------------------------------------------------ 6. binding to the network
test('attack 6: --host 0.0.0.0 is refused without --allow-network; with it, a warning and real-address Hosts', async () => {
  const refused = spawn(BIN, ['--host', '0.0.0.0', '--port', '0', '--web-dir', WEB_DIR, '--pkg-dir', PKG_DIR]);
  let err = '';
  refused.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => refused.on('exit', r));
  assert.notEqual(code, 0);
  assert.match(err, /--allow-network/);

  const srv = await startCompanion(['--host', '0.0.0.0', '--allow-network']);
  try {
    const port = portOf(srv);
    await waitFor(() => /Requests must name/.test(srv.log()), 2000);
    assert.match(srv.log(), /WARNING.*reachable from the network/);
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a.family === 'IPv4' && !a.internal)?.address;
    const t = { 'x-ferrode-token': srv.token };
    assert.equal((await request(port, '/api/info', { headers: { ...t, host: `127.0.0.1:${port}` } })).status, 200);
    if (lan) {
      assert.equal((await request(port, '/api/info', { headers: { ...t, host: `${lan}:${port}` } })).status, 200);
      // Without the token a LAN machine gets nothing but the static page.
      assert.equal((await request(port, '/api/info', { headers: { host: `${lan}:${port}` } })).status, 401);
    }
    assert.equal((await request(port, '/', { headers: { host: `evil.example:${port}` } })).status, 403);
  } finally {
    await srv.stop();
  }
});

// ------------------------------------------------------------------ 7. the low ones
test('attack 7a: a symlink in the served folder does not lead out of it', async () => {
  const web = tmpdir('ferrode-web-');
  fs.writeFileSync(path.join(web, 'index.html'), '<title>x</title>');
  fs.symlinkSync('/etc/passwd', path.join(web, 'passwd'));
  fs.mkdirSync(path.join(web, 'in'));
  fs.writeFileSync(path.join(web, 'in', 'a.txt'), 'inside');
  fs.symlinkSync(path.join(web, 'in', 'a.txt'), path.join(web, 'alias.txt'));
  const srv = await startCompanion([], { webDir: web });
  try {
    assert.equal((await request(portOf(srv), '/passwd')).status, 404);
    assert.equal((await request(portOf(srv), '/alias.txt')).body, 'inside', 'links inside the folder still work');
  } finally {
    await srv.stop();
    fs.rmSync(web, { recursive: true, force: true });
  }
});

test('attack 7b: --cluster workers do not pass the token to what the page starts', async () => {
  const srv = await startCompanion(['--cluster', '2']);
  try {
    const c = await session(srv);
    const r = await c.run('env');
    assert.equal(r.code, 0);
    assert.ok(!r.stdout.includes(srv.token), "the token is in a child's environment");
    assert.doesNotMatch(r.stdout, /FERRODE_TOKEN|FERRODE_CLUSTER_WORKER/);
    c.close();
  } finally {
    await srv.stop();
  }
});

test('attack 7c: the scratch workdir is private (0700)', async () => {
  const srv = await startCompanion();
  try {
    const c = await session(srv);
    const r = await c.run('pwd');
    const dir = r.stdout.trim();
    assert.match(dir, /ferrode-work-/);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    c.close();
  } finally {
    await srv.stop();
  }
});

test('attack 7d: a NUL byte in a spawn argument is refused like Node (ERR_INVALID_ARG_VALUE)', async () => {
  const srv = await startCompanion();
  try {
    const c = await session(srv);
    const r = await c.run('echo', ['a\0b']);
    let node;
    try {
      spawn('echo', ['a\0b']);
    } catch (e) {
      node = e;
    }
    assert.equal(r.error.code, 'ERR_INVALID_ARG_VALUE');
    assert.equal(r.error.code, node.code);
    assert.equal(r.error.message, node.message);
    c.close();
  } finally {
    await srv.stop();
  }
});

test("attack 7e: the TLS host-mismatch message reads like Node's", async () => {
  const certs = await makeCerts();
  const srv = await startCompanion(['--extra-ca', certs.ca]);
  const server = https.createServer(
    { key: fs.readFileSync(certs.key), cert: fs.readFileSync(certs.cert) },
    (req, res) => res.end('x'),
  );
  await new Promise((r) => server.listen(0, '127.0.0.2', r));
  try {
    const port = server.address().port;
    const c = await session(srv);
    const ours = await c.fetchAll({ protocol: 'https:', hostname: '127.0.0.2', port, path: '/' }).then(
      () => null,
      (e) => e,
    );
    const node = await new Promise((resolve) => {
      const req = https.get({ host: '127.0.0.2', port, ca: fs.readFileSync(certs.ca), agent: false }, () =>
        resolve(null),
      );
      req.on('error', resolve);
    });
    assert.equal(ours.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.equal(ours.code, node.code);
    assert.equal(ours.message, node.message);
    c.close();
  } finally {
    server.close();
    await srv.stop();
    fs.rmSync(certs.dir, { recursive: true, force: true });
  }
});

test('attack 7f: /ferrode/ serves what npm publishes, and no folder redirect drops the prefix', async () => {
  const srv = await startCompanion();
  try {
    const port = portOf(srv);
    assert.equal((await request(port, '/ferrode/js/index.js')).status, 200);
    assert.equal((await request(port, '/ferrode/package.json')).status, 200);
    for (const p of ['/ferrode/src/lib.rs', '/ferrode/Cargo.toml', '/ferrode/%43argo.toml', '/ferrode/pkg/']) {
      assert.equal((await request(port, p)).status, 404, p);
    }
    const dir = await request(port, '/ferrode/js');
    assert.notEqual(dir.status, 307);
    assert.equal(dir.headers.location, undefined);
  } finally {
    await srv.stop();
  }
});
