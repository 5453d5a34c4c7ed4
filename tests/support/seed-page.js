// Runs a seed block in the page with ferrode's modules and records what it
// prints, formatted by Node's util.inspect (node-inspect-extracted).
import { formatWithOptions, inspect } from './inspect.js';

const modules = {};
try {
  for (const name of globalThis.__seedModules) modules[name] = await import(name);
  if (modules.buffer) globalThis.Buffer = modules.buffer.Buffer;
  globalThis.__seedPageThreads = (await import('ferrode')).threads;
  globalThis.__seedPageReady = true;
} catch (err) {
  globalThis.__seedPageError = String(err && err.stack);
}

function require(name) {
  const bare = name.startsWith('node:') ? name.slice(5) : name;
  if (Object.hasOwn(modules, bare)) return modules[bare].default ?? modules[bare];
  const err = new Error(`Cannot find module '${name}'`);
  err.code = 'MODULE_NOT_FOUND';
  throw err;
}

globalThis.__runSeed = async (code, { settleMs = 300, timeoutMs = 15000 } = {}) => {
  const stdout = [];
  const stderr = [];
  let last = Date.now();
  const saved = { ...console };
  const capture =
    (sink) =>
    (...args) => {
      sink.push(`${formatWithOptions({}, ...args)}\n`);
      last = Date.now();
    };
  console.log = console.info = console.debug = capture(stdout);
  console.error = console.warn = capture(stderr);
  const onError = (e) => {
    stderr.push(`Uncaught ${inspect(e.error ?? e.reason)}\n`);
    last = Date.now();
  };
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onError);
  let error = null;
  try {
    let fn = null;
    try {
      // eslint-disable-next-line no-new-func
      fn = new Function('require', 'module', 'exports', code);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
    }
    if (fn) {
      const module = { exports: {} };
      fn(require, module, module.exports);
    } else {
      const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
      try {
        await import(url);
      } finally {
        URL.revokeObjectURL(url);
      }
    }
  } catch (e) {
    error = inspect(e);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() - last < settleMs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
  }
  removeEventListener('error', onError);
  removeEventListener('unhandledrejection', onError);
  Object.assign(console, saved);
  return { stdout: stdout.join(''), stderr: stderr.join(''), error };
};
