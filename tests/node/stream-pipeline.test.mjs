// pipe(), pipeline(), finished(), compose(), addAbortSignal and the
// stream/promises forms against node:stream.
import { test } from 'node:test';
import { differential } from './stream-recorder.mjs';

function source(Readable, chunks, opts = {}) {
  return new Readable({
    ...opts,
    read() {
      const c = chunks.shift();
      this.push(c === undefined ? null : c);
    },
  });
}

function collector(Writable, rec, name, opts = {}) {
  return new Writable({
    ...opts,
    write(chunk, enc, cb) {
      rec.add(name, 'write', chunk);
      if (opts.delay) setTimeout(cb, 1);
      else cb();
    },
  });
}

test('pipe: events pipe/unpipe/finish, backpressure with highWaterMark 1', () =>
  differential(async ({ Readable, Writable }, rec) => {
    const r = source(Readable, ['a', 'b', 'c', 'd'], { highWaterMark: 1 });
    const w = collector(Writable, rec, 'w', { highWaterMark: 1, delay: true });
    rec.watch(r, 'r', ['end', 'close', 'pause', 'resume']);
    rec.watch(w, 'w', ['pipe', 'unpipe', 'drain', 'finish', 'close']);
    rec.add('returns dest', r.pipe(w) === w);
    await new Promise((res) => w.on('close', res));
  }));

test('pipe to two destinations; unpipe one; { end: false }', () =>
  differential(async ({ Readable, Writable }, rec) => {
    const r = source(Readable, ['1', '2', '3']);
    const a = rec.watch(collector(Writable, rec, 'a'), 'a', ['finish', 'unpipe']);
    const b = rec.watch(collector(Writable, rec, 'b'), 'b', ['finish', 'unpipe']);
    r.pipe(a);
    r.pipe(b, { end: false });
    await new Promise((res) => r.on('end', res));
    rec.add('b ended', b.writableEnded);
    const r2 = new Readable({ read() {} });
    const c = rec.watch(collector(Writable, rec, 'c'), 'c', ['unpipe']);
    r2.pipe(c);
    r2.unpipe(c);
    r2.unpipe(c);
    rec.add('flowing', r2.readableFlowing);
  }));

test('pipe: destination error unpipes', () =>
  differential(async ({ Readable, Writable }, rec) => {
    const r = new Readable({ read() {} });
    const w = new Writable({
      write(c, e, cb) {
        cb(new Error('dest failed'));
      },
    });
    rec.watch(w, 'w', ['unpipe', 'error', 'close']);
    r.pipe(w);
    r.push('x');
    await new Promise((res) => w.on('close', res));
    rec.add('pipes', r._readableState.pipes.length, r.readableFlowing);
  }));

test('pipeline: Readable → Transform → Writable, callback once', () =>
  differential(async ({ Readable, Transform, Writable, pipeline }, rec) => {
    const t = new Transform({
      transform(c, e, cb) {
        cb(null, c.toString().toUpperCase());
      },
    });
    const w = collector(Writable, rec, 'w');
    rec.watch(w, 'w', ['finish', 'close']);
    const ret = pipeline(Readable.from(['x', 'y']), t, w, rec.cb('done'));
    rec.add('returns last', ret === w);
  }));

test('pipeline with a failing middle stream destroys all and reports the error', () =>
  differential(async ({ Readable, Transform, Writable, pipeline }, rec) => {
    const r = source(Readable, ['a', 'b', 'c']);
    const t = new Transform({
      transform(c, e, cb) {
        if (c.toString() === 'b') cb(new Error('middle failed'));
        else cb(null, c);
      },
    });
    const w = collector(Writable, rec, 'w');
    for (const [s, n] of [
      [r, 'r'],
      [t, 't'],
      [w, 'w'],
    ])
      rec.watch(s, n, ['close', 'error', 'finish', 'end']);
    pipeline(r, t, w, (err) => {
      rec.add('done', err, r.destroyed, t.destroyed, w.destroyed);
    });
  }));

test('pipeline: generators and async functions as stages', () =>
  differential(async ({ Readable, Writable, pipeline }, rec) => {
    await new Promise((resolve) => {
      pipeline(
        function* () {
          yield 'a';
          yield 'b';
        },
        async function* (src) {
          for await (const c of src) yield c.toUpperCase();
        },
        async function (src) {
          const out = [];
          for await (const c of src) out.push(c);
          return out.join('+');
        },
        (err, val) => {
          rec.add('done', err, val);
          resolve();
        },
      );
    });
    const w = collector(Writable, rec, 'w', { objectMode: true });
    await new Promise((resolve) => {
      pipeline(
        Readable.from([1, 2, 3]),
        async function* (src) {
          for await (const n of src) yield n * 10;
        },
        w,
        (err) => {
          rec.add('done2', err);
          resolve();
        },
      );
    });
  }));

