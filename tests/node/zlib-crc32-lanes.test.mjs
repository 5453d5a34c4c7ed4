// zlib.crc32 and the gzip check run a 16-lane SIMD CRC-32 on blocks of 4 KiB
// in the wasm build and slicing-by-16 on what is left: compare both paths and
// their seams with Node's own crc32, and gunzip's checks on inputs that take them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeZlib from 'node:zlib';
import * as fz from 'ferrode/zlib';

const BLOCK = 4096;

function pseudoRandom(n, seed) {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

test('crc32 equals Node around every lane-block boundary, offset and start value', () => {
  const data = pseudoRandom(5 * BLOCK + 64, 7);
  const lengths = [];
  for (const base of [0, BLOCK, 2 * BLOCK, 4 * BLOCK]) {
    for (const d of [-17, -16, -1, 0, 1, 15, 16, 255, 256, 257]) if (base + d >= 0) lengths.push(base + d);
  }
  for (const len of lengths) {
    for (const off of [0, 1, 3, 16, 33]) {
      const s = data.subarray(off, off + len);
      for (const value of [0, 1, 0xffffffff, 0x12345678]) {
        assert.equal(fz.crc32(s, value), nodeZlib.crc32(s, value), `len ${len} off ${off} value ${value}`);
      }
    }
  }
});

test('crc32 equals Node on structured blocks and when continued piece by piece', () => {
  const blocks = [Buffer.alloc(3 * BLOCK), Buffer.alloc(3 * BLOCK, 0xff), Buffer.alloc(3 * BLOCK, 0x80)];
  const single = Buffer.alloc(2 * BLOCK);
  single[BLOCK + 300] = 1;
  blocks.push(single);
  for (const b of blocks) assert.equal(fz.crc32(b), nodeZlib.crc32(b));
  const data = pseudoRandom(50000, 99);
  for (const piece of [1000, BLOCK, BLOCK + 1, 12345]) {
    let a = 0;
    let b = 0;
    for (let at = 0; at < data.length; at += piece) {
      a = fz.crc32(data.subarray(at, at + piece), a);
      b = nodeZlib.crc32(data.subarray(at, at + piece), b);
      assert.equal(a, b, `piece ${piece} at ${at}`);
    }
  }
  assert.equal(fz.crc32('x'.repeat(3 * BLOCK + 5)), nodeZlib.crc32('x'.repeat(3 * BLOCK + 5)));
});

test('gunzip checks the CRC of large members like Node', () => {
  const data = pseudoRandom(300000, 3);
  const text = Buffer.from(Array.from({ length: 20000 }, (_, i) => `row ${i} ${(i * 31) % 977}\n`).join(''));
  for (const input of [data, text]) {
    const gz = nodeZlib.gzipSync(input);
    assert.deepEqual(Buffer.from(fz.gunzipSync(gz)), nodeZlib.gunzipSync(gz));
    // A wrong CRC in each trailer byte: Node's "incorrect data check".
    for (const at of [8, 7, 6, 5]) {
      const bad = Buffer.from(gz);
      bad[bad.length - at] ^= 0x10;
      const err = (fn) => {
        try {
          fn();
        } catch (e) {
          return { code: e.code, errno: e.errno, message: e.message };
        }
        return null;
      };
      const want = err(() => nodeZlib.gunzipSync(bad));
      assert.notEqual(want, null);
      assert.deepEqual(
        err(() => fz.gunzipSync(bad)),
        want,
      );
    }
  }
});
