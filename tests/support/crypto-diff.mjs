// Differential helpers for the crypto tests: run the same code against
// node:crypto and ferrode/crypto and compare results or errors.
import assert from 'node:assert/strict';
import nodeCrypto from 'node:crypto';
import ferrodeCrypto from 'ferrode/crypto';

export { nodeCrypto, ferrodeCrypto };

/** A comparable form of a value: bytes as hex, errors by name/code/message. */
export function normalize(v) {
  if (v instanceof Error) {
    return { error: { name: v.name, code: v.code, message: v.message, library: v.library, reason: v.reason } };
  }
  if (v instanceof ArrayBuffer) return { arrayBuffer: Buffer.from(v).toString('hex') };
  if (ArrayBuffer.isView(v)) return { bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  if (Array.isArray(v)) return v.map(normalize);
  return v;
}

function outcome(fn, mod) {
  try {
    return normalize(fn(mod));
  } catch (e) {
    return normalize(e);
  }
}

/** Asserts fn(node:crypto) and fn(ferrode/crypto) give the same result or the same error. */
export function same(fn, label = fn.toString()) {
  const expected = outcome(fn, nodeCrypto);
  const actual = outcome(fn, ferrodeCrypto);
  assert.deepEqual(actual, expected, label);
  return expected;
}

/** Like same(), and asserts Node threw. */
export function sameError(fn, label = fn.toString()) {
  const expected = same(fn, label);
  assert.ok(expected && expected.error, `node did not throw: ${label}`);
  return expected.error;
}

/** A small seeded PRNG so failures can be replayed. */
export function rng(seed = Date.now() >>> 0) {
  let s = seed || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    seed,
    int: (n) => next() % n,
    bytes: (n) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = next() & 0xff;
      return b;
    },
    /** Splits `buf` into random-sized pieces (0-length pieces included). */
    chunks(buf, max = 50) {
      const out = [];
      let i = 0;
      while (i < buf.length) {
        const n = next() % (max + 1);
        out.push(buf.subarray(i, i + n));
        i += n;
      }
      return out;
    },
  };
}
