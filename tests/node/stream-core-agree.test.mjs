// The shared scripted scenario of core/src/stream/testdata/scenario.json,
// replayed on ferrode/stream and on node:stream: both must log exactly the
// `expect` sequence that core's Rust state machines also produce (cargo test
// replays the same file), so the JS streams and core agree on the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as nodeStream from 'node:stream';
import * as ferrodeStream from 'ferrode/stream';

const scenario = JSON.parse(
  fs.readFileSync(new URL('../../core/src/stream/testdata/scenario.json', import.meta.url), 'utf8'),
);

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((res) => setImmediate(res));
};
const text = (c) => (c === null ? null : typeof c === 'string' ? c : Buffer.from(c).toString('latin1'));

async function replayWritable({ Writable }, spec) {
  const log = [];
  const pending = [];
  const w = new Writable({
    highWaterMark: spec.highWaterMark,
    write(chunk, enc, cb) {
      log.push(['sink', text(chunk)]);
      pending.push(cb);
    },
  });
  for (const ev of ['drain', 'prefinish', 'finish', 'close']) w.on(ev, () => log.push([ev]));
  w.on('error', (e) => log.push(['error', e.code]));
  for (const op of spec.ops) {
    const [name, arg] = op.split(':');
    if (name === 'write') {
      log.push(['write', arg]);
      log.push(['ret', w.write(arg)]);
    } else if (name === 'complete') {
      log.push(['complete']);
      pending.shift()?.();
    } else if (name === 'end') {
      log.push(['end']);
      w.end((err) => {
        if (err) log.push(['end-error', err.code]);
      });
    } else if (name === 'destroy') {
      log.push(['destroy']);
      w.destroy();
    }
    await settle();
  }
  return log;
}

async function replayReadable({ Readable }, spec) {
  const log = [];
  const r = new Readable({ highWaterMark: spec.highWaterMark, read() {} });
  for (const ev of ['end', 'close', 'pause', 'resume']) r.on(ev, () => log.push([ev]));
  for (const op of spec.ops) {
    const [name, arg] = op.split(':');
    if (name === 'push') {
      log.push(['push', arg]);
      log.push(['ret', r.push(arg)]);
    } else if (name === 'eof') {
      log.push(['eof']);
      r.push(null);
    } else if (name === 'read') {
      const n = arg === undefined ? undefined : Number(arg);
      log.push(n === undefined ? ['read'] : ['read', n]);
      log.push(['got', text(r.read(n))]);
    } else if (name === 'listen-readable') {
      log.push(['listen-readable']);
      r.on('readable', () => log.push(['readable']));
    } else if (name === 'listen-data') {
      log.push(['listen-data']);
      r.on('data', (c) => log.push(['data', text(c)]));
    } else if (name === 'pause') {
      log.push(['pause']);
      r.pause();
    } else if (name === 'resume') {
      log.push(['resume']);
      r.resume();
    }
    await settle();
  }
  return log;
}

for (const [name, spec] of Object.entries(scenario)) {
  if (name === 'about') continue;
  const replay = name.startsWith('writable') ? replayWritable : replayReadable;
  test(`scenario ${name}: node:stream, ferrode/stream and core agree`, async () => {
    const nodeLog = await replay(nodeStream, spec);
    const ferrodeLog = await replay(ferrodeStream, spec);
    assert.deepEqual(ferrodeLog, nodeLog);
    assert.deepEqual(nodeLog, spec.expect);
  });
}
