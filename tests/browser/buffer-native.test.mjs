// The byte-level compute behind ferrode/buffer in real Chromium, on both
// builds: every path (pure JS, wasm, and the default mix, which there also
// uses Uint8Array's toBase64/toHex/fromBase64/fromHex) must give the same results. The
// pure-JS path is checked against Node's Buffer in tests/node; here the
// threaded build's shared memory (TextDecoder refuses shared views) and the
// browser-only platform encoders are what is at stake.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../support/browser.mjs';
import { startCompanion } from '../support/server.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { WEB_DIR, PKG_DIR } from '../support/paths.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Runs in the page: returns { status, checks, mismatches }.
async function comparePaths() {
  const n = await import('/ferrode/js/internal/buffer-native.js');
  let seed = 12345;
  const r = (k) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % k;
  };
  const shared = globalThis.crossOriginIsolated === true;
  const bytesOf = (len, alphabet) => {
    // Half of the inputs live in a SharedArrayBuffer where the page allows it.
    const buf = shared && r(2) ? new SharedArrayBuffer(len + 1) : new ArrayBuffer(len + 1);
    const out = new Uint8Array(buf, 1, len);
    for (let i = 0; i < len; i++) out[i] = alphabet ? alphabet.charCodeAt(r(alphabet.length)) : r(256);
    return out;
  };
  const text = (len) => {
    let s = '';
    for (let i = 0; i < len; i++) {
      const k = r(6);
      s +=
        k === 0
          ? String.fromCharCode(0xd800 + r(0x800))
          : k === 1
            ? String.fromCodePoint(0x10000 + r(0x1000))
            : k === 2
              ? String.fromCharCode(0x80 + r(0x780))
              : String.fromCharCode(r(0x80));
    }
    return s;
  };
  const show = (x) => (x instanceof Uint8Array ? Array.from(x).join(',') : JSON.stringify(x));
  const mismatches = [];
  let checks = 0;
  const paths = [Infinity, 0, undefined];
  const same = (what, fn) => {
    const results = paths.map((p) => {
      n.__setThreshold(p);
      try {
        return show(fn());
      } finally {
        n.__setThreshold();
      }
    });
    checks++;
    if (results[1] !== results[0] || results[2] !== results[0]) {
      const [js, wasm, auto] = results.map((x) => x.slice(0, 80));
      mismatches.push(`${what}: js ${js} wasm ${wasm} default ${auto}`);
    }
  };
  for (let round = 0; round < 300; round++) {
    const len = round % 30 === 0 ? (1 << 20) + r(100) : r(2000);
    const b = bytesOf(len, round % 3 === 0 ? 'abcAZ09\x7f\x80\xc3\xa9\xed\xa0\xd8\xdc' : null);
    same(`base64 ${len}`, () => n.base64Encode(b, false));
    same(`base64url ${len}`, () => n.base64Encode(b, true));
    same(`hex ${len}`, () => n.hexEncode(b));
    same(`latin1 ${len}`, () => n.latin1Decode(b));
    same(`ascii ${len}`, () => n.asciiDecode(b));
    same(`utf16le ${len}`, () => n.utf16leDecode(b));
    same(`utf8 ${len}`, () => n.utf8Decode(b));
    same(`isUtf8 ${len}`, () => n.isUtf8(b));
    same(`isAscii ${len}`, () => n.isAscii(b));
    const b64 = n.base64Encode(b, r(2) === 0) + (r(2) ? ' \n!QQ=' : '');
    same(`base64 decode ${len}`, () => n.base64Decode(b64));
    same(`base64 decode (url hint) ${len}`, () => n.base64Decode(b64, true));
    // Forms the platform's strict decoder also accepts (whitespace, no
    // padding, non-zero trailing bits) and ones it rejects (mixed alphabets).
    const spaced = b64.replace(/=+$/, '').replace(/(.{76})/g, '$1\r\n ');
    same(`base64 decode spaced ${len}`, () => n.base64Decode(spaced));
    same(`base64 decode spaced (url hint) ${len}`, () => n.base64Decode(spaced, true));
    const whole = n.base64Encode(b.subarray(0, len - (len % 3)), false);
    const trailing = `${whole}QR=${r(2) ? '=' : ''}`;
    same(`base64 decode trailing bits ${len}`, () => n.base64Decode(trailing));
    same(`base64 decode mixed ${len}`, () => n.base64Decode(`${n.base64Encode(b, false)}-_`));
    same(`hex decode ${len}`, () => n.hexDecode(n.hexEncode(b) + (r(2) ? 'zz00' : '')));
    same(`hex decode upper/odd ${len}`, () => n.hexDecode(n.hexEncode(b).toUpperCase() + (r(2) ? 'a' : '')));
    const s = text(round % 30 === 0 ? 100000 : r(300));
    same(`latin1 encode ${s.length}`, () => n.latin1Encode(s));
    same(`utf16le encode ${s.length}`, () => n.utf16leEncode(s));
    same(`utf8 encode ${s.length}`, () => n.utf8Encode(s));
    const target = bytesOf(r(3 * s.length + 8));
    const offset = r(4);
    const room = Math.max(0, target.length - offset - r(4));
    same(`utf8Write ${s.length} into ${room}`, () => {
      const t = new Uint8Array(new target.buffer.constructor(target.length));
      t.set(target);
      return [n.utf8Write(s, t, offset, room), ...t];
    });
    const needle = b.slice(r(Math.max(1, len - 20)), r(Math.max(1, len - 20)) + 1 + r(12));
    if (needle.length > 0) {
      const from = r(len + 2);
      same(`indexOf ${len}`, () => n.indexOf(b, needle, from));
      same(`lastIndexOf ${len}`, () => n.lastIndexOf(b, needle, from));
    }
    const other = b.slice();
    if (len > 0 && r(2)) other[r(len)] ^= 1;
    same(`compare ${len}`, () => n.compare(b, other));
    same(`equals ${len}`, () => n.equals(b, other));
  }
  const platform = ['toBase64', 'toHex']
    .filter((k) => typeof Uint8Array.prototype[k] === 'function')
    .concat(['fromBase64', 'fromHex'].filter((k) => typeof Uint8Array[k] === 'function'));
  return { shared, checks, mismatches, platform: platform.join(', ') || 'none' };
}

async function runIn(url) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__ferrodeStatus !== undefined, null, { timeout: 30000 });
    const status = await page.evaluate(() => globalThis.__ferrodeStatus);
    assert.equal(status.error, undefined, `${status.error}\n${page.consoleLines.join('\n')}`);
    const result = await page.evaluate(comparePaths);
    return { status, ...result };
  } finally {
    await page.close();
  }
}

test('single-threaded build: JS, wasm and platform paths agree', async (t) => {
  const server = await startStaticServer({ '/ferrode/': PKG_DIR, '/': WEB_DIR });
  try {
    const res = await runIn(`${server.origin}/`);
    assert.equal(res.status.threaded, false);
    t.diagnostic(`${res.checks} checks; platform base64/hex primitives present: ${res.platform}`);
    assert.ok(res.checks > 5000, `${res.checks} checks`);
    assert.deepEqual(res.mismatches, []);
  } finally {
    await server.close();
  }
});

test('threaded build (shared memory): JS, wasm and platform paths agree', async () => {
  const companion = await startCompanion();
  try {
    const res = await runIn(companion.url);
    assert.equal(res.status.threaded, true, res.status.reason);
    assert.equal(res.shared, true);
    assert.deepEqual(res.mismatches, []);
  } finally {
    await companion.stop();
  }
});
