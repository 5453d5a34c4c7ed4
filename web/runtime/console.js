// console: Node's Console on process.stdout/stderr, formatting with
// util.format/inspect (colors off, as when Node's output is not a terminal).
import { formatWithOptions, inspect } from './util.js';

function formatTime(ms) {
  if (ms >= 60000) {
    const m = Math.floor(ms / 60000);
    const s = (ms - m * 60000) / 1000;
    return `${m}:${s.toFixed(3).padStart(6, '0')} (m:ss.mmm)`;
  }
  if (ms >= 1000) return `${(ms / 1000).toFixed(3)}s`;
  return `${ms.toFixed(3)}ms`;
}

function table(data, properties) {
  if (data === null || typeof data !== 'object') return null;
  const fmt = (v) => inspect(v, { depth: 1, breakLength: Infinity, colors: false });
  const rows = [];
  const keys = [];
  let hasValues = false;
  const entries = data instanceof Map ? [...data.entries()] : Object.entries(data);
  const indexHeader = data instanceof Map ? '(iteration index)' : '(index)';
  for (const [k, v] of entries) {
    const row = { index: String(k), cells: new Map(), value: undefined };
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      for (const key of properties ?? Object.keys(v)) {
        if (!keys.includes(key)) keys.push(key);
        if (Object.prototype.hasOwnProperty.call(v, key)) row.cells.set(key, fmt(v[key]));
      }
    } else {
      row.value = fmt(v);
      hasValues = true;
    }
    rows.push(row);
  }
  const header = [indexHeader, ...keys, ...(hasValues ? ['Values'] : [])];
  const body = rows.map((r) => [
    r.index,
    ...keys.map((k) => r.cells.get(k) ?? ''),
    ...(hasValues ? [r.value ?? ''] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)) + 2);
  const line = (l, m, r) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
  const row = (cells) => '│' + cells.map((c, i) => ` ${c.padEnd(widths[i] - 2)} `).join('│') + '│';
  const top = line('┌', '┬', '┐');
  const middle = line('├', '┼', '┤');
  const bottom = line('└', '┴', '┘');
  return [top, row(header), middle, ...body.map(row), bottom].join('\n');
}

export function makeConsole(stdout, stderr) {
  let indent = '';
  const counts = new Map();
  const timers = new Map();
  const write = (stream, text) => {
    if (indent)
      text = text
        .split('\n')
        .map((l) => indent + l)
        .join('\n');
    stream.write(`${text}\n`);
  };
  const fmt = (args) => formatWithOptions({ colors: false }, ...args);
  const out = (...args) => write(stdout, fmt(args));
  const err = (...args) => write(stderr, fmt(args));
  const con = {
    log: out,
    info: out,
    debug: out,
    error: err,
    warn: err,
    dir(obj, options) {
      write(stdout, inspect(obj, { customInspect: false, ...options, colors: false }));
    },
    dirxml: out,
    trace(...args) {
      const e = new Error(fmt(args));
      e.name = 'Trace';
      write(
        stderr,
        e.stack
          .split('\n')
          .filter((l) => !l.includes('/dist/runtime'))
          .join('\n'),
      );
    },
    assert(value, ...args) {
      if (value) return;
      if (args.length === 0) err('Assertion failed');
      else if (typeof args[0] === 'string') err(`Assertion failed: ${args[0]}`, ...args.slice(1));
      else err('Assertion failed', ...args);
    },
    count(label = 'default') {
      label = `${label}`;
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      out(`${label}: ${n}`);
    },
    countReset(label = 'default') {
      if (!counts.has(`${label}`)) {
        globalThis.process.emitWarning(`Count for '${label}' does not exist`);
        return;
      }
      counts.set(`${label}`, 0);
    },
    group(...args) {
      if (args.length > 0) out(...args);
      indent += '  ';
    },
    groupCollapsed(...args) {
      con.group(...args);
    },
    groupEnd() {
      indent = indent.slice(2);
    },
    table(data, properties) {
      const t = table(data, properties);
      if (t === null) out(data);
      else write(stdout, t);
    },
    time(label = 'default') {
      label = `${label}`;
      if (timers.has(label)) {
        globalThis.process.emitWarning(`Label '${label}' already exists for console.time()`);
        return;
      }
      timers.set(label, performance.now());
    },
    timeEnd(label = 'default') {
      label = `${label}`;
      if (!timers.has(label)) {
        globalThis.process.emitWarning(`No such label '${label}' for console.timeEnd()`);
        return;
      }
      out(`${label}: ${formatTime(performance.now() - timers.get(label))}`);
      timers.delete(label);
    },
    timeLog(label = 'default', ...data) {
      label = `${label}`;
      if (!timers.has(label)) {
        globalThis.process.emitWarning(`No such label '${label}' for console.timeLog()`);
        return;
      }
      out(`${label}: ${formatTime(performance.now() - timers.get(label))}`, ...data);
    },
    clear() {},
    profile() {},
    profileEnd() {},
    timeStamp() {},
  };
  return con;
}
