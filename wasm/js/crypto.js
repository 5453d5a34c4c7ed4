// ferrode/crypto: Node 24's hashing, HMAC, random, key derivation and
// symmetric ciphers. Compute runs in Rust (RustCrypto primitives); this file
// gives it Node's shape: argument checks, encodings, errors, callbacks.
import { wasm } from '#wasm';
import { encodeInto } from './internal/shared-memory.js';
import { Buffer } from './buffer.js';
import { codes } from './internal/crypto-util.js';
import {
  KeyObject,
  SecretKeyObject,
  createSecretKey,
  cryptoError,
  native,
  secretKeyBytes,
} from './internal/crypto-util.js';
import {
  ChunkDecoder,
  binaryLike,
  dataBytes,
  digestOutput,
  makeBuffer,
  normalizeEncoding,
  outputEncoding,
  setBufferClass,
  viewOf,
} from './internal/crypto-bytes.js';
import {
  isAnyArrayBuffer,
  validateFunction,
  validateInt32,
  validateInteger,
  validateObject,
  validateOneOf,
  validateString,
  validateUint32,
} from './internal/validators.js';
import {
  getRandomValues,
  randomBytes,
  randomFill,
  randomFillSync,
  randomInt,
  randomUUID,
  randomUUIDv7,
  webcrypto,
  subtle,
} from './internal/crypto-random.js';
import { runKdf } from './internal/crypto-kdf.js';
import { LazyTransform } from './internal/crypto-stream.js';
import { emitDeprecation, pendingDeprecation } from './internal/deprecations.js';

// Results are ferrode's Buffers.
setBufferClass(Buffer);

const {
  ERR_CRYPTO_HASH_FINALIZED,
  ERR_CRYPTO_HASH_UPDATE_FAILED,
  ERR_CRYPTO_INVALID_DIGEST,
  ERR_INCOMPATIBLE_OPTION_PAIR,
  ERR_CRYPTO_INVALID_SCRYPT_PARAMS,
  ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_OUT_OF_RANGE,
} = codes;

// ---------------------------------------------------------------- digests

const hashIds = new Map();
/** The wasm id of a digest name (cached: names repeat), or -1. */
function hashIdOf(name) {
  let id = hashIds.get(name);
  if (id === undefined) {
    id = wasm.hashId(name);
    // OpenSSL still takes the historical 'dss1' (any case) for SHA-1.
    if (id < 0 && name.length === 4 && name.toLowerCase() === 'dss1') id = wasm.hashId('sha1');
    if (hashIds.size < 1000) hashIds.set(name, id);
  }
  return id;
}

const xofs = [];
/** Whether an id is an extendable-output function (cached like outLenOf). */
function isXof(id) {
  let x = xofs[id];
  if (x === undefined) x = xofs[id] = wasm.hashIsXof(id);
  return x;
}

const outLens = [];
/** The default digest length of an id (cached: asking wasm is a crossing). */
function outLenOf(id) {
  let n = outLens[id];
  if (n === undefined) n = outLens[id] = wasm.hashOutputLength(id);
  return n;
}

// The scratch buffer in wasm memory for the small one-shot digests.
const memory = wasm.cryptoMemory();
const encoder = new TextEncoder();
let scratchPtr = 0;
let scratchCap = 0;
let scratchU8 = null;
function scratch(len) {
  if (len > scratchCap) {
    // Growing keeps the contents (the owner's pending bytes).
    scratchPtr = wasm.cryptoScratch(len);
    scratchCap = Math.max(len, 256);
    scratchU8 = null;
  }
  // Memory growth detaches a non-shared buffer (its views read as empty);
  // this is cheaper than comparing memory.buffer on every call.
  if (scratchU8 === null || scratchU8.length === 0) {
    scratchU8 = new Uint8Array(memory.buffer, scratchPtr, scratchCap);
  }
  return scratchU8;
}

// The scratch holds one state's pending input at a time: the first small
// update() of a Hash or Hmac is copied straight there, so the usual
// createHash(alg).update(x).digest() costs one copy and one call into wasm.
// Whoever needs the scratch next moves the owner's bytes out first.
let scratchOwner = null;
function claimScratch(state) {
  if (scratchOwner !== null && scratchOwner !== state) scratchOwner.evict();
  scratchOwner = state;
}

// Inputs up to this many bytes are kept in JS and hashed in one wasm call at
// digest() time: one crossing instead of three for the common small case.
const SMALL = 4096;
const EMPTY = new Uint8Array(0);

const kState = Symbol('kState');
const kCopy = Symbol('kCopy');

