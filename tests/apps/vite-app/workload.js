// The sample app's work: unmodified npm packages that use Node's modules.
// The same file runs under Node 20 (Node's own modules) and in the page (the
// bundler's stand-ins); the test compares the two results.
import { Buffer } from 'buffer';
import { StringDecoder } from 'string_decoder';
import { smoke } from '../shared/smoke.js';
import zlib from 'zlib';
import crypto from 'crypto';
import { PNG } from 'pngjs';
import tar from 'tar-stream';
import safe from 'safe-buffer';

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

function image(width, height) {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (width * y + x) << 2;
      png.data[i] = (x * 7 + y * 3) & 255;
      png.data[i + 1] = (x ^ y) & 255;
      png.data[i + 2] = (x * y) & 255;
      png.data[i + 3] = 255 - ((x + y) & 127);
    }
  }
  return png;
}

const collect = (stream) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

async function pngjs() {
  const png = image(61, 37);
  const syncBytes = PNG.sync.write(png, { deflateLevel: 9 });
  const packed = await collect(png.pack());
  const decoded = await new Promise((resolve, reject) => {
    new PNG({ filterType: -1 }).parse(packed, (err, out) => (err ? reject(err) : resolve(out)));
  });
  // PNG.sync.read: pngjs subclasses zlib.Inflate the pre-ES2015 way and drives
  // its _handle.writeSync itself. Read both the async encoder's and the sync
  // encoder's files (the second is the sync write → sync read round trip).
  const syncRead = (bytes) => {
    const img = PNG.sync.read(bytes);
    return { width: img.width, height: img.height, data: sha256(img.data), same: Buffer.compare(img.data, png.data) };
  };
  return {
    syncWrite: sha256(syncBytes),
    syncWriteLength: syncBytes.length,
    syncRead: syncRead(packed),
    syncRoundTrip: syncRead(syncBytes),
    packed: sha256(packed),
    packedLength: packed.length,
    decoded: { width: decoded.width, height: decoded.height, data: sha256(decoded.data) },
    roundTrip: Buffer.compare(decoded.data, png.data) === 0,
  };
}

async function tarStream() {
  const pack = tar.pack();
  const big = Buffer.alloc(70000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 255;
  const mtime = new Date(1700000000000);
  pack.entry({ name: 'hello.txt', mtime, mode: 0o644 }, 'hello from tar-stream\n');
  pack.entry({ name: 'dir/', type: 'directory', mtime, mode: 0o755 });
  pack.entry({ name: 'dir/data.bin', mtime, mode: 0o600 }, big);
  pack.entry({ name: 'dir/unicode-é.txt', mtime }, 'ünïcödé ✓');
  pack.finalize();
  const archive = await collect(pack);
  const entries = [];
  const extract = tar.extract();
  const done = new Promise((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      collect(stream).then((body) => {
        entries.push({
          name: header.name,
          type: header.type,
          size: header.size,
          mode: header.mode,
          body: sha256(body),
        });
        next();
      }, reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(archive);
  await done;
  const gz = zlib.gzipSync(archive, { level: 6 });
  return { archive: sha256(archive), length: archive.length, entries, tgz: gz.toString('base64') };
}

function stringUsers() {
  const SafeBuffer = safe.Buffer;
  const b = SafeBuffer.from('héllo wörld €', 'utf8');
  const d = new StringDecoder('utf8');
  const euro = Buffer.from('€😀');
  let text = '';
  for (let i = 0; i < euro.length; i++) text += d.write(euro.subarray(i, i + 1));
  text += d.end();
  const d16 = new StringDecoder('utf16le');
  const u16 = d16.write(Buffer.from([0x3d, 0xd8])) + d16.write(Buffer.from([0x00, 0xde])) + d16.end();
  return {
    safe: [
      b.toString('base64'),
      SafeBuffer.alloc(3, 'ab').toString('hex'),
      SafeBuffer.byteLength('€€'),
      SafeBuffer.isBuffer(b),
    ],
    decoder: text,
    utf16: u16,
  };
}

// Each part reports its own failure, so a stand-in that lacks something shows what.
async function attempt(fn) {
  try {
    return await fn();
  } catch (err) {
    return { error: String((err && err.message) || err) };
  }
}

// crypto's callback KDFs run in a Worker in browsers: the bundler must ship it.
function kdf() {
  return new Promise((resolve, reject) => {
    crypto.pbkdf2('secret', 'salt', 2000, 32, 'sha256', (err, key) =>
      err ? reject(err) : resolve(key.toString('hex')),
    );
  });
}

export async function run() {
  return {
    smoke: await attempt(smoke),
    pngjs: await attempt(pngjs),
    tar: await attempt(tarStream),
    strings: await attempt(stringUsers),
    kdf: await attempt(kdf),
  };
}

/** Time to gzip and to hash `mib` MiB in this environment (best of `rounds`). */
/** The speed rows' input: `mib` MiB of low-entropy bytes, the same in every page and in Node. */
export function speedInput(mib = 16) {
  const data = Buffer.alloc(mib * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((Math.imul(i, 2654435761) >>> 7) & 0x3f3f3f3f, i);
  return data;
}

export function speed(mib = 16, rounds = 3) {
  const data = speedInput(mib);
  let gzip = Infinity;
  let hash = Infinity;
  let gz = null;
  let digest = '';
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    gz = zlib.gzipSync(data);
    gzip = Math.min(gzip, performance.now() - t);
    t = performance.now();
    digest = crypto.createHash('sha256').update(data).digest('hex');
    hash = Math.min(hash, performance.now() - t);
  }
  // Checked outside the timing: the gzip reads back to the input.
  const roundTrip = zlib.gunzipSync(gz).equals(data);
  return { gzipMs: gzip, sha256Ms: hash, gzLength: gz.length, digest, roundTrip };
}

/** The browser's own gzip (CompressionStream, async only) on the same input, for scale. */
export async function nativeGzipSpeed(mib = 16, rounds = 3) {
  const data = speedInput(mib);
  let best = Infinity;
  let gzLength = 0;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const gz = await new Response(new Blob([data]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    best = Math.min(best, performance.now() - t);
    gzLength = gz.byteLength;
  }
  return { gzipMs: best, gzLength };
}
