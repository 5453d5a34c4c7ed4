// Buffer's numeric readers and writers ((U)Int8..48, BigInt64, Float, Double),
// with Node's argument checks, check order and error messages. Installed onto
// Buffer.prototype by buffer.js.
import { codes } from './errors.js';
import { validateNumber } from './validators.js';

const { ERR_BUFFER_OUT_OF_BOUNDS, ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } = codes;

// Scratch space for float conversions; DataView fixes the byte order.
const scratch = new DataView(new ArrayBuffer(8));

/** The error for an offset (or byteLength) that does not fit: Node's wording ("and", not "&&"). */
export function boundsError(value, length, type) {
  if (Math.floor(value) !== value) {
    validateNumber(value, type);
    throw new ERR_OUT_OF_RANGE(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw new ERR_BUFFER_OUT_OF_BOUNDS();
  throw new ERR_OUT_OF_RANGE(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

function checkBounds(buf, offset, last) {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + last] === undefined) boundsError(offset, buf.length - (last + 1));
}

// `last` is the byte count minus one, as in the range wording Node uses.
function checkInt(value, min, max, buf, offset, last) {
  if (value > max || value < min) {
    const n = typeof min === 'bigint' ? 'n' : '';
    let range;
    if (last > 3) {
      const bits = (last + 1) * 8;
      if (min === 0 || min === 0n) range = `>= 0${n} and < 2${n} ** ${bits}${n}`;
      else range = `>= -(2${n} ** ${bits - 1}${n}) and < 2${n} ** ${bits - 1}${n}`;
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw new ERR_OUT_OF_RANGE('value', range, value);
  }
  checkBounds(buf, offset, last);
}

// ----------------------------------------------------------------- readers ---

// Unsigned value of `size` (1..6) bytes; the caller has validated the offset type.
function readRaw(buf, offset, size, littleEndian) {
  const first = buf[offset];
  const last = buf[offset + size - 1];
  if (first === undefined || last === undefined) boundsError(offset, buf.length - size);
  let val = 0;
  if (littleEndian) {
    for (let i = size - 1; i >= 0; i--) val = val * 256 + buf[offset + i];
  } else {
    for (let i = 0; i < size; i++) val = val * 256 + buf[offset + i];
  }
  return val;
}

function readU(buf, offset, size, littleEndian) {
  validateNumber(offset, 'offset');
  return readRaw(buf, offset, size, littleEndian);
}

function readS(buf, offset, size, littleEndian) {
  validateNumber(offset, 'offset');
  const val = readRaw(buf, offset, size, littleEndian);
  const half = 2 ** (size * 8 - 1);
  return val >= half ? val - half * 2 : val;
}

function makeVarRead(signed, littleEndian) {
  const read = signed ? readS : readU;
  return function (offset, byteLength) {
    if (offset === undefined) throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
    if (byteLength >= 1 && byteLength <= 6 && Number.isInteger(byteLength)) {
      return read(this, offset, byteLength, littleEndian);
    }
    boundsError(byteLength, 6, 'byteLength');
  };
}

function readBig(buf, offset, signed, littleEndian) {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + 7] === undefined) boundsError(offset, buf.length - 8);
  const a = readRaw(buf, offset, 4, littleEndian);
  const b = readRaw(buf, offset + 4, 4, littleEndian);
  const lo = littleEndian ? a : b;
  let hi = littleEndian ? b : a;
  if (signed && hi >= 0x80000000) hi -= 0x100000000;
  return (BigInt(hi) << 32n) + BigInt(lo);
}

function readFloat(buf, offset, size, littleEndian) {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + size - 1] === undefined) boundsError(offset, buf.length - size);
  for (let i = 0; i < size; i++) scratch.setUint8(i, buf[offset + i]);
  return size === 4 ? scratch.getFloat32(0, littleEndian) : scratch.getFloat64(0, littleEndian);
}

// ----------------------------------------------------------------- writers ---

function writeU8(buf, value, offset, min, max) {
  value = +value;
  validateNumber(offset, 'offset');
  if (value > max || value < min) throw new ERR_OUT_OF_RANGE('value', `>= ${min} and <= ${max}`, value);
  if (buf[offset] === undefined) boundsError(offset, buf.length - 1);
  buf[offset] = value;
  return offset + 1;
}

// Bytes as Node stores them: the low 32 bits through `>>>`, the bits above
// through floor(value / 2**32) (which keeps its quirks for fractions).
function writeInt(buf, value, offset, min, max, size, littleEndian) {
  value = +value;
  if (size === 1) return writeU8(buf, value, offset, min, max);
  checkInt(value, min, max, buf, offset, size - 1);
  const hi = size > 4 ? Math.floor(value * 2 ** -32) : 0;
  for (let k = 0; k < size; k++) {
    const byte = k < 4 ? (value >>> (8 * k)) & 0xff : (hi >>> (8 * (k - 4))) & 0xff;
    buf[littleEndian ? offset + k : offset + size - 1 - k] = byte;
  }
  return offset + size;
}

const UMAX = [0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff];

function makeVarWrite(signed, littleEndian) {
  return function (value, offset, byteLength) {
    if (byteLength >= 1 && byteLength <= 6 && Number.isInteger(byteLength)) {
      const max = signed ? 2 ** (byteLength * 8 - 1) - 1 : UMAX[byteLength];
      const min = signed ? -(2 ** (byteLength * 8 - 1)) : 0;
      return writeInt(this, value, offset, min, max, byteLength, littleEndian);
    }
    boundsError(byteLength, 6, 'byteLength');
  };
}

