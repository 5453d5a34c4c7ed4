// Writable, Duplex and Transform against node:stream: backpressure with
// highWaterMark 1, 'drain', cork/uncork/_writev, _final, the order of
// 'prefinish'/'finish'/'close', errors after end, destroy during a pending
// write, callbacks called twice, errors thrown inside transforms and listeners.
import { test } from 'node:test';
import { differential } from './stream-recorder.mjs';

function sink(Writable, rec, opts = {}) {
  return new Writable({
    ...opts,
    write(chunk, enc, cb) {
      rec.add('_write', chunk, enc);
      if (opts.async) setTimeout(cb, 1);
      else cb();
    },
  });
}

test('write/end: callbacks, prefinish, finish, close order', () =>
  differential(async ({ Writable }, rec) => {
    const w = rec.watch(sink(Writable, rec), 'w');
    rec.add('write ret', w.write('a', rec.cb('cb a')));
    rec.add('write ret', w.write('b', 'latin1', rec.cb('cb b')));
    w.end('c', rec.cb('end cb'));
    rec.add('state', w.writableEnded, w.writableFinished, w.writable);
    rec.add('sync end');
  }));

test('backpressure with highWaterMark 1 and drain', () =>
  differential(async ({ Writable }, rec) => {
    const w = rec.watch(sink(Writable, rec, { highWaterMark: 1, async: true }), 'w');
    rec.add('ret', w.write('x'), w.writableLength, w.writableNeedDrain);
    rec.add('ret', w.write('yz'), w.writableLength);
    await new Promise((res) => w.once('drain', res));
    rec.add('after drain', w.writableLength, w.writableNeedDrain);
    w.end();
    await new Promise((res) => w.on('close', res));
  }));

test('objectMode writable with falsy values; null is ERR_STREAM_NULL_VALUES', () =>
  differential(async ({ Writable }, rec) => {
    const w = rec.watch(sink(Writable, rec, { objectMode: true }), 'w');
    for (const v of [0, false, '', undefined]) {
      try {
        rec.add('ret', w.write(v));
      } catch (e) {
        rec.add('throw', e);
      }
    }
    try {
      w.write(null);
    } catch (e) {
      rec.add('null', e);
    }
    w.end();
  }));

test('write after end: ERR_STREAM_WRITE_AFTER_END via callback and error event', () =>
  differential(async ({ Writable }, rec) => {
    const w = rec.watch(sink(Writable, rec), 'w');
    w.end();
    rec.add('ret', w.write('late', rec.cb('late cb')));
    w.end(rec.cb('second end'));
  }));

test('end after finish: ERR_STREAM_ALREADY_FINISHED; write after destroy: ERR_STREAM_DESTROYED', () =>
  differential(async ({ Writable }, rec) => {
    const w = rec.watch(sink(Writable, rec, { autoDestroy: false }), 'w');
    w.end();
    await new Promise((res) => w.on('finish', res));
    w.end(rec.cb('end again'));
    const w2 = rec.watch(sink(Writable, rec), 'w2');
    w2.destroy();
    w2.write('x', rec.cb('write cb'));
    w2.end(rec.cb('end cb'));
  }));

test('invalid chunks and encodings throw', () =>
  differential(async ({ Writable }, rec) => {
    const w = sink(Writable, rec);
    for (const args of [[1], [{}], ['x', 'nope'], [true]]) {
      try {
        w.write(...args);
      } catch (e) {
        rec.add(e);
      }
    }
    try {
      w.setDefaultEncoding('bogus');
    } catch (e) {
      rec.add(e);
    }
    rec.add(w.setDefaultEncoding('HEX') === w, w._writableState.defaultEncoding);
  }));

test('decodeStrings: false keeps strings and encodings', () =>
  differential(async ({ Writable }, rec) => {
    const w = sink(Writable, rec, { decodeStrings: false });
    w.write('abc');
    w.write('616263', 'hex');
    w.end();
  }));

test('cork/uncork batches into _writev', () =>
  differential(async ({ Writable }, rec) => {
    const w = new Writable({
      write(chunk, enc, cb) {
        rec.add('_write', chunk);
        cb();
      },
      writev(chunks, cb) {
        rec.add(
          '_writev',
          chunks.map((c) => [c.chunk, c.encoding]),
        );
        cb();
      },
    });
    rec.watch(w, 'w', ['finish', 'close']);
    w.cork();
    w.write('a', rec.cb('a'));
    w.write('b', rec.cb('b'));
    w.cork();
    w.write('c');
    rec.add('corked', w.writableCorked, w.writableLength, w.writableBuffer.length);
    w.uncork();
    rec.add('corked', w.writableCorked);
    w.uncork();
    rec.add('corked', w.writableCorked);
    w.write('d');
    w.end('e');
  }));