test('pipeline errors: too few streams, missing callback, bad return values', () =>
  differential(async ({ pipeline, Readable, PassThrough }, rec) => {
    for (const args of [[() => {}], [Readable.from([]), new PassThrough()], [Readable.from([]), 5, () => {}]]) {
      try {
        pipeline(...args);
      } catch (e) {
        rec.add(e);
      }
    }
    try {
      pipeline(
        () => 5,
        new PassThrough(),
        () => {},
      );
    } catch (e) {
      rec.add(e);
    }
    await new Promise((resolve) => {
      pipeline(
        Readable.from(['x']),
        () => 7,
        (err) => {
          rec.add('cb', err);
          resolve();
        },
      );
    }).catch((e) => rec.add('rejected', e));
  }));

test('stream/promises pipeline with { signal } abort and { end: false }', () =>
  differential(async ({ promises, Readable, Writable, PassThrough }, rec) => {
    const ac = new AbortController();
    const r = new Readable({ read() {} });
    const w = collector(Writable, rec, 'w');
    const p = promises.pipeline(r, w, { signal: ac.signal });
    r.push('first');
    setTimeout(() => ac.abort(), 2);
    try {
      await p;
    } catch (e) {
      rec.add('aborted', e, r.destroyed, w.destroyed);
    }
    const pt = new PassThrough();
    await promises.pipeline(Readable.from(['kept']), pt, { end: false });
    rec.add('pt ended', pt.writableEnded, pt.read());
    rec.add(
      'resolved',
      await promises.pipeline(Readable.from(['v']), async (src) => {
        let s = '';
        for await (const c of src) s += c;
        return s;
      }),
    );
  }));

test('finished: end, finish, premature close, error, cleanup', () =>
  differential(async ({ Readable, Writable, finished, PassThrough }, rec) => {
    const r = Readable.from(['a']);
    finished(r, rec.cb('r finished'));
    r.resume();
    const w = collector(Writable, rec, 'w');
    finished(w, rec.cb('w finished'));
    w.end('z');
    const p = new PassThrough();
    finished(p, rec.cb('p finished'));
    p.destroy();
    const e = new PassThrough();
    finished(e, rec.cb('e finished'));
    e.destroy(new Error('bad'));
    const q = new PassThrough();
    const cleanup = finished(q, rec.cb('q finished (never)'));
    cleanup();
    q.destroy();
    const done = Readable.from([]);
    done.resume();
    await new Promise((res) => done.on('close', res));
    finished(done, rec.cb('already closed'));
    finished(new PassThrough(), { readable: false }, rec.cb('writable only'));
    try {
      finished({}, () => {});
    } catch (err) {
      rec.add(err);
    }
    try {
      finished(new PassThrough());
    } catch (err) {
      rec.add(err);
    }
  }));

test('finished with signal and promises.finished', () =>
  differential(async ({ PassThrough, finished, promises }, rec) => {
    const ac = new AbortController();
    const p = new PassThrough();
    finished(p, { signal: ac.signal }, rec.cb('aborted'));
    ac.abort();
    const p2 = new PassThrough();
    p2.end('x');
    p2.resume();
    rec.add('promise', await promises.finished(p2));
    const p3 = new PassThrough();
    p3.destroy(new Error('rejects'));
    try {
      await promises.finished(p3);
    } catch (e) {
      rec.add('rejected', e);
    }
  }));

test('compose: generators and transforms into one Duplex', () =>
  differential(async ({ compose, Transform, Readable }, rec) => {
    const d = compose(
      new Transform({
        transform(c, e, cb) {
          cb(null, c.toString().toUpperCase());
        },
      }),
      async function* (src) {
        for await (const c of src) yield `[${c}]`;
      },
    );
    d.write('ab');
    d.end('cd');
    const out = [];
    for await (const c of d) out.push(String(c));
    rec.add('composed', out);
    rec.add((await Readable.from(['q']).compose) ? 'has compose' : 'no compose');
    try {
      compose();
    } catch (e) {
      rec.add(e);
    }
  }));

test('addAbortSignal destroys with AbortError; validation', () =>
  differential(async ({ addAbortSignal, PassThrough }, rec) => {
    const ac = new AbortController();
    const p = addAbortSignal(ac.signal, new PassThrough());
    rec.watch(p, 'p', ['error', 'close']);
    ac.abort('why');
    try {
      addAbortSignal({}, new PassThrough());
    } catch (e) {
      rec.add(e);
    }
    try {
      addAbortSignal(new AbortController().signal, {});
    } catch (e) {
      rec.add(e);
    }
  }));

