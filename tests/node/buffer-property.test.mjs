// Property tests: random inputs (seeded; FERRODE_SEED=<n> replays a failure)
// run through ferrode/buffer and node:buffer must give the same results.
import { test } from 'node:test';
import { same, property, ENCODINGS } from './buffer-helpers.mjs';

const N = Number(globalThis.process?.env?.FERRODE_ITERATIONS ?? 1500);

// Bytes that stress UTF-8 decoding: leaders, continuations, overlongs, surrogates.
function utf8ish(rnd, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = rnd.next();
    if (r < 0.3) out.push(rnd.int(0x20, 0x7e));
    else if (r < 0.55) out.push(rnd.int(0x80, 0xbf));
    else if (r < 0.7) out.push(rnd.int(0xc0, 0xdf));
    else if (r < 0.8) out.push(rnd.pick([0xe0, 0xed, 0xef, rnd.int(0xe1, 0xef)]));
    else if (r < 0.9) out.push(rnd.pick([0xf0, 0xf4, 0xf5, 0xff, rnd.int(0xf0, 0xf7)]));
    else
      out.push(
        ...rnd.pick([
          [0xef, 0xbb, 0xbf],
          [0xed, 0xa0, 0x80],
          [0xf0, 0x9f, 0x98, 0x80],
          [0xc0, 0x80],
        ]),
      );
  }
  return out;
}

function base64ish(rnd, n) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_';
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rnd.next();
    if (r < 0.8) s += alphabet[rnd.int(0, alphabet.length - 1)];
    else if (r < 0.88) s += rnd.pick([' ', '\n', '\t', '\r', '\f', '\v']);
    else if (r < 0.95) s += '=';
    else s += rnd.pick(['*', '.', '~', 'é', '\u0141', '\u2b2b', '\u0000']);
  }
  return s;
}

function hexish(rnd, n) {
  const alphabet = '0123456789abcdefABCDEF';
  let s = '';
  for (let i = 0; i < n; i++) {
    s += rnd.next() < 0.93 ? alphabet[rnd.int(0, 21)] : rnd.pick(['g', 'z', ' ', 'x', '\u0130']);
  }
  return s;
}

function anyOffset(rnd, len) {
  return rnd.pick([undefined, rnd.int(-len - 2, len + 2), rnd.int(0, len), rnd.next() * len, NaN, -0]);
}

test('property: toString of random bytes in every encoding and range', () => {
  property('toString', N, (rnd) => {
    const bytes = rnd.next() < 0.5 ? utf8ish(rnd, rnd.int(0, 40)) : rnd.bytes(rnd.int(0, 40));
    const enc = rnd.pick(ENCODINGS);
    const s = anyOffset(rnd, bytes.length);
    const e = anyOffset(rnd, bytes.length);
    same(({ Buffer }) => Buffer.from(bytes).toString(enc, s, e), `toString(${enc}, ${s}, ${e}) of [${bytes}]`);
  });
});

test('property: Buffer.from / byteLength of random strings in every encoding', () => {
  property('from', N, (rnd) => {
    const kind = rnd.int(0, 2);
    const n = rnd.int(0, 30);
    const str = kind === 0 ? rnd.string(n) : kind === 1 ? base64ish(rnd, n) : hexish(rnd, n);
    const enc = rnd.pick(ENCODINGS);
    same(({ Buffer }) => Buffer.from(str, enc), `from(${JSON.stringify(str)}, ${enc})`);
    same(({ Buffer }) => Buffer.byteLength(str, enc), `byteLength(${JSON.stringify(str)}, ${enc})`);
  });
});

