// ferrode/buffer against node:buffer on the same inputs: creation, encodings,
// comparison, slicing, concat, inspect, and the errors for bad arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { same, ferrode, node, ENCODINGS } from './buffer-helpers.mjs';

const BAD_SIZES = [-1, NaN, 1.5, 2 ** 53, Infinity, -Infinity, '5', null, undefined, {}, 5n, true, -0];

test('module shape matches node:buffer', () => {
  for (const name of ['Buffer', 'SlowBuffer', 'transcode', 'isUtf8', 'isAscii', 'btoa', 'atob', 'Blob', 'File']) {
    assert.equal(typeof ferrode[name], typeof node[name], name);
  }
  assert.equal(ferrode.kMaxLength, node.kMaxLength);
  assert.equal(ferrode.kStringMaxLength, node.kStringMaxLength);
  assert.deepEqual({ ...ferrode.constants }, { ...node.constants });
  assert.deepEqual(
    Object.getOwnPropertyDescriptors(ferrode.constants),
    Object.getOwnPropertyDescriptors(node.constants),
  );
  assert.equal(Object.isFrozen(ferrode.constants), Object.isFrozen(node.constants));
  assert.equal(ferrode.INSPECT_MAX_BYTES, node.INSPECT_MAX_BYTES);
  assert.equal(ferrode.Blob, node.Blob);
  assert.equal(ferrode.default.Buffer, ferrode.Buffer);
  for (const key of Object.getOwnPropertyNames(node.Buffer)) {
    if (key === 'prototype' || key === 'name' || key === 'length') continue;
    assert.equal(typeof ferrode.Buffer[key], typeof node.Buffer[key], `Buffer.${key}`);
  }
  for (const key of Object.getOwnPropertyNames(node.Buffer.prototype)) {
    if (key === 'parent' || key === 'offset') continue;
    assert.equal(typeof ferrode.Buffer.prototype[key], typeof node.Buffer.prototype[key], `prototype.${key}`);
  }
  assert.ok(ferrode.Buffer.from('a') instanceof Uint8Array);
  assert.ok(ferrode.Buffer.from('a') instanceof ferrode.Buffer);
  assert.equal(Object.getPrototypeOf(ferrode.Buffer), Uint8Array);
});

test('new Buffer.alloc(3) and the deprecated constructor', () => {
  same(({ Buffer }) => {
    const b = new Buffer.alloc(3);
    b[0] = 0;
    b[1] = 1;
    b[2] = 256;
    return [b, util.inspect(b), Buffer.isBuffer(b)];
  });
  same(({ Buffer }) => new Buffer.from('abc'));
  same(({ Buffer }) => new Buffer.allocUnsafe(2).length);
  same(({ Buffer }) => new Buffer(4));
  same(({ Buffer }) => Buffer('abc', 'latin1'));
  same(({ Buffer }) => new Buffer([1, 2, 3]));
  same(({ Buffer }) => new Buffer(3, 'utf8'));
  same(({ Buffer }) => new Buffer(-1));
});

test('alloc / allocUnsafe / allocUnsafeSlow / SlowBuffer: sizes and errors', () => {
  for (const fn of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
    for (const size of [0, 1, 7, 100, 4096, 5000, ...BAD_SIZES]) {
      same(
        ({ Buffer }) => {
          const b = Buffer[fn](size);
          return [b.length, b instanceof Buffer, b.constructor.name, fn === 'alloc' ? b : null];
        },
        `${fn}(${String(size)})`,
      );
    }
  }
  same(({ SlowBuffer }) => SlowBuffer(4).length);
  same(({ SlowBuffer }) => SlowBuffer(-4));
});

