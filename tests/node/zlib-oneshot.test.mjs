// The one-shot decoders (`*Sync` and the callback forms) take a fast path for
// well-formed input and fall back to the careful one for anything else; both
// must be indistinguishable from node:zlib. These cases aim at the seams: gzip
// header fields, checksums, window sizes, limits, sizes past one output step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeZlib from 'node:zlib';
import { promisify } from 'node:util';
import * as fz from 'ferrode/zlib';

const bytes = (x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

function outcome(fn) {
  try {
    return { ok: bytes(fn()) };
  } catch (e) {
    const { code, errno, message } = e;
    return { err: { name: e.constructor.name, code, errno, message } };
  }
}

function same(name, input, opts) {
  const a = outcome(() => fz[name](input, opts));
  const b = outcome(() => nodeZlib[name](input, opts));
  assert.deepEqual(
    a,
    b,
    `${name} on ${input.length} bytes ${input.subarray(0, 12).toString('hex')} ${JSON.stringify(opts)}`,
  );
  return b;
}

const text = Buffer.from(
  Array.from({ length: 4000 }, (_, i) => `line ${i} of the sample, value ${(i * 7919) % 1000}\n`).join(''),
);

// A gzip member with the optional header fields Node's compressor never writes.
function gzipWith(data, flags, { hcrc } = {}) {
  const raw = nodeZlib.deflateRawSync(data);
  const head = [0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 3];
  if (flags & 4) head.push(3, 0, 0x61, 0x62, 0x63);
  if (flags & 8) head.push(...Buffer.from('name.txt\0'));
  if (flags & 16) head.push(...Buffer.from('comment\0'));
  if (flags & 2) {
    const c = hcrc ?? nodeZlib.crc32(Buffer.from(head)) & 0xffff;
    head.push(c & 0xff, c >> 8);
  }
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(nodeZlib.crc32(data), 0);
  tail.writeUInt32LE(data.length, 4);
  return Buffer.concat([Buffer.from(head), raw, tail]);
}

test('gzip header fields, header CRC and reserved flags decode like Node', () => {
  const data = text.subarray(0, 5000);
  for (const flags of [0, 1, 2, 4, 8, 16, 28, 30, 31, 32, 64, 128]) {
    const gz = gzipWith(data, flags);
    same('gunzipSync', gz);
    same('unzipSync', gz);
  }
  same('gunzipSync', gzipWith(data, 2, { hcrc: 0x1234 }));
  // A wrong compression method, a wrong CRC, a wrong size.
  const gz = gzipWith(data, 8);
  for (const [at, value] of [
    [2, 7],
    [gz.length - 8, gz[gz.length - 8] ^ 1],
    [gz.length - 1, 1],
  ]) {
    const bad = Buffer.from(gz);
    bad[at] = value;
    same('gunzipSync', bad);
    same('unzipSync', bad);
  }
  // Header fields cut short.
  for (let n = 0; n < 40; n++) same('gunzipSync', gz.subarray(0, n));
});

test('zlib headers: window sizes, preset dictionary flag, checksum', () => {
  const data = text.subarray(0, 20000);
  for (const windowBits of [8, 9, 12, 15]) {
    const z = nodeZlib.deflateSync(data, { windowBits });
    same('inflateSync', z);
    same('unzipSync', z);
    for (const wb of [9, 12, 15]) same('inflateSync', z, { windowBits: wb });
  }
  const z = nodeZlib.deflateSync(data);
  const badSum = Buffer.from(z);
  badSum[badSum.length - 1] ^= 0x40;
  same('inflateSync', badSum);
  same('unzipSync', badSum);
  const dictFlag = Buffer.from(z);
  dictFlag[1] = 0xbb; // FDICT set, FCHECK still valid (0x78bb % 31 === 0)
  same('inflateSync', dictFlag);
  // A valid header claiming a smaller window than the data uses.
  const small = Buffer.from(z);
  small[0] = 0x48;
  small[1] = ((31 - ((0x48 * 256) % 31)) % 31) | 0;
  same('inflateSync', small);
});

test('large inputs, concatenated members, padding and limits', () => {
  const big = Buffer.concat(Array.from({ length: 6 }, () => text));
  for (const [c, d] of [
    ['gzipSync', 'gunzipSync'],
    ['gzipSync', 'unzipSync'],
    ['deflateSync', 'inflateSync'],
    ['deflateRawSync', 'inflateRawSync'],
    ['deflateSync', 'unzipSync'],
  ]) {
    for (const level of [0, 1, 6, 9]) {
      const z = nodeZlib[c](big, { level });
      const want = same(d, z).ok.length;
      for (const limit of [1, 1000, want - 1, want, want + 1, 300000]) {
        same(d, z, { maxOutputLength: limit });
      }
      same(d, z, { finishFlush: nodeZlib.constants.Z_SYNC_FLUSH });
      same(d, z.subarray(0, z.length - 3), { finishFlush: nodeZlib.constants.Z_SYNC_FLUSH });
    }
  }
  const a = nodeZlib.gzipSync(text);
  const b = nodeZlib.gzipSync(Buffer.alloc(0));
  for (const parts of [
    [a, a],
    [a, b, a],
    [b, b],
    [a, Buffer.alloc(3), a],
    [a, Buffer.from([0, 0x1f, 0x8b])],
  ]) {
    const input = Buffer.concat(parts);
    same('gunzipSync', input);
    same('unzipSync', input);
    const total = same('gunzipSync', input).ok.length;
    same('gunzipSync', input, { maxOutputLength: Math.max(1, total - 1) });
    same('gunzipSync', input, { maxOutputLength: total });
  }
});

test('handles reused across calls and modes stay correct', async () => {
  const inputs = [
    ['gunzipSync', nodeZlib.gzipSync(text)],
    ['gunzipSync', Buffer.from('not gzip')],
    ['gunzipSync', nodeZlib.gzipSync(text.subarray(0, 64))],
    ['unzipSync', nodeZlib.deflateSync(text)],
    ['unzipSync', nodeZlib.gzipSync(text)],
    ['inflateRawSync', nodeZlib.deflateRawSync(text).subarray(0, 100)],
    ['inflateRawSync', nodeZlib.deflateRawSync(text)],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [name, input] of inputs) same(name, input);
  }
  const gunzip = promisify(fz.gunzip);
  const nodeGunzip = promisify(nodeZlib.gunzip);
  for (const [, input] of inputs.slice(0, 3)) {
    const a = await gunzip(input).then(bytes, (e) => e.code);
    const b = await nodeGunzip(input).then(bytes, (e) => e.code);
    assert.deepEqual(a, b);
  }
});

