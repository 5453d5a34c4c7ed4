// Every seed example, run in the playground (real Chromium, the page served
// by the companion) and with the real Node 20 on the same files: stdout,
// stderr and the exit code must match once pids, timings, random bytes and
// absolute paths are normalised. Examples that need a ferrode module that has
// not landed must say so clearly. Examples that need real ports or processes
// are compared with Node through the companion in
// companion-playground.test.mjs (which also checks that, without the
// companion, they say that they need it and how to start it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WEB_DIR } from '../support/paths.mjs';
import { modulesUsed, runNode, normalise, usePlayground, startRun, waitForExit } from '../support/playground.mjs';
import { buildExamples } from '../../web/tools/examples.mjs';

const FERRODE_MODULES = ['buffer', 'events', 'stream', 'stream/promises', 'zlib', 'crypto', 'string_decoder'];
const NETWORK_MODULES = ['http', 'https', 'net'];
const manifest = JSON.parse(fs.readFileSync(path.join(WEB_DIR, 'dist/ferrode/manifest.json'), 'utf8'));
const examples = buildExamples(path.join(WEB_DIR, 'seeds'));
// What a program reads from process.stdin in both runs.
const STDIN = 'hello streams\n';

const playground = usePlayground();

/**
 * Loads and runs an example in the page; resolves with its output once it exits, or once its stderr matches
 * `until` (then it is stopped), or after `limit` ms (then it is stopped too).
 */
async function runInPage(id, { limit = 150000, stdin = null, until = null } = {}) {
  const { page } = playground;
  await page.evaluate((x) => __playground.load(x), id);
  const runs = await startRun(page, stdin);
  let stopped = false;
  try {
    await waitForExit(page, runs, { timeout: limit, polling: 100, until });
    if (await page.evaluate(() => __playground.running)) {
      stopped = true;
      await page.evaluate(() => __playground.stop());
    }
  } catch {
    stopped = true;
    await page.evaluate(() => __playground.stop());
  }
  const out = await page.evaluate(() => __playground.output());
  return { ...out, stopped, diagnostics: page.consoleLines.splice(0).join('\n') };
}

function classify(ex) {
  const used = modulesUsed(ex.files);
  const text = Object.values(ex.files).join('\n');
  const missing = [...used].filter((m) => FERRODE_MODULES.includes(m) && !(m in manifest.modules));
  const network = [...used].filter((m) => NETWORK_MODULES.includes(m));
  const processes = used.has('child_process') && /\b(spawn|exec|execFile)\s*\(|promisify\(exec\)/.test(text);
  const opensNetwork = network.length > 0 && /\.listen\(|\.request\(|\.get\(|\.connect\(|createConnection\(/.test(text);
  return { used, missing, companion: opensNetwork || processes, stdin: /process\.stdin/.test(text) };
}

const report = { compared: [], waitingForModules: [], needCompanion: [] };

for (const ex of examples) {
  const kind = classify(ex);
  if (kind.companion && kind.missing.length === 0) {
    report.needCompanion.push(ex.id);
    continue;
  }
  test(`seed example ${ex.id} (${Object.keys(ex.files).join(', ')})`, async () => {
    if (kind.missing.length > 0) {
      const out = await runInPage(ex.id, { limit: 60000 });
      report.waitingForModules.push(`${ex.id}: ${kind.missing.join(', ')}`);
      const named = kind.missing.map((m) => m.replace('/', '\\/')).join('|');
      assert.match(
        out.stderr,
        new RegExp(`The module '(${named})' is not available in the playground yet`),
        `${out.stderr}\n${out.diagnostics}`,
      );
      assert.match(out.stderr, /ERR_FERRODE_NOT_AVAILABLE/);
      assert.equal(out.lastExit?.code, 1);
      return;
    }
    const stdin = kind.stdin ? STDIN : null;
    const [node, web] = await Promise.all([
      runNode(ex.files, ex.binary, ex.entry, { stdin }),
      runInPage(ex.id, { stdin }),
    ]);
    try {
      const random = /randomBytes/.test(Object.values(ex.files).join('\n'));
      assert.equal(web.stopped, false, `the program did not end in the page\n${web.text}\n${web.diagnostics}`);
      assert.equal(normalise(web.stdout, { random }), normalise(node.stdout, { dir: node.dir, random }), 'stdout');
      assert.equal(normalise(web.stderr, { random }), normalise(node.stderr, { dir: node.dir, random }), 'stderr');
      assert.equal(web.lastExit.code, node.code, 'exit code');
      report.compared.push(ex.id);
    } finally {
      fs.rmSync(node.dir, { recursive: true, force: true });
    }
  });
}

test('report', () => {
  console.log(`compared with Node 20 (${report.compared.length}): ${report.compared.join(', ')}`);
  const waiting = report.waitingForModules;
  console.log(`waiting for ferrode modules (${waiting.length}): ${waiting.join('; ')}`);
  console.log(
    `need the companion, compared in companion-playground.test.mjs (${report.needCompanion.length}): ` +
      report.needCompanion.join(', '),
  );
  assert.equal(report.compared.length + report.waitingForModules.length + report.needCompanion.length, examples.length);
});