test('alloc with fill and encoding', () => {
  const fills = ['a', 'ab', 'é€😀', '', 'zz', 'abc', 'aGk=', 0, 1, 255, 256, -1, 1.5, NaN, true, null, {}];
  const fillsB = [Buffer.from('xy'), new Uint8Array([1, 2, 3]), new Uint16Array([0x102]), new Uint8Array(0)];
  for (const fill of [...fills, ...fillsB]) {
    for (const enc of [undefined, 'utf8', 'hex', 'base64', 'ucs2', 'latin1', 'ascii', 'bogus', 5]) {
      same(({ Buffer }) => Buffer.alloc(7, fill, enc), `alloc(7, ${String(fill)}, ${enc})`);
    }
  }
  same(({ Buffer }) => Buffer.alloc(3, 5n));
  same(({ Buffer }) => Buffer.alloc(0, 'abc'));
});

test('Buffer.from: every input kind', () => {
  const ab = new Uint8Array([1, 2, 3, 4, 5, 6]).buffer;
  const cases = [
    ({ Buffer }) => Buffer.from([1, 2, 3, 256, -1, 1.7, 'a', '7', null]),
    ({ Buffer }) => Buffer.from({ length: 3, 0: 9, 2: 300 }),
    ({ Buffer }) => Buffer.from({ length: '3', 0: 9 }),
    ({ Buffer }) => Buffer.from({ length: -1 }),
    ({ Buffer }) => Buffer.from({ type: 'Buffer', data: [1, 2, 3] }),
    ({ Buffer }) => Buffer.from({ type: 'Buffer', data: 'no' }),
    ({ Buffer }) => Buffer.from(ab),
    ({ Buffer }) => Buffer.from(ab, 2),
    ({ Buffer }) => Buffer.from(ab, 2, 3),
    ({ Buffer }) => Buffer.from(ab, '1', '2'),
    ({ Buffer }) => Buffer.from(ab, NaN, NaN),
    ({ Buffer }) => Buffer.from(ab, 6),
    ({ Buffer }) => Buffer.from(ab, 7),
    ({ Buffer }) => Buffer.from(ab, 2, 5),
    ({ Buffer }) => Buffer.from(ab, 2, -5),
    ({ Buffer }) => Buffer.from(ab, 1.5, 2),
    ({ Buffer }) => Buffer.from(ab, -1),
    ({ Buffer }) => {
      const b = Buffer.from(ab, 1, 2);
      b[0] = 99;
      return [new Uint8Array(ab)[1], b.buffer === ab];
    },
    ({ Buffer }) => Buffer.from(new SharedArrayBuffer(4), 1),
    ({ Buffer }) => Buffer.from(new Uint16Array([1, 0x1234, 0xffff])),
    ({ Buffer }) => Buffer.from(new Float64Array([1.5, -1, 300])),
    ({ Buffer }) => {
      const src = Buffer.from('abc');
      const copy = Buffer.from(src);
      copy[0] = 0x7a;
      return [src, copy];
    },
    ({ Buffer }) => Buffer.from(new String('str')),
    ({ Buffer }) => Buffer.from(new String('6869'), 'hex'),
    ({ Buffer }) => Buffer.from({ valueOf: () => 'vo' }),
    ({ Buffer }) => Buffer.from({ valueOf: () => [1, 2] }),
    ({ Buffer }) => Buffer.from({ valueOf: () => 5 }),
    ({ Buffer }) => Buffer.from({ [Symbol.toPrimitive]: () => 'prim' }),
    ({ Buffer }) => Buffer.from({ [Symbol.toPrimitive]: () => 'aGk=' }, 'base64'),
    ({ Buffer }) => Buffer.from({ [Symbol.toPrimitive]: () => 5 }),
    ({ Buffer }) => Buffer.from(5),
    ({ Buffer }) => Buffer.from(null),
    ({ Buffer }) => Buffer.from(undefined),
    ({ Buffer }) => Buffer.from(true),
    ({ Buffer }) => Buffer.from(Symbol('x')),
    ({ Buffer }) => Buffer.from(5n),
    ({ Buffer }) => Buffer.from({}),
    ({ Buffer }) => Buffer.from(() => 1),
    ({ Buffer }) => Buffer.from('abc', 'bogus'),
    ({ Buffer }) => Buffer.from('abc', ''),
    ({ Buffer }) => Buffer.from('', 'bogus'),
    ({ Buffer }) => Buffer.from('abc', 5),
    ({ Buffer }) => Buffer.from('abc', null),
    ({ Buffer }) => Buffer.from(''),
    ({ Buffer }) => Buffer.of(1, 2, 300),
    ({ Buffer }) => Buffer.of(),
  ];
  for (const fn of cases) same(fn);
});

