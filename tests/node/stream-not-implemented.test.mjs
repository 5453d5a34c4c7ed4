// Streams built without the method their side needs (_read, _write/_writev,
// _transform), against node:stream: Node 20 throws ERR_METHOD_NOT_IMPLEMENTED
// out of write()/end()/uncork() for a missing _write or _transform (no 'error'
// event, the write's callback never runs), emits it as 'error' for a missing
// _read, and takes _writev alone as a complete Writable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differential } from './stream-recorder.mjs';

// The scenario must reach the missing method in Node itself, or agreement proves nothing.
function reaches(log, method) {
  const hit = JSON.stringify(log).includes(`"The ${method} method is not implemented"`);
  assert.ok(hit, `Node's log shows no ERR_METHOD_NOT_IMPLEMENTED for ${method}: ${JSON.stringify(log)}`);
}

/** Calls `fn`, logging what it returns or throws under `label`. */
function attempt(rec, label, fn) {
  try {
    rec.add(label, 'returned', fn());
  } catch (e) {
    rec.add(label, 'threw', e);
  }
}

const WRITABLE_EVENTS = ['error', 'close', 'finish', 'prefinish', 'drain'];
const DUPLEX_EVENTS = [...WRITABLE_EVENTS, 'data', 'end'];

test('Writable without _write: write() throws, no error event, the callback never runs', async () => {
  const log = await differential(({ Writable }, rec) => {
    const w = new Writable();
    rec.watch(w, 'w', WRITABLE_EVENTS);
    attempt(rec, 'write', () => w.write('a', rec.cb('write cb')));
    rec.add('after', w.destroyed, w.writableLength, w.writableNeedDrain, w.writableFinished, w.errored);
    // The stuck write keeps end() from finishing.
    attempt(rec, 'end', () => w.end(rec.cb('end cb')) === w);
    rec.add('after end', w.writableEnded, w.writableFinished);
  });
  reaches(log, '_write()');
});

test('Writable without _write: end(chunk) and a subclass throw the same', async () => {
  const log = await differential(({ Writable }, rec) => {
    const w = new Writable();
    rec.watch(w, 'w', WRITABLE_EVENTS);
    attempt(rec, 'end(chunk)', () => w.end('x', rec.cb('end cb')));
    class Sub extends Writable {}
    const s = new Sub({ objectMode: true });
    rec.watch(s, 's', WRITABLE_EVENTS);
    attempt(rec, 'subclass write', () => s.write({ n: 1 }, rec.cb('sub cb')));
  });
  reaches(log, '_write()');
});

test('Writable without _write, corked: writes buffer, uncork() throws', async () => {
  const log = await differential(({ Writable }, rec) => {
    const w = new Writable({ highWaterMark: 2 });
    rec.watch(w, 'w', WRITABLE_EVENTS);
    w.cork();
    rec.add('writes', w.write('a', rec.cb('cb a')), w.write('bc', rec.cb('cb b')));
    attempt(rec, 'uncork', () => w.uncork());
    rec.add('after', w.writableLength, w.writableCorked, w.destroyed);
  });
  reaches(log, '_write()');
});

test('Transform without _transform: write() throws, nothing is emitted', async () => {
  const log = await differential(({ Transform }, rec) => {
    const t = new Transform();
    rec.watch(t, 't', DUPLEX_EVENTS);
    attempt(rec, 'write', () => t.write('a', rec.cb('write cb')));
    rec.add('after', t.destroyed, t.writableLength, t.readableLength);
  });
  reaches(log, '_transform()');
});

test('Transform without _transform: an empty end() finishes and ends normally', () =>
  differential(({ Transform }, rec) => {
    const t = new Transform();
    rec.watch(t, 't', DUPLEX_EVENTS);
    t.end(rec.cb('end cb'));
    t.resume();
  }));

test('Transform with flush but no _transform: end(chunk) throws before flush', async () => {
  const log = await differential(({ Transform }, rec) => {
    const t = new Transform({
      flush(cb) {
        rec.add('flush');
        cb(null, 'tail');
      },
    });
    rec.watch(t, 't', DUPLEX_EVENTS);
    attempt(rec, 'end(chunk)', () => t.end('x', rec.cb('end cb')));
    t.resume();
  });
  reaches(log, '_transform()');
});