test('a lying ISIZE only sizes the first guess: results and errors stay as in Node', () => {
  const big = Buffer.concat(Array.from({ length: 20 }, () => text));
  for (const data of [big, text.subarray(0, 100), Buffer.alloc(0)]) {
    const gz = nodeZlib.gzipSync(data);
    const actual = data.length;
    for (const isize of [actual + 1, Math.max(0, actual - 1), 0, 1, 0xffffffff, gz.length * 1032, gz.length * 1033]) {
      const liar = Buffer.from(gz);
      liar.writeUInt32LE(isize >>> 0, liar.length - 4);
      same('gunzipSync', liar);
      same('unzipSync', liar);
      for (const limit of [1, Math.max(1, actual - 1), Math.max(1, actual), actual + 1]) {
        same('gunzipSync', liar, { maxOutputLength: limit });
      }
      // The lie in the last member of several.
      same('gunzipSync', Buffer.concat([nodeZlib.gzipSync(big), liar]));
    }
  }
});

test('one-shot outputs are independent buffers, also when calls reuse a handle', () => {
  const inputs = [text, text.subarray(0, 64), Buffer.concat([text, text, text]), Buffer.alloc(0)];
  const kept = [];
  for (let round = 0; round < 3; round++) {
    for (const data of inputs) {
      const out = fz.gunzipSync(nodeZlib.gzipSync(data));
      kept.push([data, out]);
      kept.push([data, fz.inflateRawSync(nodeZlib.deflateRawSync(data))]);
      kept.push([data, fz.inflateSync(fz.deflateSync(data))]);
    }
  }
  for (const [data, out] of kept) {
    assert.ok(out instanceof fz.gunzipSync(nodeZlib.gzipSync('x')).constructor);
    assert.deepEqual(bytes(out), data);
    // Writing one output leaves every other one alone.
    if (out.length) out[0] ^= 0xff;
  }
  for (const [data, out] of kept) {
    if (out.length) out[0] ^= 0xff;
    assert.deepEqual(bytes(out), data);
  }
});
