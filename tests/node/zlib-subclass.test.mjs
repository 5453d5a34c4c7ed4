// The semi-private surface of Node's zlib classes that npm packages build on,
// against node:zlib: constructors callable without `new` and on an existing
// `this` (pre-ES2015 subclasses: `zlib.Inflate.call(this, opts)` +
// `util.inherits`), the stream fields (`_outBuffer`, `_outOffset`,
// `_chunkSize`, `_writeState`, ...), and `_handle.writeSync`/`close`, which
// pngjs's `PNG.sync.read` drives itself. pngjs runs unmodified here, its
// `require('zlib')` given ferrode/zlib or node:zlib.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import nodeZlib from 'node:zlib';
import fz from 'ferrode/zlib';
import { rng } from '../support/rng.mjs';

const require = createRequire(import.meta.url);

// A small CommonJS loader for pngjs's own files, with `zlib` bound to the
// module under test (every other require is Node's).
function loadPngjs(zlib) {
  const lib = path.dirname(require.resolve('pngjs'));
  const cache = new Map();
  const load = (file) => {
    if (cache.has(file)) return cache.get(file).exports;
    const module = { exports: {} };
    cache.set(file, module);
    const dir = path.dirname(file);
    const req = (id) => {
      if (id === 'zlib') return zlib;
      if (id.startsWith('.')) return load(require.resolve(path.join(dir, id)));
      return require(id);
    };
    const body = readFileSync(file, 'utf8');
    new Function('require', 'module', 'exports', '__filename', '__dirname', body)(
      req,
      module,
      module.exports,
      file,
      dir,
    );
    return module.exports;
  };
  return load(path.join(lib, 'png.js'));
}

const pngs = { node: loadPngjs(nodeZlib), ferrode: loadPngjs(fz) };

function image(PNG, width, height, seed) {
  const png = new PNG({ width, height });
  const next = rng(seed);
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i & 3) === 3 ? 255 : (next() * 64 + (i >> 6)) & 255;
  return png;
}

test('pngjs PNG.sync.read through ferrode/zlib equals Node (sizes, depths, color types, interlace)', () => {
  const cases = [
    [1, 1, {}],
    [61, 37, {}],
    [300, 200, { deflateLevel: 9 }],
    [257, 3, { colorType: 2 }],
    [16, 16, { colorType: 0, inputHasAlpha: true }],
    [40, 30, { bitDepth: 16, inputHasAlpha: true }],
    [128, 96, { deflateChunkSize: 1024 }],
  ];
  for (const [i, [w, h, opts]] of cases.entries()) {
    // The file comes from Node's own pngjs, so both decoders read the same bytes.
    const file = pngs.node.PNG.sync.write(image(pngs.node.PNG, w, h, i + 1), opts);
    const want = pngs.node.PNG.sync.read(file);
    const got = pngs.ferrode.PNG.sync.read(file);
    const label = `${w}x${h} ${JSON.stringify(opts)}`;
    assert.deepEqual(
      { width: got.width, height: got.height, depth: got.depth, color: got.color, alpha: got.alpha },
      { width: want.width, height: want.height, depth: want.depth, color: want.color, alpha: want.alpha },
      label,
    );
    assert.equal(Buffer.compare(got.data, want.data), 0, label);
  }
});

test('pngjs PNG.sync.write → PNG.sync.read round trip through ferrode/zlib, byte-identical to Node at levels 0 and 9', () => {
  for (const level of [0, 9]) {
    const src = image(pngs.ferrode.PNG, 97, 41, 7);
    const bytes = pngs.ferrode.PNG.sync.write(src, { deflateLevel: level });
    const nodeBytes = pngs.node.PNG.sync.write(image(pngs.node.PNG, 97, 41, 7), { deflateLevel: level });
    assert.equal(Buffer.compare(bytes, nodeBytes), 0, `level ${level}`);
    const back = pngs.ferrode.PNG.sync.read(bytes);
    assert.equal(Buffer.compare(back.data, src.data), 0);
    assert.equal(Buffer.compare(back.data, pngs.node.PNG.sync.read(bytes).data), 0);
  }
});

