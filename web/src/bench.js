// The benchmarks page: ferrode against the packages web apps use today for
// the same Node APIs and against the browser's own APIs, timed in this
// browser. Each row first runs every implementation once and checks that the
// outputs agree (as bench/harness.mjs does), then times each one best-of-N
// after a warm-up; the table shows ops/s and ferrode's speed relative to each
// other, the chart the same as bars.
import { Buffer as Buffer6 } from 'buffer';
import Events3 from 'events';
import * as readableStream from 'readable-stream';
import * as pako from 'pako';
import * as fflate from 'fflate';
import browserifyZlib from 'browserify-zlib';
import cryptoBrowserify from 'crypto-browserify';
import { sha256 as hashWasmSha256 } from 'hash-wasm';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

const ferrodeModule = (name) => import(/* @vite-ignore */ `/ferrode/js/${name}.js`);
const [fbuf, fevents, fstream, fzlib, fcrypto] = await Promise.all(
  ['buffer', 'events', 'stream', 'zlib', 'crypto'].map(ferrodeModule),
);
const { threads } = await import('/ferrode/js/index.js');

const $ = (id) => document.getElementById(id);
const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');
const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

function text(n) {
  const words = ['stream', 'buffer', 'event', 'node', 'ferrode', 'wasm', 'rust', 'browser', 'zlib', 'hash', 'é', '✓'];
  let s = '';
  let seed = 7;
  while (s.length < n) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    s += words[seed % words.length] + (seed % 7 === 0 ? '\n' : ' ');
  }
  return s.slice(0, n);
}