test('isReadable / isErrored / isDisturbed / isDestroyed', () =>
  differential(async ({ stream, Readable, PassThrough }, rec) => {
    const r = Readable.from(['a']);
    rec.add(stream.isReadable(r), stream.isDisturbed(r), stream.isErrored(r));
    r.read();
    rec.add(stream.isDisturbed(r));
    const p = new PassThrough();
    p.on('error', () => {});
    p.destroy(new Error('x'));
    await new Promise((res) => p.on('close', res));
    rec.add(stream.isErrored(p), stream.isReadable(p), stream.isDestroyed?.(p), stream.isWritable?.(p));
  }));

test('legacy Stream.pipe moves data and ends the destination', () =>
  differential(async ({ Stream, Writable }, rec) => {
    const s = new Stream();
    s.readable = true;
    const w = collector(Writable, rec, 'w');
    rec.watch(w, 'w', ['pipe', 'finish']);
    s.pipe(w);
    s.emit('data', 'old');
    s.emit('end');
  }));

// A Writable that completes each write a turn later, so a small highWaterMark fills it.
function slowSink(Writable, rec, name) {
  return new Writable({
    highWaterMark: 2,
    write(chunk, enc, cb) {
      rec.add(`${name} _write`, chunk);
      setImmediate(cb);
    },
  });
}

test('Duplex.from({ readable, writable }): writes wait for the writable side to drain, end waits for finish', () =>
  differential(async ({ Duplex, Writable, PassThrough }, rec) => {
    const w = slowSink(Writable, rec, 'w');
    const r = new PassThrough();
    const d = Duplex.from({ readable: r, writable: w });
    rec.watch(d, 'd', ['finish', 'end', 'close', 'error', 'drain', 'data']);
    rec.watch(w, 'w', ['finish', 'drain', 'close']);
    rec.add('writes', d.write('ab', rec.cb('cb ab')), d.write('cd', rec.cb('cb cd')), d.write('e', rec.cb('cb e')));
    d.end('f', rec.cb('end cb'));
    r.end('out');
    await new Promise((res) => d.on('close', res));
  }));

test('compose with a slow Node head: backpressure, final and destroy while a write waits', () =>
  differential(async ({ compose, Writable, PassThrough, Transform }, rec) => {
    const head = new Transform({
      highWaterMark: 1,
      transform(c, e, cb) {
        setImmediate(() => cb(null, c));
      },
    });
    const d = compose(head, new PassThrough());
    rec.watch(d, 'd', ['finish', 'end', 'close', 'error', 'drain', 'data']);
    rec.add('writes', d.write('a', rec.cb('cb a')), d.write('b', rec.cb('cb b')), d.write('c', rec.cb('cb c')));
    d.end(rec.cb('end cb'));
    await new Promise((res) => d.on('close', res));
    const w = slowSink(Writable, rec, 'w2');
    const d2 = compose(w);
    rec.watch(d2, 'd2', ['finish', 'close', 'error']);
    rec.add('d2 writes', d2.write('x', rec.cb('cb x')), d2.write('y', rec.cb('cb y')), d2.write('z', rec.cb('cb z')));
    d2.destroy(new Error('stop'));
  }));

test('compose with web streams at either end: a TransformStream head, a WritableStream tail, a ReadableStream source', () =>
  differential(async ({ compose, PassThrough, Buffer }, rec) => {
    const upper = new TransformStream({
      transform(chunk, controller) {
        controller.enqueue(Buffer.from(String(chunk).toUpperCase()));
      },
    });
    const d = compose(upper, new PassThrough());
    rec.watch(d, 'd', ['finish', 'end', 'close', 'error']);
    rec.add('writes', d.write('ab', rec.cb('cb ab')), d.write('cd', rec.cb('cb cd')));
    d.end(rec.cb('end cb'));
    const out = [];
    for await (const c of d) out.push(String(c));
    // Chunk boundaries differ here (Node reads 'ABCD' at once, ferrode 'AB' then 'CD'); the bytes must not.
    rec.add('out', out.join(''));
    const got = [];
    const sink = new WritableStream({
      write(chunk) {
        got.push(String(chunk));
      },
    });
    const d2 = compose(new PassThrough(), sink);
    rec.watch(d2, 'd2', ['finish', 'close', 'error']);
    d2.write('x');
    d2.end('y', rec.cb('d2 end cb'));
    await new Promise((res) => d2.on('close', res));
    rec.add('sink got', got);
    const src = new ReadableStream({
      start(controller) {
        controller.enqueue('r1');
        controller.enqueue('r2');
        controller.close();
      },
    });
    const d3 = compose(src, new PassThrough({ objectMode: true }));
    const read = [];
    for await (const c of d3) read.push(String(c));
    rec.add('from web source', read);
  }));