test('pngjs PNG.sync.read of a corrupt image fails as in Node', () => {
  // Stored (level 0) image data, so the inflater writes every byte before it
  // finds the checksum wrong, and what pngjs then reads is defined.
  const width = 20;
  const file = pngs.node.PNG.sync.write(image(pngs.node.PNG, width, 10, 3), { deflateLevel: 0 });
  const idat = file.indexOf('IDAT') + 4;
  const outcome = (png, corrupt) => {
    const broken = Buffer.from(file);
    corrupt(broken);
    try {
      const r = png.PNG.sync.read(broken, { checkCRC: false });
      return { data: Buffer.from(r.data).toString('base64') };
    } catch (e) {
      return { name: e.name, code: e.code, message: e.message };
    }
  };
  const corruptions = [
    // The filter byte of row 2 (after the zlib header and the stored block header).
    (b) => (b[idat + 7 + 2 * (1 + width * 4)] = 0xee),
    // A pixel byte: a wrong checksum, which pngjs's loop does not look at.
    (b) => (b[idat + 7 + 5] ^= 0x5a),
  ];
  for (const [i, corrupt] of corruptions.entries()) {
    assert.deepEqual(outcome(pngs.ferrode, corrupt), outcome(pngs.node, corrupt), `corruption ${i}`);
  }
});

// The same pre-ES2015 subclass over each module.
function legacySubclass(zlib) {
  function MyInflate(opts) {
    if (!(this instanceof MyInflate)) return new MyInflate(opts);
    zlib.Inflate.call(this, opts);
    this.extra = 'kept';
  }
  util.inherits(MyInflate, zlib.Inflate);
  return MyInflate;
}

const chain = (o) => {
  const names = [];
  for (let p = Object.getPrototypeOf(o); p; p = Object.getPrototypeOf(p)) names.push(p.constructor?.name);
  return names;
};
const ctorChain = (f) => {
  const names = [];
  for (let p = f; p && p !== Function.prototype; p = Object.getPrototypeOf(p)) names.push(p.name);
  return names;
};

test('the classes are constructor functions with Node prototype chain, new-less calls and Inflate.call(this)', () => {
  const names = ['Deflate', 'Inflate', 'Gzip', 'Gunzip', 'DeflateRaw', 'InflateRaw', 'Unzip'];
  names.push('BrotliCompress', 'BrotliDecompress');
  for (const name of names) {
    const shape = (zlib) => {
      const C = zlib[name];
      const plain = {};
      const called = C.call(plain, {});
      const newless = C({ chunkSize: 1024 });
      class Modern extends C {}
      const modern = new Modern();
      const r = {
        type: typeof C,
        length: C.length,
        name: C.name,
        ctorChain: ctorChain(C),
        protoChain: chain(new C()),
        protoKeys: Object.getOwnPropertyNames(C.prototype),
        ctorDescriptor: ((d) => ({ ...d, value: d.value === C }))(
          Object.getOwnPropertyDescriptor(C.prototype, 'constructor'),
        ),
        newless: [newless instanceof C, newless._chunkSize, newless.constructor === C],
        onPlainObject: [called === plain, called instanceof C, Object.keys(plain).length],
        modern: [modern instanceof C, modern instanceof Modern, modern._chunkSize],
        keys: Object.keys(new C()).sort(),
        fields: ((z) => [
          z._outOffset,
          z._outBuffer.length,
          z._writeState instanceof Uint32Array,
          [...z._writeState],
          z._chunkSize,
          z._maxOutputLength,
          z._finishFlushFlag,
          z._defaultFlushFlag,
          z._defaultFullFlushFlag,
          z._closed,
          typeof z._handle.writeSync,
          typeof z._handle.close,
          typeof z._handle.reset,
        ])(new C({ chunkSize: 4096, maxOutputLength: 1e6 })),
      };
      for (const z of [newless, modern]) z.destroy();
      return r;
    };
    assert.deepEqual(shape(fz), shape(nodeZlib), name);
  }
});

