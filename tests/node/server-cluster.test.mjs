// --cluster: workers share the port; a killed worker is replaced within a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startCompanion, waitFor, alive } from '../support/server-helpers.mjs';

function get(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
}

test('two workers serve /hello; a SIGKILLed worker is back within 1 s', async () => {
  const srv = await startCompanion(['--cluster', '2', '--demo-routes']);
  let log = '';
  srv.child.stderr.on('data', (d) => (log += d));
  try {
    const port = Number(new URL(srv.url).port);
    const t = { 'x-ferrode-token': srv.token };
    const r = await get(port, '/hello', t);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { message: 'Hello, World!' });
    const pids = new Set();
    for (let i = 0; i < 40 && pids.size < 2; i++) {
      pids.add(JSON.parse((await get(port, '/api/info', { 'x-ferrode-token': srv.token })).body).pid);
    }
    assert.equal(pids.size, 2, 'both workers answer on the shared port');
    assert.ok(!pids.has(srv.child.pid), 'the primary does not serve');
    const [victim] = pids;
    process.kill(victim, 'SIGKILL');
    const killedAt = Date.now();
    const back = await waitFor(
      () => /worker \d+ started[\s\S]*$/.test(log.split(`worker ${victim} died`)[1] ?? ''),
      3000,
      10,
    );
    const took = Date.now() - killedAt;
    assert.ok(back, `no replacement: ${log}`);
    assert.match(log, new RegExp(`worker ${victim} died, starting a new one`));
    assert.ok(took < 1000, `replacement took ${took} ms`);
    assert.ok(!alive(victim));
    for (let i = 0; i < 10; i++) assert.equal((await get(port, '/fast', t)).body, 'fast response');
  } finally {
    await srv.stop();
  }
});
