// Readable against node:stream: flowing vs paused, read(n), 'readable',
// highWaterMark, objectMode with falsy values, setEncoding with split
// multi-byte characters, push after EOF, destroy, async iteration, from().
import { test } from 'node:test';
import { differential } from './stream-recorder.mjs';

test('flowing mode: data, end, close in order, and sync vs async emission', () =>
  differential(({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    rec.watch(r, 'r');
    r.push('a');
    r.push('bc');
    r.push(null);
    rec.add('sync end');
  }));

test('paused mode: readable + read(n) with byte counts', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    r.push('hello ');
    r.push('world');
    r.push(null);
    r.on('readable', () => {
      let chunk;
      rec.add('readable', r.readableLength);
      while ((chunk = r.read(4)) !== null) rec.add('read', chunk.toString());
    });
    rec.watch(r, 'r', ['end', 'close']);
  }));

test('read() with nothing then push in _read; highWaterMark and return values of push', () =>
  differential(async ({ Readable }, rec) => {
    let n = 0;
    const r = new Readable({
      highWaterMark: 4,
      read(size) {
        rec.add('_read', size, r.readableLength);
        n++;
        if (n <= 3) rec.add('push ret', this.push('ab'));
        else this.push(null);
      },
    });
    rec.watch(r, 'r', ['data', 'end', 'close']);
    rec.add('hwm', r.readableHighWaterMark, r.readableObjectMode, r.readableFlowing);
  }));

test('objectMode with falsy values (0, false, "") and object hwm 16', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ objectMode: true, read() {} });
    rec.add('hwm', r.readableHighWaterMark);
    for (const v of [0, false, '', 'x', {}, []]) rec.add('push', r.push(v));
    r.push(null);
    rec.watch(r, 'r', ['data', 'end']);
  }));

test('pause/resume and readableFlowing transitions', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    rec.add('flowing', r.readableFlowing, r.isPaused());
    r.on('data', (c) => {
      rec.add('data', c);
      r.pause();
      rec.add('paused', r.readableFlowing, r.isPaused());
      setTimeout(() => r.resume(), 1);
    });
    r.on('pause', rec.cb('pause'));
    r.on('resume', rec.cb('resume'));
    r.push('a');
    r.push('b');
    r.push(null);
    await new Promise((res) => r.on('end', res));
    rec.add('end', r.readableEnded);
  }));

test('setEncoding with split multi-byte characters', () =>
  differential(async ({ Readable, Buffer }, rec) => {
    const bytes = Buffer.from('héllo €uro 😀!', 'utf8');
    const r = new Readable({ read() {} });
    r.setEncoding('utf8');
    rec.add('enc', r.readableEncoding);
    for (let i = 0; i < bytes.length; i++) r.push(bytes.subarray(i, i + 1));
    r.push(null);
    rec.watch(r, 'r', ['data', 'end']);
  }));

test('setEncoding base64 / hex, and encoding option', () =>
  differential(async ({ Readable, Buffer }, rec) => {
    for (const enc of ['base64', 'hex', 'latin1']) {
      const r = new Readable({ encoding: enc, read() {} });
      r.push(Buffer.from([1, 2, 3, 250]));
      r.push(Buffer.from([9]));
      r.push(null);
      rec.watch(r, enc, ['data', 'end']);
      await new Promise((res) => r.on('end', res));
    }
  }));

test('push after EOF errors ERR_STREAM_PUSH_AFTER_EOF, unshift after end', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    rec.watch(r, 'r', ['error', 'close', 'end']);
    r.push(null);
    r.push('late');
    const r2 = new Readable({ read() {} });
    rec.watch(r2, 'r2', ['error', 'close', 'end', 'data']);
    r2.push('x');
    r2.push(null);
    await new Promise((res) => r2.on('end', res));
    r2.unshift('again');
  }));

test('invalid chunk type and null values in objectMode', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    rec.watch(r, 'r', ['error', 'close']);
    r.push(42);
    const r2 = new Readable({ objectMode: true, read() {} });
    rec.watch(r2, 'r2', ['data', 'end']);
    r2.push(undefined);
    r2.push(null);
  }));

test('destroy(err) emits error then close; destroyed/errored getters', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    rec.watch(r, 'r');
    r.push('a');
    r.destroy(new Error('boom'));
    rec.add('state', r.destroyed, r.errored?.message, r.closed, r.readableAborted);
    await new Promise((res) => r.on('close', res));
    rec.add('after', r.closed, r.readable);
    r.destroy(new Error('second'), rec.cb('destroy cb'));
  }));

test('autoDestroy: false and emitClose: false', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ autoDestroy: false, read() {} });
    rec.watch(r, 'a');
    r.push('x');
    r.push(null);
    await new Promise((res) => r.on('end', res));
    rec.add('destroyed', r.destroyed);
    const r2 = new Readable({ emitClose: false, read() {} });
    rec.watch(r2, 'b');
    r2.destroy();
  }));

test('_construct delays _read; errors in _read are routed to error', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({
      construct(cb) {
        rec.add('construct');
        setTimeout(cb, 2);
      },
      read() {
        rec.add('read');
        this.push('v');
        this.push(null);
      },
    });
    rec.watch(r, 'r', ['data', 'end', 'close']);
    const r2 = new Readable({
      read() {
        throw new Error('read failed');
      },
    });
    rec.watch(r2, 'r2', ['error', 'close']);
    r2.resume();
    await new Promise((res) => r.on('close', res));
  }));

