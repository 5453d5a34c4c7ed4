// Compiled by tests/node/dropin-types.test.mjs with `tsc --noEmit`: ferrode's
// subpaths carry Node's own declarations, plus ferrode's extras. Each
// expected-error line below proves a declaration is real (an `any` would not error).
import { Buffer } from 'ferrode/buffer';
import { EventEmitter, once } from 'ferrode/events';
import { Readable, Transform, pipeline } from 'ferrode/stream';
import { pipeline as pipelinePromise } from 'ferrode/stream/promises';
import { StringDecoder } from 'ferrode/string_decoder';
import zlib, { gzipSync, constants } from 'ferrode/zlib';
import { createHash, randomBytes, type Hash } from 'ferrode/crypto';
import { threads, type Threads } from 'ferrode';
import ferrode, { type FerrodeViteOptions } from 'ferrode/vite';
import type * as NodeZlib from 'node:zlib';

const b: Buffer = Buffer.from('hi');
const same: import('node:buffer').Buffer = b;
const e = new EventEmitter();
e.on('x', (n: number) => n + 1);
const h: Hash = createHash('sha256');
const nodeHash: import('node:crypto').Hash = h;
const gz: Buffer = gzipSync(b, { level: constants.Z_BEST_COMPRESSION });
const fromDefault: typeof NodeZlib.gunzipSync = zlib.gunzipSync;
const d = new StringDecoder('utf8');
const text: string = d.write(b) + d.end();
const r = Readable.from(['a']);
const t = new Transform({
  transform(chunk, _enc, cb) {
    cb(null, chunk);
  },
});
pipeline(r, t, (err) => {
  if (err) throw err;
});
const p: Promise<void> = pipelinePromise(Readable.from(['b']), new Transform());
const ev: Promise<unknown[]> = once(e, 'x');
const info: Threads = threads;
const threaded: boolean = threads.threaded;
const options: FerrodeViteOptions = { globals: { Buffer: true, process: false }, coopCoep: true };
const plugin = ferrode(options);
const pluginName: string = plugin.name;

// @ts-expect-error gzipSync takes a buffer or string, not a number
gzipSync(42);
// @ts-expect-error createHash needs an algorithm
createHash();
// @ts-expect-error threads is read-only
threads.poolSize = 3;
// @ts-expect-error unknown plugin option
ferrode({ coop: true });
// @ts-expect-error globals take booleans
ferrode({ globals: { Buffer: 'yes' } });

export { same, nodeHash, gz, fromDefault, text, p, ev, info, threaded, pluginName, randomBytes };
