// The seed tutorials as test material: extract their code blocks, and run a
// block under Node 20 as it is, under Node 20 with ferrode's modules in place
// of Node's, or in Chromium with ferrode's modules — so a test can compare
// what each prints.
//
//   import { seedBlocks, runInNode, openSeedPage } from '../support/seeds.mjs';
//   const blocks = seedBlocks({ seed: '002', section: 'Buffer' });
//   const node = await runInNode(blocks[0].code);
//   const ours = await runInNode(blocks[0].code, { ferrode: true });
//   assert.equal(ours.stdout, node.stdout);
//
// Seeds live in ../shared/seeds beside the repository (FERRODE_SEEDS_DIR
// overrides); a missing folder is an error, not a skip.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, PKG_DIR } from './paths.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Folder of the seed tutorials. */
export const SEEDS_DIR = process.env.FERRODE_SEEDS_DIR ?? path.resolve(ROOT, '..', 'shared', 'seeds');

/** Node's module names that ferrode provides, as exported by the package right now. */
export function ferrodeModules() {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
  return Object.keys(pkg.exports)
    .filter((k) => k.startsWith('./') && k !== './package.json' && !k.endsWith('.json'))
    .map((k) => k.slice(2))
    .filter((name) => !['vite', 'threads'].includes(name));
}

/**
 * Every fenced code block of every seed: { seed, file, index, line, section,
 * heading, lang, code }. `seed` is the file's leading number ('000', '002');
 * `section` the nearest level-2 heading, `heading` the nearest heading of any
 * level. Filter with { seed, section, lang }.
 */
export function seedBlocks(filter = {}) {
  if (!fs.existsSync(SEEDS_DIR)) throw new Error(`seed folder not found: ${SEEDS_DIR} (set FERRODE_SEEDS_DIR)`);
  const out = [];
  for (const file of fs
    .readdirSync(SEEDS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const seed = file.split('_')[0];
    const lines = fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8').split('\n');
    let section = '';
    let heading = '';
    let open = null;
    let index = 0;
    lines.forEach((line, i) => {
      if (open === null) {
        const h = /^(#{1,6})\s+(.*)$/.exec(line);
        if (h) {
          heading = h[2].trim();
          if (h[1].length <= 2) section = heading;
          return;
        }
        const m = /^(\s*)```\s*([\w-]*)\s*$/.exec(line);
        if (m) open = { indent: m[1], lang: m[2].toLowerCase(), start: i + 1, body: [] };
        return;
      }
      if (/^\s*```\s*$/.test(line)) {
        const code = open.body.map((l) => (l.startsWith(open.indent) ? l.slice(open.indent.length) : l)).join('\n');
        out.push({
          seed,
          file,
          index: index++,
          line: open.start,
          section,
          heading,
          lang: open.lang,
          code: `${code}\n`,
        });
        open = null;
        return;
      }
      open.body.push(line);
    });
  }
  return out.filter(
    (b) =>
      (filter.seed === undefined || b.seed === filter.seed) &&
      (filter.section === undefined || b.section === filter.section) &&
      (filter.lang === undefined || b.lang === filter.lang),
  );
}

/**
 * Runs `code` as `filename` in a fresh temporary folder with `node`.
 * options.ferrode: replace Node's buffer/events/stream/... with ferrode's (ESM
 * imports, CommonJS require and the global Buffer). options.files: other files
 * ({ name: string|Uint8Array }). options.stdin: text fed to stdin.
 * Resolves { stdout, stderr, status, signal, files } where files holds every
 * file in the folder afterwards (as Buffers), for byte-for-byte comparisons.
 */
export function runInNode(
  code,
  { ferrode = false, files = {}, filename = 'main.js', stdin = '', timeoutMs = 15000, args = [] } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-seed-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  fs.writeFileSync(path.join(dir, filename), code);
  const nodeArgs = ferrode ? ['--import', path.join(here, 'ferrode-preload.mjs')] : [];
  const child = spawn(process.execPath, [...nodeArgs, filename, ...args], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: undefined, FERRODE_PRELOAD_ROOT: ROOT },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(stdin);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const after = {};
      const walk = (d, prefix) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const rel = prefix ? `${prefix}/${e.name}` : e.name;
          if (e.isDirectory()) walk(path.join(d, e.name), rel);
          else after[rel] = fs.readFileSync(path.join(d, e.name));
        }
      };
      walk(dir, '');
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ stdout, stderr: stderr.split(dir).join('<dir>'), status, signal, files: after });
    });
  });
}

/** Replaces what must differ between runs (folders, pids, timings) in printed text. */
export function normalise(text) {
  return text
    .replace(/\(node:\d+\)/g, '(node:PID)')
    .replace(/file:\/\/\S+/g, '<url>')
    .replace(/\d+(\.\d+)?ms\b/g, 'Nms');
}

let seedPageDir = null;

/** Builds (once) the folder of the seed page: index.html plus inspect bundled for the browser. */
async function buildSeedPage() {
  if (seedPageDir) return seedPageDir;
  const esbuild = await import('esbuild');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-seed-page-'));
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'node_modules/node-inspect-extracted/index.mjs')],
    bundle: true,
    format: 'esm',
    outfile: path.join(dir, 'inspect.js'),
    logLevel: 'silent',
  });
  fs.copyFileSync(path.join(here, 'seed-page.html'), path.join(dir, 'index.html'));
  fs.copyFileSync(path.join(here, 'seed-page.js'), path.join(dir, 'seed-page.js'));
  seedPageDir = dir;
  return dir;
}

/**
 * Opens the seed page in `browser` (from tests/support/browser.mjs), served by
 * the companion (threaded build) or a plain static server (single-threaded).
 * Returns { run(code, {files, settleMs}) → { stdout, stderr, error }, close() }.
 */
export async function openSeedPage(browser, { threaded = true } = {}) {
  const dir = await buildSeedPage();
  const { startCompanion } = await import('./server.mjs');
  const { startStaticServer } = await import('./static-server.mjs');
  const server = threaded
    ? await startCompanion([], { webDir: dir })
    : await startStaticServer({ '/ferrode/': PKG_DIR, '/': dir });
  const page = await browser.newPage();
  const modules = ferrodeModules();
  const url = `${server.origin}/index.html?modules=${encodeURIComponent(modules.join(','))}`;
  await page.goto(url);
  await page.waitForFunction(() => globalThis.__seedPageReady === true || globalThis.__seedPageError, null, {
    timeout: 30000,
  });
  const loadError = await page.evaluate(() => globalThis.__seedPageError);
  if (loadError) throw new Error(`seed page failed to load: ${loadError}\n${page.consoleLines.join('\n')}`);
  return {
    page,
    threads: await page.evaluate(() => globalThis.__seedPageThreads),
    async run(code, { files = {}, settleMs = 300, timeoutMs = 15000 } = {}) {
      return page.evaluate(
        ([c, f, s, t]) => globalThis.__runSeed(c, { files: f, settleMs: s, timeoutMs: t }),
        [code, files, settleMs, timeoutMs],
      );
    },
    async close() {
      await page.close();
      if (server.stop) await server.stop();
      else await server.close();
    },
  };
}
