// The recorder the stream differential tests share: a scenario runs once on
// node:stream and once on ferrode/stream, logging events, callbacks, values and
// errors in one normalized form, and the two logs must be equal.
import { setImmediate as tick } from 'node:timers/promises';
import assert from 'node:assert/strict';
import * as nodeStream from 'node:stream';
import * as nodePromises from 'node:stream/promises';
import { Buffer as NodeBuffer } from 'node:buffer';
import * as ferrodeStream from 'ferrode/stream';
import * as ferrodePromises from 'ferrode/stream/promises';

let FerrodeBuffer = NodeBuffer;
try {
  ({ Buffer: FerrodeBuffer } = await import('ferrode/buffer'));
} catch {
  // Before the buffer module lands the streams run on Node's Buffer.
}

/** One value in a log-friendly, implementation-neutral form. */
export function norm(v) {
  if (v instanceof Error) {
    const out = { error: v.name, code: v.code, message: v.message };
    if (v instanceof AggregateError) out.errors = v.errors.map(norm);
    return out;
  }
  if (v instanceof Uint8Array) return { bytes: NodeBuffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  if (Array.isArray(v)) return v.map(norm);
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (v && typeof v === 'object') {
    if (typeof v.pipe === 'function' || typeof v.write === 'function') return '[stream]';
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = norm(x);
    return o;
  }
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return v;
}

export function makeRecorder() {
  const log = [];
  return {
    log,
    add(...parts) {
      log.push(parts.map(norm));
    },
    /** Logs the given events of `stream` as `name event args...`. */
    watch(stream, name, events = ['data', 'end', 'finish', 'close', 'error', 'drain', 'pipe', 'unpipe', 'prefinish']) {
      for (const ev of events) {
        stream.on(ev, (...args) => {
          log.push([name, ev, ...args.map(norm)]);
        });
      }
      return stream;
    },
    /** A callback that logs its arguments under `label`. */
    cb(label) {
      return (...args) => log.push([label, ...args.map(norm)]);
    },
  };
}

/** Runs `scenario(env, rec)` on both implementations and asserts equal logs. */
export async function differential(scenario, { settle = 5 } = {}) {
  const envs = {
    node: { ...nodeStream, stream: nodeStream, promises: nodePromises, Buffer: NodeBuffer, impl: 'node' },
    ferrode: {
      ...ferrodeStream,
      stream: ferrodeStream,
      promises: ferrodePromises,
      Buffer: FerrodeBuffer,
      impl: 'ferrode',
    },
  };
  const logs = {};
  for (const [name, env] of Object.entries(envs)) {
    const rec = makeRecorder();
    try {
      await scenario(env, rec);
    } catch (err) {
      rec.add('thrown', err);
    }
    for (let i = 0; i < settle; i++) await tick();
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (let i = 0; i < settle; i++) await tick();
    logs[name] = rec.log;
  }
  assert.deepEqual(logs.ferrode, logs.node);
  return logs.node;
}