/** A plain Uint8Array over the bytes (Buffer#slice would not copy). */
function plain(bytes) {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The incremental part shared by Hash and Hmac. */
class DigestState {
  constructor(id, outLen, key) {
    this.id = id;
    this.outLen = outLen;
    this.key = key; // null for Hash
    this.keyLen = key === null ? 0 : key.length;
    this.native = null;
    this.pendStr = null; // one small UTF-8 string
    this.pendBytes = null; // small bytes (owned copy)
    this.inScratch = -1; // length of the pending bytes held in the scratch (after the key), or -1
    this.finalized = false;
    this.flushed = null; // the result of a stream's end, which Node lets one digest() return
  }

  /** Moves pending bytes out of the scratch into an owned copy. */
  evict() {
    if (this.inScratch >= 0) {
      this.pendBytes = scratch(0).slice(this.keyLen, this.keyLen + this.inScratch);
      this.inScratch = -1;
    }
    if (scratchOwner === this) scratchOwner = null;
  }

  open() {
    if (this.native === null) {
      this.evict();
      this.native =
        this.key === null ? new wasm.HashState(this.id) : native(() => new wasm.HmacState(this.id, this.key));
      if (this.pendStr !== null) this.native.updateStr(this.pendStr);
      else if (this.pendBytes !== null) this.native.update(this.pendBytes);
      this.pendStr = null;
      this.pendBytes = null;
    }
    return this.native;
  }

  updateString(str, enc) {
    const utf8 = enc === undefined || enc === 'utf8' || enc === 'utf-8' || normalizeEncoding(enc) === 'utf8';
    if (!utf8) return this.updateBytes(dataBytes(str, enc), true);
    if (
      this.native === null &&
      this.pendStr === null &&
      this.pendBytes === null &&
      this.inScratch < 0 &&
      str.length <= SMALL / 3
    ) {
      this.pendStr = str;
      return;
    }
    this.open().updateStr(str);
  }

  /** `bytes` is a Uint8Array (a Buffer too); `owned` when the caller gives it up. */
  updateBytes(bytes, owned = false) {
    if (this.native === null && this.pendStr === null) {
      if (this.pendBytes === null && this.inScratch < 0 && bytes.length <= SMALL) {
        claimScratch(this);
        scratch(this.keyLen + bytes.length).set(bytes, this.keyLen);
        this.inScratch = bytes.length;
        return;
      }
      this.evict();
      const have = this.pendBytes === null ? 0 : this.pendBytes.length;
      if (have + bytes.length <= SMALL) {
        if (have === 0) {
          this.pendBytes = owned ? bytes : plain(bytes).slice();
        } else {
          const joined = new Uint8Array(have + bytes.length);
          joined.set(this.pendBytes);
          joined.set(bytes, have);
          this.pendBytes = joined;
        }
        return;
      }
    }
    this.open().update(plain(bytes));
  }

  /**
   * The digest. Small inputs go through the scratch buffer; the result is then
   * a view into wasm memory (`this.temp` is set) valid until the next call.
   */
  digest() {
    this.temp = false;
    if (this.native !== null) {
      return this.key === null ? native(() => this.native.digest(this.outLen)) : this.native.digest();
    }
    const key = this.key;
    const keyLen = this.keyLen;
    let inLen;
    if (this.inScratch >= 0 && scratchOwner === this) {
      inLen = this.inScratch;
      const view = scratch(Math.max(keyLen + inLen, this.outLen, 64));
      if (keyLen > 0) view.set(key);
    } else {
      claimScratch(this);
      const str = this.pendStr;
      const bytes = this.pendBytes ?? EMPTY;
      const inMax = str !== null ? str.length * 3 : bytes.length;
      const view = scratch(Math.max(keyLen + inMax, this.outLen, 64));
      if (keyLen > 0) view.set(key);
      if (str !== null) {
        inLen = encodeInto(encoder, str, view.subarray(keyLen)).written;
      } else {
        view.set(bytes, keyLen);
        inLen = bytes.length;
      }
    }
    // The scratch now holds the result, not this state's input.
    this.inScratch = -1;
    scratchOwner = null;
    let outLen = this.outLen;
    if (key === null) native(() => wasm.hashScratch(this.id, inLen, outLen));
    else outLen = native(() => wasm.hmacScratch(this.id, keyLen, inLen));
    this.temp = true;
    return scratch(0).subarray(0, outLen);
  }

  copy() {
    const c = new DigestState(this.id, this.outLen, this.key);
    if (this.native !== null) c.native = this.native.copy();
    c.pendStr = this.pendStr;
    if (this.inScratch >= 0) c.pendBytes = scratch(0).slice(this.keyLen, this.keyLen + this.inScratch);
    else c.pendBytes = this.pendBytes === null ? null : this.pendBytes.slice();
    return c;
  }

  free() {
    if (scratchOwner === this) scratchOwner = null;
    this.inScratch = -1;
    if (this.native !== null) {
      this.native.free();
      this.native = null;
    }
  }
}

function update(data, encoding) {
  const state = this[kState];
  if (state.finalized) throw new ERR_CRYPTO_HASH_FINALIZED();
  if (typeof data === 'string') {
    const hex = encoding !== undefined && encoding !== 'utf8' && normalizeEncoding(encoding) === 'hex';
    if (hex && data.length % 2 !== 0) {
      throw new ERR_INVALID_ARG_VALUE('encoding', encoding, `is invalid for data of length ${data.length}`);
    }
    if (state.flushed !== null) throw new ERR_CRYPTO_HASH_UPDATE_FAILED();
    state.updateString(data, encoding);
  } else if (ArrayBuffer.isView(data)) {
    if (state.flushed !== null) throw new ERR_CRYPTO_HASH_UPDATE_FAILED();
    state.updateBytes(data instanceof Uint8Array ? data : viewOf(data));
  } else {
    throw new ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  return this;
}

let shakeLengthWarned = false;
/** DEP0198, once and only with --pending-deprecation: SHAKE128/256 without an outputLength. */
function warnDefaultShakeLength(algorithm) {
  if (shakeLengthWarned || !pendingDeprecation()) return;
  // Node's test: lowercased, its first hyphen dropped.
  const name = algorithm.toLowerCase().replace('-', '');
  if (name !== 'shake128' && name !== 'shake256') return;
  shakeLengthWarned = true;
  emitDeprecation('Creating SHAKE128/256 digests without an explicit options.outputLength is deprecated.', 'DEP0198');
}

/** Node's Hash (`createHash`). Callable without `new`, like Node's. */
function Hash(algorithm, options) {
  if (!new.target) return new Hash(algorithm, options);
  if (algorithm === kCopy) {
    // copy(): the state was cloned by the caller.
    this[kState] = options;
    LazyTransform.call(this, undefined);
    return;
  }
  validateString(algorithm, 'algorithm');
  const xofLen = typeof options === 'object' && options !== null ? options.outputLength : undefined;
  if (xofLen !== undefined) validateUint32(xofLen, 'options.outputLength');
  const id = hashIdOf(algorithm);
  if (id < 0) throw new Error('Digest method not supported');
  const outLen = xofLen === undefined ? outLenOf(id) : xofLen;
  if (xofLen !== undefined && !isXof(id) && xofLen !== outLenOf(id)) {
    throw cryptoError({
      code: 'ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH',
      message: 'error:030000B2:digital envelope routines::not XOF or invalid length',
    });
  }
  this[kState] = new DigestState(id, outLen, null);
  if (xofLen === undefined) warnDefaultShakeLength(algorithm);
  LazyTransform.call(this, options);
}
Object.setPrototypeOf(Hash.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Hash, LazyTransform);

function digestTransform(chunk, encoding, callback) {
  this.update(chunk, encoding);
  callback();
}

// The end of the stream digests without finalizing the object, as in Node: one
// digest() call still returns the result (an Hmac's: nothing), update() fails.
function digestFlush(callback) {
  const state = this[kState];
  if (state.finalized) throw new ERR_CRYPTO_HASH_FINALIZED();
  const bytes = state.digest().slice();
  state.free();
  state.flushed = state.key === null ? bytes.slice() : EMPTY;
  this.push(makeBuffer(bytes));
  callback();
}

Hash.prototype._transform = digestTransform;
Hash.prototype._flush = digestFlush;
Hash.prototype.update = update;

Hash.prototype.digest = function digest(outputEncoding) {
  const state = this[kState];
  if (state.finalized) throw new ERR_CRYPTO_HASH_FINALIZED();
  // Node converts a truthy encoding to a string first (its errors leave the hash usable).
  const enc = outputEncoding && `${outputEncoding}`;
  state.finalized = true;
  if (state.flushed !== null) return digestOutput(state.flushed, enc);
  const out = state.digest();
  state.free();
  return digestOutput(out, enc, state.temp);
};

Hash.prototype.copy = function copy(options) {
  const state = this[kState];
  if (state.finalized) throw new ERR_CRYPTO_HASH_FINALIZED();
  if (state.flushed !== null) {
    throw cryptoError({
      code: 'ERR_OSSL_EVP_UPDATE_ERROR',
      message: 'error:030000BD:digital envelope routines::update error',
    });
  }
  const c = state.copy();
  const xofLen = typeof options === 'object' && options !== null ? options.outputLength : undefined;
  if (xofLen !== undefined) {
    validateUint32(xofLen, 'options.outputLength');
    c.outLen = xofLen;
  } else {
    // Without an outputLength the copy has the digest's default length, not the original's.
    c.outLen = outLenOf(c.id);
  }
  return new Hash(kCopy, c);
};

/** createHash(algorithm[, options]). */
export function createHash(algorithm, options) {
  return new Hash(algorithm, options);
}

/** Node's Hmac (`createHmac`). */
function Hmac(hmac, key, options) {
  if (!new.target) return new Hmac(hmac, key, options);
  validateString(hmac, 'hmac');
  const encoding = typeof options === 'object' && options !== null ? options.encoding : undefined;
  const keyBytes = secretKeyBytes(key, 'key', encoding);
  const id = hashIdOf(hmac);
  if (id < 0) throw new ERR_CRYPTO_INVALID_DIGEST(hmac);
  if (isXof(id)) throw new Error('error:00000000:lib(0)::reason(0)');
  LazyTransform.call(this, options);
  this[kState] = new DigestState(id, outLenOf(id), keyBytes.slice());
}
Object.setPrototypeOf(Hmac.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Hmac, LazyTransform);

Hmac.prototype._transform = digestTransform;
Hmac.prototype._flush = digestFlush;
Hmac.prototype.update = update;

Hmac.prototype.digest = function digest(outputEncoding) {
  const state = this[kState];
  // Node returns an empty result for a second digest() of an Hmac: an empty
  // string for any truthy encoding but 'buffer', else an empty Buffer.
  if (state.finalized) return outputEncoding && outputEncoding !== 'buffer' ? '' : makeBuffer(new Uint8Array(0));
  const enc = outputEncoding && `${outputEncoding}`;
  state.finalized = true;
  if (state.flushed !== null) return digestOutput(state.flushed, enc);
  const out = state.digest();
  state.free();
  return digestOutput(out, enc, state.temp);
};

/** createHmac(algorithm, key[, options]). */
export function createHmac(hmac, key, options) {
  return new Hmac(hmac, key, options);
}

/**
 * Node's util.deprecate() around a constructor: the first call warns (once per
 * code), then it behaves as `fn`, with or without `new`; instances stay `fn`'s.
 */
function deprecateConstructor(fn, message, code) {
  function deprecated(...args) {
    emitDeprecation(message, code);
    return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
  }
  Object.defineProperty(deprecated, 'length', { value: fn.length });
  Object.setPrototypeOf(deprecated, fn);
  deprecated.prototype = fn.prototype;
  return deprecated;
}

// crypto.Hash and crypto.Hmac called directly are deprecated (DEP0179, DEP0181);
// createHash() and createHmac() are not.
const HashConstructor = deprecateConstructor(Hash, 'crypto.Hash constructor is deprecated.', 'DEP0179');
const HmacConstructor = deprecateConstructor(Hmac, 'crypto.Hmac constructor is deprecated.', 'DEP0181');
export { HashConstructor as Hash, HmacConstructor as Hmac };

/** crypto.hash(algorithm, input[, options]): one-shot digest; `options` is an encoding or `{ outputEncoding, outputLength }`. */
export function hash(algorithm, input, options) {
  validateString(algorithm, 'algorithm');
  if (typeof input !== 'string' && !ArrayBuffer.isView(input)) {
    throw new ERR_INVALID_ARG_TYPE('input', ['Buffer', 'TypedArray', 'DataView', 'string'], input);
  }
  let outputEncoding;
  let outputLength;
  if (typeof options === 'string') {
    outputEncoding = options;
  } else if (options !== undefined) {
    validateObject(options, 'options');
    outputEncoding = options.outputEncoding;
    outputLength = options.outputLength;
  }
  outputEncoding ??= 'hex';
  let enc = outputEncoding;
  if (outputEncoding !== 'hex') {
    validateString(outputEncoding, 'outputEncoding');
    enc = normalizeEncoding(outputEncoding);
    if (enc === undefined) {
      if (outputEncoding.toLowerCase() !== 'buffer') throw new ERR_INVALID_ARG_VALUE('outputEncoding', outputEncoding);
      enc = 'buffer';
    }
  }
  if (outputLength !== undefined) validateUint32(outputLength, 'outputLength');
  else warnDefaultShakeLength(algorithm);
  const id = hashIdOf(algorithm);
  if (id < 0) throw new Error(`Digest method ${algorithm} is not supported`);
  let outLen = outLenOf(id);
  if (outputLength !== undefined) {
    if (!isXof(id) && outputLength !== outLen) {
      throw new Error(`Output length ${outputLength} is invalid for ${algorithm}, which does not support XOF`);
    }
    outLen = outputLength;
  }
  if (outLen === 0) return enc === 'buffer' ? makeBuffer(new Uint8Array(0)) : '';
  const state = new DigestState(id, outLen, null);
  if (typeof input === 'string') state.updateString(input);
  else state.updateBytes(viewOf(input), true);
  const out = state.digest();
  state.free();
  return digestOutput(out, enc, state.temp);
}

let hashList = null;
/** getHashes(): the digest names this build supports, Node's spelling and order. */
export function getHashes() {
  if (hashList === null) hashList = wasm.hashNames().split('\n');
  return hashList.slice();
}

// ---------------------------------------------------------------- ciphers

let cipherTable = null;
function ciphers() {
  if (cipherTable === null) {
    cipherTable = wasm
      .cipherTable()
      .split('\n')
      .map((line) => {
        const [listed, name, nid, mode, keyLength, ivLength, blockSize] = line.split(',');
        return { listed, name, nid: +nid, mode, keyLength: +keyLength, ivLength: +ivLength, blockSize: +blockSize };
      });
  }
  return cipherTable;
}

/** getCiphers(): the cipher names this build supports, in Node's order. */
export function getCiphers() {
  return ciphers().map((c) => c.listed);
}

/** getCipherInfo(nameOrNid[, options]). */
export function getCipherInfo(nameOrNid, options) {
  if (typeof nameOrNid !== 'string' && typeof nameOrNid !== 'number') {
    throw new ERR_INVALID_ARG_TYPE('nameOrNid', ['string', 'number'], nameOrNid);
  }
  if (typeof nameOrNid === 'number') validateInt32(nameOrNid, 'nameOrNid');
  let keyLength;
  let ivLength;
  if (options !== undefined) {
    validateObject(options, 'options');
    ({ keyLength, ivLength } = options);
    if (keyLength !== undefined) validateInt32(keyLength, 'options.keyLength');
    if (ivLength !== undefined) validateInt32(ivLength, 'options.ivLength');
  }
  const lower = typeof nameOrNid === 'string' ? nameOrNid.toLowerCase() : null;
  const c = ciphers().find((x) => (lower === null ? x.nid === nameOrNid : x.listed.toLowerCase() === lower));
  if (c === undefined) return undefined;
  if (keyLength !== undefined && keyLength !== c.keyLength) return undefined;
  // Node 24 (OpenSSL 3.5) takes any IV length for GCM, 7 to 13 bytes for CCM.
  if (ivLength !== undefined && c.mode !== 'gcm') {
    if (c.mode === 'ccm' ? ivLength < 7 || ivLength > 13 : ivLength !== c.ivLength) return undefined;
  }
  const info = { mode: c.mode, name: c.name, nid: c.nid };
  if (c.blockSize > 0) info.blockSize = c.blockSize;
  const iv = ivLength ?? c.ivLength;
  if (iv !== 0) info.ivLength = iv;
  info.keyLength = c.keyLength;
  return info;
}

const kHandle = Symbol('kHandle');
const kTagLen = Symbol('kTagLen');
const kMode = Symbol('kMode');
const kCcm = Symbol('kCcm');

const modes = new Map();
/** The mode of a cipher name the wasm side accepted (OpenSSL matches names case-insensitively). */
function modeOf(name) {
  let mode = modes.get(name);
  if (mode === undefined) {
    const lower = name.toLowerCase();
    mode = ciphers().find((x) => x.listed.toLowerCase() === lower)?.mode ?? '';
    if (modes.size < 1000) modes.set(name, mode);
  }
  return mode;
}

function getUIntOption(options, key) {
  let value;
  if (options && (value = options[key]) != null) {
    if (value >>> 0 !== value) throw new ERR_INVALID_ARG_VALUE(`options.${key}`, value);
    return value;
  }
  return -1;
}

function initCipher(self, cipher, key, iv, options, decrypt) {
  validateString(cipher, 'cipher');
  const encoding = options && typeof options.encoding === 'string' ? options.encoding : undefined;
  const keyBytes = secretKeyBytes(key, 'key', encoding);
  const ivBytes = iv === null ? undefined : binaryLike(iv, 'iv');
  const authTagLength = getUIntOption(options, 'authTagLength');
  self[kHandle] = native(() => new wasm.CipherState(cipher, keyBytes, ivBytes, !decrypt, authTagLength));
  self[kTagLen] = authTagLength;
  self[kMode] = modeOf(cipher);
  // Encrypting with CCM: whether the message reached the cipher, and the plaintextLength setAAD announced.
  self[kCcm] = !decrypt && self[kMode] === 'ccm' ? { fed: false, plaintextLength: -1 } : null;
  self._decoder = null;
  LazyTransform.call(self, options);
}

function getDecoder(decoder, encoding) {
  const enc = outputEncoding(encoding);
  const d = decoder || new ChunkDecoder(enc);
  if (d.encoding !== enc) {
    throw new ERR_INVALID_ARG_VALUE('outputEncoding', encoding, `cannot be changed from '${d.encoding}'`);
  }
  return d;
}

/** The cipher's update(): the bytes out. */
function feed(self, bytes) {
  const ccm = self[kCcm];
  if (ccm === null) return native(() => self[kHandle].update(bytes));
  try {
    const out = self[kHandle].update(bytes);
    ccm.fed = true;
    return out;
  } catch (e) {
    const err = cryptoError(e);
    // A message too long for the nonce is refused before OpenSSL sees it.
    if (err?.code !== 'ERR_CRYPTO_INVALID_MESSAGELEN') ccm.fed = true;
    throw err;
  }
}

/** The cipher's final(): the last bytes out. */
function finish(self) {
  const ccm = self[kCcm];
  if (ccm === null) return native(() => self[kHandle].final());
  // Node 24 (OpenSSL 3.5): CCM's final() without a message seals the empty
  // message, unless setAAD announced a longer one; a missing tag is reported
  // as a failed operation.
  if (!ccm.fed && ccm.plaintextLength <= 0) {
    ccm.fed = true;
    native(() => self[kHandle].update(EMPTY));
  }
  try {
    return self[kHandle].final();
  } catch (e) {
    const err = cryptoError(e);
    if (err?.code === 'ERR_OSSL_TAG_NOT_SET') throw new Error('Unsupported state or unable to authenticate data');
    throw err;
  }
}

const cipherMethods = {
  update(data, inputEncoding, outputEncoding) {
    const bytes = dataBytes(data, inputEncoding);
    const ret = feed(this, bytes);
    if (outputEncoding && outputEncoding !== 'buffer') {
      this._decoder = getDecoder(this._decoder, outputEncoding);
      return this._decoder.write(ret);
    }
    return makeBuffer(ret);
  },

  final(outputEncoding) {
    const ret = finish(this);
    if (outputEncoding && outputEncoding !== 'buffer') {
      this._decoder = getDecoder(this._decoder, outputEncoding);
      return this._decoder.end(ret);
    }
    return makeBuffer(ret);
  },

  setAutoPadding(ap) {
    native(() => this[kHandle].setAutoPadding(ap === undefined ? true : !!ap));
    return this;
  },

  _transform(chunk, encoding, callback) {
    this.push(makeBuffer(feed(this, dataBytes(chunk, encoding))));
    callback();
  },

  _flush(callback) {
    let last;
    try {
      last = this.final();
    } catch (err) {
      callback(err);
      return;
    }
    this.push(last);
    callback();
  },

  setAAD(aadbuf, options) {
    const encoding = options && typeof options.encoding === 'string' ? options.encoding : undefined;
    const plaintextLength = getUIntOption(options, 'plaintextLength');
    const bytes = binaryLike(aadbuf, 'buffer', encoding);
    native(() => this[kHandle].setAAD(bytes, plaintextLength));
    if (this[kCcm] !== null) this[kCcm].plaintextLength = plaintextLength;
    return this;
  },
};

/** Node's Cipheriv (`createCipheriv`). */
export function Cipheriv(cipher, key, iv, options) {
  if (!new.target) return new Cipheriv(cipher, key, iv, options);
  initCipher(this, cipher, key, iv, options, false);
}
Object.setPrototypeOf(Cipheriv.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Cipheriv, LazyTransform);
Object.assign(Cipheriv.prototype, cipherMethods);
Cipheriv.prototype.getAuthTag = function getAuthTag() {
  return makeBuffer(native(() => this[kHandle].getAuthTag()));
};

/** Node's Decipheriv (`createDecipheriv`). */
export function Decipheriv(cipher, key, iv, options) {
  if (!new.target) return new Decipheriv(cipher, key, iv, options);
  initCipher(this, cipher, key, iv, options, true);
}
Object.setPrototypeOf(Decipheriv.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Decipheriv, LazyTransform);
Object.assign(Decipheriv.prototype, cipherMethods);
let shortGcmTagWarned = false;

Decipheriv.prototype.setAuthTag = function setAuthTag(tagbuf, encoding) {
  const bytes = binaryLike(tagbuf, 'buffer', encoding);
  native(() => this[kHandle].setAuthTag(bytes, this[kTagLen] >= 0));
  // DEP0182, once: a short GCM tag whose length was not fixed at creation.
  if (!shortGcmTagWarned && this[kMode] === 'gcm' && this[kTagLen] < 0 && bytes.length < 16) {
    shortGcmTagWarned = true;
    emitDeprecation(
      'Using AES-GCM authentication tags of less than 128 bits without specifying the authTagLength option ' +
        'when initializing decryption is deprecated.',
      'DEP0182',
    );
  }
  return this;
};

/** createCipheriv(algorithm, key, iv[, options]). */
export function createCipheriv(cipher, key, iv, options) {
  return new Cipheriv(cipher, key, iv, options);
}

/** createDecipheriv(algorithm, key, iv[, options]). */
export function createDecipheriv(cipher, key, iv, options) {
  return new Decipheriv(cipher, key, iv, options);
}

// ---------------------------------------------------------------- KDFs

function digestId(digest) {
  const id = hashIdOf(digest);
  if (id < 0) throw new ERR_CRYPTO_INVALID_DIGEST(digest);
  return id;
}

function pbkdf2Check(password, salt, iterations, keylen, digest) {
  validateString(digest, 'digest');
  password = binaryLike(password, 'password');
  salt = binaryLike(salt, 'salt');
  validateInt32(iterations, 'iterations', 1);
  validateInt32(keylen, 'keylen', 0);
  return { password, salt, iterations, keylen, id: digestId(digest) };
}

// What Node 24 (OpenSSL 3.5) reports when a KDF job cannot run: an
// extendable-output digest, or nothing to derive.
function xofNotAllowed() {
  return new Error('error:1C8000B7:Provider routines::xof digests not allowed');
}
function derivingBitsFailed() {
  return new Error('Deriving bits failed');
}

function derivationFailed(e) {
  const err = cryptoError(e);
  if (err && err.code === 'ERR_CRYPTO_INVALID_DIGEST') return xofNotAllowed();
  return err;
}

// Node runs the job even when it fails; the failure reaches the callback later.
function failLater(callback, err) {
  setTimeout(() => callback.call(undefined, err), 0);
}

// pbkdf2: an empty key fails before the digest is looked at.
function pbkdf2Failure(a) {
  if (a.keylen === 0) return derivingBitsFailed();
  if (isXof(a.id)) return xofNotAllowed();
  return null;
}

/** pbkdf2Sync(password, salt, iterations, keylen, digest). */
export function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  const a = pbkdf2Check(password, salt, iterations, keylen, digest);
  const failure = pbkdf2Failure(a);
  if (failure !== null) throw failure;
  try {
    return makeBuffer(wasm.pbkdf2(a.id, a.password, a.salt, a.iterations, a.keylen));
  } catch (e) {
    throw derivationFailed(e);
  }
}

/** pbkdf2(password, salt, iterations, keylen, digest, callback). */
export function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  if (typeof digest === 'function') {
    callback = digest;
    digest = undefined;
  }
  const a = pbkdf2Check(password, salt, iterations, keylen, digest);
  validateFunction(callback, 'callback');
  const failure = pbkdf2Failure(a);
  if (failure !== null) {
    failLater(callback, failure);
    return;
  }
  runKdf('pbkdf2', [a.id, a.password.slice(), a.salt.slice(), a.iterations, a.keylen], (err, out) => {
    if (err) callback.call(undefined, derivationFailed(err));
    else callback.call(undefined, null, makeBuffer(out));
  });
}