function writeBig(buf, value, offset, min, max, littleEndian) {
  checkInt(value, min, max, buf, offset, 7);
  // Mixing a Number in here throws V8's own TypeError, as in Node.
  const lo = Number(value & 0xffffffffn);
  const hi = Number((value >> 32n) & 0xffffffffn);
  for (let k = 0; k < 4; k++) {
    const l = (lo >>> (8 * k)) & 0xff;
    const h = (hi >>> (8 * k)) & 0xff;
    if (littleEndian) {
      buf[offset + k] = l;
      buf[offset + 4 + k] = h;
    } else {
      buf[offset + 7 - k] = l;
      buf[offset + 3 - k] = h;
    }
  }
  return offset + 8;
}

function writeFloat(buf, value, offset, size, littleEndian) {
  value = +value;
  checkBounds(buf, offset, size - 1);
  if (size === 4) scratch.setFloat32(0, value, littleEndian);
  else scratch.setFloat64(0, value, littleEndian);
  for (let i = 0; i < size; i++) buf[offset + i] = scratch.getUint8(i);
  return offset + size;
}

/** Defines every numeric reader/writer (and the lowercase `Uint` aliases) on `proto`. */
export function addReadWriteMethods(proto) {
  const methods = {
    readUInt8(offset = 0) {
      return readU(this, offset, 1, true);
    },
    readUInt16LE(offset = 0) {
      return readU(this, offset, 2, true);
    },
    readUInt16BE(offset = 0) {
      return readU(this, offset, 2, false);
    },
    readUInt32LE(offset = 0) {
      return readU(this, offset, 4, true);
    },
    readUInt32BE(offset = 0) {
      return readU(this, offset, 4, false);
    },
    readUIntLE: makeVarRead(false, true),
    readUIntBE: makeVarRead(false, false),
    readInt8(offset = 0) {
      return readS(this, offset, 1, true);
    },
    readInt16LE(offset = 0) {
      return readS(this, offset, 2, true);
    },
    readInt16BE(offset = 0) {
      return readS(this, offset, 2, false);
    },
    readInt32LE(offset = 0) {
      return readS(this, offset, 4, true);
    },
    readInt32BE(offset = 0) {
      return readS(this, offset, 4, false);
    },
    readIntLE: makeVarRead(true, true),
    readIntBE: makeVarRead(true, false),
    readBigUInt64LE(offset = 0) {
      return readBig(this, offset, false, true);
    },
    readBigUInt64BE(offset = 0) {
      return readBig(this, offset, false, false);
    },
    readBigInt64LE(offset = 0) {
      return readBig(this, offset, true, true);
    },
    readBigInt64BE(offset = 0) {
      return readBig(this, offset, true, false);
    },
    readFloatLE(offset = 0) {
      return readFloat(this, offset, 4, true);
    },
    readFloatBE(offset = 0) {
      return readFloat(this, offset, 4, false);
    },
    readDoubleLE(offset = 0) {
      return readFloat(this, offset, 8, true);
    },
    readDoubleBE(offset = 0) {
      return readFloat(this, offset, 8, false);
    },
    writeUInt8(value, offset = 0) {
      return writeU8(this, value, offset, 0, 0xff);
    },
    writeUInt16LE(value, offset = 0) {
      return writeInt(this, value, offset, 0, 0xffff, 2, true);
    },
    writeUInt16BE(value, offset = 0) {
      return writeInt(this, value, offset, 0, 0xffff, 2, false);
    },
    writeUInt32LE(value, offset = 0) {
      return writeInt(this, value, offset, 0, 0xffffffff, 4, true);
    },
    writeUInt32BE(value, offset = 0) {
      return writeInt(this, value, offset, 0, 0xffffffff, 4, false);
    },
    writeUIntLE: makeVarWrite(false, true),
    writeUIntBE: makeVarWrite(false, false),
    writeInt8(value, offset = 0) {
      return writeU8(this, value, offset, -0x80, 0x7f);
    },
    writeInt16LE(value, offset = 0) {
      return writeInt(this, value, offset, -0x8000, 0x7fff, 2, true);
    },
    writeInt16BE(value, offset = 0) {
      return writeInt(this, value, offset, -0x8000, 0x7fff, 2, false);
    },
    writeInt32LE(value, offset = 0) {
      return writeInt(this, value, offset, -0x80000000, 0x7fffffff, 4, true);
    },
    writeInt32BE(value, offset = 0) {
      return writeInt(this, value, offset, -0x80000000, 0x7fffffff, 4, false);
    },
    writeIntLE: makeVarWrite(true, true),
    writeIntBE: makeVarWrite(true, false),
    writeBigUInt64LE(value, offset = 0) {
      return writeBig(this, value, offset, 0n, 0xffffffffffffffffn, true);
    },
    writeBigUInt64BE(value, offset = 0) {
      return writeBig(this, value, offset, 0n, 0xffffffffffffffffn, false);
    },
    writeBigInt64LE(value, offset = 0) {
      return writeBig(this, value, offset, -(2n ** 63n), 2n ** 63n - 1n, true);
    },
    writeBigInt64BE(value, offset = 0) {
      return writeBig(this, value, offset, -(2n ** 63n), 2n ** 63n - 1n, false);
    },
    writeFloatLE(value, offset = 0) {
      return writeFloat(this, value, offset, 4, true);
    },
    writeFloatBE(value, offset = 0) {
      return writeFloat(this, value, offset, 4, false);
    },
    writeDoubleLE(value, offset = 0) {
      return writeFloat(this, value, offset, 8, true);
    },
    writeDoubleBE(value, offset = 0) {
      return writeFloat(this, value, offset, 8, false);
    },
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(fn, 'name', { value: name });
    proto[name] = fn;
    // Node's lowercase aliases share the function object.
    if (name.includes('UInt')) proto[name.replace('UInt', 'Uint')] = fn;
  }
}