async function viaStream(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The rows: { group, name, bytes?, impls: { label: fn }, check(results) }. */
function rows() {
  const s64k = text(64 * 1024);
  const u8 = new TextEncoder().encode(s64k);
  const fb = fbuf.Buffer.from(u8);
  const b6 = Buffer6.from(u8);
  const b64 = fb.toString('base64');
  const big = new TextEncoder().encode(text(256 * 1024));
  const gz = fzlib.gzipSync(big);
  const mib = new TextEncoder().encode(text(1024 * 1024));
  // The browserify packages take buffer@6 Buffers (views of the same bytes, made before timing).
  const view6 = (u) => Buffer6.from(u.buffer, u.byteOffset, u.byteLength);
  const big6 = view6(big);
  const gz6 = view6(gz);
  const mib6 = view6(mib);
  const small6 = view6(u8.subarray(0, 64));
  const list = [];
  list.push({
    group: 'buffer',
    name: 'utf8 encode 64 KiB string',
    bytes: u8.length,
    impls: {
      ferrode: () => fbuf.Buffer.from(s64k, 'utf8'),
      'buffer@6': () => Buffer6.from(s64k, 'utf8'),
      TextEncoder: () => new TextEncoder().encode(s64k),
    },
    check: (r) => same(r['buffer@6'], r.ferrode) && same(r.TextEncoder, r.ferrode),
  });
  list.push({
    group: 'buffer',
    name: 'utf8 decode 64 KiB',
    bytes: u8.length,
    impls: {
      ferrode: () => fb.toString('utf8'),
      'buffer@6': () => b6.toString('utf8'),
      TextDecoder: () => new TextDecoder().decode(u8),
    },
    check: (r) => r['buffer@6'] === r.ferrode && r.TextDecoder === r.ferrode,
  });
  list.push({
    group: 'buffer',
    name: 'base64 encode 64 KiB',
    bytes: u8.length,
    impls: {
      ferrode: () => fb.toString('base64'),
      'buffer@6': () => b6.toString('base64'),
    },
    check: (r) => r['buffer@6'] === r.ferrode,
  });
  list.push({
    group: 'buffer',
    name: 'base64 decode 64 KiB',
    bytes: u8.length,
    impls: {
      ferrode: () => fbuf.Buffer.from(b64, 'base64'),
      'buffer@6': () => Buffer6.from(b64, 'base64'),
    },
    check: (r) => same(r['buffer@6'], r.ferrode),
  });
  const emitCount = 10000;
  const emitters = (E) => {
    const e = new E();
    let n = 0;
    for (let i = 0; i < 3; i++) e.on('x', (v) => (n += v));
    return () => {
      n = 0;
      for (let i = 0; i < emitCount; i++) e.emit('x', 1);
      return n;
    };
  };
  const target = new EventTarget();
  let tn = 0;
  for (let i = 0; i < 3; i++) target.addEventListener('x', (ev) => (tn += ev.detail));
  list.push({
    group: 'events',
    name: `emit to 3 listeners ×${emitCount}`,
    impls: {
      ferrode: emitters(fevents.EventEmitter),
      'events@3': emitters(Events3),
      EventTarget: () => {
        tn = 0;
        for (let i = 0; i < emitCount; i++) target.dispatchEvent(new CustomEvent('x', { detail: 1 }));
        return tn;
      },
    },
    check: (r) => r.ferrode === 3 * emitCount && r['events@3'] === r.ferrode && r.EventTarget === r.ferrode,
  });
  const chunks = Array.from({ length: 256 }, (_, i) => u8.subarray(i * 256, i * 256 + 256));
  const pipeWith = (S) => () =>
    new Promise((resolve, reject) => {
      let i = 0;
      let total = 0;
      const r = new S.Readable({
        read() {
          this.push(i < chunks.length ? chunks[i++] : null);
        },
      });
      const w = new S.Writable({
        write(c, e, cb) {
          total += c.length;
          cb();
        },
      });
      w.on('finish', () => resolve(total));
      w.on('error', reject);
      r.pipe(w);
    });
  list.push({
    group: 'stream',
    name: 'Readable.pipe(Writable), 256 chunks',
    bytes: 65536,
    impls: {
      ferrode: pipeWith(fstream),
      'readable-stream@4': pipeWith(readableStream),
      'WHATWG streams': async () => {
        let i = 0;
        let total = 0;
        await new ReadableStream({
          pull(c) {
            if (i < chunks.length) c.enqueue(chunks[i++]);
            else c.close();
          },
        }).pipeTo(
          new WritableStream({
            write(c) {
              total += c.length;
            },
          }),
        );
        return total;
      },
    },
    check: (r) => r.ferrode === 65536 && r['readable-stream@4'] === 65536 && r['WHATWG streams'] === 65536,
  });
  const roundTrips = (r) => Object.values(r).every((out) => same(fzlib.gunzipSync(out), big));
  list.push({
    group: 'zlib',
    name: 'gzip 256 KiB text',
    bytes: big.length,
    impls: {
      ferrode: () => fzlib.gzipSync(big),
      pako: () => pako.gzip(big),
      fflate: () => fflate.gzipSync(big, { level: 6 }),
      'browserify-zlib': () => browserifyZlib.gzipSync(big6),
      CompressionStream: () => viaStream(big, new CompressionStream('gzip')),
    },
    check: roundTrips,
  });
  list.push({
    group: 'zlib',
    name: 'gunzip 256 KiB text',
    bytes: big.length,
    impls: {
      ferrode: () => fzlib.gunzipSync(gz),
      pako: () => pako.ungzip(gz),
      fflate: () => fflate.gunzipSync(gz),
      'browserify-zlib': () => browserifyZlib.gunzipSync(gz6),
      DecompressionStream: () => viaStream(gz, new DecompressionStream('gzip')),
    },
    check: (r) => Object.values(r).every((out) => same(out, big)),
  });
  list.push({
    group: 'crypto',
    name: 'sha256 1 MiB',
    bytes: mib.length,
    impls: {
      ferrode: () => fcrypto.createHash('sha256').update(mib).digest('hex'),
      'crypto-browserify': () => cryptoBrowserify.createHash('sha256').update(mib6).digest('hex'),
      'hash-wasm': () => hashWasmSha256(mib),
      '@noble/hashes': () => hex(nobleSha256(mib)),
      'crypto.subtle': async () => hex(new Uint8Array(await crypto.subtle.digest('SHA-256', mib))),
    },
    check: (r) => Object.values(r).every((h) => h === r.ferrode),
  });
  list.push({
    group: 'crypto',
    name: 'sha256 64 B ×1000',
    impls: {
      ferrode: () => {
        let h;
        for (let i = 0; i < 1000; i++) h = fcrypto.createHash('sha256').update(u8.subarray(0, 64)).digest('hex');
        return h;
      },
      'crypto-browserify': () => {
        let h;
        for (let i = 0; i < 1000; i++) h = cryptoBrowserify.createHash('sha256').update(small6).digest('hex');
        return h;
      },
      '@noble/hashes': () => {
        let h;
        for (let i = 0; i < 1000; i++) h = hex(nobleSha256(u8.subarray(0, 64)));
        return h;
      },
    },
    check: (r) => Object.values(r).every((h) => h === r.ferrode),
  });
  return list;
}

/**
 * Best time of one call, in ms, after a warm-up. Browsers coarsen
 * performance.now() (to 0.1 ms without cross-origin isolation), so each sample
 * times a batch of calls long enough to measure, sized by a first calibration.
 */
async function bestOf(fn, minTime) {
  await fn();
  await fn();
  let batch = 1;
  const sampleMs = Math.max(2, minTime / 10);
  let best = Infinity;
  let runs = 0;
  const start = performance.now();
  while (runs < 3 || (performance.now() - start < minTime && runs < 50)) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    const dt = performance.now() - t0;
    // A batch too short to measure is not a sample: grow it and go again.
    if (dt < sampleMs && batch < 1 << 20) {
      batch *= dt > 0 ? Math.min(16, Math.max(2, Math.ceil(sampleMs / dt))) : 16;
      continue;
    }
    best = Math.min(best, dt / batch);
    runs++;
  }
  return best;
}

function fmtOps(ms) {
  const ops = 1000 / ms;
  return ops >= 100 ? ops.toFixed(0) : ops.toFixed(2);
}

function fmtRate(bytes, ms) {
  if (!bytes) return '';
  const mbs = bytes / 1e6 / (ms / 1e3);
  return `${mbs >= 100 ? mbs.toFixed(0) : mbs.toFixed(1)} MB/s`;
}

