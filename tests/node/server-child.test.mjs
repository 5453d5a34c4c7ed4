// child_process through the companion, checked against Node's own child_process
// on the same commands, and against the OS's process table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as cp from 'node:child_process';
import { startCompanion, session, tmpdir, alive, waitFor } from '../support/server-helpers.mjs';

let srv;
let c;
let work;

before(async () => {
  work = tmpdir('ferrode-work-test-');
  fs.writeFileSync(path.join(work, 'a.txt'), 'alpha\n');
  fs.mkdirSync(path.join(work, 'sub'));
  srv = await startCompanion(['--workdir', work, '--kill-grace', '0.5']);
  c = await session(srv);
});

after(async () => {
  c?.close();
  await srv?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

test('spawn ls -la in the workdir gives what Node gives', async () => {
  const r = await c.run('ls', ['-la']);
  const node = cp.spawnSync('ls', ['-la'], { cwd: work, encoding: 'utf8' });
  assert.equal(r.error, undefined);
  assert.equal(r.code, node.status);
  assert.equal(r.signal, null);
  assert.equal(r.stdout, node.stdout);
  assert.match(r.stdout, /a\.txt/);
});

test('a shell pipeline (exec) matches Node', async () => {
  const cmd = "printf 'b\\na\\nc\\n' | sort | tr a-z A-Z; echo err >&2";
  const r = await c.run(cmd, [], { shell: true });
  const node = cp.spawnSync(cmd, { shell: true, cwd: work, encoding: 'utf8' });
  assert.equal(r.stdout, node.stdout);
  assert.equal(r.stderr, node.stderr);
  assert.equal(r.code, 0);
});

test('exit codes and stdin', async () => {
  for (const code of [0, 1, 7, 255]) {
    const r = await c.run(`exit ${code}`, [], { shell: true });
    assert.equal(r.code, cp.spawnSync(`exit ${code}`, { shell: true }).status);
  }
  const ch = c.spawn('cat');
  const out = [];
  ch.on('data', (b, fd) => fd === 1 && out.push(Buffer.from(b)));
  const closed = new Promise((r) => ch.on('close', r));
  ch.write('hello ');
  ch.end('world');
  const m = await closed;
  assert.equal(Buffer.concat(out).toString(), 'hello world');
  assert.equal(m.code, 0);
});

test('cwd inside the workdir works; outside is refused', async () => {
  const r = await c.run('pwd', [], { cwd: 'sub' });
  assert.equal(r.stdout.trim(), fs.realpathSync(path.join(work, 'sub')));
  for (const cwd of ['..', '/etc', 'sub/../..']) {
    const bad = await c.run('pwd', [], { cwd });
    assert.equal(bad.error.code, 'EACCES', cwd);
    assert.equal(bad.error.syscall, 'spawn pwd');
    assert.equal(bad.stdout, '');
  }
});

test('a missing command fails like Node (ENOENT)', async () => {
  const r = await c.run('no-such-command-ferrode', ['x']);
  const node = await new Promise((resolve) => cp.spawn('no-such-command-ferrode', ['x']).on('error', resolve));
  for (const k of ['code', 'errno', 'syscall', 'path', 'message']) assert.equal(r.error[k], node[k], k);
  assert.deepEqual(r.error.spawnargs, node.spawnargs);
});

test('a process ignoring SIGTERM dies on SIGKILL; code and signal like Node', async () => {
  const script = "trap '' TERM; echo ready; while :; do sleep 0.05; done";
  const ch = c.spawn(script, [], { shell: true });
  // Listeners first: several messages can arrive in one read.
  const spawned = new Promise((r) => ch.on('spawned', (m) => r(m.pid)));
  const ready = new Promise((r) => ch.on('data', (b) => Buffer.from(b).toString().includes('ready') && r()));
  const pid = await spawned;
  await ready;
  ch.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(alive(pid), 'still running after SIGTERM');
  const exit = new Promise((r) => ch.on('exit', r));
  ch.kill('SIGKILL');
  const m = await exit;
  const node = await new Promise((resolve) => {
    const p = cp.spawn('sh', ['-c', 'sleep 5']);
    p.on('exit', (code, signal) => resolve({ code, signal }));
    setTimeout(() => p.kill('SIGKILL'), 50);
  });
  assert.equal(m.code, node.code);
  assert.equal(m.signal, node.signal);
  assert.equal(m.signal, 'SIGKILL');
});

test('10 MiB of output arrives whole', async () => {
  const ch = c.spawn('head', ['-c', String(10 << 20), '/dev/zero']);
  let n = 0;
  let nonzero = 0;
  ch.on('data', (b, fd) => {
    if (fd !== 1) return;
    n += b.length;
    for (const x of b) nonzero |= x;
  });
  const m = await new Promise((r) => ch.on('close', r));
  assert.equal(n, 10 << 20);
  assert.equal(nonzero, 0);
  assert.equal(m.code, 0);
});

test("exec's maxBuffer gives Node's error", async () => {
  const cmd = 'head -c 2000000 /dev/zero';
  const r = await c.run(cmd, [], { shell: true });
  const node = await new Promise((resolve) => cp.exec(cmd, (err) => resolve(err)));
  assert.equal(r.error.code, node.code);
  assert.equal(r.error.message, node.message);
});

test('spawnSync over HTTP matches Node', async () => {
  const r = await c.spawnSync('sh', ['-c', 'cat; echo out; echo err >&2; exit 3'], { input: 'in-' });
  const node = cp.spawnSync('sh', ['-c', 'cat; echo out; echo err >&2; exit 3'], { input: 'in-' });
  assert.equal(r.status, node.status);
  assert.equal(r.signal, node.signal);
  assert.equal(Buffer.from(r.stdout).toString(), node.stdout.toString());
  assert.equal(Buffer.from(r.stderr).toString(), node.stderr.toString());
  const t = await c.spawnSync('sleep', ['5'], { timeout: 100 });
  const nt = cp.spawnSync('sleep', ['5'], { timeout: 100 });
  assert.equal(t.error.code, nt.error.code);
  assert.equal(t.error.message, nt.error.message);
  assert.equal(t.signal, nt.signal);
});

test('unknown signal is refused like Node', async () => {
  const ch = c.spawn('sleep', ['5']);
  const closed = new Promise((r) => ch.on('close', r));
  await new Promise((r) => ch.on('spawned', r));
  const err = new Promise((r) => ch.on('error', r));
  c._send({ t: 'kill', id: ch.id, signal: 'SIGNOPE' });
  const e = await err;
  const node = (() => {
    try {
      process.kill(process.pid, 'SIGNOPE');
    } catch (x) {
      return x;
    }
  })();
  assert.equal(e.code, node.code);
  assert.equal(e.message, node.message);
  ch.kill('SIGKILL');
  await closed;
});

test("a page's disconnect ends its processes and their children (no orphans)", async () => {
  const page = await session(srv);
  const stubborn = page.spawn("trap '' TERM; sleep 1000 & echo $!; wait", [], { shell: true });
  const plain = page.spawn('sleep', ['1000']);
  const grandchildP = new Promise((r) => stubborn.on('data', (b) => r(Number(Buffer.from(b).toString().trim()))));
  const pids = await Promise.all([stubborn, plain].map((ch) => new Promise((r) => ch.on('spawned', (m) => r(m.pid)))));
  const grandchild = await grandchildP;
  for (const p of [...pids, grandchild]) assert.ok(alive(p), `pid ${p} running`);
  page.ws.terminate();
  const gone = await waitFor(() => ![...pids, grandchild].some(alive), 5000);
  assert.ok(gone, `still running: ${[...pids, grandchild].filter(alive)}`);
});

test('--no-exec refuses spawns', async () => {
  const s = await startCompanion(['--no-exec']);
  try {
    const p = await session(s);
    assert.equal(p.info.exec, false);
    const r = await p.run('true');
    assert.equal(r.error.code, 'ERR_FERRODE_EXEC_DISABLED');
    const sync = await p.spawnSync('true');
    assert.equal(sync.error.code, 'ERR_FERRODE_EXEC_DISABLED');
    p.close();
  } finally {
    await s.stop();
  }
});
