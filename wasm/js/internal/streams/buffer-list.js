// The readable side's queue of chunks: an array read from a moving head index,
// because Array#shift on every read() measured as a sizeable share of an
// objectMode pipeline. Iterable, like Node's readableBuffer.
export class BufferList {
  constructor() {
    this.items = [];
    this.head = 0;
  }

  get length() {
    return this.items.length - this.head;
  }

  push(v) {
    this.items.push(v);
  }

  unshift(v) {
    if (this.head > 0) this.items[--this.head] = v;
    else this.items.unshift(v);
  }

  first() {
    return this.items[this.head];
  }

  setFirst(v) {
    this.items[this.head] = v;
  }

  shift() {
    const items = this.items;
    const v = items[this.head];
    items[this.head++] = undefined;
    if (this.head === items.length) {
      items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= items.length) {
      // Drop the consumed front once it dominates, so memory stays bounded.
      items.splice(0, this.head);
      this.head = 0;
    }
    return v;
  }

  clear() {
    this.items.length = 0;
    this.head = 0;
  }

  /** The live chunks as a plain array (a copy). */
  toArray() {
    return this.head === 0 ? this.items.slice() : this.items.slice(this.head);
  }

  join(sep) {
    return this.toArray().join(sep);
  }

  *[Symbol.iterator]() {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i];
  }
}