test('Buffer.from(string, encoding) for every encoding and tricky strings', () => {
  const strings = [
    'hello',
    '',
    'héllo wörld €',
    '😀 astral',
    '\ud800',
    'a\udc00b',
    '\udbff\udfff',
    '\ud83d',
    '68656c6c6f',
    '68656c6c6',
    'zz',
    '6g',
    'ab cd',
    'ABCDEF',
    'aGVsbG8=',
    'aGVsbG8',
    'aGVs bG8=\n',
    'aGVsbG8==',
    'a=GVsbG8',
    '-_-_',
    '+/+/',
    'YQ',
    'Y',
    '====',
    '\u0100\u0200',
    'x'.repeat(5000),
    '€'.repeat(2000),
  ];
  for (const s of strings) {
    for (const enc of ENCODINGS) {
      same(({ Buffer }) => Buffer.from(s, enc), `from(${JSON.stringify(s.slice(0, 20))}, ${enc})`);
    }
  }
});

test('toString: encodings, ranges, invalid UTF-8', () => {
  const inputs = [
    [0x68, 0x65, 0x6c, 0x6c, 0x6f],
    [0xff, 0xfe, 0x00, 0x80, 0x7f],
    [0xe2, 0x82],
    [0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98],
    [0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80],
    [0xef, 0xbb, 0xbf, 0x41],
    [0xf0, 0x9f, 0x98, 0x80],
    [0x80, 0x80, 0x80],
    [0xc3],
    [0x61, 0x00, 0x62, 0x00, 0x63],
    [],
  ];
  for (const bytes of inputs) {
    for (const enc of [...ENCODINGS, undefined]) {
      same(({ Buffer }) => Buffer.from(bytes).toString(enc), `toString(${enc}) of ${bytes}`);
      for (const [s, e] of [
        [1, 3],
        [-1, 2],
        [2, 1],
        [1.5, 3.9],
        ['1', '3'],
        [NaN, NaN],
        [undefined, 2],
        [0, 100],
        [100, 200],
        [null, null],
      ]) {
        same(({ Buffer }) => Buffer.from(bytes).toString(enc, s, e), `toString(${enc}, ${s}, ${e}) of ${bytes}`);
      }
    }
  }
  same(({ Buffer }) => Buffer.from('abc').toString());
  same(({ Buffer }) => Buffer.from('abc').toString('bogus'));
  same(({ Buffer }) => Buffer.from('abc').toString(''));
  same(({ Buffer }) => Buffer.from('abc').toString(null));
  same(({ Buffer }) => Buffer.from('abc').toString(5));
  same(({ Buffer }) => Buffer.from('abc').toString({}));
  same(({ Buffer }) => Buffer.alloc(0).toString('bogus'));
  same(({ Buffer }) => Buffer.from('abc').toLocaleString('hex'));
  same(({ Buffer }) => Buffer.from('x'.repeat(300)).toString('base64'));
});

