// Runs every benchmark file (bench/<module>.mjs) in one process, so ferrode,
// the packages users use today and Node's native modules are measured in the
// same run. Usage: node bench/run.mjs [module ...] [--filter TEXT] [--json FILE]
// [--harness best|sampled|both] (harness.mjs says how the two measure).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHarness } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let filter = '';
let jsonOut = null;
let harness = 'best';
const modules = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--filter') filter = args[++i];
  else if (args[i] === '--json') jsonOut = args[++i];
  else if (args[i] === '--harness') harness = args[++i];
  else modules.push(args[i]);
}
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && !['harness.mjs', 'run.mjs'].includes(f))
  .filter((f) => modules.length === 0 || modules.includes(path.basename(f, '.mjs')))
  .sort();
if (harness !== 'best' && typeof globalThis.gc !== 'function') {
  // The sampled harness collects garbage before each sample: run again with gc exposed.
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}
const h = createHarness({ filter, harness });
console.log(
  `node ${process.version}, ${process.arch}; harness: ${harness}; ratio = other time / ferrode time (> 1: ferrode faster)`,
);
for (const f of files) {
  console.log(`\n## ${path.basename(f, '.mjs')}`);
  const mod = await import(path.join(here, f));
  await mod.default(h);
}
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(h.rows, null, 2));