test('a pre-ES2015 subclass (Inflate.call(this, opts) + util.inherits) works as over node:zlib', async () => {
  const run = async (zlib) => {
    const My = legacySubclass(zlib);
    const a = new My({ chunkSize: 2048 });
    const b = My();
    const input = nodeZlib.deflateSync(Buffer.from('subclass '.repeat(5000)));
    // The stream API through the subclass.
    const chunks = [];
    a.on('data', (c) => chunks.push(c.length));
    const ended = new Promise((resolve) => a.on('end', resolve));
    a.end(input);
    await ended;
    b.destroy();
    return {
      instance: [a instanceof My, a instanceof zlib.Inflate, a.extra, a._chunkSize, a.constructor === My],
      newless: [b instanceof My, b.extra],
      chain: chain(a).slice(0, 4),
      chunks,
      closed: [a._closed, a._handle === null, b._closed],
    };
  };
  assert.deepEqual(await run(fz), await run(nodeZlib));
});

// Drives `_handle.writeSync` as Node's own processChunkSync does, with small
// output windows so that output and input are both left over between steps.
function driveWriteSync(zlib, Cls, input, { flush, chunk, outLen, opts }) {
  const z = new Cls(opts);
  const events = [];
  z.on('error', (e) => events.push(`error ${e.code} ${e.message}`));
  const steps = [];
  const out = Buffer.alloc(outLen + 8, 0xaa);
  let inOff = 0;
  for (let n = 0; n < 100000; n++) {
    const inLen = Math.min(chunk, input.length - inOff);
    const last = inOff + inLen === input.length;
    z._handle.writeSync(last ? flush : zlib.Z_NO_FLUSH, input, inOff, inLen, out, 4, outLen);
    if (z._handle === null) {
      steps.push({ closed: true, state: [...z._writeState], destroyed: z.destroyed });
      break;
    }
    const [availOut, availIn] = z._writeState;
    steps.push([availOut, availIn, out.subarray(4, 4 + outLen - availOut).toString('hex')]);
    inOff += inLen - availIn;
    if (last && availOut !== 0) break;
  }
  // Bytes outside the window stay as they were.
  const untouched = out.subarray(0, 4).toString('hex') + out.subarray(4 + outLen).toString('hex');
  return new Promise((resolve) =>
    setTimeout(() => resolve({ steps, untouched, events, closed: z._handle === null }), 5),
  );
}

test('_handle.writeSync: availOut/availIn in _writeState and the output windows equal Node, step by step', async () => {
  const next = rng(42);
  const text = Buffer.from(Array.from({ length: 30000 }, () => 'abcdefgh '[Math.floor(next() * 9)]).join(''));
  const inflateCases = [
    ['Inflate', nodeZlib.deflateSync(text)],
    ['Gunzip', nodeZlib.gzipSync(text)],
    ['InflateRaw', nodeZlib.deflateRawSync(text)],
    ['Unzip', nodeZlib.gzipSync(text)],
  ];
  for (const [name, input] of inflateCases) {
    for (const [chunk, outLen] of [
      [input.length, 1000],
      [100, 64],
      [7, 5000],
    ]) {
      const o = { flush: nodeZlib.Z_FINISH, chunk, outLen };
      const want = await driveWriteSync(nodeZlib, nodeZlib[name], input, o);
      const got = await driveWriteSync(fz, fz[name], input, o);
      assert.deepEqual(got, want, `${name} chunk ${chunk} out ${outLen}`);
    }
  }
  // Compression: Huffman-only output is the same bytes in both engines, so
  // the windows compare exactly.
  for (const name of ['Deflate', 'Gzip', 'DeflateRaw']) {
    const o = { flush: nodeZlib.Z_FINISH, chunk: 4096, outLen: 700, opts: { strategy: nodeZlib.Z_HUFFMAN_ONLY } };
    const want = await driveWriteSync(nodeZlib, nodeZlib[name], text, o);
    const got = await driveWriteSync(fz, fz[name], text, o);
    assert.deepEqual(got, want, name);
  }
});

