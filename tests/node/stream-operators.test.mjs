// The Readable operators and the web-stream adapters against node:stream.
import { test } from 'node:test';
import { differential } from './stream-recorder.mjs';

const tick = () => new Promise((res) => setTimeout(res, 1));

test('map / filter / forEach / toArray', () =>
  differential(async ({ Readable }, rec) => {
    rec.add(
      await Readable.from([1, 2, 3, 4])
        .map((x) => x * 2)
        .toArray(),
    );
    rec.add(
      await Readable.from([1, 2, 3, 4])
        .filter(async (x) => x % 2 === 0)
        .toArray(),
    );
    await Readable.from(['a', 'b']).forEach((x) => rec.add('each', x));
    rec.add(
      await Readable.from([0, false, '', null === 1])
        .map((x) => x)
        .toArray(),
    );
  }));

test('map with concurrency keeps order while running in parallel', () =>
  differential(async ({ Readable }, rec) => {
    let running = 0;
    let maxRunning = 0;
    const out = await Readable.from([5, 1, 4, 2, 3])
      .map(
        async (x) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((res) => setTimeout(res, x * 2));
          running--;
          return x;
        },
        { concurrency: 3 },
      )
      .toArray();
    rec.add(out, maxRunning);
  }));

test('some / every / find / reduce / flatMap / drop / take', () =>
  differential(async ({ Readable }, rec) => {
    const src = () => Readable.from([1, 2, 3, 4, 5]);
    rec.add(await src().some((x) => x > 4), await src().some((x) => x > 5));
    rec.add(await src().every((x) => x > 0), await src().every((x) => x > 1));
    rec.add(await src().find((x) => x > 2), await src().find((x) => x > 9));
    rec.add(await src().reduce((a, b) => a + b), await src().reduce((a, b) => a + b, 10));
    rec.add(
      await src()
        .flatMap((x) => [x, x])
        .toArray(),
    );
    rec.add(await src().drop(2).toArray(), await src().take(2).toArray(), await src().take(0).toArray());
    rec.add(
      await src()
        .drop(1)
        .take(2)
        .map((x) => x * 100)
        .toArray(),
    );
  }));

test('operator argument errors', () =>
  differential(async ({ Readable }, rec) => {
    const r = () => Readable.from([1]);
    for (const f of [
      () => r().map(5),
      () => r().map((x) => x, 5),
      () => r().map((x) => x, { concurrency: 0 }),
      () => r().map((x) => x, { signal: 1 }),
      () => r().drop(-1),
      () => r().take('x'),
      () => r().filter(null),
    ]) {
      try {
        const ret = f();
        rec.add('returned', typeof ret);
      } catch (e) {
        rec.add(e);
      }
    }
    for (const f of [() => r().reduce(), () => Readable.from([]).reduce((a, b) => a + b), () => r().every(1)]) {
      try {
        await f();
      } catch (e) {
        rec.add(e);
      }
    }
  }));

test('operators: signal aborts, errors from the mapper reject', () =>
  differential(async ({ Readable }, rec) => {
    const ac = new AbortController();
    const p = Readable.from([1, 2, 3])
      .map(
        async (x) => {
          await tick();
          return x;
        },
        { signal: ac.signal },
      )
      .toArray();
    ac.abort();
    try {
      await p;
    } catch (e) {
      rec.add('aborted', e.name, e.code);
    }
    try {
      await Readable.from([1, 2])
        .map((x) => {
          if (x === 2) throw new Error('mapper failed');
          return x;
        })
        .toArray();
    } catch (e) {
      rec.add(e);
    }
    const already = new AbortController();
    already.abort();
    try {
      await Readable.from([1]).toArray({ signal: already.signal });
    } catch (e) {
      rec.add('pre-aborted', e.name);
    }
  }));