test('_final runs before finish; an error in _final errors the stream', () =>
  differential(async ({ Writable }, rec) => {
    const w = new Writable({
      write(c, e, cb) {
        cb();
      },
      final(cb) {
        rec.add('final');
        setTimeout(cb, 1);
      },
    });
    rec.watch(w, 'w');
    w.end('x');
    await new Promise((res) => w.on('close', res));
    const w2 = new Writable({
      write(c, e, cb) {
        cb();
      },
      final(cb) {
        cb(new Error('final failed'));
      },
    });
    rec.watch(w2, 'w2');
    w2.end(rec.cb('end cb'));
  }));

test('transform callback called twice, synchronously and later', () =>
  differential(async ({ Transform }, rec) => {
    const t = new Transform({
      transform(c, e, cb) {
        cb(null, c);
        cb(null, c);
      },
    });
    rec.watch(t, 't');
    t.write('a', rec.cb('a'));
    t.write('b', rec.cb('b'));
    let later;
    const t2 = new Transform({
      transform(c, e, cb) {
        cb(null, c);
        later = cb;
      },
    });
    rec.watch(t2, 't2');
    t2.write('x', rec.cb('x'));
    await new Promise((r) => setTimeout(r, 5));
    rec.add('calling the saved callback again');
    later(null, 'y');
  }));

test('write callback with an error; callback called twice', () =>
  differential(async ({ Writable }, rec) => {
    const w = new Writable({
      write(c, e, cb) {
        cb(new Error('write failed'));
      },
    });
    rec.watch(w, 'w');
    w.write('a', rec.cb('a'));
    w.write('b', rec.cb('b'));
    const w2 = new Writable({
      write(c, e, cb) {
        cb();
        cb();
      },
    });
    rec.watch(w2, 'w2');
    w2.write('a');
  }));

test('destroy during a pending write', () =>
  differential(async ({ Writable }, rec) => {
    let pending;
    const w = new Writable({
      highWaterMark: 1,
      write(c, e, cb) {
        rec.add('_write', c);
        pending = cb;
      },
    });
    rec.watch(w, 'w');
    w.write('a', rec.cb('a'));
    w.write('b', rec.cb('b'));
    w.end(rec.cb('end'));
    w.destroy(new Error('gone'));
    rec.add('state', w.destroyed, w.writableLength);
    await new Promise((res) => setTimeout(res, 2));
    pending();
  }));

test('_construct holds writes until constructed', () =>
  differential(async ({ Writable }, rec) => {
    const w = new Writable({
      construct(cb) {
        rec.add('construct');
        setTimeout(cb, 1);
      },
      write(c, e, cb) {
        rec.add('_write', c);
        cb();
      },
    });
    rec.watch(w, 'w');
    w.write('a');
    w.end('b');
    const w2 = new Writable({
      construct(cb) {
        cb(new Error('cannot construct'));
      },
      write(c, e, cb) {
        cb();
      },
    });
    rec.watch(w2, 'w2');
    w2.write('x', rec.cb('w2 cb'));
  }));

test('Duplex: independent sides, allowHalfOpen false ends the writable side', () =>
  differential(async ({ Duplex }, rec) => {
    const d = new Duplex({
      allowHalfOpen: false,
      read() {},
      write(c, e, cb) {
        rec.add('_write', c);
        cb();
      },
    });
    rec.watch(d, 'd');
    d.write('in');
    d.push('out');
    d.push(null);
    d.resume();
    await new Promise((res) => d.on('close', res));
    rec.add('state', d.readableEnded, d.writableEnded, d.writableFinished, d.destroyed);
  }));

test('Duplex with readable/writable false and objectMode per side', () =>
  differential(async ({ Duplex }, rec) => {
    const d = new Duplex({
      readable: false,
      readableObjectMode: true,
      writableHighWaterMark: 3,
      write(c, e, cb) {
        cb();
      },
    });
    rec.add(
      d.readable,
      d.writable,
      d.readableObjectMode,
      d.writableObjectMode,
      d.writableHighWaterMark,
      d.readableHighWaterMark,
    );
    rec.watch(d, 'd');
    d.end('x');
  }));

test('Transform: uppercase, flush, objectMode, and errors from _transform', () =>
  differential(async ({ Transform }, rec) => {
    const t = new Transform({
      transform(chunk, enc, cb) {
        this.push(chunk.toString().toUpperCase());
        cb();
      },
      flush(cb) {
        cb(null, '!');
      },
    });
    rec.watch(t, 't');
    t.write('hello ');
    t.end('world');
    await new Promise((res) => t.on('close', res));
    const t2 = new Transform({
      transform(chunk, enc, cb) {
        cb(new Error('transform failed'));
      },
    });
    rec.watch(t2, 't2');
    t2.write('x', rec.cb('write cb'));
    const t3 = new Transform({
      transform() {
        throw new Error('thrown in transform');
      },
    });
    rec.watch(t3, 't3');
    try {
      t3.write('x');
    } catch (e) {
      rec.add('caught', e);
    }
  }));