test('Duplex without either: read() emits error then close, a later write gets ERR_STREAM_DESTROYED', async () => {
  const log = await differential(({ Duplex }, rec) => {
    const d = new Duplex();
    rec.watch(d, 'd', DUPLEX_EVENTS);
    rec.add('read', d.read());
    rec.add('destroyed', d.destroyed);
    attempt(rec, 'write', () => d.write('a', rec.cb('write cb')));
  });
  reaches(log, '_read()');
});

test('Duplex without either: write() throws first, then read() errors', async () => {
  const log = await differential(({ Duplex }, rec) => {
    const d = new Duplex();
    rec.watch(d, 'd', DUPLEX_EVENTS);
    attempt(rec, 'write', () => d.write('a', rec.cb('write cb')));
    rec.add('read', d.read());
  });
  reaches(log, '_write()');
  reaches(log, '_read()');
});

test('Duplex with only one side implemented: the other side still reports the missing method', async () => {
  const log = await differential(({ Duplex }, rec) => {
    const reader = new Duplex({
      read() {
        this.push('r');
        this.push(null);
      },
    });
    rec.watch(reader, 'reader', DUPLEX_EVENTS);
    attempt(rec, 'reader write', () => reader.write('a', rec.cb('reader write cb')));
    reader.resume();
    const writer = new Duplex({
      write(chunk, enc, cb) {
        rec.add('_write', chunk, enc);
        cb();
      },
    });
    rec.watch(writer, 'writer', DUPLEX_EVENTS);
    rec.add('writer write', writer.write('w', rec.cb('writer write cb')));
    writer.resume();
  });
  reaches(log, '_write()');
  reaches(log, '_read()');
});

test('_writev alone makes a Writable: single writes arrive as one-chunk batches, corked ones together', () =>
  differential(({ Writable }, rec) => {
    const w = new Writable({
      highWaterMark: 3,
      writev(chunks, cb) {
        rec.add(
          '_writev',
          chunks.map((c) => [c.chunk, c.encoding]),
        );
        setImmediate(cb);
      },
    });
    rec.watch(w, 'w', WRITABLE_EVENTS);
    rec.add(
      'writes',
      w.write('a', rec.cb('cb a')),
      w.write('bc', 'utf8', rec.cb('cb b')),
      w.write('de', rec.cb('cb c')),
    );
    w.cork();
    w.write('x');
    w.write(new Uint8Array([1, 2]));
    w.uncork();
    w.end('z', rec.cb('end cb'));
  }));

// One stream per scenario: the _writev path is what is compared here, not
// how two streams' ticks interleave.
function batchClass(Writable, rec) {
  return class Batch extends Writable {
    _writev(chunks, cb) {
      rec.add(
        '_writev',
        chunks.map((c) => [c.chunk, c.encoding]),
      );
      cb();
    }
  };
}

test('_writev alone in a subclass, objectMode: objects arrive as written', () =>
  differential(({ Writable }, rec) => {
    const Batch = batchClass(Writable, rec);
    const o = new Batch({ objectMode: true });
    rec.watch(o, 'o', WRITABLE_EVENTS);
    o.write({ k: 1 });
    o.write('s', rec.cb('o cb'));
    o.end(rec.cb('o end cb'));
  }));

test('_writev alone in a subclass, decodeStrings: false: strings keep their encodings in one corked batch', () =>
  differential(({ Writable }, rec) => {
    const Batch = batchClass(Writable, rec);
    const s = new Batch({ decodeStrings: false });
    rec.watch(s, 's', WRITABLE_EVENTS);
    s.cork();
    s.write('hex!', 'latin1');
    s.write('6869', 'hex');
    s.uncork();
    s.end(rec.cb('s end cb'));
  }));

test('_writev alone: an error passed to its callback destroys the stream as from _write', () =>
  differential(({ Writable }, rec) => {
    const w = new Writable({
      writev(chunks, cb) {
        rec.add('_writev', chunks.length);
        cb(new Error('batch failed'));
      },
    });
    rec.watch(w, 'w', WRITABLE_EVENTS);
    rec.add('write', w.write('a', rec.cb('cb a')));
    rec.add('write', w.write('b', rec.cb('cb b')));
  }));
