// The semi-private surface against node:stream (Node 24): what packages read off
// `_readableState` / `_writableState` and the stream objects themselves after
// the same operations — own keys, the buffer as an Array read from
// `bufferIndex`, `length`, `flowing`, `ended`, the flag accessors, the
// integer of flags, `_events` layout — and cbor's NoFilter-style walk of
// `_readableState.buffer`.
import { test } from 'node:test';
import { differential } from './stream-recorder.mjs';

const READABLE_FIELDS = [
  'objectMode',
  'ended',
  'endEmitted',
  'reading',
  'constructed',
  'sync',
  'needReadable',
  'emittedReadable',
  'readableListening',
  'resumeScheduled',
  'errorEmitted',
  'emitClose',
  'autoDestroy',
  'destroyed',
  'closed',
  'closeEmitted',
  'multiAwaitDrain',
  'readingMore',
  'dataEmitted',
  'errored',
  'defaultEncoding',
  'encoding',
  'flowing',
  'pipesCount',
  'paused',
  'highWaterMark',
  'length',
  'bufferIndex',
  'awaitDrainWriters',
];

const WRITABLE_FIELDS = [
  'objectMode',
  'finalCalled',
  'needDrain',
  'ending',
  'ended',
  'finished',
  'destroyed',
  'decodeStrings',
  'writing',
  'sync',
  'bufferProcessing',
  'constructed',
  'prefinished',
  'errorEmitted',
  'emitClose',
  'autoDestroy',
  'closed',
  'closeEmitted',
  'allBuffers',
  'allNoop',
  'errored',
  'writable',
  'defaultEncoding',
  'highWaterMark',
  'length',
  'corked',
  'writelen',
  'bufferedIndex',
  'pendingcb',
  'bufferedRequestCount',
];

/** The integer of flags: the one own symbol-keyed number of a state. */
function flagsOf(state) {
  const sym = Object.getOwnPropertySymbols(state).find((s) => s.description === 'kState');
  return sym ? state[sym] : 'none';
}

function snapReadable(rec, label, stream) {
  const s = stream._readableState;
  rec.add(label, 'own keys', Object.keys(s));
  rec.add(label, 'buffer is Array', Array.isArray(s.buffer), s.buffer.length, s.buffer === stream.readableBuffer);
  // What is still to be read: the slots from bufferIndex on (the rest are null).
  rec.add(label, 'live chunks', s.buffer.slice(s.bufferIndex));
  rec.add(label, 'consumed slots', s.buffer.slice(0, s.bufferIndex));
  rec.add(label, 'pipes', Array.isArray(s.pipes), s.pipes.length);
  rec.add(label, 'decoder', s.decoder === null ? null : typeof s.decoder.write);
  rec.add(
    label,
    'fields',
    READABLE_FIELDS.map((k) => [k, s[k]]),
  );
  rec.add(label, 'kState', flagsOf(s));
}

function snapWritable(rec, label, stream) {
  const s = stream._writableState;
  rec.add(label, 'own keys', Object.keys(s));
  rec.add(label, 'buffered', Array.isArray(s.buffered), s.buffered.length, s.getBuffer().length);
  rec.add(label, 'writecb', typeof s.writecb, s.afterWriteTickInfo === null);
  rec.add(
    label,
    'fields',
    WRITABLE_FIELDS.map((k) => [k, s[k]]),
  );
  rec.add(label, 'kState', flagsOf(s));
}

test('a fresh Readable, Writable, Duplex and Transform: state keys, fields, _events layout', () =>
  differential(({ Readable, Writable, Duplex, Transform }, rec) => {
    const r = new Readable({ read() {} });
    snapReadable(rec, 'r', r);
    rec.add('r keys', Object.keys(r), Object.keys(r._events));
    const w = new Writable({
      write(c, e, cb) {
        cb();
      },
    });
    snapWritable(rec, 'w', w);
    rec.add('w keys', Object.keys(w), Object.keys(w._events));
    const d = new Duplex();
    snapReadable(rec, 'd', d);
    snapWritable(rec, 'd', d);
    rec.add('d keys', Object.keys(d), Object.keys(d._events));
    const t = new Transform({
      transform(c, e, cb) {
        cb(null, c);
      },
    });
    snapReadable(rec, 't', t);
    snapWritable(rec, 't', t);
    rec.add(
      'eventNames',
      new Readable()
        .on('foo', () => {})
        .on('data', () => {})
        .on('error', () => {})
        .eventNames(),
    );
    rec.add('options', new Readable({ objectMode: true, highWaterMark: 3, emitClose: false, autoDestroy: false }));
  }));