test('missing _read: ERR_METHOD_NOT_IMPLEMENTED', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable();
    rec.watch(r, 'r', ['error', 'close']);
    r.read();
  }));

test('invalid highWaterMark throws ERR_INVALID_ARG_VALUE', () =>
  differential(async ({ Readable, Duplex }, rec) => {
    for (const hwm of [-1, 1.5, 'x', NaN]) {
      try {
        new Readable({ highWaterMark: hwm });
      } catch (e) {
        rec.add('readable', e);
      }
    }
    try {
      new Duplex({ readableHighWaterMark: -3 });
    } catch (e) {
      rec.add('duplex', e);
    }
  }));

test('getDefaultHighWaterMark / setDefaultHighWaterMark', () =>
  differential(async ({ getDefaultHighWaterMark, setDefaultHighWaterMark, Readable }, rec) => {
    rec.add(getDefaultHighWaterMark(false), getDefaultHighWaterMark(true));
    setDefaultHighWaterMark(false, 1024);
    rec.add(new Readable().readableHighWaterMark);
    setDefaultHighWaterMark(false, 16384);
    try {
      setDefaultHighWaterMark(true, -1);
    } catch (e) {
      rec.add(e);
    }
  }));

test('async iteration: for await, break destroys, errors reject', () =>
  differential(async ({ Readable }, rec) => {
    const r = Readable.from([1, 2, 3, 4]);
    for await (const v of r) rec.add('v', v);
    const r2 = Readable.from([1, 2, 3]);
    r2.on('close', rec.cb('r2 close'));
    for await (const v of r2) {
      rec.add('v2', v);
      break;
    }
    rec.add('r2 destroyed', r2.destroyed);
    const r3 = new Readable({
      read() {
        this.destroy(new Error('iter fail'));
      },
    });
    try {
      for await (const v of r3) rec.add('never', v);
    } catch (e) {
      rec.add('caught', e);
    }
    const r4 = Readable.from([1, 2, 3]);
    for await (const v of r4.iterator({ destroyOnReturn: false })) {
      rec.add('v4', v);
      break;
    }
    rec.add('r4', r4.destroyed, r4.read());
  }));

test('Readable.from: strings and buffers are one chunk; iterables; async generators; null is an error', () =>
  differential(async ({ Readable, Buffer }, rec) => {
    rec.add(await Readable.from('hello streams').toArray());
    rec.add(await Readable.from(Buffer.from('buf')).toArray());
    rec.add(await Readable.from(['a', 'b']).toArray());
    rec.add(await Readable.from(new Set([1, 2])).toArray());
    async function* gen() {
      yield 'x';
      yield Promise.resolve('y');
    }
    rec.add(await Readable.from(gen()).toArray());
    rec.add(await Readable.from([Promise.resolve(5), 6]).toArray());
    try {
      await Readable.from([1, null, 2]).toArray();
    } catch (e) {
      rec.add(e);
    }
    try {
      Readable.from(42);
    } catch (e) {
      rec.add(e);
    }
    const r = Readable.from('seed');
    r.on('data', (c) => rec.add('seed data', c));
    await new Promise((res) => r.on('end', res));
    rec.add('objectMode', r.readableObjectMode, Readable.from('x', { objectMode: false }).readableObjectMode);
  }));

test('unshift puts data back at the front', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    r.push('world');
    r.unshift('hello ');
    r.push(null);
    r.setEncoding('utf8');
    rec.watch(r, 'r', ['data', 'end']);
  }));

test('removing the readable listener switches back to flowing with data', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    const onReadable = () => rec.add('readable');
    r.on('readable', onReadable);
    r.on('data', (c) => rec.add('data', c));
    r.push('a');
    await new Promise((res) => setTimeout(res, 1));
    rec.add('flowing', r.readableFlowing);
    r.removeListener('readable', onReadable);
    await new Promise((res) => setTimeout(res, 1));
    rec.add('flowing', r.readableFlowing);
    r.push('b');
    r.push(null);
  }));

test('read(0) and read beyond hwm grows highWaterMark', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ highWaterMark: 2, read() {} });
    r.push('abcdef');
    rec.add('read(0)', r.read(0));
    rec.add('read(100)', r.read(100));
    rec.add('hwm', r.readableHighWaterMark);
    r.push(null);
    rec.add('read(100)', r.read(100));
    try {
      r.read(2 ** 31);
    } catch (e) {
      rec.add(e);
    }
  }));

test('AbortSignal option destroys with AbortError', () =>
  differential(async ({ Readable }, rec) => {
    const ac = new AbortController();
    const r = new Readable({ signal: ac.signal, read() {} });
    rec.watch(r, 'r', ['error', 'close']);
    ac.abort();
  }));

test('wrap() an old-style stream', () =>
  differential(async ({ Readable, Stream }, rec) => {
    const old = new Stream();
    old.pause = () => rec.add('old pause');
    old.resume = () => rec.add('old resume');
    const r = new Readable({ highWaterMark: 2 }).wrap(old);
    r.setEncoding('utf8');
    rec.watch(r, 'r', ['data', 'end']);
    old.emit('data', 'abc');
    old.emit('data', 'de');
    old.emit('end');
  }));