const scryptDefaults = { N: 16384, r: 8, p: 1, maxmem: 32 << 20 };

// Node takes each scrypt parameter under a short and a long name, but not both.
function scryptParam(options, name, alias, value) {
  const hasName = options[name] !== undefined;
  if (hasName) {
    value = options[name];
    validateUint32(value, name);
  }
  if (options[alias] !== undefined) {
    if (hasName) throw new ERR_INCOMPATIBLE_OPTION_PAIR(name, alias);
    value = options[alias];
    validateUint32(value, alias);
  }
  return value;
}

function scryptCheck(password, salt, keylen, options) {
  password = binaryLike(password, 'password');
  salt = binaryLike(salt, 'salt');
  validateInt32(keylen, 'keylen', 0);
  let { N, r, p, maxmem } = scryptDefaults;
  if (options && options !== scryptDefaults) {
    N = scryptParam(options, 'N', 'cost', N);
    r = scryptParam(options, 'r', 'blockSize', r);
    p = scryptParam(options, 'p', 'parallelization', p);
    if (options.maxmem !== undefined) {
      maxmem = options.maxmem;
      validateInteger(maxmem, 'maxmem', 0);
    }
    if (N === 0) N = scryptDefaults.N;
    if (r === 0) r = scryptDefaults.r;
    if (p === 0) p = scryptDefaults.p;
    if (maxmem === 0) maxmem = scryptDefaults.maxmem;
  }
  try {
    wasm.scryptCheck(N, r, p, maxmem);
  } catch (e) {
    const err = cryptoError(e);
    throw err.code === 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS' ? new ERR_CRYPTO_INVALID_SCRYPT_PARAMS(err.message) : err;
  }
  return { password, salt, keylen, N, r, p, maxmem };
}