const COLORS = ['#d9822b', '#3a9d5d', '#a34fc4', '#c43d4f', '#6d7783', '#b59a1c', '#2a9d9d'];

function render(results) {
  const body = $('results');
  body.replaceChildren();
  for (const row of results) {
    const base = row.times.ferrode;
    let first = true;
    for (const [label, ms] of Object.entries(row.times)) {
      const tr = document.createElement('tr');
      if (first) tr.className = 'first';
      const cells = [
        first ? `${row.group}` : '',
        first ? row.name : '',
        label,
        Number.isFinite(ms) ? fmtOps(ms) : 'failed',
        Number.isFinite(ms) ? fmtRate(row.bytes, ms) : '',
        label === 'ferrode' || !Number.isFinite(ms) ? '' : `${(ms / base).toFixed(2)}×`,
        first ? (row.agree ? '✓ same output' : '✗ outputs differ') : '',
      ];
      cells.forEach((c, i) => {
        const td = document.createElement('td');
        td.textContent = c;
        if (i === 3) td.className = 'num ops';
        if (i === 4 || i === 5) td.className = 'num';
        if (i === 6) td.className = row.agree ? 'ok' : 'bad';
        tr.append(td);
      });
      body.append(tr);
      first = false;
    }
  }
  renderChart(results);
}

/** One group of bars per row: each implementation's ops/s relative to the row's fastest. */
function renderChart(results) {
  const labels = [...new Set(results.flatMap((r) => Object.keys(r.times)))].filter((l) => l !== 'ferrode');
  const color = (l) => (l === 'ferrode' ? '#2f6fd6' : COLORS[labels.indexOf(l) % COLORS.length]);
  const barH = 12;
  const gap = 14;
  // Drawn at the width it is shown at, so that its text stays readable on a phone.
  const total = Math.max(300, Math.min(860, $('chart').clientWidth || 860));
  const left = total < 600 ? 118 : 190;
  const width = total - left - 80;
  let y = 10;
  const parts = [];
  for (const row of results) {
    const entries = Object.entries(row.times).filter(([, ms]) => Number.isFinite(ms));
    const fastest = Math.min(...entries.map(([, ms]) => ms));
    parts.push(`<text x="0" y="${y + 10}" class="row-name">${escape(`${row.group}: ${row.name}`)}</text>`);
    y += 16;
    for (const [label, ms] of entries) {
      const w = Math.max(2, (fastest / ms) * width);
      parts.push(
        `<text x="${left - 6}" y="${y + 10}" text-anchor="end" class="impl">${escape(label)}</text>` +
          `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" rx="2" fill="${color(label)}">` +
          `<title>${escape(`${label}: ${fmtOps(ms)} ops/s`)}</title></rect>` +
          `<text x="${left + w + 4}" y="${y + 10}" class="val">${fmtOps(ms)}/s</text>`,
      );
      y += barH + 3;
    }
    y += gap;
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} ${y}" ` +
    `role="img" aria-label="ops per second, relative to the fastest in each row">${parts.join('')}</svg>`;
  $('chart').innerHTML = svg;
}

function escape(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** Runs every row; `minTime` ms of timing per implementation. */
async function run({ minTime = 300, only = null } = {}) {
  $('run').disabled = true;
  const results = [];
  try {
    for (const row of rows()) {
      if (only && !`${row.group} ${row.name}`.includes(only)) continue;
      $('progress').textContent = `running ${row.group}: ${row.name}…`;
      const outputs = {};
      for (const [label, fn] of Object.entries(row.impls)) outputs[label] = await fn();
      let agree;
      try {
        agree = row.check(outputs) === true;
      } catch {
        agree = false;
      }
      const times = {};
      for (const [label, fn] of Object.entries(row.impls)) {
        try {
          times[label] = await bestOf(fn, minTime);
        } catch {
          times[label] = NaN;
        }
        // Let the page paint between implementations.
        await new Promise((r) => setTimeout(r, 0));
      }
      results.push({ group: row.group, name: row.name, bytes: row.bytes ?? null, times, agree });
      render(results);
    }
    const n = `${results.length} row${results.length === 1 ? '' : 's'}`;
    $('progress').textContent =
      `done: ${n}, best of N after warm-up, ${minTime} ms per ` +
      'implementation. Ratios are other time / ferrode time (above 1× means ferrode is faster).';
  } finally {
    $('run').disabled = false;
  }
  globalThis.__bench.results = results;
  return results;
}

$('env').textContent =
  `${navigator.userAgent.match(/(Chrome|Firefox|Safari)\/[\d.]+/)?.[0] ?? navigator.userAgent}` +
  ` · ${navigator.hardwareConcurrency} logical CPUs · ferrode ` +
  `${threads.threaded ? `threaded build, pool of ${threads.poolSize}` : 'single-threaded build'}`;
$('run').onclick = () => run({ minTime: Number($('min-time').value) });
globalThis.__bench = { run, results: null, ready: true };