test('write: encodings, offsets, lengths, partial characters', () => {
  const strings = ['hello', 'é€😀', '\ud800x', '68656c', 'zz68', 'aGVsbG8=', 'aGk', ''];
  const args = [
    [],
    [2],
    [0, 3],
    [1, 2],
    [4, 0],
    [5],
    [6],
    [-1],
    [1.5],
    ['2'],
    [0, 10],
    [0, -1],
    [0, 2.5],
    [NaN],
    [null],
  ];
  for (const s of strings) {
    for (const enc of [undefined, ...ENCODINGS, 'bogus']) {
      for (const a of args) {
        same(
          ({ Buffer }) => {
            const b = Buffer.alloc(5, 0xee);
            const call = enc === undefined ? [s, ...a] : a.length === 0 ? [s, enc] : [s, ...a, enc];
            return [b.write(...call), b];
          },
          `write(${JSON.stringify(s)}, ${a}, ${enc})`,
        );
      }
    }
  }
  same(({ Buffer }) => Buffer.alloc(3).write(123));
  same(({ Buffer }) => Buffer.alloc(3).write(123, 'hex'));
  same(({ Buffer }) => Buffer.alloc(3).write('ab', 0, 2, 'bogus'));
  same(({ Buffer }) => Buffer.alloc(3).write('€', 1));
  same(({ Buffer }) => Buffer.alloc(4).write('€€', 'utf8'));
  same(({ Buffer }) => Buffer.alloc(3).write('abc', 'ucs2'));
  same(({ Buffer }) => Buffer.alloc(0).write('abc'));
  same(({ Buffer }) => Buffer.alloc(0).write('abc', 0));
});

test('byteLength, isBuffer, isEncoding', () => {
  for (const s of ['', 'abc', 'é€😀', '\ud800', 'aGk=', 'aGk==', 'a=', '=', '6869a', 'x'.repeat(100)]) {
    for (const enc of [...ENCODINGS, 'bogus', undefined, null, 5, '']) {
      same(({ Buffer }) => Buffer.byteLength(s, enc), `byteLength(${JSON.stringify(s)}, ${enc})`);
    }
  }
  for (const v of [new ArrayBuffer(5), new Uint16Array(3), new DataView(new ArrayBuffer(7)), 5, null, {}, [1]]) {
    same(({ Buffer }) => Buffer.byteLength(v));
  }
  for (const v of [new Uint8Array(1), {}, null, 'a', []]) same(({ Buffer }) => Buffer.isBuffer(v));
  same(({ Buffer }) => Buffer.isBuffer(Buffer.from('a')));
  same(({ Buffer }) => Buffer.isBuffer(Buffer.from('abc').subarray(1)));
  for (const e of [...ENCODINGS, 'bogus', '', null, undefined, 5, 'UTF-16LE', 'utf16', 'ucs']) {
    same(({ Buffer }) => Buffer.isEncoding(e), `isEncoding(${e})`);
  }
});

test('equals and compare, with ranges and errors', () => {
  const pairs = [
    ['abc', 'abc'],
    ['abc', 'abd'],
    ['abd', 'abc'],
    ['ab', 'abc'],
    ['abc', 'ab'],
    ['', ''],
    ['', 'a'],
    ['\u00ff', '\u0001'],
  ];
  for (const [x, y] of pairs) {
    same(({ Buffer }) => Buffer.from(x, 'latin1').equals(Buffer.from(y, 'latin1')));
    same(({ Buffer }) => Buffer.from(x, 'latin1').compare(Buffer.from(y, 'latin1')));
    same(({ Buffer }) => Buffer.compare(Buffer.from(x, 'latin1'), Buffer.from(y, 'latin1')));
    same(({ Buffer }) => Buffer.from(x, 'latin1').equals(new Uint8Array(Buffer.from(y, 'latin1'))));
  }
  for (const bad of [null, 'abc', [1], {}, new Uint16Array(1), undefined]) {
    same(({ Buffer }) => Buffer.from('a').equals(bad));
    same(({ Buffer }) => Buffer.from('a').compare(bad));
    same(({ Buffer }) => Buffer.compare(bad, Buffer.from('a')));
    same(({ Buffer }) => Buffer.compare(Buffer.from('a'), bad));
  }
  const ranges = [
    [0],
    [1, 3],
    [0, 2, 1, 3],
    [0, 5, 0, 5],
    [2, 1],
    [0, 0, 0, 0],
    [0, 6],
    [-1],
    [1.5],
    ['1'],
    [0, 3, 4, 2],
    [undefined, undefined, 2],
    [5, 5, 1, 2],
    [0, 3, 0, 6],
    [null],
    [NaN],
  ];
  for (const r of ranges) {
    same(({ Buffer }) => Buffer.from('abcde').compare(Buffer.from('bcdef'), ...r), `compare ranges ${r}`);
    same(({ Buffer }) => Buffer.from('abcde').compare(Buffer.from('abcde'), ...r), `compare ranges ${r}`);
  }
  same(({ Buffer }) => {
    const b = Buffer.from('abc');
    return [b.equals(b), b.compare(b), Buffer.compare(b, b)];
  });
});

