// Edge cases against node:stream: zero highWaterMarks, half-open Duplexes,
// _destroy callbacks and errors, end(chunk, encoding, cb), iterating an
// errored or already-ended stream, pipeline with an aborted signal.
import { test } from 'node:test';
import { differential } from './stream-recorder.mjs';

test('highWaterMark 0: Readable and Transform still move data', () =>
  differential(async ({ Readable, Transform }, rec) => {
    const r = new Readable({
      highWaterMark: 0,
      read() {
        rec.add('_read');
      },
    });
    r.on('data', (c) => rec.add('data', c));
    rec.add('push', r.push('a'));
    await new Promise((res) => setTimeout(res, 2));
    rec.add('push', r.push('b'));
    r.push(null);
    await new Promise((res) => r.on('end', res));
    const t = new Transform({
      readableHighWaterMark: 0,
      transform(c, e, cb) {
        cb(null, c);
      },
    });
    rec.add('hwm', t.readableHighWaterMark, t.writableHighWaterMark);
    rec.add(
      await new Promise((res) => {
        t.on('data', (c) => res(String(c)));
        t.write('z');
      }),
    );
  }));

test('half-open Duplex: readable ends, writable keeps going; finished waits for both', () =>
  differential(async ({ Duplex, finished }, rec) => {
    const d = new Duplex({
      read() {},
      write(c, e, cb) {
        rec.add('_write', c);
        cb();
      },
    });
    finished(d, rec.cb('finished'));
    rec.watch(d, 'd', ['end', 'finish', 'close']);
    d.push(null);
    d.resume();
    await new Promise((res) => setTimeout(res, 2));
    rec.add('writable after end', d.writable);
    d.end('last');
  }));

test('_destroy: delayed callback, error from _destroy, destroy callback', () =>
  differential(async ({ Readable, Writable }, rec) => {
    const r = new Readable({
      read() {},
      destroy(err, cb) {
        rec.add('_destroy', err);
        setTimeout(() => cb(err), 2);
      },
    });
    rec.watch(r, 'r', ['error', 'close']);
    r.destroy(null, rec.cb('destroy cb'));
    rec.add('destroyed', r.destroyed, r.closed);
    await new Promise((res) => r.on('close', res));
    const w = new Writable({
      write(c, e, cb) {
        cb();
      },
      destroy(err, cb) {
        cb(new Error('from _destroy'));
      },
    });
    rec.watch(w, 'w', ['error', 'close']);
    w.destroy();
    const q = new Writable({
      emitClose: false,
      write(c, e, cb) {
        cb();
      },
    });
    rec.watch(q, 'q', ['finish', 'close']);
    q.end('x', 'latin1', rec.cb('q end cb'));
  }));

test('iterating an errored stream rejects; iterating an ended stream ends at once', () =>
  differential(async ({ Readable, PassThrough }, rec) => {
    const p = new PassThrough();
    p.on('error', () => {});
    p.destroy(new Error('already'));
    try {
      for await (const c of p) rec.add('never', c);
    } catch (e) {
      rec.add('caught', e);
    }
    const r = Readable.from([]);
    await r.toArray();
    const out = [];
    for await (const c of r) out.push(c);
    rec.add('after end', out, r.destroyed);
  }));

test('pipeline with an already aborted signal, and an async generator source that throws', () =>
  differential(async ({ promises, Readable, PassThrough }, rec) => {
    const ac = new AbortController();
    ac.abort();
    try {
      await promises.pipeline(Readable.from(['a']), new PassThrough(), { signal: ac.signal });
    } catch (e) {
      rec.add('aborted', e);
    }
    try {
      await promises.pipeline(
        async function* () {
          yield 'a';
          throw new Error('source failed');
        },
        new PassThrough(),
        async (src) => {
          for await (const c of src) rec.add('got', String(c));
        },
      );
    } catch (e) {
      rec.add('rejected', e);
    }
  }));

test('unpipe on end, pipe to an already ended destination', () =>
  differential(async ({ Readable, Writable }, rec) => {
    const w = new Writable({
      write(c, e, cb) {
        cb();
      },
    });
    rec.watch(w, 'w', ['error', 'finish', 'close', 'unpipe']);
    w.end();
    const r = Readable.from(['x']);
    r.pipe(w);
    await new Promise((res) => setTimeout(res, 5));
    rec.add('r', r.destroyed, r.readableFlowing);
  }));