/** scryptSync(password, salt, keylen[, options]). */
export function scryptSync(password, salt, keylen, options = scryptDefaults) {
  const a = scryptCheck(password, salt, keylen, options);
  return makeBuffer(native(() => wasm.scrypt(a.password, a.salt, a.N, a.r, a.p, a.maxmem, a.keylen)));
}

/** scrypt(password, salt, keylen[, options], callback). */
export function scrypt(password, salt, keylen, options, callback = scryptDefaults) {
  if (callback === scryptDefaults) {
    callback = options;
    options = scryptDefaults;
  }
  const a = scryptCheck(password, salt, keylen, options);
  validateFunction(callback, 'callback');
  runKdf('scrypt', [a.password.slice(), a.salt.slice(), a.N, a.r, a.p, a.maxmem, a.keylen], (err, out) => {
    if (err) callback.call(undefined, cryptoError(err));
    else callback.call(undefined, null, makeBuffer(out));
  });
}

// Node checks the length against Buffer's kMaxLength.
const kMaxHkdfLength = Number.MAX_SAFE_INTEGER;

function hkdfCheck(digest, ikm, salt, info, length) {
  validateString(digest, 'digest');
  const byteSource = ['string', 'ArrayBuffer', 'TypedArray', 'DataView', 'Buffer'];
  const key =
    ikm instanceof KeyObject
      ? secretKeyBytes(ikm, 'ikm')
      : binaryLike(ikm, 'ikm', 'utf8', ['string', 'SecretKeyObject', ...byteSource.slice(1)]);
  salt = binaryLike(salt, 'salt', 'utf8', byteSource);
  info = binaryLike(info, 'info', 'utf8', byteSource);
  validateInteger(length, 'length', 0, kMaxHkdfLength);
  if (info.byteLength > 1024) {
    throw new ERR_OUT_OF_RANGE('info', 'must not contain more than 1024 bytes', info.byteLength);
  }
  const id = digestId(digest);
  // Node rejects lengths past 255 hash lengths before starting the job.
  if (!isXof(id) && length > 255 * outLenOf(id)) throw new codes.ERR_CRYPTO_INVALID_KEYLEN();
  return { id, key, salt, info, length };
}

