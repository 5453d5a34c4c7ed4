// ferrode/buffer against node:buffer: numeric read/write, search, fill, copy,
// swap, toJSON, iteration, transcode, isUtf8/isAscii, btoa/atob.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { same, ferrode, node, ENCODINGS } from './buffer-helpers.mjs';

const OFFSETS = [undefined, 0, 1, 2, 3, 4, 5, 7, 8, -1, 1.5, NaN, '1', null, Infinity, -0, 2 ** 33, true];
const FIXED = ['8', '16LE', '16BE', '32LE', '32BE'];

test('read(U)Int8/16/32, Float, Double, BigInt64 at every offset', () => {
  const names = [
    ...FIXED.flatMap((w) => [`readUInt${w}`, `readInt${w}`, `readUint${w}`]),
    'readFloatLE',
    'readFloatBE',
    'readDoubleLE',
    'readDoubleBE',
    'readBigUInt64LE',
    'readBigUInt64BE',
    'readBigUint64LE',
    'readBigInt64LE',
    'readBigInt64BE',
  ];
  const bytes = [0x81, 0xff, 0x00, 0x7f, 0x80, 0x01, 0xfe, 0x40, 0xc0];
  for (const name of names) {
    for (const len of [0, 1, 3, 4, 8, 9]) {
      for (const off of OFFSETS) {
        same(({ Buffer }) => Buffer.from(bytes.slice(0, len))[name](off), `${name}(${String(off)}) len ${len}`);
      }
    }
    same(({ Buffer }) => Buffer.from(bytes)[name](), `${name}()`);
  }
});

test('read(U)IntLE/BE with byteLength 1..6 and bad byteLengths', () => {
  const bytes = [0x81, 0xff, 0x00, 0x7f, 0x80, 0x01, 0xfe];
  for (const name of ['readUIntLE', 'readUIntBE', 'readIntLE', 'readIntBE', 'readUintLE', 'readUintBE']) {
    for (const bl of [1, 2, 3, 4, 5, 6, 0, 7, 1.5, '2', undefined, NaN, -1]) {
      for (const off of [0, 1, 2, undefined, -1, 1.5, '0']) {
        same(({ Buffer }) => Buffer.from(bytes)[name](off, bl), `${name}(${off}, ${bl})`);
      }
    }
  }
});

test('write(U)Int*, Float, Double, BigInt64: values, ranges, offsets', () => {
  const values = [0, 1, -1, 127, 128, -128, -129, 255, 256, 65535, 65536, -32768, -32769, 2 ** 31, -(2 ** 31)];
  values.push(2 ** 32 - 1, 2 ** 32, 1.5, -1.5, -0.5, NaN, Infinity, '12', null, undefined, {}, 3.7e10, -0);
  const names = [
    ...FIXED.flatMap((w) => [`writeUInt${w}`, `writeInt${w}`, `writeUint${w}`]),
    'writeFloatLE',
    'writeFloatBE',
    'writeDoubleLE',
    'writeDoubleBE',
  ];
  for (const name of names) {
    for (const v of values) {
      for (const off of [undefined, 0, 1, 4, 5, -1, 1.5, '0', NaN]) {
        same(
          ({ Buffer }) => {
            const b = Buffer.alloc(6, 0xaa);
            return [b[name](v, off), b];
          },
          `${name}(${String(v)}, ${String(off)})`,
        );
      }
    }
  }
  const big = [0n, 1n, -1n, 2n ** 63n - 1n, 2n ** 63n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 64n - 1n, 2n ** 64n, 5];
  const bigNames = ['writeBigUInt64LE', 'writeBigUInt64BE', 'writeBigUint64LE', 'writeBigInt64LE', 'writeBigInt64BE'];
  for (const name of bigNames) {
    for (const v of big) {
      for (const off of [undefined, 0, 1, 2, -1, 1.5, '0']) {
        same(({ Buffer }) => {
          const b = Buffer.alloc(9, 0xaa);
          return [b[name](v, off), b];
        }, `${name}(${v}, ${off})`);
      }
    }
  }
});

