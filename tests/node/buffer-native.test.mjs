// Differential tests of the byte-level compute behind ferrode/buffer
// (wasm/js/internal/buffer-native.js) against Node's own Buffer, on edge cases
// and many random inputs, down each path: pure JS, wasm, and the default mix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as buffer from 'node:buffer';
import * as native from '../../wasm/js/internal/buffer-native.js';
import { wasm } from '../../wasm/js/internal/wasm-node.js';
import { rngInt } from '../support/rng.mjs';

const PATHS = { js: Infinity, wasm: 0, default: undefined };

function randomBytes(r, len, alphabet) {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = alphabet ? alphabet[r(alphabet.length)] : r(256);
  return out;
}

// A view at a random offset into a larger buffer, so unaligned inputs occur.
function randomView(r, len, alphabet) {
  const pad = r(3);
  const all = randomBytes(r, len + pad, alphabet);
  return all.subarray(pad);
}

// Code units from every class that matters: ASCII, Latin-1, BMP, lone
// surrogates of both kinds, and proper pairs.
function randomString(r, len) {
  let s = '';
  for (let i = 0; i < len; i++) {
    switch (r(7)) {
      case 0:
        s += String.fromCharCode(0xd800 + r(0x400));
        break;
      case 1:
        s += String.fromCharCode(0xdc00 + r(0x400));
        break;
      case 2:
        s += String.fromCodePoint(0x10000 + r(0x100000));
        break;
      case 3:
        s += String.fromCharCode(0x80 + r(0x80));
        break;
      case 4:
        s += String.fromCharCode(0x100 + r(0xd700));
        break;
      default:
        s += String.fromCharCode(r(0x80));
    }
  }
  return s;
}

function randomFrom(r, len, chars) {
  let s = '';
  for (let i = 0; i < len; i++) s += chars[r(chars.length)];
  return s;
}

const B64_CLEAN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_NOISE = [
  ...'QUJDRUZHSElK+/-_====  \n\t\r!.*\0\x7f\x80\xff',
  '\u0141',
  '\u0100',
  '\ud800',
  '\udc41',
  '\u2028',
];
const HEX_NOISE = [...'0123456789abcdefABCDEF0123456789abcdefgGxz \0\xff', '\u0161', '\u0130', '\ud841'];

function same(actual, expected, what) {
  assert.ok(actual instanceof Uint8Array, `${what}: not a Uint8Array`);
  assert.deepEqual(Buffer.from(actual), Buffer.from(expected), what);
}

function withPath(name, fn) {
  native.__setThreshold(PATHS[name]);
  try {
    fn();
  } finally {
    native.__setThreshold();
  }
}