test('Transform backpressure: readable side full stalls the write callback', () =>
  differential(async ({ Transform }, rec) => {
    const t = new Transform({
      highWaterMark: 2,
      transform(chunk, enc, cb) {
        cb(null, chunk);
      },
    });
    for (const c of ['a', 'b', 'c', 'd']) rec.add('write', c, t.write(c, rec.cb(`cb ${c}`)));
    await new Promise((res) => setTimeout(res, 2));
    rec.add('lengths', t.readableLength, t.writableLength);
    rec.add('read', t.read());
    await new Promise((res) => setTimeout(res, 2));
    rec.add('lengths', t.readableLength, t.writableLength);
  }));

test('PassThrough and missing _transform / _write', () =>
  differential(async ({ PassThrough, Transform, Writable }, rec) => {
    const p = new PassThrough();
    rec.watch(p, 'p', ['data', 'end', 'finish']);
    p.end('through');
    const t = new Transform();
    rec.watch(t, 't', ['error']);
    try {
      t.write('x');
    } catch (e) {
      rec.add('throw', e);
    }
    const w = new Writable();
    rec.watch(w, 'w', ['error']);
    try {
      w.write('x');
    } catch (e) {
      rec.add('throw', e);
    }
  }));

test('an error thrown inside a listener surfaces as an uncaught exception, stream keeps going', () =>
  differential(async ({ Readable }, rec) => {
    const caught = [];
    const handler = (e) => caught.push(e);
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', handler);
    try {
      const r = new Readable({ read() {} });
      r.on('end', () => {
        throw new Error('listener threw');
      });
      r.on('close', () => rec.add('close'));
      r.push('a');
      r.push(null);
      r.resume();
      await new Promise((res) => setTimeout(res, 5));
    } finally {
      process.removeListener('uncaughtException', handler);
      for (const l of listeners) process.on('uncaughtException', l);
    }
    rec.add('caught', caught);
  }));

test('instanceof: a Duplex is a Writable; legacy Stream; Writable.call on old-style classes', () =>
  differential(async ({ Duplex, Writable, Readable, Transform, PassThrough, Stream }, rec) => {
    rec.add(
      new Duplex() instanceof Writable,
      new Transform() instanceof Writable,
      new PassThrough() instanceof Duplex,
      new Readable() instanceof Stream,
      {} instanceof Writable,
      new Readable() instanceof Writable,
    );
    function Old(opts) {
      Writable.call(this, opts);
    }
    Object.setPrototypeOf(Old.prototype, Writable.prototype);
    Old.prototype._write = function (c, e, cb) {
      rec.add('old write', c);
      cb();
    };
    const o = new Old();
    o.end('legacy');
    class Up extends Transform {
      _transform(c, e, cb) {
        cb(null, c.toString().toUpperCase());
      }
    }
    const u = new Up();
    u.on('data', (c) => rec.add('class data', c));
    u.end('class');
  }));

test('write() return value: measured after a synchronous _write, so big chunks to a sync sink return true', () =>
  differential(async ({ Writable, Transform, Buffer }, rec) => {
    const syncSink = new Writable({
      highWaterMark: 4,
      write(c, e, cb) {
        cb();
      },
    });
    syncSink.on('drain', rec.cb('sync drain'));
    rec.add('sync', syncSink.write(Buffer.alloc(64)), syncSink.writableNeedDrain);
    const asyncSink = new Writable({
      highWaterMark: 4,
      write(c, e, cb) {
        setTimeout(cb, 1);
      },
    });
    asyncSink.on('drain', rec.cb('async drain'));
    rec.add('async', asyncSink.write(Buffer.alloc(64)), asyncSink.writableNeedDrain);
    const t = new Transform({
      highWaterMark: 4,
      transform(c, e, cb) {
        cb(null, c);
      },
    });
    rec.add('transform, nobody reading', t.write(Buffer.alloc(64)), t.write(Buffer.alloc(1)));
    const t2 = new Transform({
      highWaterMark: 4,
      transform(c, e, cb) {
        cb(null, c);
      },
    });
    t2.on('data', () => {});
    rec.add('transform, flowing', t2.write(Buffer.alloc(64)));
  }));

// A synchronous write without a callback completes without a tick of its own
// (Node 20), so a stream ended later can finish before one ended earlier. (No
// process.nextTick marker here: in Node, ferrode's ticks drain in a microtask,
// which Node's own tick queue does not interleave with as it does with its own.)
test('finish order across streams: writes with and without callbacks, ticks between', () =>
  differential(async ({ Writable }, rec) => {
    const o = rec.watch(sink(Writable, rec), 'o');
    o.write('a', rec.cb('o cb'));
    o.end();
    const s = rec.watch(sink(Writable, rec), 's');
    s.write('b');
    s.end(rec.cb('s end cb'));
    const t = rec.watch(sink(Writable, rec, { highWaterMark: 1 }), 't');
    rec.add('t ret', t.write('cd'));
    t.end();
    await new Promise((res) => setTimeout(res, 10));
  }));