test('write(U)IntLE/BE with byteLength 1..6', () => {
  const values = [0, 1, -1, 255, 256, -128, -129, 2 ** 40 - 1, 2 ** 40, 2 ** 47, -(2 ** 47), 2 ** 48 - 1, 2 ** 48];
  values.push(-(2 ** 47) - 1, 1.5, -0.5, -1.5, NaN, 0x123456789a, -0x123456789a);
  for (const name of ['writeUIntLE', 'writeUIntBE', 'writeIntLE', 'writeIntBE', 'writeUintLE', 'writeUintBE']) {
    for (const bl of [1, 2, 3, 4, 5, 6, 0, 7, 1.5, undefined, '3']) {
      for (const v of values) {
        for (const off of [0, 1, undefined, 3]) {
          same(({ Buffer }) => {
            const b = Buffer.alloc(7, 0xaa);
            return [b[name](v, off, bl), b];
          }, `${name}(${v}, ${off}, ${bl})`);
        }
      }
    }
  }
});

test('float round trips, including NaN, -0, Infinity and subnormals', () => {
  for (const v of [0, -0, 1 / 3, -1e-310, 3.4e38, 3.5e38, -Infinity, NaN, 1e-45, 123.456]) {
    for (const [w, r] of [
      ['writeFloatLE', 'readFloatLE'],
      ['writeFloatBE', 'readFloatBE'],
      ['writeDoubleLE', 'readDoubleLE'],
      ['writeDoubleBE', 'readDoubleBE'],
    ]) {
      same(({ Buffer }) => {
        const b = Buffer.alloc(8);
        b[w](v);
        return [b, b[r]()];
      });
    }
  }
});

test('indexOf / lastIndexOf / includes: every kind of needle, offset and encoding', () => {
  const hay = 'abcab\u00e9c\u20ac\u0000abc';
  const needles = [
    'abc',
    'b',
    '',
    '\u00e9',
    '\u20ac',
    'zz',
    '6263',
    'YWI=',
    'YWI',
    'a\u0000',
    98,
    0x162,
    -158,
    99.9,
    256,
    -1,
    NaN,
  ];
  const offsets = [undefined, 0, 1, 3, -1, -3, -100, 100, 1.5, '1', null, NaN, {}, [], [2], 2 ** 40, -(2 ** 40)];
  for (const method of ['indexOf', 'lastIndexOf', 'includes']) {
    for (const enc of [undefined, 'utf8', 'ucs2', 'utf16le', 'latin1', 'binary', 'hex', 'base64', 'ascii']) {
      const bufs = [Buffer.from(hay, enc === undefined ? 'utf8' : enc), Buffer.from(hay, 'latin1')];
      for (const hayBytes of bufs) {
        for (const needle of needles) {
          for (const off of offsets) {
            same(
              ({ Buffer }) => Buffer.from(hayBytes)[method](needle, off, enc),
              `${method}(${JSON.stringify(needle)}, ${String(off)}, ${enc}) in ${hayBytes.toString('hex')}`,
            );
          }
          same(({ Buffer }) => Buffer.from(hayBytes)[method](needle, enc), `${method}(${needle}, ${enc})`);
        }
        for (const needleBytes of [[0x61, 0x62], [0x62], [], [0x63, 0x00], [0x00, 0x61], [0xff, 0xff, 0xff]]) {
          for (const off of [undefined, 0, 1, 2, -2, 100]) {
            same(({ Buffer }) => Buffer.from(hayBytes)[method](Buffer.from(needleBytes), off, enc));
            same(({ Buffer }) => Buffer.from(hayBytes)[method](new Uint8Array(needleBytes), off, enc));
          }
        }
      }
    }
  }
  for (const bad of [null, undefined, {}, [1], true, new Uint16Array(1), 5n]) {
    same(({ Buffer }) => Buffer.from('abc').indexOf(bad));
  }
  same(({ Buffer }) => Buffer.from('abc').indexOf('b', 0, 'bogus'));
  same(({ Buffer }) => Buffer.from('abc').indexOf(Buffer.from('b'), 0, 'bogus'));
  same(({ Buffer }) => Buffer.from('abc').indexOf(98, 0, 'bogus'));
  same(({ Buffer }) => Buffer.alloc(0).indexOf(''));
  same(({ Buffer }) => Buffer.alloc(0).lastIndexOf('a'));
  same(({ Buffer }) => Buffer.from([0x61, 0, 0x62]).indexOf(Buffer.from('zz'), 0, 'ucs2'));
  same(({ Buffer }) => Buffer.from([0x61, 0, 0x62]).indexOf('z', 'ucs2'));
  same(({ Buffer }) => Buffer.from([0, 0x61, 0, 0x61, 0]).indexOf('a', 'ucs2'));
  same(({ Buffer }) => Buffer.from([0, 0x61, 0, 0x61, 0]).lastIndexOf('a', 'ucs2'));
});

