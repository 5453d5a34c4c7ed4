// What ReadableState and WritableState both do with their boolean fields: each
// is a bit of one integer (`state[kState]`), so the per-chunk paths test several
// with one load and mask, while every other module reads and writes them by
// Node's name through a getter/setter pair on the prototype.

/** Defines, on `proto`, a getter/setter for each [name, bit] of `flags`, over the integer at `this[kState]`. */
export function defineFlags(proto, kState, flags) {
  for (const [name, bit] of flags) {
    Object.defineProperty(proto, name, {
      enumerable: false,
      configurable: true,
      get() {
        return (this[kState] & bit) !== 0;
      },
      set(value) {
        if (value) this[kState] |= bit;
        else this[kState] &= ~bit;
      },
    });
  }
}

/** A function that defines a stream's public accessors (`readableLength`, `writable` ...) on `proto`. */
export function accessorsOn(proto) {
  return (name, get, set) => {
    Object.defineProperty(proto, name, { enumerable: false, configurable: true, get, set });
  };
}

/**
 * Defines, on `proto`, a getter/setter for each [name, bit, slot] of `fields`: a value
 * kept at `this[slot]` that reads as null unless its bit is set (Node 24's
 * `errored`, `decoder`, `encoding`); a falsy value clears the bit.
 */
export function defineValueFlags(proto, kState, fields) {
  for (const [name, bit, slot] of fields) {
    Object.defineProperty(proto, name, {
      enumerable: false,
      configurable: true,
      get() {
        return (this[kState] & bit) !== 0 ? this[slot] : null;
      },
      set(value) {
        if (value) {
          this[slot] = value;
          this[kState] |= bit;
        } else {
          this[kState] &= ~bit;
        }
      },
    });
  }
}