function toArrayBuffer(u8) {
  return u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer;
}

// hkdf: the digest is refused before an empty key is.
function hkdfFailure(a) {
  if (isXof(a.id)) return xofNotAllowed();
  if (a.length === 0) return derivingBitsFailed();
  return null;
}

/** hkdfSync(digest, ikm, salt, info, keylen): an ArrayBuffer, like Node. */
export function hkdfSync(digest, ikm, salt, info, keylen) {
  const a = hkdfCheck(digest, ikm, salt, info, keylen);
  const failure = hkdfFailure(a);
  if (failure !== null) throw failure;
  try {
    return toArrayBuffer(wasm.hkdf(a.id, a.key, a.salt, a.info, a.length));
  } catch (e) {
    throw derivationFailed(e);
  }
}

/** hkdf(digest, ikm, salt, info, keylen, callback). */
export function hkdf(digest, ikm, salt, info, keylen, callback) {
  const a = hkdfCheck(digest, ikm, salt, info, keylen);
  validateFunction(callback, 'callback');
  const failure = hkdfFailure(a);
  if (failure !== null) {
    failLater(callback, failure);
    return;
  }
  runKdf('hkdf', [a.id, a.key.slice(), a.salt.slice(), a.info.slice(), a.length], (err, out) => {
    if (err) callback.call(undefined, derivationFailed(err));
    else callback.call(undefined, null, toArrayBuffer(out));
  });
}

