// The npm package as users get it: loads in Node 20 with the single-threaded
// build, and `npm pack` produces a tarball that installs and works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installPackedTarball } from '../support/tarball.mjs';

test('Node gets the single-threaded build, ready after import', async () => {
  const { threads } = await import('ferrode');
  assert.equal(threads.threaded, false);
  assert.equal(threads.poolSize, 0);
});

test('npm pack tarball installs into a scratch project and runs under Node 20', () => {
  const { dir, files } = installPackedTarball();
  try {
    for (const f of ['package.json', 'js/index.js', 'pkg/st/ferrode_wasm_bg.wasm', 'pkg/mt/ferrode_wasm_bg.wasm']) {
      assert.ok(files.includes(f), `tarball lacks ${f}: ${files.join(', ')}`);
    }
    fs.writeFileSync(
      path.join(dir, 'use.mjs'),
      "import { threads } from 'ferrode';\nconsole.log(JSON.stringify(threads));\n",
    );
    const out = execFileSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { threaded: false, poolSize: 0, reason: 'node' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
