// TypeScript: the packed tarball's subpaths carry @types/node's declarations
// for each module, plus ferrode's own (threads, the vite plugin's options).
// `tsc --noEmit` must accept tests/apps/types/sample.ts, whose expected-error
// lines prove the types are real, and must reject a file that misuses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installPackedTarball } from '../support/tarball.mjs';
import { ROOT } from '../support/paths.mjs';
import { APPS } from '../apps/support.mjs';

const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

function scratch() {
  const { dir, files } = installPackedTarball();
  fs.mkdirSync(path.join(dir, 'node_modules/@types'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules/@types/node'), path.join(dir, 'node_modules/@types/node'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules/vite'), path.join(dir, 'node_modules/vite'), 'dir');
  for (const f of ['tsconfig.json', 'sample.ts']) fs.copyFileSync(path.join(APPS, 'types', f), path.join(dir, f));
  return { dir, files };
}

function tsc(dir) {
  try {
    execFileSync(process.execPath, [TSC, '-p', '.'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return '';
  } catch (err) {
    return `${err.stdout}${err.stderr}` || String(err);
  }
}

test('tsc --noEmit accepts the sample against the packed tarball, and rejects misuse', () => {
  const { dir, files } = scratch();
  try {
    for (const f of ['types/index.d.ts', 'types/zlib.d.cts', 'types/vite.d.ts', 'types/stream/promises.d.cts']) {
      assert.ok(files.includes(f), `tarball lacks ${f}`);
    }
    assert.equal(tsc(dir), '');
    // The same checks without their expected-error markers must fail, each one.
    const sample = fs.readFileSync(path.join(dir, 'sample.ts'), 'utf8');
    const expected = sample.split('\n').filter((l) => l.startsWith('// @ts-expect-error')).length;
    fs.writeFileSync(path.join(dir, 'sample.ts'), sample.replace(/^\/\/ @ts-expect-error.*$/gm, ''));
    const out = tsc(dir);
    const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
    assert.equal(errors.length, expected, out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