for (const name of Object.keys(PATHS)) {
  test(`${name} path: encoders match Node on fixed corners`, () =>
    withPath(name, () => {
      const corners = [
        [],
        [0],
        [0xff],
        [0xfb, 0xff],
        [0xef, 0xbb, 0xbf, 0x41],
        [0xfe, 0xff, 0x00],
        [0xff, 0xfe, 0x41, 0x00],
      ];
      for (const arr of corners) {
        const b = Uint8Array.from(arr);
        const nb = Buffer.from(b);
        assert.equal(native.base64Encode(b, false), nb.toString('base64'));
        assert.equal(native.base64Encode(b, true), nb.toString('base64url'));
        assert.equal(native.hexEncode(b), nb.toString('hex'));
        assert.equal(native.latin1Decode(b), nb.toString('latin1'));
        assert.equal(native.asciiDecode(b), nb.toString('ascii'));
        assert.equal(native.utf16leDecode(b), nb.toString('utf16le'));
        assert.equal(native.utf8Decode(b), nb.toString('utf8'));
        assert.equal(native.isUtf8(b), buffer.isUtf8(nb));
        assert.equal(native.isAscii(b), buffer.isAscii(nb));
      }
    }));

  test(`${name} path: base64 and hex decoders match Node on fixed corners`, () =>
    withPath(name, () => {
      const b64 = [
        '',
        'Q',
        'QQ',
        'QQ=',
        'QQ==',
        'QUJ',
        'QUJD',
        'QUJDQ',
        'Q U J D',
        'QU=JD',
        'Q-_/+A',
        '=QUJD',
        'QQ=QUJD',
        '\u0141UJD',
        'QUJD\u0100QUJD',
        'QU\ud800JD',
        'QUJ\u00ffD',
        'Zm9vYmFy',
        'Zm9v\nYmFy\n',
        '////',
        '____',
        'QR==',
        'QUJDRA=====',
        '====',
      ];
      for (const s of b64) {
        same(native.base64Decode(s), Buffer.from(s, 'base64'), `base64 ${JSON.stringify(s)}`);
        same(native.base64Decode(s), Buffer.from(s, 'base64url'), `base64url ${JSON.stringify(s)}`);
      }
      const hex = ['', 'a', 'ab', 'abc', 'zz12', '12zz34', '1z', 'AB', '\u0161b', 'aB0f9', '0g', ' 01', '\ud841\u0062'];
      for (const s of hex) same(native.hexDecode(s), Buffer.from(s, 'hex'), `hex ${JSON.stringify(s)}`);
    }));

  test(`${name} path: random bytes through every decoder match Node`, () =>
    withPath(name, () => {
      const r = rngInt(1);
      for (let round = 0; round < 3000; round++) {
        const len = round % 50 === 0 ? r(5000) : r(80);
        const tricky = [0x41, 0x7f, 0x80, 0xc3, 0xa9, 0xed, 0xa0, 0xf0, 0x9f, 0xd8, 0xdc, 0x00];
        const alphabet = round % 3 === 0 ? tricky : null;
        const b = randomView(r, len, alphabet);
        const nb = Buffer.from(b.buffer, b.byteOffset, b.length);
        const what = `round ${round}`;
        assert.equal(native.base64Encode(b, false), nb.toString('base64'), what);
        assert.equal(native.base64Encode(b, true), nb.toString('base64url'), what);
        assert.equal(native.hexEncode(b), nb.toString('hex'), what);
        assert.equal(native.latin1Decode(b), nb.toString('latin1'), what);
        assert.equal(native.asciiDecode(b), nb.toString('ascii'), what);
        assert.equal(native.utf16leDecode(b), nb.toString('utf16le'), what);
        assert.equal(native.utf8Decode(b), nb.toString('utf8'), what);
        assert.equal(native.isUtf8(b), buffer.isUtf8(nb), what);
        assert.equal(native.isAscii(b), buffer.isAscii(nb), what);
      }
    }));

  test(`${name} path: random strings through every encoder match Node`, () =>
    withPath(name, () => {
      const r = rngInt(2);
      for (let round = 0; round < 3000; round++) {
        const len = round % 50 === 0 ? r(3000) : r(40);
        const s = round % 4 === 0 ? randomFrom(r, len, 'abc\u00e9\u00ff') : randomString(r, len);
        const what = `round ${round} ${JSON.stringify(s.slice(0, 40))}`;
        same(native.latin1Encode(s), Buffer.from(s, 'latin1'), what);
        same(native.utf16leEncode(s), Buffer.from(s, 'utf16le'), what);
        same(native.utf8Encode(s), Buffer.from(s, 'utf8'), what);
        const cap = r(len * 3 + 4);
        const offset = r(4);
        const mine = new Uint8Array(cap + offset + 2);
        const theirs = Buffer.alloc(cap + offset + 2);
        const n = native.utf8Write(s, mine, offset, cap);
        assert.equal(n, theirs.write(s, offset, cap, 'utf8'), what);
        same(mine, theirs, what);
      }
    }));

  test(`${name} path: noisy base64 and hex strings decode like Node`, () =>
    withPath(name, () => {
      const r = rngInt(3);
      for (let round = 0; round < 5000; round++) {
        const len = round % 50 === 0 ? r(4000) : r(60);
        const b64 = round % 2 ? randomFrom(r, len, B64_CLEAN) : randomFrom(r, len, B64_NOISE);
        same(native.base64Decode(b64), Buffer.from(b64, 'base64'), `base64 ${JSON.stringify(b64)}`);
        const hex = round % 2 ? randomFrom(r, len, '0123456789abcdefABCDEF') : randomFrom(r, len, HEX_NOISE);
        same(native.hexDecode(hex), Buffer.from(hex, 'hex'), `hex ${JSON.stringify(hex)}`);
        // Clean round trips, including the long ASCII fast path.
        const bytes = randomBytes(r, len);
        const enc = Buffer.from(bytes).toString(round % 3 ? 'base64' : 'base64url');
        same(native.base64Decode(enc), bytes, 'base64 round trip');
        same(native.hexDecode(Buffer.from(bytes).toString('hex')), bytes, 'hex round trip');
      }
    }));

  test(`${name} path: indexOf and lastIndexOf match Node`, () =>
    withPath(name, () => {
      const r = rngInt(4);
      for (let round = 0; round < 4000; round++) {
        const alphabet = round % 2 ? [0x61, 0x62] : [0x61, 0x62, 0x63, 0x00, 0xff];
        const hay = randomView(r, round % 40 === 0 ? r(20000) : r(100), alphabet);
        const needle = randomBytes(r, 1 + r(round % 5 === 0 ? 30 : 5), alphabet);
        const nh = Buffer.from(hay.buffer, hay.byteOffset, hay.length);
        const from = r(hay.length + 3);
        const what = `round ${round} from ${from}`;
        assert.equal(native.indexOf(hay, needle, from), nh.indexOf(needle, from), what);
        assert.equal(native.lastIndexOf(hay, needle, from), nh.lastIndexOf(needle, from), what);
      }
    }));

  test(`${name} path: search across wasm slice boundaries`, () =>
    withPath(name, () => {
      const size = (1 << 20) + 77;
      const hay = new Uint8Array(size).fill(0x61);
      const needle = Uint8Array.from([0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b]);
      const nh = Buffer.from(hay.buffer);
      // Plant copies straddling every 256 KiB boundary and at both ends.
      for (const at of [0, (1 << 18) - 4, (1 << 19) - 9, (1 << 19) + 1, 3 << 18, size - needle.length]) {
        hay.set(needle, at);
      }
      const froms = [0, 1, (1 << 18) - 5, (1 << 18) - 3, 1 << 19, size - 11, size - 10, size - 9, size, size + 5];
      for (const from of froms) {
        assert.equal(native.indexOf(hay, needle, from), nh.indexOf(needle, from), `indexOf from ${from}`);
        assert.equal(native.lastIndexOf(hay, needle, from), nh.lastIndexOf(needle, from), `lastIndexOf from ${from}`);
      }
      const absent = Uint8Array.from([0x61, 0x61, 0x7a]);
      assert.equal(native.indexOf(hay, absent, 0), -1);
      assert.equal(native.lastIndexOf(hay, absent, size), -1);
    }));

  test(`${name} path: compare, equals and fill match Node`, () =>
    withPath(name, () => {
      const r = rngInt(5);
      for (let round = 0; round < 4000; round++) {
        const len = round % 40 === 0 ? r(3000) : r(20);
        const a = randomView(r, len, [1, 2]);
        const b = round % 3 === 0 ? a.slice() : randomView(r, r(3) === 0 ? len : r(20), [1, 2]);
        if (round % 3 === 0 && len > 0 && r(2)) b[r(len)] ^= 3;
        const na = Buffer.from(a);
        const nb = Buffer.from(b);
        assert.equal(native.compare(a, b), Buffer.compare(na, nb), `round ${round}`);
        assert.equal(native.equals(a, b), na.equals(nb), `round ${round}`);
        const pattern = randomBytes(r, 1 + r(6));
        const start = r(len + 1);
        const end = start + r(len - start + 1);
        native.fill(a, pattern, start, end);
        na.fill(pattern, start, end);
        same(a, na, `fill round ${round}`);
      }
      // Differences on both sides of the 256 KiB wasm slices, and length ties.
      const big = new Uint8Array((1 << 19) + 3).fill(7);
      for (const at of [0, (1 << 18) - 1, 1 << 18, (1 << 19) + 2]) {
        const other = big.slice();
        other[at] = 9;
        assert.equal(native.compare(big, other), Buffer.compare(Buffer.from(big), Buffer.from(other)));
        assert.equal(native.compare(other, big), 1);
        assert.equal(native.equals(big, other), false);
      }
      assert.equal(native.compare(big, big.subarray(1)), 1);
      assert.equal(native.compare(big.subarray(1), big), -1);
      assert.equal(native.equals(big, big.slice()), true);
    }));

  test(`${name} path: large inputs round-trip like Node`, () =>
    withPath(name, () => {
      const r = rngInt(6);
      const big = randomBytes(r, (1 << 20) + 5);
      const nb = Buffer.from(big);
      const b64 = native.base64Encode(big, false);
      assert.equal(b64, nb.toString('base64'));
      same(native.base64Decode(b64), big, 'base64');
      same(native.hexDecode(native.hexEncode(big)), big, 'hex');
      assert.equal(native.latin1Decode(big), nb.toString('latin1'));
      assert.equal(native.asciiDecode(big), nb.toString('ascii'));
      assert.equal(native.utf16leDecode(big), nb.toString('utf16le'));
      assert.equal(native.isUtf8(big), buffer.isUtf8(nb));
      const text = randomString(r, 100000);
      same(native.utf8Encode(text), Buffer.from(text), 'utf8');
      assert.equal(native.utf16leDecode(native.utf16leEncode(text)), text);
      const ascii = 'x'.repeat(1 << 20);
      assert.equal(native.isAscii(Buffer.from(ascii)), true);
      assert.equal(native.latin1Decode(Buffer.from(ascii)), ascii);
      same(native.latin1Encode(ascii), Buffer.from(ascii, 'latin1'), 'latin1 ascii');
    }));
}