test('fill: numbers, strings in every encoding, multi-byte and empty patterns, ranges', () => {
  const values = ['a', 'ab', 'abc', '€', '😀', '\ud800', '', 'zz', '1', 'abz', 'YWJj', 'YQ', '-_'];
  values.push(0, 97, 257, -1, 1.5);
  values.push(NaN, true, false, null, {}, [], Buffer.from('xyz'), new Uint8Array(0), new Uint16Array([0x4142]));
  const ranges = [
    [],
    [1],
    [1, 4],
    [4, 1],
    [0, 7],
    [0, 8],
    [-1],
    [1.5],
    ['1'],
    [7],
    [100],
    [1, 3, 'hex'],
    [undefined, 3],
    [null],
  ];
  for (const v of values) {
    for (const r of ranges) {
      for (const enc of [undefined, 'utf8', 'hex', 'base64', 'ucs2', 'latin1', 'ascii', 'bogus', 5, 'BASE64URL']) {
        same(
          ({ Buffer }) => {
            const b = Buffer.alloc(7, 0xee);
            const args = enc === undefined ? r : [...r, enc];
            return [b.fill(v, ...args) === b, b];
          },
          `fill(${String(v)}, ${r}, ${enc})`,
        );
      }
    }
  }
  same(({ Buffer }) => Buffer.alloc(5).fill('ab', 'hex'));
  same(({ Buffer }) => Buffer.alloc(5).fill(5n));
  same(({ Buffer }) => Buffer.alloc(5).fill(Symbol('x')));
  same(({ Buffer }) => {
    const b = Buffer.from('abcdef');
    return b.fill(b.subarray(0, 2), 2);
  });
});

test('copy: ranges, clamping and errors', () => {
  const args = [
    [],
    [1],
    [0, 1],
    [0, 1, 3],
    [2, 0, 10],
    [10],
    [-1],
    [0, -1],
    [0, 7],
    [0, 0, -1],
    [1.5, 1.5, 4.5],
    ['1', '2', '4'],
    [NaN, NaN, NaN],
    [0, 4, 2],
    [null, null, null],
    [{}, [], [3]],
    [2 ** 60],
  ];
  for (const a of args) {
    same(({ Buffer }) => {
      const src = Buffer.from('abcdef');
      const dst = Buffer.alloc(4, 0x2e);
      return [src.copy(dst, ...a), dst];
    }, `copy(${a})`);
    same(({ Buffer }) => {
      const src = Buffer.from('abcdef');
      return [src.copy(src, ...a), src];
    }, `self copy(${a})`);
  }
  for (const bad of [null, 'abc', [1, 2], new Uint16Array(2), {}]) {
    same(({ Buffer }) => Buffer.from('abc').copy(bad));
  }
  same(({ Buffer }) => {
    const dst = new Uint8Array(3);
    return [Buffer.from('xyz').copy(dst, 1), dst];
  });
});

test('swap16/32/64, toJSON, iteration, toLocaleString', () => {
  for (const n of [0, 2, 4, 6, 8, 16, 3, 5, 7, 200, 256]) {
    for (const m of ['swap16', 'swap32', 'swap64']) {
      same(({ Buffer }) => Buffer.from(Array.from({ length: n }, (_, i) => i))[m](), `${m} ${n}`);
    }
  }
  same(({ Buffer }) => Buffer.from('abc').toJSON());
  same(({ Buffer }) => Buffer.alloc(0).toJSON());
  same(({ Buffer }) => JSON.stringify({ b: Buffer.from([1, 2, 3]) }));
  same(({ Buffer }) => Buffer.from(JSON.parse(JSON.stringify(Buffer.from('round trip')))));
  same(({ Buffer }) => [...Buffer.from('hey').keys()]);
  same(({ Buffer }) => [...Buffer.from('hey').values()]);
  same(({ Buffer }) => [...Buffer.from('hey').entries()]);
  same(({ Buffer }) => [...Buffer.from('hey')]);
  same(({ Buffer }) => Buffer.from('hey').map((x) => x + 1));
  same(({ Buffer }) => Buffer.from('hey').filter((x) => x > 0x65));
  same(({ Buffer }) => Buffer.from('héy').toLocaleString());
  same(({ Buffer }) => Buffer.from('hey').reverse());
  same(({ Buffer }) => Buffer.from('hey').at(-1));
});

