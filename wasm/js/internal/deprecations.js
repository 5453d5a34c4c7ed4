// Node's deprecation warnings, shared by every module of the package: Node warns
// once per code for the whole process (util.deprecate keeps one set of codes),
// so the set lives here rather than in each module.

/**
 * Whether Node's `--pending-deprecation` is on, read as Node reads it: the
 * command line, NODE_OPTIONS or NODE_PENDING_DEPRECATION=1. A page has none of
 * these unless its `process` object supplies them, so it is off there.
 */
export function pendingDeprecation() {
  const proc = globalThis.process;
  if (!proc) return false;
  const flag = (list) => Array.isArray(list) && list.includes('--pending-deprecation');
  if (flag(proc.execArgv)) return true;
  const env = proc.env;
  if (!env) return false;
  if (env.NODE_PENDING_DEPRECATION === '1') return true;
  return typeof env.NODE_OPTIONS === 'string' && flag(env.NODE_OPTIONS.split(/\s+/));
}

const warned = new Set();

/**
 * A DeprecationWarning through `process.emitWarning`, once per code (none under
 * `process.noDeprecation`). `ctor` cuts the warning's stack trace there.
 */
export function emitDeprecation(message, code, ctor) {
  if (warned.has(code)) return;
  warned.add(code);
  const proc = globalThis.process;
  if (proc && typeof proc.emitWarning === 'function' && !proc.noDeprecation) {
    proc.emitWarning(message, 'DeprecationWarning', code, ctor);
  }
}