test('property: write of random strings at random offsets and lengths', () => {
  property('write', N, (rnd) => {
    const str = rnd.pick([rnd.string(rnd.int(0, 12)), base64ish(rnd, rnd.int(0, 12)), hexish(rnd, rnd.int(0, 12))]);
    const size = rnd.int(0, 12);
    const enc = rnd.pick([...ENCODINGS, undefined]);
    const off = rnd.pick([undefined, rnd.int(0, size), rnd.int(-2, size + 2)]);
    const len = rnd.pick([undefined, rnd.int(0, size), rnd.int(-2, size + 3)]);
    same(
      ({ Buffer }) => {
        const b = Buffer.alloc(size, 0xee);
        const args = [str];
        if (off !== undefined) args.push(off);
        if (off !== undefined && len !== undefined) args.push(len);
        if (enc !== undefined) args.push(enc);
        return [b.write(...args), b];
      },
      `write(${JSON.stringify(str)}, ${off}, ${len}, ${enc}) into ${size}`,
    );
  });
});

test('property: indexOf / lastIndexOf / includes on small alphabets', () => {
  property('indexOf', N * 2, (rnd) => {
    const hay = Array.from({ length: rnd.int(0, 24) }, () => rnd.pick([0x61, 0x62, 0x00, 0xc3, 0xa9]));
    const method = rnd.pick(['indexOf', 'lastIndexOf', 'includes']);
    const enc = rnd.pick([undefined, 'utf8', 'ucs2', 'latin1', 'hex', 'base64', 'ascii', 'binary', 'utf16le']);
    const off = rnd.pick([undefined, rnd.int(-30, 30), rnd.int(0, hay.length), rnd.next() * 10 - 5, '2', null]);
    let needle;
    const r = rnd.next();
    if (r < 0.3) {
      const a = rnd.int(0, hay.length);
      needle = Buffer.from(hay.slice(a, a + rnd.int(0, 4)));
    } else if (r < 0.5) {
      needle = Array.from({ length: rnd.int(0, 3) }, () => rnd.pick(['a', 'b', '\u0000', 'é', 'ab'])).join('');
    } else if (r < 0.6) {
      needle = rnd.pick(['61', '6162', 'YQ', 'YWI=', 'w6k', 'c3a9', '']);
    } else if (r < 0.8) {
      needle = rnd.pick([0x61, 0x62, 0, 0xc3, 0x161, -0x9f, 1.5]);
    } else {
      needle = new Uint8Array(Array.from({ length: rnd.int(0, 3) }, () => rnd.pick([0x61, 0x62, 0, 0xc3])));
    }
    same(
      ({ Buffer }) => Buffer.from(hay)[method](needle, off, enc),
      `[${hay}].${method}(${typeof needle === 'object' ? `<${[...needle]}>` : JSON.stringify(needle)}, ${off}, ${enc})`,
    );
  });
});

test('property: fill with random values, ranges and encodings', () => {
  property('fill', N, (rnd) => {
    const size = rnd.int(0, 16);
    const value = rnd.pick([
      rnd.string(rnd.int(0, 4)),
      hexish(rnd, rnd.int(0, 5)),
      base64ish(rnd, rnd.int(0, 6)),
      rnd.int(-300, 300),
      Buffer.from(rnd.bytes(rnd.int(0, 4))),
    ]);
    const enc = rnd.pick([undefined, 'utf8', 'hex', 'base64', 'base64url', 'ucs2', 'latin1', 'ascii']);
    const off = rnd.pick([undefined, rnd.int(0, size), rnd.int(-1, size + 2)]);
    const end = rnd.pick([undefined, rnd.int(0, size), rnd.int(-1, size + 2)]);
    same(
      ({ Buffer }) => {
        const b = Buffer.alloc(size, 0xee);
        const args = [value];
        if (off !== undefined) args.push(off);
        if (off !== undefined && end !== undefined) args.push(end);
        if (enc !== undefined) args.push(enc);
        b.fill(...args);
        return b;
      },
      `fill(${JSON.stringify(value)}, ${off}, ${end}, ${enc}) size ${size}`,
    );
  });
});