test('copyBytesFrom', () => {
  const views = [
    new Uint16Array([1, 0x203, 0xffff]),
    new Float32Array([1.5, -2]),
    new Uint8Array([9, 8, 7]),
    new Int8Array(0),
    new BigInt64Array([1n, -1n]),
  ];
  for (const v of views) {
    for (const a of [[], [1], [1, 1], [0, 0], [5], [undefined, 1], [-1], [1.5], ['1'], [0, -1], [0, 100]]) {
      same(({ Buffer }) => Buffer.copyBytesFrom(v, ...a), `copyBytesFrom(${v.constructor.name}, ${a})`);
    }
  }
  for (const bad of [new ArrayBuffer(2), new DataView(new ArrayBuffer(2)), [1, 2], 'ab', null]) {
    same(({ Buffer }) => Buffer.copyBytesFrom(bad));
  }
  same(({ Buffer }) => {
    const src = new Uint8Array([1, 2]);
    const b = Buffer.copyBytesFrom(src);
    src[0] = 9;
    return b;
  });
});

test('transcode between utf8, ucs2, latin1 and ascii', () => {
  const sources = [
    Buffer.from('hello'),
    Buffer.from('héllo €😀', 'utf8'),
    Buffer.from('héllo', 'latin1'),
    Buffer.from('h€', 'ucs2'),
    Buffer.from([0xff, 0xfe, 0x80, 0x41]),
    Buffer.from([0xc3]),
    Buffer.from([0x00, 0xd8, 0x41, 0x00]),
    Buffer.from([0x41, 0x00, 0x42]),
    Buffer.from('a\u00ad\u200b\ufeff\u{e0001}\u{1d173}\u034f\u2065b\ufff9', 'utf8'),
    Buffer.from('\ufeffx\u00adz', 'ucs2'),
    Buffer.alloc(0),
  ];
  const encs = ['utf8', 'utf-8', 'ucs2', 'utf16le', 'latin1', 'binary', 'ascii', 'hex', 'base64', 'bogus'];
  for (const src of sources) {
    for (const from of encs) {
      for (const to of encs) {
        const label = `transcode(${src.toString('hex')}, ${from}, ${to})`;
        same(({ transcode }) => transcode(Buffer.from(src), from, to), label);
      }
    }
  }
  for (const bad of ['abc', null, [1], new Uint16Array(1)]) {
    same(({ transcode }) => transcode(bad, 'utf8', 'ucs2'));
  }
});

test('isUtf8 and isAscii', () => {
  const inputs = [
    [],
    [0x41],
    [0x80],
    [0xc3, 0xa9],
    [0xc3],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xef, 0xbb, 0xbf],
    [0xf0, 0x9f, 0x98, 0x80],
    [0xc0, 0xaf],
    Array.from({ length: 300 }, (_, i) => i & 0x7f),
  ];
  for (const bytes of inputs) {
    for (const fn of ['isUtf8', 'isAscii']) {
      same((m) => m[fn](Buffer.from(bytes)), `${fn}(${bytes})`);
      same((m) => m[fn](new Uint8Array(bytes).buffer), `${fn}(ArrayBuffer ${bytes})`);
      same((m) => m[fn](Buffer.from([0x41, ...bytes, 0x41]).subarray(1, bytes.length + 1)), `${fn} sub`);
      same((m) => m[fn](new Uint16Array(new Uint8Array(bytes.length % 2 ? [...bytes, 0] : bytes).buffer)));
    }
  }
  for (const bad of [null, 'abc', [1], new DataView(new ArrayBuffer(1)), {}]) {
    same(({ isUtf8 }) => isUtf8(bad));
    same(({ isAscii }) => isAscii(bad));
  }
  const ab = new ArrayBuffer(4);
  structuredClone(ab, { transfer: [ab] });
  same(({ isUtf8 }) => isUtf8(ab));
  same(({ isAscii }) => isAscii(new Uint8Array(ab)));
});