test('_handle.writeSync on bad data: the stream is destroyed with Node error, _writeState left as it was', async () => {
  for (const [name, input] of [
    ['Inflate', Buffer.from('not zlib data at all')],
    ['Gunzip', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff])],
    ['Inflate', nodeZlib.deflateSync(Buffer.from('truncated '.repeat(50))).subarray(0, 20)],
  ]) {
    const o = { flush: nodeZlib.Z_FINISH, chunk: input.length, outLen: 100 };
    const want = await driveWriteSync(nodeZlib, nodeZlib[name], input, o);
    const got = await driveWriteSync(fz, fz[name], input, o);
    assert.deepEqual(got, want, name);
  }
});

test('_handle.close() then null, as pngjs closes; reset after close and bad writeSync arguments throw clear errors', () => {
  const z = new fz.Inflate();
  const n = new nodeZlib.Inflate();
  for (const s of [z, n]) {
    s._handle.close();
    s._handle = null;
  }
  assert.equal(z._closed, n._closed);
  assert.throws(() => z.reset(), { message: 'zlib binding closed' });
  // Node's binding aborts the process on these; ferrode throws Node-shaped errors instead.
  const w = new fz.Inflate();
  const out = Buffer.alloc(16);
  assert.throws(() => w._handle.writeSync(4, 'str', 0, 1, out, 0, 16), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => w._handle.writeSync(4, out, 0, 17, out, 0, 16), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => w._handle.writeSync(4, out, -1, 1, out, 0, 16), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => w._handle.writeSync(4, out, 0, 1, out, 10, 7), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => w._handle.writeSync(9, out, 0, 1, out, 0, 16), { code: 'ERR_OUT_OF_RANGE' });
  w._handle.close();
  assert.throws(() => w._handle.writeSync(4, out, 0, 1, out, 0, 16), { message: 'zlib binding closed' });
  w.destroy();
  // A brotli handle takes a step as the zlib ones do; the stream lives on.
  const b = new fz.BrotliCompress();
  b._handle.writeSync(0, out, 0, 1, out, 0, 16);
  assert.deepEqual([...b._writeState], [16, 0]);
  assert.equal(b.destroyed, false);
  b.destroy();
});

test('_processChunk without a callback returns the output and closes the handle, as in Node', () => {
  const input = nodeZlib.deflateSync(Buffer.from('chunk '.repeat(300)));
  const run = (zlib) => {
    const z = new zlib.Inflate();
    const out = z._processChunk(input, zlib.Z_FINISH);
    return [out.toString(), z.bytesWritten, z._handle, z._closed];
  };
  assert.deepEqual(run(fz), run(nodeZlib));
});

test('_handle.writeSync on brotli streams: brotli operations, output and _writeState as in Node', async () => {
  const next = rng(43);
  const text = Buffer.from(Array.from({ length: 30000 }, () => 'abcdefgh '[Math.floor(next() * 9)]).join(''));
  const packed = nodeZlib.brotliCompressSync(text);
  const { BROTLI_OPERATION_FINISH } = nodeZlib.constants;
  for (const [chunk, outLen] of [
    [packed.length, 1000],
    [100, 64],
    [7, 5000],
  ]) {
    const o = { flush: BROTLI_OPERATION_FINISH, chunk, outLen };
    const want = await driveWriteSync(nodeZlib, nodeZlib.BrotliDecompress, packed, o);
    const got = await driveWriteSync(fz, fz.BrotliDecompress, packed, o);
    assert.deepEqual(got, want, `BrotliDecompress chunk ${chunk} out ${outLen}`);
  }
  const o = { flush: BROTLI_OPERATION_FINISH, chunk: 4096, outLen: 700 };
  const want = await driveWriteSync(nodeZlib, nodeZlib.BrotliCompress, text, o);
  const got = await driveWriteSync(fz, fz.BrotliCompress, text, o);
  assert.deepEqual(got, want, 'BrotliCompress');
  // A flush value outside the brotli operations is refused, not passed on.
  const b = new fz.BrotliCompress();
  assert.throws(() => b._handle.writeSync(4, text, 0, 1, Buffer.alloc(16), 0, 16), { code: 'ERR_OUT_OF_RANGE' });
  b.close();
});