test("an impossible wasm allocation throws Node's error and leaves the module working", () => {
  // Far beyond what wasm32 can address: must fail cleanly, never trap.
  assert.throws(() => wasm.bufferInput(0xfffffff0), {
    code: 'ERR_MEMORY_ALLOCATION_FAILED',
    message: 'Failed to allocate memory',
  });
  assert.throws(() => wasm.bufferBase64Decode(0xfffffff0), { code: 'ERR_MEMORY_ALLOCATION_FAILED' });
  native.__setThreshold(0);
  try {
    const bytes = Uint8Array.from([1, 2, 3, 250, 251]);
    assert.equal(native.base64Encode(bytes, false), Buffer.from(bytes).toString('base64'));
    assert.equal(native.hexEncode(bytes), Buffer.from(bytes).toString('hex'));
  } finally {
    native.__setThreshold();
  }
});

// compare/equals of large views at every offset pair (aligned or not), with the
// difference at the start, at word edges, inside and in the tail.
test('large compare and equals at every offset pair match Node', () => {
  const size = (1 << 16) + 13;
  const base = new Uint8Array(size + 8);
  for (let i = 0; i < base.length; i++) base[i] = (i * 131 + 7) & 0xff;
  for (let oa = 0; oa < 5; oa++) {
    for (let ob = 0; ob < 5; ob++) {
      for (const at of [-1, 0, 1, 2, 3, 4, 5, 1000, 1001, 1002, 1003, size - 5, size - 1]) {
        for (const delta of [1, -1]) {
          const a = new Uint8Array(size + 8).subarray(oa, oa + size);
          a.set(base.subarray(0, size));
          const b = new Uint8Array(size + 8).subarray(ob, ob + size);
          b.set(base.subarray(0, size));
          if (at >= 0) b[at] = (b[at] + delta) & 0xff;
          const what = `offsets ${oa}/${ob}, difference at ${at} (${delta})`;
          assert.equal(native.compare(a, b), Buffer.compare(Buffer.from(a), Buffer.from(b)), what);
          assert.equal(native.compare(b, a), Buffer.compare(Buffer.from(b), Buffer.from(a)), what);
          assert.equal(native.equals(a, b), Buffer.from(a).equals(Buffer.from(b)), what);
          const shorter = a.subarray(0, size - 3);
          assert.equal(native.compare(shorter, b), Buffer.compare(Buffer.from(shorter), Buffer.from(b)), what);
          assert.equal(native.compare(b, shorter), Buffer.compare(Buffer.from(b), Buffer.from(shorter)), what);
        }
      }
    }
  }
});

