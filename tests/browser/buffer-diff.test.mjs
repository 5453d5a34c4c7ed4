// ferrode/buffer in real Chromium against node:buffer in this process: the
// page runs each case with ferrode's module, this process runs the same source
// with Node's, and the pictures (values, bytes, thrown errors) must be equal.
// Both builds: the companion's cross-origin isolated page (threaded) and a
// plain static server (single-threaded).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as nodeBuffer from 'node:buffer';
import { launchBrowser } from '../support/browser.mjs';
import { startCompanion } from '../support/server.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { PKG_DIR } from '../support/paths.mjs';
import { describe, describeError, outcome, prng, seed } from '../node/buffer-helpers.mjs';

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>ferrode buffer</title>
<script type="importmap">
{ "imports": { "ferrode": "/ferrode/js/index.js", "ferrode/buffer": "/ferrode/js/buffer.js",
  "#wasm": "/ferrode/js/internal/wasm-browser.js" } }
</script>
<script type="module">
  try {
    globalThis.__buffer = await import('ferrode/buffer');
    globalThis.__threads = (await import('ferrode')).threads;
    globalThis.__ready = true;
  } catch (err) {
    globalThis.__loadError = String(err && err.stack);
  }
</script></head><body></body></html>`;

// Fixed cases: every method family, encodings, edge cases and errors.
const FIXED = [
  '({ Buffer }) => { const b = new Buffer.alloc(3); b[1] = 1; b[2] = 256; return b; }',
  "({ Buffer }) => Buffer.from('hello', 'utf8').toString('hex')",
  "({ Buffer }) => Buffer.from('héllo wörld €😀').toString('base64')",
  "({ Buffer }) => Buffer.from('aGVs bG8\\n', 'base64')",
  "({ Buffer }) => Buffer.from('-_-_', 'base64url')",
  "({ Buffer }) => Buffer.from('6869zz', 'hex')",
  "({ Buffer }) => Buffer.from('686', 'hex')",
  '({ Buffer }) => Buffer.from([0xe2, 0x82, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f]).toString()',
  "({ Buffer }) => Buffer.from('a\\ud800b\\udc00', 'utf8')",
  "({ Buffer }) => Buffer.from('a\\ud800b', 'ucs2').toString('ucs2')",
  "({ Buffer }) => Buffer.from([1, 2, 3, 4, 5]).toString('ucs2')",
  "({ Buffer }) => Buffer.from('\\u00ff\\u0100', 'latin1')",
  "({ Buffer }) => Buffer.from([0xff, 0x80, 0x41]).toString('ascii')",
  '({ Buffer }) => Buffer.alloc(-1)',
  '({ Buffer }) => Buffer.alloc(NaN)',
  "({ Buffer }) => Buffer.alloc('5')",
  // Past Node 24's kMaxLength (2 ** 53 - 1): a size error, no allocation.
  '({ Buffer }) => Buffer.alloc(2 ** 53)',
  '({ Buffer }) => Buffer.allocUnsafe(1.5).length',
  "({ Buffer }) => Buffer.alloc(7, 'ab€')",
  "({ Buffer }) => Buffer.alloc(5, '')",
  "({ Buffer }) => Buffer.alloc(5, 'zz', 'hex')",
  "({ Buffer }) => Buffer.alloc(5, 'abc', 'bogus')",
  '({ Buffer }) => Buffer.from(5)',
  '({ Buffer }) => Buffer.from({ length: 2, 0: 7 })',
  '({ Buffer }) => Buffer.from(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)',
  '({ Buffer }) => Buffer.from(new ArrayBuffer(4), 5)',
  "({ Buffer }) => Buffer.concat([Buffer.from('ab'), new Uint8Array([1])], 5)",
  "({ Buffer }) => Buffer.concat([Buffer.from('ab'), 'x'])",
  "({ Buffer }) => Buffer.byteLength('é€😀\\ud800')",
  "({ Buffer }) => Buffer.byteLength('aGk==', 'base64')",
  "({ Buffer }) => Buffer.compare(Buffer.from('abc'), Buffer.from('abd'))",
  "({ Buffer }) => Buffer.from('abcdef').compare(Buffer.from('xbcx'), 1, 3, 1, 3)",
  "({ Buffer }) => Buffer.from('abcdef').compare(Buffer.from('x'), -1)",
  "({ Buffer }) => Buffer.from('abc').equals('abc')",
  "({ Buffer }) => { const b = Buffer.from('abcdef'); b.subarray(1, 3)[0] = 0x7a; return [b, b.slice(-2)]; }",
  "({ Buffer }) => Buffer.from('abcabc').indexOf('c', -3)",
  "({ Buffer }) => Buffer.from('abcabc').lastIndexOf(Buffer.from('ab'))",
  "({ Buffer }) => Buffer.from('a\\u0000b\\u0000', 'latin1').indexOf('b', 0, 'ucs2')",
  "({ Buffer }) => Buffer.from('abcabc').includes('6263', 0, 'hex')",
  "({ Buffer }) => Buffer.from('abc').indexOf({})",
  "({ Buffer }) => Buffer.alloc(7).fill('ab', 1, 6)",
  "({ Buffer }) => Buffer.alloc(7).fill('😀')",
  '({ Buffer }) => Buffer.alloc(7).fill(Buffer.alloc(0))',
  '({ Buffer }) => Buffer.alloc(4).fill(0x101)',
  "({ Buffer }) => { const b = Buffer.alloc(6); return [b.write('héllo', 1, 3, 'latin1'), b]; }",
  "({ Buffer }) => { const b = Buffer.alloc(3); return [b.write('€€'), b]; }",
  "({ Buffer }) => Buffer.alloc(3).write('a', 4)",
  '({ Buffer }) => { const b = Buffer.alloc(8); b.writeDoubleBE(Math.PI); return [b, b.readDoubleBE(0)]; }',
  '({ Buffer }) => { const b = Buffer.alloc(6); b.writeIntLE(-123456789, 0, 6); return [b, b.readIntLE(0, 6)]; }',
  '({ Buffer }) => { const b = Buffer.alloc(8); b.writeBigInt64BE(-2n); return [b, b.readBigUInt64LE()]; }',
  '({ Buffer }) => Buffer.alloc(8).writeBigInt64LE(2n ** 63n)',
  '({ Buffer }) => Buffer.alloc(2).writeUInt16LE(65536)',
  '({ Buffer }) => Buffer.alloc(2).readUInt32LE(0)',
  '({ Buffer }) => Buffer.alloc(4).readUInt8(1.5)',
  '({ Buffer }) => Buffer.alloc(4).readUIntBE(0, 7)',
  '({ Buffer }) => Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).swap64()',
  '({ Buffer }) => Buffer.from([1, 2, 3]).swap16()',
  "({ Buffer }) => Buffer.from('hey').toJSON()",
  "({ Buffer }) => [...Buffer.from('hey').entries()]",
  "({ Buffer }) => { const d = Buffer.alloc(4); return [Buffer.from('abcdef').copy(d, 1, 2), d]; }",
  "({ Buffer }) => Buffer.from('abc').copy(Buffer.alloc(2), -1)",
  '({ Buffer }) => Buffer.copyBytesFrom(new Uint16Array([1, 0x203]), 1)',
  "({ Buffer }) => Buffer.from('hello')[Symbol.for('nodejs.util.inspect.custom')](0, {})",
  "({ Buffer }) => Buffer.alloc(60, 0x41)[Symbol.for('nodejs.util.inspect.custom')](0, {})",
  "({ Buffer }) => Buffer.alloc(0)[Symbol.for('nodejs.util.inspect.custom')](0, {})",
  "({ Buffer }) => [Buffer.isEncoding('UCS-2'), Buffer.isEncoding('utf32')]",
  '({ Buffer }) => Buffer.isBuffer(new Uint8Array(1))',
  "({ transcode, Buffer }) => transcode(Buffer.from('h€llo'), 'utf8', 'latin1')",
  "({ transcode, Buffer }) => transcode(Buffer.from('h€llo', 'ucs2'), 'ucs2', 'utf8')",
  "({ transcode, Buffer }) => transcode(Buffer.from([0xc3]), 'utf8', 'ucs2')",
  '({ isUtf8, Buffer }) => [isUtf8(Buffer.from([0xc3, 0xa9])), isUtf8(Buffer.from([0xc3]))]',
  '({ isAscii }) => [isAscii(new Uint8Array([0x41])), isAscii(new Uint8Array([0x80]).buffer)]',
  "({ isAscii }) => isAscii('abc')",
  "({ btoa }) => btoa('héllo')",
  "({ btoa }) => btoa('€')",
  "({ atob }) => atob(' aGVs bG8= ')",
  "({ atob }) => atob('a')",
  "({ atob }) => atob('ab=c')",
  '(m) => [m.kMaxLength, m.kStringMaxLength, m.constants.MAX_LENGTH, m.INSPECT_MAX_BYTES]',
];

// Memory shared between threads exists only on the cross-origin isolated page;
// TextDecoder/TextEncoder refuse views of it, so these take other paths.
const SHARED = [];
// `mem(n)`: a Buffer of n bytes over shared memory.
const mem = 'const mem = (n) => Buffer.from(new SharedArrayBuffer(n));';
for (const enc of ['utf8', 'latin1', 'ascii', 'hex', 'base64', 'ucs2']) {
  const text = `${mem} const t = mem(300); t.set(Buffer.from('h\\u00e9llo w\\u00f6rld '.repeat(20)));`;
  const e = `'${enc}'`;
  SHARED.push(
    `({ Buffer }) => { ${text} return t.subarray(1, 250).toString(${e}); }`,
    `({ Buffer }) => { ${text} return t.indexOf('w\\u00f6rld', 50, ${e}); }`,
    `({ Buffer }) => { ${mem} const b = mem(99); return [b.write('h\\u00e9 \\u20ac', 3, ${e}), b]; }`,
    `({ Buffer }) => { ${mem} return mem(100).fill('\\u00e9\\u20ac', ${e}); }`,
  );
}
SHARED.push(
  '({ isUtf8, isAscii }) => { const sab = new SharedArrayBuffer(64); return [isUtf8(sab), isAscii(sab)]; }',
  `({ Buffer }) => { ${mem} const b = mem(8); b.write('abc'); return b.equals(b.subarray(0)); }`,
);

// Random cases, generated here from a seed and run on both sides.
function randomCases(s, n) {
  const rnd = prng(s);
  const encs = ['utf8', 'ucs2', 'latin1', 'ascii', 'base64', 'base64url', 'hex', 'binary', 'utf-16le'];
  const cases = [];
  for (let i = 0; i < n; i++) {
    const bytes = JSON.stringify(rnd.bytes(rnd.int(0, 24)));
    const str = JSON.stringify(rnd.string(rnd.int(0, 16)));
    const enc = JSON.stringify(rnd.pick(encs));
    const a = rnd.int(-3, 26);
    const b = rnd.int(-3, 26);
    cases.push(`({ Buffer }) => Buffer.from(${bytes}).toString(${enc}, ${a}, ${b})`);
    cases.push(`({ Buffer }) => Buffer.from(${str}, ${enc})`);
    cases.push(`({ Buffer }) => { const x = Buffer.alloc(${rnd.int(0, 12)}); return [x.write(${str}, ${enc}), x]; }`);
    cases.push(`({ Buffer }) => Buffer.from(${bytes}).indexOf(${rnd.int(0, 255)}, ${a})`);
    cases.push(`({ Buffer }) => Buffer.alloc(${rnd.int(0, 12)}).fill(${str}, ${enc})`);
  }
  return cases;
}

let browser;
let pageDir;
before(async () => {
  browser = await launchBrowser();
  pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-buffer-page-'));
  fs.writeFileSync(path.join(pageDir, 'index.html'), PAGE);
});
after(async () => {
  await browser?.close();
  if (pageDir) fs.rmSync(pageDir, { recursive: true, force: true });
});

async function runCases(url, cases) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__ready === true || globalThis.__loadError, null, { timeout: 30000 });
    const loadError = await page.evaluate(() => globalThis.__loadError);
    assert.equal(loadError, undefined, `${loadError}\n${page.consoleLines.join('\n')}`);
    const threads = await page.evaluate(() => globalThis.__threads);
    // The helpers' own source runs in the page, so both sides draw the same picture.
    const helpers = [describe, describeError, outcome].map((f) => f.toString()).join('\n');
    const results = await page.evaluate(
      ([src, list]) => {
        // eslint-disable-next-line no-new-func
        const { outcome: run } = new Function(`${src}\nreturn { describe, describeError, outcome };`)();
        // eslint-disable-next-line no-eval
        // JSON keeps lone surrogates as escapes across the DevTools protocol.
        return JSON.stringify(list.map((code) => run((0, eval)(code), globalThis.__buffer)));
      },
      [helpers, cases],
    );
    return { threads, results: JSON.parse(results) };
  } finally {
    await page.close();
  }
}

function compare(cases, results) {
  assert.equal(results.length, cases.length);
  cases.forEach((code, i) => {
    // eslint-disable-next-line no-eval
    const expected = JSON.parse(JSON.stringify(outcome((0, eval)(code), nodeBuffer)));
    assert.deepStrictEqual(results[i], expected, code);
    // A harness fault (not a Buffer behaviour) would show up as these on both sides.
    const harnessFault = ['ReferenceError', 'SyntaxError'].includes(expected.error?.threw);
    assert.ok(!harnessFault, `${code}: ${expected.error?.message}`);
  });
  const ok = results.filter((r) => 'ok' in r).length;
  assert.ok(ok > results.length / 2, `only ${ok} of ${results.length} cases returned a value`);
}

const s = seed();

test('single-threaded build (no COOP/COEP): fixed and random cases equal node:buffer', async () => {
  const server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': pageDir });
  try {
    const cases = [...FIXED, ...randomCases(s, 80)];
    const { threads, results } = await runCases(`${server.origin}/`, cases);
    assert.equal(threads.threaded, false);
    compare(cases, results);
  } catch (e) {
    e.message = `FERRODE_SEED=${s}\n${e.message}`;
    throw e;
  } finally {
    await server.close();
  }
});

test('threaded build (companion, cross-origin isolated): fixed and random cases equal node:buffer', async () => {
  const companion = await startCompanion([], { webDir: pageDir });
  try {
    const cases = [...FIXED, ...SHARED, ...randomCases(s + 1, 80)];
    const { threads, results } = await runCases(companion.url, cases);
    assert.equal(threads.threaded, true, threads.reason);
    compare(cases, results);
  } catch (e) {
    e.message = `FERRODE_SEED=${s}\n${e.message}`;
    throw e;
  } finally {
    await companion.stop();
  }
});
