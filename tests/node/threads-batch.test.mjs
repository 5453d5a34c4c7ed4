// crypto.hashBatch (a ferrode extra): the same digests as node:crypto's
// createHash for every input, the same error for an unknown algorithm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeCrypto from 'node:crypto';
import { hashBatch } from 'ferrode/crypto';
import { Buffer as FerrodeBuffer } from 'ferrode/buffer';

const big = nodeCrypto.randomBytes(300000);
const inputs = [
  '',
  'hello',
  'héllo wörld ✓ 😀',
  Buffer.from('abc'),
  new Uint8Array(big.buffer, big.byteOffset + 3, 1000),
  new DataView(big.buffer, big.byteOffset, 77),
  big,
  new Uint16Array([1, 2, 3, 65535]),
];

function nodeDigest(alg, input, enc) {
  const h = nodeCrypto.createHash(alg);
  if (typeof input === 'string') h.update(input);
  else h.update(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  return h.digest(enc);
}

for (const alg of ['sha256', 'SHA1', 'md5', 'sha512', 'sha3-256', 'ripemd160', 'shake128']) {
  test(`hashBatch(${alg}) equals createHash per input`, () => {
    const got = hashBatch(alg, inputs);
    assert.equal(got.length, inputs.length);
    got.forEach((d, i) => {
      assert.ok(d instanceof FerrodeBuffer);
      assert.ok(Buffer.from(d).equals(nodeDigest(alg, inputs[i])), `${alg} input ${i}`);
    });
    assert.deepEqual(
      hashBatch(alg, inputs, 'hex'),
      inputs.map((x) => nodeDigest(alg, x, 'hex')),
    );
    assert.deepEqual(
      hashBatch(alg, inputs, 'base64'),
      inputs.map((x) => nodeDigest(alg, x, 'base64')),
    );
  });
}

test('hashBatch: empty batch, many small inputs', () => {
  assert.deepEqual(hashBatch('sha256', []), []);
  const many = Array.from({ length: 5000 }, (_, i) => `item ${i}`);
  assert.deepEqual(
    hashBatch('sha256', many, 'hex'),
    many.map((x) => nodeDigest('sha256', x, 'hex')),
  );
});

test('hashBatch: errors', () => {
  let nodeErr;
  try {
    nodeCrypto.createHash('nope');
  } catch (e) {
    nodeErr = e;
  }
  assert.throws(() => hashBatch('nope', ['x']), { name: nodeErr.name, message: nodeErr.message });
  assert.throws(() => hashBatch(1, []), {
    code: 'ERR_INVALID_ARG_TYPE',
    message: /"algorithm" argument must be of type string/,
  });
  assert.throws(() => hashBatch('sha256', 'abc'), { code: 'ERR_INVALID_ARG_TYPE', name: 'TypeError' });
  assert.throws(() => hashBatch('sha256', ['a', 5]), {
    code: 'ERR_INVALID_ARG_TYPE',
    message: /"inputs\[1\]" argument/,
  });
});