test('subarray and slice share memory, with Node offset rules', () => {
  const args = [
    [],
    [1],
    [1, 3],
    [-2],
    [-10],
    [2, 1],
    [1.5, 3.7],
    ['1', '3'],
    [NaN, 2],
    [undefined, -1],
    [0, 100],
    [100],
    [null, 2],
    [-1, -3],
    [2 ** 40],
  ];
  for (const method of ['subarray', 'slice']) {
    for (const a of args) {
      same(({ Buffer }) => {
        const b = Buffer.from('abcdef');
        const s = b[method](...a);
        if (s.length > 0) s[0] = 0x5a;
        return [s, b, s instanceof Buffer, s.buffer === b.buffer];
      }, `${method}(${a})`);
    }
  }
});

test('concat', () => {
  same(({ Buffer }) => Buffer.concat([Buffer.from('ab'), new Uint8Array([1, 2]), Buffer.alloc(0)]));
  same(({ Buffer }) => Buffer.concat([]));
  same(({ Buffer }) => Buffer.concat([Buffer.from('abc')], 2));
  same(({ Buffer }) => Buffer.concat([Buffer.from('abc')], 6));
  same(({ Buffer }) => Buffer.concat([Buffer.from('abc')], 0));
  same(({ Buffer }) => Buffer.concat([Buffer.from('abc')], -1));
  same(({ Buffer }) => Buffer.concat([Buffer.from('abc')], 1.5));
  same(({ Buffer }) => Buffer.concat([Buffer.from('abc')], '2'));
  same(({ Buffer }) => Buffer.concat('abc'));
  same(({ Buffer }) => Buffer.concat(null));
  same(({ Buffer }) => Buffer.concat([Buffer.from('a'), 'b']));
  same(({ Buffer }) => Buffer.concat([Buffer.from('a'), [1, 2]]));
  same(({ Buffer }) => Buffer.concat([Buffer.from('a'), new Uint16Array(2)]));
  same(({ Buffer }) => Buffer.concat([new Uint8Array(3000).fill(7), new Uint8Array(3000).fill(8)]).length);
  same(({ Buffer }) => Buffer.concat([Buffer.from('a'), null]));
});

test('inspect output equals Node for the same bytes', () => {
  const makers = [
    (B) => B.alloc(0),
    (B) => B.from('hello'),
    (B) => B.alloc(50, 1),
    (B) => B.alloc(51, 2),
    (B) => B.alloc(52, 3),
    (B) => B.from(Array.from({ length: 300 }, (_, i) => i & 0xff)),
    (B) => {
      const b = B.from('hi');
      b.foo = 'bar';
      b[Symbol('s')] = 1;
      return b;
    },
    (B) => {
      const b = B.alloc(0);
      b.extra = { deep: [1, 2] };
      return b;
    },
    (B) => {
      const b = B.from('x');
      Object.defineProperty(b, 'hidden', { value: 1, enumerable: false });
      return b;
    },
  ];
  for (const make of makers) {
    for (const opts of [{}, { showHidden: true }, { colors: true }, { depth: 0 }]) {
      assert.equal(util.inspect(make(ferrode.Buffer), opts), util.inspect(make(node.Buffer), opts), make.toString());
    }
    assert.equal(util.inspect([make(ferrode.Buffer)]), util.inspect([make(node.Buffer)]));
    assert.equal(util.inspect({ a: make(ferrode.Buffer) }), util.inspect({ a: make(node.Buffer) }));
    assert.equal(util.format('%o', make(ferrode.Buffer)), util.format('%o', make(node.Buffer)));
  }
  same(({ Buffer }) => Buffer.from('abc').inspect());
});