test('push, read(n), unshift: the buffer array, bufferIndex and length after each step', () =>
  differential(({ Readable, Buffer }, rec) => {
    const r = new Readable({ read() {} });
    r.push(Buffer.from('hello'));
    r.push('world');
    r.push(new Uint8Array([1, 2, 3]));
    snapReadable(rec, 'pushed', r);
    rec.add('read 3', r.read(3));
    snapReadable(rec, 'after read 3', r);
    rec.add('read 4', r.read(4));
    snapReadable(rec, 'after read 4', r);
    r.unshift(Buffer.from('xy'));
    snapReadable(rec, 'after unshift', r);
    rec.add('read all', r.read());
    snapReadable(rec, 'after read all', r);
    r.push(null);
    snapReadable(rec, 'ended', r);
  }));

test('objectMode: the buffer holds the objects, consumed slots are nulled, unshift reuses a slot', () =>
  differential(({ Readable }, rec) => {
    const r = new Readable({ objectMode: true, read() {} });
    for (const v of [1, 'two', { three: 3 }, [4], false]) r.push(v);
    snapReadable(rec, 'pushed', r);
    rec.add('read', r.read(), r.read());
    snapReadable(rec, 'after 2 reads', r);
    r.unshift('back');
    snapReadable(rec, 'after unshift', r);
    while (r.read() !== null);
    snapReadable(rec, 'drained', r);
  }));

test('a NoFilter-style walk of _readableState.buffer (as the cbor package does)', () =>
  differential(({ Readable, Buffer }, rec) => {
    const r = new Readable({ read() {} });
    for (const s of ['ab', 'cd', 'ef']) r.push(Buffer.from(s));
    r.read(1);
    // cbor's NoFilter reads the pending bytes straight off the state's buffer.
    const st = r._readableState;
    const pending = Buffer.concat(st.buffer.filter((b) => b !== null));
    rec.add('pending', pending, st.length, r.readableLength);
    rec.add('buffer', st.buffer);
  }));

test('setEncoding with buffered bytes, split characters and after the end', () =>
  differential(({ Readable, Buffer }, rec) => {
    const r = new Readable({ read() {} });
    r.push(Buffer.from([0xe2, 0x82]));
    r.push(Buffer.from([0xac, 0x41]));
    r.push(Buffer.from([0xe2]));
    r.setEncoding('utf8');
    snapReadable(rec, 'set', r);
    r.push(null);
    snapReadable(rec, 'ended', r);
    const r2 = new Readable({ read() {} });
    r2.push(Buffer.from([0xe2]));
    r2.push(null);
    r2.setEncoding('utf8');
    snapReadable(rec, 'set after end', r2);
    const r3 = new Readable({ read() {}, encoding: 'hex', defaultEncoding: 'latin1' });
    r3.push('ÿ');
    snapReadable(rec, 'hex', r3);
  }));

test('flowing, paused, ended and endEmitted through data, pause, resume and end', () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    rec.add('initial', r._readableState.flowing, r.readableFlowing, r.isPaused());
    r.on('data', (c) => rec.add('data', c, r._readableState.flowing, r._readableState.length));
    snapReadable(rec, 'on data', r);
    r.pause();
    snapReadable(rec, 'paused', r);
    r.push('a');
    r.push('b');
    snapReadable(rec, 'pushed while paused', r);
    r.resume();
    snapReadable(rec, 'resumed', r);
    await new Promise((resolve) => setImmediate(resolve));
    snapReadable(rec, 'flowed', r);
    r.push(null);
    await new Promise((resolve) => r.on('end', resolve));
    snapReadable(rec, 'end', r);
    await new Promise((resolve) => setImmediate(resolve));
    snapReadable(rec, 'closed', r);
  }));

