// Helpers for the playground tests: run an example's files with the real
// Node 20 in a temporary directory, run them in the page, and normalise what
// may differ between two runs of the same program (pids, timings, random
// bytes, absolute paths, Node's internal stack frames).
import { spawn } from 'node:child_process';
import { before, after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { init, parse } from 'es-module-lexer';
import { launchBrowser } from './browser.mjs';
import { startCompanion } from './server.mjs';

await init;

/** Whether the playground (and this test's Node run) treats a file as an ES module. */
export function isEsm(name, text) {
  if (name.endsWith('.mjs')) return true;
  if (name.endsWith('.cjs')) return false;
  try {
    return parse(text)[3] === true;
  } catch {
    return false;
  }
}

/** The built-in modules an example's files use: import specifiers (lexer) and require('x') calls. */
export function modulesUsed(files) {
  const used = new Set();
  for (const [name, text] of Object.entries(files)) {
    if (!/\.(m?js|cjs)$/.test(name)) continue;
    try {
      for (const imp of parse(text)[0]) if (imp.specifier) used.add(imp.specifier.replace(/^node:/, ''));
    } catch {
      // A fragment the lexer cannot read: its require() calls still count.
    }
    for (const m of text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) used.add(m[1].replace(/^node:/, ''));
    if (/\bBuffer\./.test(text)) used.add('buffer');
    // fs streams and process.stdin.pipe are streams.
    if (/process\.std(in|out)\.pipe|\.pipe\(process\.stdout\)/.test(text)) used.add('stream');
    if ((used.has('fs') || used.has('fs/promises')) && /\bcreate(Read|Write)Stream\(/.test(text)) used.add('stream');
  }
  return used;
}

/** Runs the files with Node in a fresh directory; resolves { stdout, stderr, code, dir }. */
export function runNode(files, binary, entry, { stdin = null, timeout = 180000, env = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-seed-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  for (const [name, b64] of Object.entries(binary ?? {})) {
    fs.writeFileSync(path.join(dir, name), Buffer.from(b64, 'base64'));
  }
  // The playground detects ES module syntax in .js files (as Node 22 does); Node 20 needs to be told.
  if (isEsm(entry, files[entry])) fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: os.homedir(), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, dir });
    });
    if (stdin !== null) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

/** Makes two runs comparable; `dir` is the absolute directory the Node run used. */
export function normalise(text, { dir = null, random = false } = {}) {
  let t = text;
  if (dir) {
    const real = fs.realpathSync(dir);
    for (const d of [real, dir]) {
      t = t.split(`file://${d}/`).join('file:///app/').split(`${d}/`).join('/app/');
      t = t.replace(new RegExp(`${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/.-])`, 'g'), '/app');
    }
  }
  // Node's internal frames (the playground's runtime has its own, hidden ones).
  t = t.replace(/\n[ \t]+at [^\n]*\(?node:internal[^\n]*?( \{)?(?=\n|$)/g, '$1');
  // Timings.
  t = t.replace(/: \d+(\.\d+)?(ms|s)$/gm, ': <time>').replace(/: \d+:\d{2}\.\d{3} \(m:ss\.mmm\)$/gm, ': <time>');
  // Process ids.
  t = t.replace(/(\bpid[= ]|\bProcess |\bMaster |\bPrimary |\bWorker |\bworker |\(node:)\d+/g, '$1<pid>');
  if (random) t = t.replace(/\b[0-9a-f]{32,}\b/g, '<random hex>');
  return t;
}

/**
 * Starts the companion and Chromium and (unless `open` is false) opens the playground in a page. Resolves with
 * { companion, browser, page, newPage(url, viewport), close() }; newPage opens another page (the playground by
 * default) and, like the first, resolves once the page's runtime (`__playground`) is there.
 */
export async function openPlayground({ open = true } = {}) {
  const companion = await startCompanion();
  let browser = null;
  const close = async () => {
    await browser?.close();
    await companion.stop();
  };
  const newPage = async (url = companion.url, viewport = null) => {
    const page = await browser.newPage();
    if (viewport) await page.setViewportSize(viewport);
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__playground !== undefined, null, { timeout: 30000 });
    return page;
  };
  try {
    browser = await launchBrowser();
    const page = open ? await newPage() : null;
    return { companion, browser, page, newPage, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * For a test file: opens the playground before its tests (openPlayground with `options`) and closes it after them.
 * Returns the object openPlayground resolves with, filled in once the `before` hook has run.
 */
export function usePlayground(options) {
  const playground = {};
  before(async () => Object.assign(playground, await openPlayground(options)));
  after(async () => {
    await playground.close?.();
  });
  return playground;
}

/**
 * Starts a run of the program the page holds; `stdin` (when not null) is written to it, then closed. Resolves with
 * the number of runs before this one, which waitForExit takes.
 */
export async function startRun(page, stdin = null) {
  const runs = await page.evaluate(() => __playground.output().runs);
  await page.evaluate(() => __playground.run());
  if (stdin !== null) {
    await page.evaluate((text) => {
      __playground.stdin(text);
      __playground.stdin(null);
    }, stdin);
  }
  return runs;
}

/** Waits until the run after `runs` has exited, or until its stderr matches `until` (a RegExp source). */
export function waitForExit(page, runs, { timeout, polling, until = null }) {
  return page.waitForFunction(
    ([n, pattern]) => {
      const o = __playground.output();
      if (pattern !== null && new RegExp(pattern).test(o.stderr)) return true;
      return o.lastExit !== null && o.runs === n + 1;
    },
    [runs, until],
    { timeout, polling },
  );
}