test('property: compare / equals / copy with random ranges', () => {
  property('compare', N, (rnd) => {
    const a = Array.from({ length: rnd.int(0, 8) }, () => rnd.int(0, 3));
    const b = Array.from({ length: rnd.int(0, 8) }, () => rnd.int(0, 3));
    const args = Array.from({ length: rnd.int(0, 4) }, () => rnd.pick([undefined, rnd.int(-1, 9), rnd.int(0, 8)]));
    same(({ Buffer }) => Buffer.from(a).compare(Buffer.from(b), ...args), `[${a}].compare([${b}], ${args})`);
    same(({ Buffer }) => Buffer.from(a).equals(Buffer.from(b)));
    same(({ Buffer }) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    same(({ Buffer }) => {
      const target = Buffer.from(b);
      return [Buffer.from(a).copy(target, ...args.slice(0, 3)), target];
    }, `[${a}].copy([${b}], ${args})`);
  });
});

test('property: numeric read/write at random offsets', () => {
  const widths = { 8: 1, '16LE': 2, '16BE': 2, '32LE': 4, '32BE': 4 };
  property('numbers', N, (rnd) => {
    const size = rnd.int(0, 10);
    const w = rnd.pick(Object.keys(widths));
    const signed = rnd.next() < 0.5;
    const name = `${signed ? 'Int' : 'UInt'}${w}`;
    const bits = widths[w] * 8;
    const value = rnd.pick([
      rnd.int(0, 2 ** bits - 1) - (signed ? 2 ** (bits - 1) : 0),
      rnd.int(-(2 ** bits), 2 ** bits),
      rnd.next() * 2 ** bits,
      -rnd.next(),
    ]);
    const off = rnd.pick([rnd.int(0, size), rnd.int(-2, size + 2), undefined, rnd.next() * size]);
    const bytes = rnd.bytes(size);
    same(({ Buffer }) => {
      const b = Buffer.from(bytes);
      return [b[`write${name}`](value, off), b, b[`read${name}`](off)];
    }, `write${name}(${value}, ${off}) size ${size}`);
    const bl = rnd.pick([1, 2, 3, 4, 5, 6, rnd.int(0, 8)]);
    const v2 = rnd.int(-(2 ** (8 * bl)), 2 ** (8 * bl));
    const rw = rnd.pick(['IntLE', 'IntBE', 'UIntLE', 'UIntBE']);
    same(({ Buffer }) => {
      const b = Buffer.from(bytes);
      return [b[`write${rw}`](v2, off, bl), b, b[`read${rw}`](off ?? 0, bl)];
    }, `write${rw}(${v2}, ${off}, ${bl}) size ${size}`);
    const big = BigInt(rnd.int(-(2 ** 30), 2 ** 30)) * BigInt(rnd.int(0, 2 ** 31)) * BigInt(rnd.pick([1, 4, 16]));
    const bn = rnd.pick(['BigInt64LE', 'BigInt64BE', 'BigUInt64LE', 'BigUInt64BE']);
    same(({ Buffer }) => {
      const b = Buffer.from(bytes);
      return [b[`write${bn}`](big, off), b, b[`read${bn}`](off)];
    }, `write${bn}(${big}, ${off}) size ${size}`);
    const f = rnd.pick(['FloatLE', 'FloatBE', 'DoubleLE', 'DoubleBE']);
    const fv = rnd.pick([rnd.next() * 1e6 - 5e5, rnd.next() * 1e-40, NaN, -0, 1e39]);
    same(({ Buffer }) => {
      const b = Buffer.from(bytes);
      return [b[`write${f}`](fv, off), b, b[`read${f}`](off)];
    }, `write${f}(${fv}, ${off}) size ${size}`);
  });
});

test('property: atob / btoa on random near-base64 input', () => {
  property('atob', N * 2, (rnd) => {
    const s = base64ish(rnd, rnd.int(0, 14)).replace(/[-_]/g, () => rnd.pick(['-', '_', 'A', '+']));
    same(({ atob }) => atob(s), `atob(${JSON.stringify(s)})`);
    const t = rnd.string(rnd.int(0, 8));
    same(({ btoa }) => btoa(t), `btoa(${JSON.stringify(t)})`);
  });
});

test('property: concat, subarray, slice and swap on random buffers', () => {
  property('misc', N, (rnd) => {
    const parts = Array.from({ length: rnd.int(0, 4) }, () => rnd.bytes(rnd.int(0, 6)));
    const total = rnd.pick([undefined, rnd.int(0, 30)]);
    same(
      ({ Buffer }) =>
        Buffer.concat(
          parts.map((p) => Buffer.from(p)),
          total,
        ),
      `concat ${parts} ${total}`,
    );
    const bytes = rnd.bytes(rnd.int(0, 17));
    const s = anyOffset(rnd, bytes.length);
    const e = anyOffset(rnd, bytes.length);
    same(({ Buffer }) => Buffer.from(bytes).subarray(s, e), `subarray(${s}, ${e})`);
    same(({ Buffer }) => Buffer.from(bytes).slice(s, e), `slice(${s}, ${e})`);
    const sw = rnd.pick(['swap16', 'swap32', 'swap64']);
    same(({ Buffer }) => Buffer.from(bytes)[sw](), `${sw} of ${bytes.length}`);
  });
});

test('property: transcode, isUtf8 and isAscii on random bytes', () => {
  const encs = ['utf8', 'ucs2', 'latin1', 'ascii'];
  property('transcode', N, (rnd) => {
    const bytes = rnd.next() < 0.5 ? utf8ish(rnd, rnd.int(0, 12)) : rnd.bytes(rnd.int(0, 12));
    const from = rnd.pick(encs);
    const to = rnd.pick(encs);
    same(({ transcode }) => transcode(Buffer.from(bytes), from, to), `transcode([${bytes}], ${from}, ${to})`);
    same(({ isUtf8 }) => isUtf8(Buffer.from(bytes)), `isUtf8([${bytes}])`);
    same(({ isAscii }) => isAscii(Buffer.from(bytes)), `isAscii([${bytes}])`);
  });
});

test('large inputs (past any small-input fast path) in every encoding', () => {
  property('large', 3, (rnd) => {
    const size = rnd.int(100_000, 300_000);
    const bytes = Buffer.from(rnd.bytes(size));
    const text = rnd.string(rnd.int(50_000, 100_000));
    for (const enc of ['utf8', 'ucs2', 'latin1', 'ascii', 'base64', 'base64url', 'hex']) {
      same(({ Buffer }) => Buffer.from(bytes).toString(enc, 3, size - 1), `toString(${enc}) of ${size} bytes`);
      same(({ Buffer }) => Buffer.from(text, enc), `from(${enc}) of ${text.length} chars`);
      same(({ Buffer }) => Buffer.byteLength(text, enc), `byteLength(${enc})`);
      same(({ Buffer }) => {
        const b = Buffer.alloc(size >> 1);
        return [b.write(text, 7, enc), b];
      }, `write(${enc})`);
    }
    const needle = bytes.subarray(size - 40, size - 20);
    same(({ Buffer }) => [Buffer.from(bytes).indexOf(needle), Buffer.from(bytes).lastIndexOf(needle, -30)]);
    same(({ Buffer }) => Buffer.from(bytes).indexOf(text.slice(0, 3), 5, 'latin1'));
    same(({ Buffer }) => Buffer.alloc(size).fill(text.slice(0, 7), 3, size - 2));
    same(({ Buffer }) => Buffer.from(bytes).equals(Buffer.from(bytes)));
    same(({ Buffer }) => {
      const twice = Buffer.concat([Buffer.from(bytes), Buffer.from(bytes)]);
      return twice.compare(Buffer.from(bytes), 0, 10, 5, 15);
    });
    same(({ isUtf8, isAscii }) => [isUtf8(Buffer.from(text)), isAscii(bytes), isAscii(Buffer.from('a'.repeat(size)))]);
  });
});
