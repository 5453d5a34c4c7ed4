// Hash, Hmac, Cipheriv and Decipheriv are Transform streams in Node, but most
// users never touch the stream side. The stream state is therefore built on
// first use: creating a hash stays as cheap as creating a plain object.
import { Transform } from '../stream.js';

/** A Transform whose stream machinery is set up the first time it is needed. */
export function LazyTransform(options) {
  this._options = options;
}
Object.setPrototypeOf(LazyTransform.prototype, Transform.prototype);
Object.setPrototypeOf(LazyTransform, Transform);

for (const name of ['_readableState', '_writableState']) {
  Object.defineProperty(LazyTransform.prototype, name, {
    configurable: true,
    enumerable: true,
    get() {
      // Transform's constructor assigns both states as own properties (see the setter).
      Transform.call(this, this._options);
      // Written strings reach _transform with their encoding, as update() takes them.
      this._writableState.decodeStrings = false;
      return this[name];
    },
    set(value) {
      Object.defineProperty(this, name, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}