// The wasm paths work on large inputs in slices (encoders: 192 KiB of input;
// compare: 1 MiB): results must not depend on where the slice edges fall.
test('encoders and compare across wasm slice boundaries match Node', () => {
  const r = rngInt(2024);
  const slice = 3 << 16;
  try {
    for (const threshold of [0, undefined]) {
      native.__setThreshold(threshold);
      for (const size of [slice - 1, slice, slice + 1, 2 * slice + 1, 2 * slice + 2, 3 * slice - 2]) {
        const bytes = randomView(r, size);
        const nb = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
        assert.equal(native.base64Encode(bytes, false), nb.toString('base64'), `base64 ${size}`);
        assert.equal(native.base64Encode(bytes, true), nb.toString('base64url'), `base64url ${size}`);
        assert.equal(native.hexEncode(bytes), nb.toString('hex'), `hex ${size}`);
      }
      const mib = 1 << 20;
      const a = randomBytes(r, 2 * mib + 5);
      for (const at of [mib - 1, mib, mib + 1, 2 * mib - 1, 2 * mib, 2 * mib + 4]) {
        for (const delta of [1, 255]) {
          const b = a.slice();
          b[at] = (b[at] + delta) & 0xff;
          const what = `difference at ${at} (+${delta})`;
          assert.equal(native.compare(a, b), Buffer.compare(Buffer.from(a), Buffer.from(b)), what);
          assert.equal(native.compare(b, a), Buffer.compare(Buffer.from(b), Buffer.from(a)), what);
          assert.equal(native.equals(a, b), false, what);
        }
      }
      assert.equal(native.equals(a, a.slice()), true);
    }
  } finally {
    native.__setThreshold();
  }
});

