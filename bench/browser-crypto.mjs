// The main rows of bench/crypto.mjs in real Chromium: ferrode/crypto
// (single-threaded build) beside hash-wasm, @noble/hashes, @noble/ciphers and
// the platform's crypto.subtle. crypto.subtle is async-only (every call returns
// a Promise), so its times include that round trip; ferrode and the others are
// synchronous. crypto-browserify is not in this table: it needs a bundler.
// Usage: node bench/browser-crypto.mjs (or node bench/run.mjs browser-crypto).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { best, printTable, runBenchPage } from './support/browser-page.mjs';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">
{ "imports": {
  "ferrode/crypto": "/ferrode/js/crypto.js",
  "#wasm": "/ferrode/js/internal/wasm-browser.js",
  "hash-wasm": "/nm/hash-wasm/dist/index.esm.js",
  "@noble/hashes/": "/nm/@noble/hashes/",
  "@noble/ciphers/": "/nm/@noble/ciphers/"
} }
</script>
<script type="module">
import fc from 'ferrode/crypto';
import * as hw from 'hash-wasm';
import { sha256 } from '@noble/hashes/sha2.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { cbc, gcm } from '@noble/ciphers/aes.js';

const MiB = 1 << 20;
const hex = (u8) => Array.from(new Uint8Array(u8.buffer ?? u8, u8.byteOffset ?? 0, u8.byteLength),
  (b) => b.toString(16).padStart(2, '0')).join('');
function random(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

${best}

async function row(name, impls, { runs, bytes = 0 }) {
  const outs = {};
  for (const [label, fn] of Object.entries(impls)) outs[label] = hex(await fn());
  const first = Object.values(outs)[0];
  for (const [label, out] of Object.entries(outs)) {
    if (out !== first) throw new Error(name + ': ' + label + ' disagrees');
  }
  const times = {};
  for (const [label, fn] of Object.entries(impls)) times[label] = await best(fn, runs);
  return { row: name, times, bytes };
}

globalThis.runBench = async (runs) => {
  const big = random(64 * MiB);
  const data = big.subarray(0, 16 * MiB);
  const smalls = Array.from({ length: 10000 }, (_, i) => big.subarray(64 * i, 64 * i + 64));
  const key = random(32);
  const iv = random(16);
  const iv12 = iv.subarray(0, 12);
  const salt = random(16);
  const pw = new TextEncoder().encode('password');
  const h256 = await hw.createSHA256();
  const subtle = crypto.subtle;
  const cbcKey = await subtle.importKey('raw', key, 'AES-CBC', false, ['encrypt']);
  const gcmKey = await subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  const pbKey = await subtle.importKey('raw', pw, 'PBKDF2', false, ['deriveBits']);
  const fenc = (alg, i) => () => {
    const c = fc.createCipheriv(alg, key, i);
    const a = c.update(data);
    const b = c.final();
    const tag = alg.endsWith('gcm') ? c.getAuthTag() : new Uint8Array(0);
    const out = new Uint8Array(a.length + b.length + tag.length);
    out.set(a);
    out.set(b, a.length);
    out.set(tag, a.length + b.length);
    return out;
  };
  const loop = (fn) => () => {
    let last;
    for (let i = 0; i < smalls.length; i++) last = fn(smalls[i]);
    return last;
  };
  const loopAsync = (fn) => async () => {
    let last;
    for (let i = 0; i < smalls.length; i++) last = await fn(smalls[i]);
    return new Uint8Array(last);
  };
  const rows = [];
  rows.push(await row('sha256 64 MiB', {
    ferrode: () => fc.createHash('sha256').update(big).digest(),
    'hash-wasm': () => h256.init().update(big).digest('binary'),
    '@noble/hashes': () => sha256(big),
    'crypto.subtle (async)': async () => new Uint8Array(await subtle.digest('SHA-256', big)),
  }, { runs, bytes: big.length }));
  rows.push(await row('sha256 10000 x 64 B', {
    ferrode: loop((x) => fc.createHash('sha256').update(x).digest()),
    'hash-wasm': loop((x) => h256.init().update(x).digest('binary')),
    '@noble/hashes': loop((x) => sha256(x)),
    'crypto.subtle (async)': loopAsync((x) => subtle.digest('SHA-256', x)),
  }, { runs, bytes: 640000 }));
  rows.push(await row('pbkdf2-sha256 100k iterations', {
    ferrode: () => fc.pbkdf2Sync(pw, salt, 100000, 32, 'sha256'),
    'hash-wasm': () => hw.pbkdf2({ password: pw, salt, iterations: 100000, hashLength: 32,
      hashFunction: hw.createSHA256(), outputType: 'binary' }),
    '@noble/hashes': () => pbkdf2(sha256, pw, salt, { c: 100000, dkLen: 32 }),
    'crypto.subtle (async)': async () => new Uint8Array(await subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100000 }, pbKey, 256)),
  }, { runs: Math.min(runs, 3) }));
  rows.push(await row('aes-256-cbc encrypt 16 MiB', {
    ferrode: fenc('aes-256-cbc', iv),
    '@noble/ciphers': () => cbc(key, iv).encrypt(data),
    'crypto.subtle (async)': async () => new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv }, cbcKey, data)),
  }, { runs, bytes: data.length }));
  rows.push(await row('aes-256-gcm encrypt 16 MiB', {
    ferrode: fenc('aes-256-gcm', iv12),
    '@noble/ciphers': () => gcm(key, iv12).encrypt(data),
    'crypto.subtle (async)': async () =>
      new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: iv12 }, gcmKey, data)),
  }, { runs, bytes: data.length }));
  return rows;
};
globalThis.benchReady = true;
</script>`;

/** Runs the page in Chromium and prints its table (timing happens in the page). */
export default async function run() {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const { result: rows, version } = await runBenchPage('crypto', { 'index.html': PAGE }, runs);
  console.log(`Chromium ${version}; best of ${runs} after a warm-up; outputs checked equal;`);
  console.log('ratio = other time / ferrode time (> 1: ferrode faster); crypto.subtle is async-only');
  printTable(rows);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await run();
