// The benchmark harness: best-of-N timing after a warm-up, and a table that
// prints each implementation's throughput and its ratio to the baseline.
//
// A bench file (bench/<module>.mjs) exports `default async function (h)` and
// calls `await h.row(group, name, impls, opts)` for each row, where `impls` is
// an object of { label: () => result } closures over prepared inputs. The first
// label named `ferrode` is compared with every other label. Rows print as they
// finish, and `h.rows` keeps them for a summary or JSON output.

import { performance } from 'node:perf_hooks';

const MIN_TIME_MS = Number(process.env.BENCH_MIN_MS ?? 300);
const MAX_RUNS = Number(process.env.BENCH_MAX_RUNS ?? 50);

/**
 * Best time of one call, in ms, after a warm-up: a cold call runs on V8's
 * baseline tier and would not measure the code we ship.
 * Runs `fn` until `minTime` has passed (at least 3 runs, at most MAX_RUNS).
 */
export async function bestOf(fn, { minTime = MIN_TIME_MS, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  let best = Infinity;
  let runs = 0;
  const start = performance.now();
  while (runs < 3 || (performance.now() - start < minTime && runs < MAX_RUNS)) {
    const t0 = performance.now();
    await fn();
    const dt = performance.now() - t0;
    if (dt < best) best = dt;
    runs++;
  }
  return best;
}

/**
 * Best time of each implementation, timed round-robin: one call of each in
 * turn, so every implementation sees the same GC pressure, heap state and
 * machine load, instead of the first one timed running on a fresher heap.
 * A failing implementation is reported and gets NaN; the others go on.
 */
export async function bestOfEach(impls, { minTime = MIN_TIME_MS, warmup = 2, out = console.log } = {}) {
  const live = new Map();
  const times = {};
  for (const [label, fn] of Object.entries(impls)) {
    times[label] = NaN;
    try {
      for (let i = 0; i < warmup; i++) await fn();
      live.set(label, { fn, best: Infinity, runs: 0, spent: 0 });
    } catch (err) {
      out(`  ${label}: failed: ${err.message}`);
    }
  }
  const done = (s) => s.runs >= 3 && (s.spent >= minTime || s.runs >= MAX_RUNS);
  while ([...live.values()].some((s) => !done(s))) {
    for (const [label, s] of live) {
      if (done(s)) continue;
      try {
        const t0 = performance.now();
        await s.fn();
        const dt = performance.now() - t0;
        s.spent += dt;
        s.runs++;
        if (dt < s.best) s.best = dt;
      } catch (err) {
        out(`  ${label}: failed: ${err.message}`);
        live.delete(label);
      }
    }
  }
  for (const [label, s] of live) times[label] = s.best;
  return times;
}

/**
 * The other harness: each implementation sampled on its own. A sample calls one
 * implementation back to back for `sampleMs` after a `gc()`, so the garbage it
 * makes is collected inside its own samples and not in a neighbour's; the order
 * of the implementations alternates from round to round; the result is the
 * median time per call over `rounds`. Needs `--expose-gc` (run.mjs adds it).
 *
 * Best-of-N (above) reports the one luckiest call: a call that a major GC never
 * interrupted. Implementations that allocate more per call lose that cost there
 * and pay it here, which is why the two can disagree on allocation-heavy rows.
 */
export async function sampledEach(impls, { sampleMs = SAMPLE_MS, rounds = SAMPLE_ROUNDS, out = console.log } = {}) {
  const gc = globalThis.gc ?? (() => {});
  const perCall = Object.fromEntries(Object.keys(impls).map((label) => [label, []]));
  const labels = Object.keys(impls);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...labels].reverse() : labels;
    for (const label of order) {
      if (!perCall[label]) continue;
      try {
        gc();
        let calls = 0;
        const t0 = performance.now();
        let elapsed = 0;
        while (elapsed < sampleMs || calls === 0) {
          await impls[label]();
          calls++;
          elapsed = performance.now() - t0;
        }
        perCall[label].push(elapsed / calls);
      } catch (err) {
        out(`  ${label}: failed: ${err.message}`);
        perCall[label] = null;
      }
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return Object.fromEntries(labels.map((label) => [label, perCall[label] ? median(perCall[label]) : NaN]));
}

const SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 300);
const SAMPLE_ROUNDS = Number(process.env.BENCH_SAMPLE_ROUNDS ?? 7);

function fmtRate(bytes, ms) {
  if (bytes) {
    const mbs = bytes / 1e6 / (ms / 1e3);
    return mbs >= 100 ? `${mbs.toFixed(0)} MB/s` : `${mbs.toFixed(1)} MB/s`;
  }
  const ops = 1e3 / ms;
  return ops >= 100 ? `${ops.toFixed(0)} op/s` : `${ops.toFixed(2)} op/s`;
}

/**
 * Creates a harness; `filter` (a substring) keeps only matching rows.
 * `harness`: 'best' (best-of-N, round-robin), 'sampled' (sampledEach), or
 * 'both', which prints each row twice from the same run.
 */
export function createHarness({ filter = '', out = console.log, harness = 'best' } = {}) {
  const rows = [];
  return {
    rows,
    /**
     * Times each implementation and prints one line per implementation with
     * its rate and `ferrode / other` ratio (> 1 means ferrode is faster).
     * opts.bytes: bytes processed per call (for MB/s); opts.note: printed after.
     * opts.check(results): optional, throws if the implementations disagree.
     */
    async row(group, name, impls, opts = {}) {
      const title = `${group} ${name}`;
      if (filter && !title.includes(filter)) return;
      if (opts.check) {
        const results = {};
        for (const [label, fn] of Object.entries(impls)) results[label] = await fn();
        opts.check(results);
      }
      const kinds = harness === 'both' ? ['best', 'sampled'] : [harness];
      const row = { group, name, bytes: opts.bytes ?? null, note: opts.note ?? null };
      out(`${title}`);
      for (const kind of kinds) {
        const times =
          kind === 'sampled' ? await sampledEach(impls, { out }) : await bestOfEach(impls, { ...opts, out });
        const base = times.ferrode;
        if (kinds.length > 1) out(`  [${kind === 'sampled' ? 'sampled: median of per-sample means' : 'best-of-N'}]`);
        for (const [label, ms] of Object.entries(times)) {
          const ratio =
            label === 'ferrode' || !Number.isFinite(ms) ? '' : `  ferrode/${label} = ${(ms / base).toFixed(2)}x`;
          out(
            `  ${label.padEnd(22)} ${Number.isFinite(ms) ? fmtRate(opts.bytes, ms).padStart(12) : 'n/a'.padStart(12)}${ratio}`,
          );
        }
        row[kind === 'sampled' ? 'sampledTimes' : 'times'] = times;
      }
      if (opts.note) out(`  note: ${opts.note}`);
      rows.push(row);
    },
  };
}
