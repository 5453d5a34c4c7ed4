// Random operation sequences on a Writable (write/complete/end/cork/uncork/
// destroy) and a Readable (push/eof/read(n)/pause/resume/listeners/destroy),
// replayed on node:stream and ferrode/stream: the traces must be equal.
// Seeded: FERRODE_SEED=<n> replays one seed, FERRODE_ITERATIONS=<n> widens.
import { test } from 'node:test';
import { differential } from './stream-recorder.mjs';
import { rngInt } from '../support/rng.mjs';

const ONE = process.env.FERRODE_SEED ? Number(process.env.FERRODE_SEED) : null;
const N = Number(process.env.FERRODE_ITERATIONS ?? 60);
const seeds = ONE !== null ? [ONE] : Array.from({ length: N }, (_, i) => i + 1);

const tick = () => new Promise((res) => setImmediate(res));

function writableScript(seed) {
  const r = rngInt(seed);
  const opts = { highWaterMark: r(6), objectMode: r(4) === 0, autoDestroy: r(4) !== 0, writev: r(3) === 0 };
  const ops = Array.from({ length: 25 }, () => {
    const k = r(20);
    if (k < 8) return ['write', 'abcdefg'.slice(0, r(7) + 1)];
    if (k < 13) return ['complete', r(2) === 0 ? null : 'EIO'];
    if (k < 15) return ['end'];
    if (k < 17) return ['cork'];
    if (k < 19) return ['uncork'];
    return [r(2) === 0 ? 'destroy' : 'destroy-error'];
  });
  return { opts, ops };
}

function readableScript(seed) {
  const r = rngInt(seed + 100000);
  const opts = { highWaterMark: r(6), objectMode: r(4) === 0, autoDestroy: r(4) !== 0 };
  const ops = Array.from({ length: 25 }, () => {
    const k = r(20);
    if (k < 7) return ['push', 'xyzuvw'.slice(0, r(6) + 1)];
    if (k < 8) return ['eof'];
    if (k < 12) return ['read', r(3) === 0 ? undefined : r(8)];
    if (k < 14) return ['pause'];
    if (k < 16) return ['resume'];
    if (k < 17) return ['on-readable'];
    if (k < 18) return ['on-data'];
    if (k < 19) return ['unshift', 'q'];
    return ['destroy'];
  });
  return { opts, ops };
}

function pipeScript(seed) {
  const r = rngInt(seed + 200000);
  const opts = { rh: r(5), wh: r(5), th: r(5), objectMode: r(3) === 0, transform: r(2) === 0 };
  const ops = Array.from({ length: 30 }, () => {
    const k = r(20);
    if (k < 8) return ['push', 'mnopqr'.slice(0, r(6) + 1)];
    if (k < 15) return ['complete'];
    if (k < 16) return ['eof'];
    if (k < 17) return ['unpipe'];
    if (k < 18) return ['pause'];
    if (k < 19) return ['resume'];
    return ['wait'];
  });
  return { opts, ops };
}

for (const seed of seeds) {
  test(`random pipe (optionally through a Transform), seed ${seed}`, () =>
    differential(async ({ Readable, Writable, Transform }, rec) => {
      const { opts, ops } = pipeScript(seed);
      const pending = [];
      const src = new Readable({ highWaterMark: opts.rh, objectMode: opts.objectMode, read() {} });
      const dst = new Writable({
        highWaterMark: opts.wh,
        objectMode: opts.objectMode,
        write(c, e, cb) {
          rec.add('_write', c);
          pending.push(cb);
        },
      });
      rec.watch(src, 'src', ['end', 'close', 'pause', 'resume', 'error']);
      rec.watch(dst, 'dst', ['pipe', 'unpipe', 'drain', 'finish', 'close', 'error']);
      let head = src;
      if (opts.transform) {
        const t = new Transform({
          highWaterMark: opts.th,
          objectMode: opts.objectMode,
          transform(c, e, cb) {
            cb(null, c);
          },
        });
        rec.watch(t, 't', ['end', 'finish', 'drain', 'error']);
        head = src.pipe(t);
      }
      head.pipe(dst);
      for (const [op, arg] of ops) {
        rec.add(op, arg);
        if (op === 'push') rec.add('ret', src.push(arg));
        else if (op === 'complete') pending.shift()?.();
        else if (op === 'eof') src.push(null);
        else if (op === 'unpipe') head.unpipe(dst);
        else if (op === 'pause') src.pause();
        else if (op === 'resume') src.resume();
        rec.add('state', src.readableLength, src.readableFlowing, dst.writableLength, dst.writableNeedDrain);
        await tick();
      }
    }));

  test(`random Writable ops, seed ${seed}`, () =>
    differential(async ({ Writable }, rec) => {
      const { opts, ops } = writableScript(seed);
      const pending = [];
      const w = new Writable({
        highWaterMark: opts.highWaterMark,
        objectMode: opts.objectMode,
        autoDestroy: opts.autoDestroy,
        write(c, e, cb) {
          rec.add('_write', c);
          pending.push(cb);
        },
        ...(opts.writev
          ? {
              writev(chunks, cb) {
                rec.add(
                  '_writev',
                  chunks.map((x) => x.chunk),
                );
                pending.push(cb);
              },
            }
          : {}),
      });
      rec.watch(w, 'w', ['drain', 'finish', 'prefinish', 'close', 'error']);
      for (const [op, arg] of ops) {
        rec.add(op, arg);
        if (op === 'write')
          rec.add(
            'ret',
            w.write(arg, (err) => rec.add('cb', arg, err)),
          );
        else if (op === 'complete') {
          const cb = pending.shift();
          if (cb) cb(arg ? Object.assign(new Error(arg), { code: arg }) : undefined);
        } else if (op === 'end') w.end((err) => rec.add('end cb', err));
        else if (op === 'cork') w.cork();
        else if (op === 'uncork') w.uncork();
        else if (op === 'destroy') w.destroy();
        else if (op === 'destroy-error') w.destroy(new Error('destroyed'));
        rec.add('state', w.writableLength, w.writableNeedDrain, w.writableEnded, w.writableFinished, w.destroyed);
        await tick();
      }
    }));

  test(`random Readable ops, seed ${seed}`, () =>
    differential(async ({ Readable }, rec) => {
      const { opts, ops } = readableScript(seed);
      const r = new Readable({ ...opts, read() {} });
      rec.watch(r, 'r', ['end', 'close', 'error', 'pause', 'resume']);
      for (const [op, arg] of ops) {
        rec.add(op, arg);
        if (op === 'push') rec.add('ret', r.push(arg));
        else if (op === 'eof') r.push(null);
        else if (op === 'read') rec.add('got', r.read(arg));
        else if (op === 'pause') r.pause();
        else if (op === 'resume') r.resume();
        else if (op === 'on-readable') r.on('readable', () => rec.add('readable', r.readableLength));
        else if (op === 'on-data') r.on('data', (c) => rec.add('data', c));
        else if (op === 'unshift') rec.add('ret', r.unshift(arg));
        else if (op === 'destroy') r.destroy();
        rec.add('state', r.readableLength, r.readableFlowing, r.readableEnded, r.destroyed);
        await tick();
      }
    }));
}
