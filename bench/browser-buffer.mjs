// The 16 MiB rows of bench/buffer.mjs in real Chromium (what users run):
// ferrode/buffer (single-threaded build) beside buffer@6 (bundled for the
// page with esbuild, as bundlers ship it) and the platform primitive each
// row's work goes through or could be done with (TextEncoder/TextDecoder,
// Uint8Array's toBase64/fromBase64/toHex/fromHex where present). Chromium has
// no Node Buffer: the platform rows take its place as the reference.
// Usage: node bench/browser-buffer.mjs (or node bench/run.mjs browser-buffer);
// BENCH_RUNS sets the best-of count (default 3), BENCH_FILTER keeps the rows
// whose name contains it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

import { printTable, runBenchPage } from './support/browser-page.mjs';
import { ROOT } from '../tests/support/paths.mjs';

// Runs in the page; inputs are made there the way bench/buffer.mjs makes them.
async function runBench({ runs, filter }) {
  const { Buffer: FB } = await import('ferrode/buffer');
  const { Buffer: B6 } = await import('/buffer6.js');
  const LARGE = 16 << 20;
  const te = new TextEncoder();
  const td = new TextDecoder();
  const randomBytes = (n, seed = 1) => {
    const out = new Uint8Array(n);
    let s = seed;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      out[i] = s >>> 24;
    }
    return out;
  };
  // Mostly-ASCII text with some 2-, 3- and 4-byte characters, at most `bytes` long.
  const sampleText = (bytes) => {
    const unit = 'The quick brown fox jumps over the lazy dog. Fünf Äpfel kosten 3 €, ça va? 東京 🙂\n';
    return unit.repeat(Math.floor(bytes / te.encode(unit).length));
  };
  const same = (a, b) => {
    if (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') return a === b;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  const rows = [];
  // `impls`: label -> fn; the ones in `checked` must return what ferrode returns.
  const row = async (name, impls, checked) => {
    if (filter && !name.includes(filter)) return;
    const want = impls.ferrode();
    for (const k of checked) {
      if (!same(want, impls[k]())) throw new Error(`${name}: ${k} disagrees with ferrode`);
    }
    // Round-robin, best of `runs`: every 16 MiB call leaves tens of MB of
    // garbage, and timing one implementation's runs back to back would make
    // the next one pay for it.
    const times = {};
    for (const [k, fn] of Object.entries(impls)) {
      await fn();
      times[k] = Infinity;
    }
    for (let i = 0; i < runs; i++) {
      for (const [k, fn] of Object.entries(impls)) {
        const t0 = performance.now();
        await fn();
        times[k] = Math.min(times[k], performance.now() - t0);
      }
    }
    rows.push({ row: name, times });
  };
  const hasToB64 = typeof Uint8Array.prototype.toBase64 === 'function';
  const hasFromB64 = typeof Uint8Array.fromBase64 === 'function';
  const hasToHex = typeof Uint8Array.prototype.toHex === 'function';
  const hasFromHex = typeof Uint8Array.fromHex === 'function';
  for (const enc of ['base64', 'base64url', 'hex', 'utf8', 'latin1', 'utf16le']) {
    const bytes =
      enc === 'utf8'
        ? te.encode(sampleText(LARGE))
        : enc === 'utf16le'
          ? FB.from(sampleText(LARGE / 2), 'utf16le')
          : randomBytes(LARGE);
    const fb = FB.from(bytes);
    const b6 = B6.from(bytes);
    const str = fb.toString(enc);
    const ascii = enc === 'base64' || enc === 'base64url' || enc === 'hex' ? te.encode(str) : null;
    const toStr = { ferrode: () => fb.toString(enc) };
    if (enc !== 'base64url') toStr['buffer@6'] = () => b6.toString(enc);
    if (enc === 'utf8') toStr.TextDecoder = () => td.decode(bytes);
    if (ascii) toStr['TextDecoder.decode (ceiling)'] = () => td.decode(ascii);
    if (enc === 'base64' && hasToB64) toStr['Uint8Array#toBase64'] = () => bytes.toBase64();
    if (enc === 'base64url' && hasToB64) {
      toStr['Uint8Array#toBase64'] = () => bytes.toBase64({ alphabet: 'base64url', omitPadding: true });
    }
    if (enc === 'hex' && hasToHex) toStr['Uint8Array#toHex'] = () => bytes.toHex();
    const toChecked = Object.keys(toStr).filter((k) => !k.endsWith('(ceiling)'));
    await row(
      `toString ${enc} 16MiB`,
      toStr,
      toChecked.filter((k) => k !== 'ferrode'),
    );
    const from = { ferrode: () => FB.from(str, enc) };
    if (enc !== 'base64url') from['buffer@6'] = () => B6.from(str, enc);
    if (enc === 'utf8') from.TextEncoder = () => te.encode(str);
    if (ascii) {
      const into = new Uint8Array(str.length);
      from['TextEncoder.encodeInto (ceiling)'] = () => te.encodeInto(str, into).written;
    }
    if (enc === 'base64' && hasFromB64) from['Uint8Array.fromBase64'] = () => Uint8Array.fromBase64(str);
    if (enc === 'base64url' && hasFromB64) {
      from['Uint8Array.fromBase64'] = () => Uint8Array.fromBase64(str, { alphabet: 'base64url' });
    }
    if (enc === 'hex' && hasFromHex) from['Uint8Array.fromHex'] = () => Uint8Array.fromHex(str);
    const fromChecked = Object.keys(from).filter((k) => !k.endsWith('(ceiling)'));
    await row(
      `from ${enc} 16MiB`,
      from,
      fromChecked.filter((k) => k !== 'ferrode'),
    );
  }

  const needle = te.encode('needle-0123456789-ab');
  const hay = te.encode(sampleText(LARGE));
  hay.set(needle, LARGE - 1000);
  const hayF = FB.from(hay);
  const hay6 = B6.from(hay);
  const needleF = FB.from(needle);
  const needle6 = B6.from(needle);
  await row(
    'indexOf 20B needle in 16MiB',
    {
      ferrode: () => hayF.indexOf(needleF),
      'buffer@6': () => hay6.indexOf(needle6),
    },
    ['buffer@6'],
  );
  const hayL = te.encode(sampleText(LARGE));
  hayL.set(needle, 1000);
  const hayLF = FB.from(hayL);
  const hayL6 = B6.from(hayL);
  await row(
    'lastIndexOf 20B needle in 16MiB',
    {
      ferrode: () => hayLF.lastIndexOf(needleF),
      'buffer@6': () => hayL6.lastIndexOf(needle6),
    },
    ['buffer@6'],
  );

  const a = randomBytes(LARGE, 7);
  const aF = FB.from(a);
  const bF = FB.from(a);
  const a6 = B6.from(a);
  const b6 = B6.from(a);
  // What a wasm compare must do first: copy both inputs.
  const both = new Uint8Array(2 * LARGE);
  const copyBoth = () => {
    both.set(aF, 0);
    both.set(bF, LARGE);
    return both[0];
  };
  await row(
    'compare 16MiB',
    {
      ferrode: () => FB.compare(aF, bF),
      'buffer@6': () => B6.compare(a6, b6),
      'TypedArray.set x2 (copy floor)': copyBoth,
    },
    ['buffer@6'],
  );
  await row(
    'equals 16MiB',
    {
      ferrode: () => aF.equals(bF),
      'buffer@6': () => a6.equals(b6),
      'TypedArray.set x2 (copy floor)': copyBoth,
    },
    ['buffer@6'],
  );
  return { bytes: LARGE, rows };
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">
{ "imports": {
  "ferrode/buffer": "/ferrode/js/buffer.js",
  "#wasm": "/ferrode/js/internal/wasm-browser.js"
} }
</script>
<script type="module">
globalThis.runBench = ${runBench.toString()};
globalThis.benchReady = true;
</script>`;

/** Runs the page in Chromium and prints its table (`h` is unused: timing happens in the page). */
export default async function run() {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const filter = process.env.BENCH_FILTER ?? '';
  // buffer@6 is CommonJS: bundle it for the page the way an app's bundler would.
  const prepare = (dir) =>
    esbuild.build({
      stdin: { contents: "export { Buffer } from 'buffer/index.js';", resolveDir: ROOT },
      bundle: true,
      format: 'esm',
      outfile: path.join(dir, 'buffer6.js'),
      logLevel: 'silent',
    });
  const { result, version } = await runBenchPage('buffer', { 'index.html': PAGE }, { runs, filter }, { prepare });
  console.log(`Chromium ${version}; best of ${runs} (round-robin) after a warm-up;`);
  console.log('ratio = other time / ferrode time (> 1: ferrode faster)');
  printTable(result.rows, { bytes: result.bytes, width: 30 });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await run();