// Long base64 strings decode in wasm slices of 256 Ki characters, a group of
// four characters possibly split between two slices: junk, '=' and
// non-ASCII characters on either side of a slice edge must decode like Node.
test('base64 decode across wasm slice boundaries matches Node', () => {
  const r = rngInt(77);
  const slice = 1 << 18;
  const clean = Buffer.from(randomBytes(r, 3 * slice)).toString('base64');
  const cases = [clean, clean.slice(0, slice + 1), clean.slice(0, 2 * slice - 3), clean.replace(/=+$/, '')];
  for (const at of [slice - 2, slice - 1, slice, slice + 1, 2 * slice + 3]) {
    for (const insert of [' ', '\n\t', '!!!', '=', 'Q=', '-_', '\u0141', '\ud83d\ude00', '\u0100A']) {
      cases.push(clean.slice(0, at) + insert + clean.slice(at));
    }
  }
  // Junk everywhere, so no slice is clean.
  let noisy = '';
  for (let i = 0; i < 2 * slice + 77; i++) noisy += i % 5 === 0 ? ' ' : clean[i];
  cases.push(noisy);
  try {
    for (const threshold of [0, undefined]) {
      native.__setThreshold(threshold);
      for (const s of cases) {
        const what = `length ${s.length}, around ${s.length > slice ? s.slice(slice - 2, slice + 2) : ''}`;
        same(native.base64Decode(s), Buffer.from(s, 'base64'), `base64 ${what}`);
        same(native.base64Decode(s, true), Buffer.from(s, 'base64url'), `base64url ${what}`);
      }
    }
  } finally {
    native.__setThreshold();
  }
});
