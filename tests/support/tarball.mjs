// Packs the npm package with `npm pack` and installs the tarball into a
// scratch project, the way a user gets it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PKG_DIR } from './paths.mjs';

/** Returns { dir, pkgDir, tarball } of a scratch project with ferrode installed. */
export function installPackedTarball() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-scratch-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir, PKG_DIR], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [info] = JSON.parse(out);
  const tarball = path.join(dir, info.filename);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { dir, pkgDir: path.join(dir, 'node_modules', 'ferrode'), tarball, files: info.files.map((f) => f.path) };
}