test('INSPECT_MAX_BYTES is settable through the module object, with validation', () => {
  const saved = node.default.INSPECT_MAX_BYTES;
  try {
    for (const v of [3, 0, 100, 2.5, Infinity]) {
      node.default.INSPECT_MAX_BYTES = v;
      ferrode.default.INSPECT_MAX_BYTES = v;
      assert.equal(ferrode.INSPECT_MAX_BYTES, v);
      assert.equal(util.inspect(ferrode.Buffer.alloc(10, 1)), util.inspect(node.Buffer.alloc(10, 1)));
    }
    for (const bad of [-1, 'x', NaN]) {
      same((m) => {
        m.default.INSPECT_MAX_BYTES = bad;
      });
    }
  } finally {
    node.default.INSPECT_MAX_BYTES = saved;
    ferrode.default.INSPECT_MAX_BYTES = saved;
  }
});

test('parent, offset, pool placement and allocUnsafe / from use the pool', () => {
  const b = ferrode.Buffer.from('abc');
  assert.equal(b.parent, b.buffer);
  assert.equal(b.offset, b.byteOffset);
  assert.equal(b.buffer.byteLength, ferrode.Buffer.poolSize);
  assert.equal(ferrode.Buffer.poolSize, node.Buffer.poolSize);
  const u = ferrode.Buffer.allocUnsafe(10);
  assert.equal(u.byteOffset % 8, 0);
  assert.equal(ferrode.Buffer.allocUnsafeSlow(10).byteOffset, 0);
  assert.equal(ferrode.Buffer.alloc(10).byteOffset, 0);
  // Sizes below half the pool come from it, larger ones get their own memory (Node's rule).
  for (const size of [5000, ferrode.Buffer.poolSize >>> 1, (ferrode.Buffer.poolSize >>> 1) + 1]) {
    const pooled = (B) => B.allocUnsafe(size).buffer.byteLength !== size;
    assert.equal(pooled(ferrode.Buffer), pooled(node.Buffer), `allocUnsafe(${size})`);
  }
  same(({ Buffer }) => [Buffer.prototype.parent, Buffer.prototype.offset]);
  same(({ Buffer }) => Object.getOwnPropertyDescriptor(Buffer.prototype, 'parent').enumerable);
});

test('util.inspect of the Buffer function and of the module object equals Node', () => {
  assert.equal(util.inspect(ferrode.Buffer), util.inspect(node.Buffer));
  const ours = util.inspect(ferrode.default, { depth: 0 });
  // ferrode has no resolveObjectURL (no blob: URL store to look up synchronously).
  const theirs = util
    .inspect(node.default, { depth: 0 })
    .replace('  resolveObjectURL: [Function: resolveObjectURL],\n', '');
  assert.equal(ours, theirs);
});

test('Buffers over SharedArrayBuffer memory: decode, write, search, fill, validate', () => {
  const sab = new SharedArrayBuffer(300);
  new Uint8Array(sab).set(Buffer.from('héllo wörld '.repeat(20)));
  for (const enc of ['utf8', 'latin1', 'ascii', 'hex', 'base64', 'ucs2', 'base64url']) {
    same(({ Buffer }) => Buffer.from(sab, 1, 20).toString(enc));
    same(({ Buffer }) => Buffer.from(sab).toString(enc));
    same(({ Buffer }) => {
      const b = Buffer.from(new SharedArrayBuffer(200));
      return [b.write('héllo €'.repeat(10), 3, enc), b];
    });
    same(({ Buffer }) => Buffer.from(sab).indexOf('wörld', 50, enc));
    same(({ Buffer }) => Buffer.from(new SharedArrayBuffer(100)).fill('é€', enc));
  }
  same(({ isUtf8, isAscii }) => [isUtf8(sab), isAscii(sab), isUtf8(new Uint8Array(sab, 1))]);
  same(({ Buffer }) => Buffer.from(sab).equals(Buffer.from(sab)));
  same(({ Buffer }) => Buffer.concat([Buffer.from(sab), Buffer.from(sab, 5)]));
});
