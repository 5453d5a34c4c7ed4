// Crypto's error codes, the conversion of core errors into Node's shapes,
// and secret KeyObjects.
import { codes, defineError, fromNative } from './errors.js';
import { validateObject } from './validators.js';
import { binaryLike, bytesToString, makeBuffer, viewOf } from './crypto-bytes.js';
import { isAnyArrayBuffer } from './validators.js';

defineError('ERR_CRYPTO_HASH_FINALIZED', 'Digest already called', Error);
defineError('ERR_CRYPTO_HASH_UPDATE_FAILED', 'Hash update failed', Error);
defineError('ERR_CRYPTO_INVALID_DIGEST', (d) => `Invalid digest: ${d}`, TypeError);
defineError('ERR_CRYPTO_INVALID_STATE', (op) => `Invalid state for operation ${op}`, Error);
defineError('ERR_CRYPTO_UNKNOWN_CIPHER', 'Unknown cipher', Error);
defineError('ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length', RangeError);
defineError('ERR_CRYPTO_INVALID_IV', 'Invalid initialization vector', TypeError);
defineError('ERR_CRYPTO_INVALID_AUTH_TAG', (m) => m, TypeError);
defineError('ERR_CRYPTO_SCRYPT_INVALID_PARAMETER', 'Invalid scrypt parameter', Error);
defineError('ERR_CRYPTO_INVALID_SCRYPT_PARAMS', (m) => m, RangeError);
defineError(
  'ERR_INCOMPATIBLE_OPTION_PAIR',
  (a, b) => `Option "${a}" cannot be used in combination with option "${b}"`,
  TypeError,
);
defineError('ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length', RangeError);
defineError('ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', (t, e) => `Invalid key object type ${t}, expected ${e}.`, TypeError);

export { codes };

const RANGE = new Set([
  'ERR_CRYPTO_INVALID_KEYLEN',
  'ERR_OUT_OF_RANGE',
  'ERR_CRYPTO_INVALID_SCRYPT_PARAMS',
  'ERR_CRYPTO_INVALID_MESSAGELEN',
]);
const TYPE = new Set([
  'ERR_CRYPTO_INVALID_IV',
  'ERR_CRYPTO_INVALID_AUTH_TAG',
  'ERR_CRYPTO_INVALID_DIGEST',
  'ERR_MISSING_ARGS',
]);

/**
 * Rebuilds an error thrown by the wasm side: OpenSSL-style codes get Node's
 * `library`/`reason` fields, codeless ones (Node throws a few of those) stay
 * plain Errors, the rest get their class and code.
 */
export function cryptoError(e) {
  if (!e || typeof e !== 'object' || e instanceof Error || typeof e.code !== 'string') return e;
  if (e.code === '') return new Error(e.message);
  if (e.code.startsWith('ERR_OSSL_')) {
    const err = new Error(e.message);
    const m = /^error:[0-9A-F]+:([^:]*)::(.*)$/.exec(e.message);
    if (m) {
      err.library = m[1];
      err.reason = m[2];
    }
    err.code = e.code;
    return err;
  }
  return fromNative(e, RANGE.has(e.code) ? RangeError : TYPE.has(e.code) ? TypeError : Error);
}

/** Runs a wasm call, rethrowing its errors in Node's shape. */
export function native(fn) {
  try {
    return fn();
  } catch (e) {
    throw cryptoError(e);
  }
}

const kKeyType = Symbol('kKeyType');
const kKeyBytes = Symbol('kKeyBytes');

/** Node's KeyObject: only secret keys are implemented. */
export class KeyObject {
  constructor(type, handle) {
    if (type !== 'secret' && type !== 'public' && type !== 'private') {
      throw new codes.ERR_INVALID_ARG_VALUE('type', type);
    }
    if (typeof handle !== 'object' || handle === null || !(kKeyBytes in handle)) {
      throw new codes.ERR_INVALID_ARG_TYPE('handle', 'object', handle);
    }
    this[kKeyType] = type;
    Object.defineProperty(this, kKeyBytes, { value: handle[kKeyBytes], enumerable: false });
  }

  get type() {
    return this[kKeyType];
  }

  equals(otherKeyObject) {
    if (!(otherKeyObject instanceof KeyObject)) {
      throw new codes.ERR_INVALID_ARG_TYPE('otherKeyObject', 'KeyObject', otherKeyObject);
    }
    const a = this[kKeyBytes];
    const b = otherKeyObject[kKeyBytes];
    // Internal slots, not the (replaceable) public getters.
    if (otherKeyObject[kKeyType] !== this[kKeyType] || a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }

  get [Symbol.toStringTag]() {
    return 'KeyObject';
  }
}

/** A KeyObject of type 'secret'. */
export class SecretKeyObject extends KeyObject {
  constructor(handle) {
    super('secret', handle);
  }

  get symmetricKeySize() {
    return this[kKeyBytes].length;
  }

  get asymmetricKeyType() {
    return undefined;
  }

  export(options) {
    if (options !== undefined) {
      validateObject(options, 'options');
      const { format } = options;
      if (format === 'jwk') {
        return { kty: 'oct', k: bytesToString(this[kKeyBytes], 'base64url') };
      }
      if (format !== undefined && format !== 'buffer') {
        throw new codes.ERR_INVALID_ARG_VALUE('options.format', format, "must be one of: undefined, 'buffer', 'jwk'");
      }
    }
    return makeBuffer(this[kKeyBytes].slice());
  }
}

/** createSecretKey(key[, encoding]). */
export function createSecretKey(key, encoding) {
  let bytes;
  if (typeof key === 'string') bytes = binaryLike(key, 'key', encoding);
  else if (ArrayBuffer.isView(key) || isAnyArrayBuffer(key)) bytes = viewOf(key);
  else throw new codes.ERR_INVALID_ARG_TYPE('key', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], key);
  return new SecretKeyObject({ [kKeyBytes]: bytes.slice() });
}

/** The raw bytes of a key argument: a secret KeyObject, a string or binary data. */
export function secretKeyBytes(key, name = 'key', encoding = 'utf8') {
  if (key instanceof KeyObject) {
    const type = key[kKeyType];
    if (type !== 'secret') throw new codes.ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE(type, 'secret');
    return key[kKeyBytes];
  }
  const expected = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView', 'KeyObject', 'CryptoKey'];
  return binaryLike(key, name, encoding, expected);
}
