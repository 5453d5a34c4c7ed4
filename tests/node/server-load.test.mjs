// Load on the native demo route (mounted by --demo-routes, the token in a header):
// wrk with 64 connections for 30 s must see no errors (speed is measured by
// bench/server.sh, never asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCompanion, run } from '../support/server-helpers.mjs';

test('wrk: 30 s of GET /hello on 64 connections, zero errors', { timeout: 120000 }, async () => {
  const srv = await startCompanion(['--demo-routes']);
  try {
    const r = await run('wrk', ['-t2', '-c64', '-d30s', '-H', `x-ferrode-token: ${srv.token}`, `${srv.origin}/hello`]);
    const out = r.stdout.toString();
    assert.equal(r.code, 0, `wrk failed: ${r.stderr}`);
    const total = Number(/(\d+) requests in/.exec(out)?.[1]);
    assert.ok(total > 1000, out);
    assert.doesNotMatch(out, /Socket errors|Non-2xx/, out);
  } finally {
    await srv.stop();
  }
});