// ---------------------------------------------------------------- secret key generation

// The key's length in bytes: `options.length` is in bits.
function secretKeyLength(type, options) {
  validateString(type, 'type');
  validateObject(options, 'options');
  const { length } = options;
  switch (type) {
    case 'hmac':
      validateInteger(length, 'options.length', 8, 2 ** 31 - 1);
      break;
    case 'aes':
      validateOneOf(length, 'options.length', [128, 192, 256]);
      break;
    default:
      throw new ERR_INVALID_ARG_VALUE('type', type, 'must be a supported key type');
  }
  return Math.floor(length / 8);
}

/** generateKeySync(type, options): a secret KeyObject for 'hmac' or 'aes'. */
export function generateKeySync(type, options) {
  return createSecretKey(randomBytes(secretKeyLength(type, options)));
}

/** generateKey(type, options, callback). */
export function generateKey(type, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  const length = secretKeyLength(type, options);
  randomBytes(length, (err, bytes) => {
    if (err) callback.call(undefined, err);
    else callback.call(undefined, null, createSecretKey(bytes));
  });
}

// ---------------------------------------------------------------- misc

/** getFips(): 0, as in a Node whose OpenSSL runs without the FIPS provider. */
export function getFips() {
  return 0;
}

/** timingSafeEqual(a, b). */
export function timingSafeEqual(buf1, buf2) {
  const check = (value, name) => {
    if (!ArrayBuffer.isView(value) && !isAnyArrayBuffer(value)) {
      const err = new ERR_INVALID_ARG_TYPE(name, ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], value);
      // Node's check lives in C++, whose message has no "Received" part.
      err.message = `The "${name}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`;
      return err;
    }
    return null;
  };
  const e1 = check(buf1, 'buf1');
  if (e1) throw e1;
  const e2 = check(buf2, 'buf2');
  if (e2) throw e2;
  const a = viewOf(buf1);
  const b = viewOf(buf2);
  if (a.byteLength !== b.byteLength) throw new ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH();
  return wasm.timingSafeEqual(a, b);
}