test('btoa and atob: Node semantics and DOMException errors', () => {
  for (const s of ['', 'hello', 'héllo', '\u00ff\u0000', '€', 123, null, undefined, {}, 'a\ud800']) {
    same(({ btoa }) => btoa(s), `btoa(${JSON.stringify(s)})`);
  }
  same(({ btoa }) => btoa());
  same(({ atob }) => atob());
  const inputs = [
    '',
    'aGVsbG8=',
    'aGVsbG8',
    'aGVsbA==',
    'aGVsbA=',
    'aGVsbA',
    'aGVsb',
    'a',
    'ab',
    '====',
    'ab==',
    'ab=c',
    'ab= =',
    ' a G V s b G 8 = ',
    'aGVs\nbG8=\t',
    'aGVs\vbG8=',
    'aGVsbG8-',
    'aGVsbG8_',
    'aGVs*bG8=',
    'YQ==YQ==',
    'ab===',
    '=ab',
    'a===',
    '/+/+',
    '€',
    null,
    undefined,
    12345678,
  ];
  for (const s of inputs) same(({ atob }) => atob(s), `atob(${JSON.stringify(s)})`);
});

test('SlowBuffer, Blob, File and module defaults', () => {
  same(({ SlowBuffer }) => {
    const b = SlowBuffer(3);
    return [b.length, b.byteOffset, b.buffer.byteLength];
  });
  assert.equal(ferrode.File, node.File);
  assert.equal(ferrode.default.File, node.File);
  for (const key of Object.keys(node.default)) {
    if (key === 'resolveObjectURL') continue;
    assert.ok(key in ferrode.default, `default export lacks ${key}`);
  }
});

test('every encoding name is handled alike in toString, write, byteLength, fill and indexOf', () => {
  const names = [...ENCODINGS, 'UTF-16LE', 'Ucs2', 'LATIN1', 'Base64URL', 'utf16', 'utf32', 'latin-1', 'buffer', ''];
  for (const enc of names) {
    same(({ Buffer }) => Buffer.from('aGk=', enc), `from ${enc}`);
    same(({ Buffer }) => Buffer.from('hi').toString(enc), `toString ${enc}`);
    same(({ Buffer }) => Buffer.alloc(4).write('aGk=', enc), `write ${enc}`);
    same(({ Buffer }) => Buffer.byteLength('aGk=', enc), `byteLength ${enc}`);
    same(({ Buffer }) => Buffer.alloc(4).fill('aGk=', enc), `fill ${enc}`);
    same(({ Buffer }) => Buffer.from('hi').indexOf('i', enc), `indexOf ${enc}`);
    same(({ Buffer }) => Buffer.isEncoding(enc), `isEncoding ${enc}`);
  }
});

test("Node's encoding-specific methods: xxxSlice(start, end) and xxxWrite(string, offset, length)", () => {
  const sliceArgs = [
    [],
    [1],
    [1, 3],
    [3, 1],
    [-1],
    [0, -1],
    [10],
    [0, 10],
    [1.5, 2.5],
    ['1', '2'],
    [NaN],
    [null, null],
  ];
  const writeArgs = [[], [1], [1, 3], [3, 1], [-1], [0, -1], [10], [0, 10], [1.5, 2.5], ['1', '2'], [NaN], [6], [6, 0]];
  for (const p of ['ascii', 'base64', 'base64url', 'latin1', 'hex', 'ucs2', 'utf8']) {
    for (const a of sliceArgs) {
      same(({ Buffer }) => Buffer.from('abcdef')[`${p}Slice`](...a), `${p}Slice(${a})`);
    }
    for (const a of writeArgs) {
      for (const str of ['6869', 'zz', 'aGk=', 'h€', 5]) {
        same(({ Buffer }) => {
          const b = Buffer.alloc(6);
          return [b[`${p}Write`](str, ...a), b];
        }, `${p}Write(${str}, ${a})`);
      }
    }
  }
});
