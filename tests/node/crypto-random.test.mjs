// randomBytes / randomFill(Sync) / randomInt / randomUUID / getRandomValues:
// Node's argument checks and limits, real randomness, async callbacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { same, sameError, nodeCrypto, ferrodeCrypto as c } from '../support/crypto-diff.mjs';

test('randomBytes: sizes, randomness, async form, errors', async () => {
  for (const n of [0, 1, 16, 65536, 65537, 200000]) assert.equal(c.randomBytes(n).length, n);
  assert.equal(c.randomBytes(1.5).length, 1);
  const a = Buffer.from(c.randomBytes(32)).toString('hex');
  const b = Buffer.from(c.randomBytes(32)).toString('hex');
  assert.notEqual(a, b);
  // Past the 64 KiB getRandomValues limit, every chunk is filled.
  const big = c.randomBytes(300000);
  assert.ok(Buffer.from(big.subarray(299000)).some((x) => x !== 0));
  const counts = new Uint32Array(256);
  for (const x of c.randomBytes(256 * 400)) counts[x]++;
  assert.ok(Math.min(...counts) > 250 && Math.max(...counts) < 560, `${Math.min(...counts)} ${Math.max(...counts)}`);
  let sync = true;
  const pending = new Promise((resolve, reject) => {
    c.randomBytes(8, (err, buf) => (err ? reject(err) : resolve([sync, buf])));
  });
  sync = false;
  const got = await pending;
  assert.equal(got[0], false, 'callback ran synchronously');
  assert.equal(got[1].length, 8);
  for (const fn of [
    (x) => x.randomBytes(-1),
    (x) => x.randomBytes(2 ** 31),
    (x) => x.randomBytes('1'),
    (x) => x.randomBytes(1, 5),
    (x) => x.randomBytes(NaN),
    (x) => x.randomBytes(),
  ])
    sameError(fn);
});

test('randomFillSync / randomFill: offsets, sizes, typed arrays, errors', async () => {
  const buf = Buffer.alloc(100);
  assert.equal(c.randomFillSync(buf, 90), buf);
  assert.ok(buf.subarray(0, 90).every((x) => x === 0));
  assert.ok(buf.subarray(90).some((x) => x !== 0));
  const u32 = new Uint32Array(10);
  c.randomFillSync(u32, 2, 3);
  assert.deepEqual([u32[0], u32[1], u32[5], u32[9]], [0, 0, 0, 0]);
  assert.ok(u32[2] || u32[3] || u32[4]);
  const ab = new ArrayBuffer(8);
  assert.equal(c.randomFillSync(ab), ab);
  for (const fn of [
    (x) => x.randomFillSync(Buffer.alloc(4), 5),
    (x) => x.randomFillSync(Buffer.alloc(4), -1),
    (x) => x.randomFillSync(Buffer.alloc(4), 1, 4),
    (x) => x.randomFillSync(Buffer.alloc(4), 0, -1),
    (x) => x.randomFillSync(Buffer.alloc(4), '1'),
    (x) => x.randomFillSync(new Uint32Array(4), 3, 2),
    (x) => x.randomFillSync('abc'),
    (x) => x.randomFill(Buffer.alloc(4)),
    (x) => x.randomFill(Buffer.alloc(4), 5, () => {}),
    (x) => x.randomFill(Buffer.alloc(4), 1, 4, () => {}),
    (x) => x.randomFill(Buffer.alloc(4), 1, 2, 'cb'),
  ])
    sameError(fn);
  const target = new Uint8Array(16);
  const result = await new Promise((resolve, reject) => {
    c.randomFill(target, 8, (err, b) => (err ? reject(err) : resolve(b)));
  });
  assert.equal(result, target);
  assert.ok(target.subarray(0, 8).every((x) => x === 0));
  const r2 = await new Promise((resolve) => c.randomFill(new Uint8Array(16), 4, 4, (e, b) => resolve(b)));
  assert.ok(r2.subarray(8).every((x) => x === 0) && r2.subarray(0, 4).every((x) => x === 0));
});

test('randomInt: ranges, distribution, async, errors', async () => {
  for (let i = 0; i < 2000; i++) {
    const n = c.randomInt(-3, 4);
    assert.ok(Number.isInteger(n) && n >= -3 && n < 4);
  }
  const seen = new Set();
  for (let i = 0; i < 500; i++) seen.add(c.randomInt(10));
  assert.equal(seen.size, 10);
  const big = c.randomInt(2 ** 48 - 1);
  assert.ok(Number.isSafeInteger(big) && big >= 0);
  assert.equal(c.randomInt(5, 6), 5);
  const n = await new Promise((resolve) => c.randomInt(1, 3, (err, v) => resolve(v)));
  assert.ok(n === 1 || n === 2);
  const m = await new Promise((resolve) => c.randomInt(3, (err, v) => resolve(v)));
  assert.ok(m >= 0 && m < 3);
  for (const fn of [
    (x) => x.randomInt(1.5),
    (x) => x.randomInt(5, 5),
    (x) => x.randomInt(0, 2 ** 48),
    (x) => x.randomInt(2 ** 48),
    (x) => x.randomInt(2 ** 53),
    (x) => x.randomInt('5'),
    (x) => x.randomInt(5, 'x'),
    (x) => x.randomInt(-5),
    (x) => x.randomInt(1, 5, 'cb'),
    (x) => x.randomInt(),
  ])
    sameError(fn);
});

test('randomUUID and getRandomValues', () => {
  const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const ids = new Set();
  for (let i = 0; i < 100; i++) {
    const id = c.randomUUID();
    assert.match(id, re);
    ids.add(id);
  }
  assert.equal(ids.size, 100);
  assert.match(c.randomUUID({ disableEntropyCache: true }), re);
  sameError((x) => x.randomUUID(5));
  sameError((x) => x.randomUUID({ disableEntropyCache: 5 }));
  const u = new Uint16Array(8);
  assert.equal(c.getRandomValues(u), u);
  assert.ok(u.some((x) => x !== 0));
  const g = c.getRandomValues;
  assert.equal(g(new Uint8Array(4)).length, 4);
  for (const fn of [(x) => x.getRandomValues(new Float32Array(2)), (x) => x.getRandomValues(new Uint8Array(65537))]) {
    same((x) => {
      try {
        fn(x);
      } catch (e) {
        return [e.name, e.message];
      }
      return 'no error';
    });
  }
  assert.equal(c.webcrypto, globalThis.crypto);
  assert.equal(c.subtle, globalThis.crypto.subtle);
  assert.equal(nodeCrypto.webcrypto.getRandomValues, nodeCrypto.webcrypto.getRandomValues);
});