export {
  KeyObject,
  SecretKeyObject,
  createSecretKey,
  getRandomValues,
  randomBytes,
  randomFill,
  randomFillSync,
  randomInt,
  randomUUID,
  randomUUIDv7,
  webcrypto,
  subtle,
};

// A ferrode extra (not in Node): many digests in one call, over the pool in the threaded build.
export { hashBatch } from './internal/crypto-batch.js';

/** Aliases Node keeps for its legacy names. */
export const pseudoRandomBytes = randomBytes;
export const prng = randomBytes;
export const rng = randomBytes;

const crypto = {
  Cipheriv,
  Decipheriv,
  Hash: HashConstructor,
  Hmac: HmacConstructor,
  KeyObject,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  generateKey,
  generateKeySync,
  getCipherInfo,
  getCiphers,
  getFips,
  getHashes,
  getRandomValues,
  hash,
  hkdf,
  hkdfSync,
  pbkdf2,
  pbkdf2Sync,
  randomBytes,
  randomFill,
  randomFillSync,
  randomInt,
  randomUUID,
  randomUUIDv7,
  scrypt,
  scryptSync,
  subtle,
  timingSafeEqual,
  webcrypto,
};

// On the module object the legacy aliases are hidden, replaceable, and (with
// --pending-deprecation) deprecated (DEP0115), as in Node.
for (const name of ['pseudoRandomBytes', 'prng', 'rng']) {
  Object.defineProperty(crypto, name, {
    enumerable: false,
    configurable: true,
    get() {
      const value = pendingDeprecation()
        ? deprecateConstructor(randomBytes, `crypto.${name} is deprecated.`, 'DEP0115')
        : randomBytes;
      Object.defineProperty(this, name, { enumerable: false, configurable: true, writable: true, value });
      return value;
    },
    set(value) {
      Object.defineProperty(this, name, { enumerable: true, configurable: true, writable: true, value });
    },
  });
}

export default crypto;