test("'readable' listeners, needReadable, emittedReadable and readableFlowing = false", () =>
  differential(async ({ Readable }, rec) => {
    const r = new Readable({ read() {} });
    r.on('readable', () => {
      snapReadable(rec, 'in readable', r);
      let c;
      while ((c = r.read()) !== null) rec.add('read', c);
    });
    snapReadable(rec, 'listening', r);
    await new Promise((resolve) => setImmediate(resolve));
    r.push('x');
    snapReadable(rec, 'pushed', r);
    await new Promise((resolve) => setImmediate(resolve));
    r.removeAllListeners('readable');
    await new Promise((resolve) => setImmediate(resolve));
    snapReadable(rec, 'removed', r);
  }));

test('pipe: pipes, awaitDrainWriters and multiAwaitDrain with one and two destinations', () =>
  differential(async ({ Readable, Writable }, rec) => {
    const r = new Readable({ read() {} });
    const slow = () =>
      new Writable({
        highWaterMark: 1,
        write(c, e, cb) {
          setImmediate(cb);
        },
      });
    const a = slow();
    r.pipe(a);
    r.push('aa');
    r.push('bb');
    await new Promise((resolve) => setImmediate(resolve));
    rec.add(
      'one',
      r._readableState.pipes.length,
      r._readableState.awaitDrainWriters === a,
      r._readableState.multiAwaitDrain,
    );
    const b = slow();
    r.pipe(b);
    rec.add('two', r._readableState.awaitDrainWriters.size, r._readableState.multiAwaitDrain);
    r.push('cc');
    await new Promise((resolve) => setTimeout(resolve, 20));
    snapReadable(rec, 'two pipes', r);
    r.unpipe(a);
    snapReadable(rec, 'unpiped', r);
    r.unpipe();
    snapReadable(rec, 'all unpiped', r);
  }));

test('Writable: buffered writes, corked, needDrain, pendingcb, ending and finished', () =>
  differential(async ({ Writable }, rec) => {
    const cbs = [];
    const w = new Writable({
      highWaterMark: 4,
      write(c, e, cb) {
        cbs.push(cb);
      },
    });
    w.write('abc');
    snapWritable(rec, 'writing', w);
    w.write('de', () => rec.add('cb de'));
    w.cork();
    w.write('f');
    snapWritable(rec, 'buffered+corked', w);
    rec.add(
      'buffer',
      w.writableBuffer.map((x) => [x.chunk, x.encoding]),
    );
    w.uncork();
    cbs.shift()();
    await new Promise((resolve) => setImmediate(resolve));
    snapWritable(rec, 'after first cb', w);
    while (cbs.length) {
      cbs.shift()();
      await new Promise((resolve) => setImmediate(resolve));
    }
    w.end();
    snapWritable(rec, 'ending', w);
    await new Promise((resolve) => w.on('finish', resolve));
    snapWritable(rec, 'finished', w);
  }));

test('destroy with an error: errored, errorEmitted, closed and closeEmitted on both states', () =>
  differential(async ({ Duplex }, rec) => {
    const d = new Duplex({
      read() {},
      write(c, e, cb) {
        cb();
      },
    });
    d.on('error', (e) => rec.add('error', e));
    d.push('q');
    d.destroy(new Error('boom'));
    snapReadable(rec, 'destroyed', d);
    snapWritable(rec, 'destroyed', d);
    await new Promise((resolve) => d.on('close', resolve));
    snapReadable(rec, 'closed', d);
    snapWritable(rec, 'closed', d);
    rec.add('errored', d.errored, d.readableAborted, d.writableAborted);
  }));

test('defaultEncoding: accepted names, ERR_UNKNOWN_ENCODING, setDefaultEncoding', () =>
  differential(({ Readable, Writable }, rec) => {
    for (const enc of ['utf-8', 'latin1', 'hex', 'nope', {}]) {
      try {
        rec.add('readable', enc, new Readable({ defaultEncoding: enc })._readableState.defaultEncoding);
      } catch (err) {
        rec.add('readable throws', err);
      }
      try {
        rec.add('writable', enc, new Writable({ defaultEncoding: enc })._writableState.defaultEncoding);
      } catch (err) {
        rec.add('writable throws', err);
      }
    }
    const w = new Writable();
    w.setDefaultEncoding('BASE64');
    rec.add('set', w._writableState.defaultEncoding);
    try {
      w.write('abc', 'buffer');
    } catch (err) {
      rec.add('string as buffer', err);
    }
  }));