test('Readable.toWeb and fromWeb round trip', () =>
  differential(async ({ Readable, Buffer }, rec) => {
    const web = Readable.toWeb(Readable.from([Buffer.from('ab'), Buffer.from('cd')], { objectMode: false }));
    const reader = web.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rec.add('web chunk', value, value.constructor.name);
    }
    const ws = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('xy'));
        c.enqueue(new TextEncoder().encode('z'));
        c.close();
      },
    });
    const r = Readable.fromWeb(ws);
    // Chunk boundaries depend on promise/tick interleaving; the bytes must match.
    const out = [];
    for await (const c of r) out.push(c);
    rec.add('from web', Buffer.concat(out));
    const obj = Readable.fromWeb(
      new ReadableStream({
        start(c) {
          c.enqueue({ a: 1 });
          c.close();
        },
      }),
      { objectMode: true },
    );
    rec.add(await obj.toArray());
    try {
      Readable.fromWeb({});
    } catch (e) {
      rec.add(e);
    }
    try {
      Readable.toWeb({});
    } catch (e) {
      rec.add(e);
    }
  }));

test('Writable.toWeb and fromWeb', () =>
  differential(async ({ Writable }, rec) => {
    const w = new Writable({
      write(c, e, cb) {
        rec.add('node got', c);
        cb();
      },
    });
    const ws = Writable.toWeb(w);
    const writer = ws.getWriter();
    await writer.write(new TextEncoder().encode('hi'));
    await writer.close();
    rec.add('finished', w.writableFinished);
    const got = [];
    const sink = new WritableStream({
      write(chunk) {
        got.push(chunk);
      },
    });
    const nw = Writable.fromWeb(sink);
    nw.write('abc');
    await new Promise((res) => nw.end('d', res));
    rec.add('web got', got);
  }));

test('Duplex.from: async generator function, iterable, promise, pair', () =>
  differential(async ({ Duplex, Readable, PassThrough }, rec) => {
    const d = Duplex.from(async function* (src) {
      for await (const c of src) yield String(c).toUpperCase();
    });
    d.write('abc');
    d.end();
    rec.add(await d.toArray());
    rec.add(await Duplex.from(['x', 'y']).toArray());
    rec.add(await Duplex.from(Promise.resolve('p')).toArray());
    const pt = new PassThrough();
    rec.add('same duplex', Duplex.from(pt) === pt);
    const r = Readable.from(['r']);
    const pair = Duplex.from({ readable: r });
    rec.add(await pair.toArray());
    try {
      Duplex.from(5);
    } catch (e) {
      rec.add(e);
    }
  }));

test('duplexPair: what one side writes the other reads; backpressure; end; destroy', () =>
  differential(async ({ duplexPair }, rec) => {
    const [a, b] = duplexPair();
    rec.watch(a, 'a', ['data', 'end', 'finish', 'close', 'error']);
    rec.watch(b, 'b', ['data', 'end', 'finish', 'close', 'error']);
    rec.add('write', a.write('x'), b.write('y'));
    a.end();
    b.end();
    await new Promise((res) => setTimeout(res, 5));
    const [c, d] = duplexPair({ objectMode: true, highWaterMark: 1 });
    rec.add('modes', c.readableObjectMode, c.writableObjectMode, c.writableHighWaterMark);
    c.on('error', (e) => rec.add('c error', e));
    c.on('close', () => rec.add('c close'));
    d.on('close', () => rec.add('d close (never)'));
    c.destroy(new Error('boom'));
  }));

test('module shape: the named exports and the default export match node:stream', async () => {
  const nodeStream = await import('node:stream');
  const ours = await import('ferrode/stream');
  const keys = (o) => Object.keys(o).sort();
  const assert = (await import('node:assert/strict')).default;
  assert.deepEqual(keys(ours), keys(nodeStream));
  assert.deepEqual(keys(ours.default), keys(nodeStream.default));
  for (const cls of ['Readable', 'Writable', 'Duplex', 'Transform', 'PassThrough']) {
    const want = Object.getOwnPropertyNames(nodeStream[cls].prototype).sort();
    assert.deepEqual(Object.getOwnPropertyNames(ours[cls].prototype).sort(), want, cls);
  }
  assert.equal(ours.promises.pipeline, (await import('ferrode/stream/promises')).pipeline);
  assert.equal(ours.default.promises, ours.promises);
});
