// The module system: CommonJS (`require`, `module.exports`, `__filename`)
// evaluated with the file's path as its sourceURL, and ES modules with
// top-level await evaluated from blob URLs whose import specifiers were
// rewritten (with es-module-lexer) to the blob URLs of their targets.
import { init as lexerInit, parse as lexerParse } from 'es-module-lexer';
import { pathModule as path } from './path.js';
import { makeNodeError } from './errors.js';

await lexerInit();
// Compiled now, before user globals exist (it probes `typeof Buffer` when it first runs).
lexerParse('');

const builtinFactories = new Map();
const builtinCache = new Map();
const builtinEsm = new Map();
const cjsCache = new Map();
const cjsFiles = new Set();
const esmCache = new Map();
const blobToFile = new Map();
const esmPrefix = new Map();
let readText = () => null;
let fileExists = () => false;

/** Known Node built-in names; the ones the playground lacks say so when required. */
export const NODE_BUILTINS = [
  'assert',
  'assert/strict',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'console',
  'constants',
  'crypto',
  'dgram',
  'diagnostics_channel',
  'dns',
  'dns/promises',
  'domain',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'inspector',
  'module',
  'net',
  'os',
  'path',
  'path/posix',
  'path/win32',
  'perf_hooks',
  'process',
  'punycode',
  'querystring',
  'readline',
  'readline/promises',
  'repl',
  'stream',
  'stream/consumers',
  'stream/promises',
  'stream/web',
  'string_decoder',
  'sys',
  'timers',
  'timers/promises',
  'tls',
  'trace_events',
  'tty',
  'url',
  'util',
  'util/types',
  'v8',
  'vm',
  'wasi',
  'worker_threads',
  'zlib',
];

export function configureFiles(read, exists) {
  readText = read;
  fileExists = exists;
}

/** Registers a built-in module: `factory()` returns its exports (called once, on first use). */
export function defineBuiltin(name, factory) {
  builtinFactories.set(name, factory);
}

function builtinName(request) {
  const name = request.startsWith('node:') ? request.slice(5) : request;
  if (NODE_BUILTINS.includes(name) || builtinFactories.has(name)) return name;
  return null;
}

export function requireBuiltin(name) {
  if (builtinCache.has(name)) return builtinCache.get(name);
  const factory = builtinFactories.get(name);
  if (!factory) {
    const err = makeNodeError(
      Error,
      'ERR_FERRODE_NOT_AVAILABLE',
      `The built-in module '${name}' is not available in the playground yet.`,
    );
    throw err;
  }
  const exports = factory();
  builtinCache.set(name, exports);
  return exports;
}

function notFound(request, parent, esm) {
  if (esm) {
    const bare = !/^(\.{0,2}\/)/.test(request);
    const err = makeNodeError(
      Error,
      'ERR_MODULE_NOT_FOUND',
      bare
        ? `Cannot find package '${request}' imported from ${parent}`
        : `Cannot find module '${path.resolve(path.dirname(parent), request)}' imported from ${parent}`,
    );
    return err;
  }
  const stack = [];
  for (let m = cjsCache.get(parent); m; m = m.parent) stack.push(m.filename);
  if (stack.length === 0 && parent) stack.push(parent);
  const requireStack = stack.length ? `\nRequire stack:\n- ${stack.join('\n- ')}` : '';
  const err = new Error(`Cannot find module '${request}'${requireStack}`);
  err.code = 'MODULE_NOT_FOUND';
  err.requireStack = stack;
  return err;
}

/** Resolves a request from `parentFile`: { builtin } or { file }. */
export function resolve(request, parentFile, esm = false) {
  if (typeof request !== 'string') {
    const err = new TypeError(`The "id" argument must be of type string. Received ${typeof request}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  if (request.startsWith('node:')) {
    const name = builtinName(request);
    if (name === null) {
      throw makeNodeError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE', `No such built-in module: ${request}`);
    }
    return { builtin: name };
  }
  const name = builtinName(request);
  if (name !== null) return { builtin: name };
  if (request.startsWith('file://')) request = decodeURIComponent(new URL(request).pathname);
  if (!/^(\.{0,2}\/|\/)/.test(request) && request !== '.' && request !== '..') throw notFound(request, parentFile, esm);
  const base = path.resolve(path.dirname(parentFile ?? '/app/x'), request);
  const candidates = esm
    ? [base]
    : [base, `${base}.js`, `${base}.json`, `${base}.cjs`, `${base}.mjs`, `${base}/index.js`];
  for (const c of candidates) if (fileExists(c)) return { file: c };
  throw notFound(request, parentFile, esm);
}

function packageType(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const text = readText(path.join(dir, 'package.json'));
    if (text !== null) {
      try {
        return JSON.parse(text).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dir === '/') return null;
  }
}

/** Whether a file is an ES module: .mjs, "type": "module", or (for .js without a type) import/export syntax. */
export function isEsm(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs') || file.endsWith('.json')) return false;
  const type = packageType(file);
  if (type !== null) return type === 'module';
  try {
    return lexerParse(readText(file) ?? '')[3] === true;
  } catch {
    return false;
  }
}

class Module {
  constructor(filename, parent) {
    this.id = filename;
    this.path = path.dirname(filename);
    this.exports = {};
    this.filename = filename;
    this.loaded = false;
    this.children = [];
    this.paths = [];
    Object.defineProperty(this, 'parent', { value: parent ?? null, enumerable: false, writable: true });
  }
  require(request) {
    return makeRequire(this)(request);
  }
}

function makeRequire(mod) {
  const require = (request) => {
    const r = resolve(request, mod.filename, false);
    if (r.builtin) return requireBuiltin(r.builtin);
    return loadCjs(r.file, mod);
  };
  require.resolve = (request) => {
    const r = resolve(request, mod.filename, false);
    return r.builtin ?? r.file;
  };
  require.cache = Object.fromEntries(cjsCache);
  require.main = mainModule;
  return require;
}

let mainModule;

/** What precedes a CommonJS file on its first line (columns on line 1 are shifted by its length). */
export const CJS_PREFIX = '(function (exports, require, module, __filename, __dirname) {';

function loadCjs(file, parent) {
  const cached = cjsCache.get(file);
  if (cached) return cached.exports;
  if (file.endsWith('.json')) {
    const m = new Module(file, parent);
    cjsCache.set(file, m);
    try {
      m.exports = JSON.parse(readText(file));
    } catch (err) {
      cjsCache.delete(file);
      err.message = `${file}: ${err.message}`;
      throw err;
    }
    m.loaded = true;
    return m.exports;
  }
  if (isEsm(file))
    throw makeNodeError(
      Error,
      'ERR_REQUIRE_ESM',
      `require() of ES Module ${file}${parent ? ` from ${parent.filename}` : ''} not supported.`,
    );
  const m = new Module(file, parent);
  if (!parent && !mainModule) {
    mainModule = m;
    m.id = '.';
  }
  parent?.children.push(m);
  cjsCache.set(file, m);
  let src = readText(file);
  if (src.startsWith('#!')) src = `//${src.slice(2)}`;
  cjsFiles.add(file);
  // The wrapper shares line 1 with the code, so lines match the file's.
  const wrapper = (0, eval)(`${CJS_PREFIX}${src}\n})\n//# sourceURL=${file}`);
  let ok = false;
  try {
    wrapper.call(m.exports, m.exports, makeRequire(m), m, file, path.dirname(file));
    ok = true;
  } finally {
    if (!ok) cjsCache.delete(file);
  }
  m.loaded = true;
  return m.exports;
}

/** Runs a CommonJS entry file. */
export function runCjsMain(file) {
  return loadCjs(file, null);
}

function blob(text) {
  return URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set([
  'default',
  'delete',
  'new',
  'function',
  'class',
  'var',
  'let',
  'const',
  'import',
  'export',
  'return',
  'if',
  'else',
  'for',
  'while',
  'do',
  'switch',
  'case',
  'break',
  'continue',
  'throw',
  'try',
  'catch',
  'finally',
  'typeof',
  'instanceof',
  'in',
  'of',
  'void',
  'this',
  'super',
  'extends',
  'yield',
  'await',
  'static',
  'enum',
  'null',
  'true',
  'false',
  'with',
  'debugger',
]);

function namedExports(obj) {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return [];
  return Object.keys(obj).filter((k) => IDENT.test(k) && !RESERVED.has(k));
}

let esmNamespaces = () => null;
/** How to find a built-in's real ES module (ferrode's), to re-export its live bindings. */
export function setEsmSource(fn) {
  esmNamespaces = fn;
}

function builtinEsmUrl(name) {
  if (builtinEsm.has(name)) return builtinEsm.get(name);
  const exports = requireBuiltin(name);
  const source = esmNamespaces(name);
  let text;
  if (source) {
    text = `export * from ${JSON.stringify(source)};\nexport default __ferrode.require(${JSON.stringify(name)});\n`;
  } else {
    const names = namedExports(exports);
    text =
      `const m = __ferrode.require(${JSON.stringify(name)});\nexport default m;\n` +
      (names.length ? `export const { ${names.join(', ')} } = m;\n` : '');
  }
  const url = blob(text);
  builtinEsm.set(name, url);
  return url;
}

async function targetUrl(request, fromFile) {
  const r = resolve(request, fromFile, true);
  if (r.builtin) return builtinEsmUrl(r.builtin);
  return fileUrl(r.file, fromFile);
}

async function fileUrl(file, fromFile) {
  if (file.endsWith('.json')) {
    return blob(`export default ${JSON.stringify(JSON.parse(readText(file)))};\n`);
  }
  if (!isEsm(file)) {
    const exports = loadCjs(file, cjsCache.get(fromFile) ?? null);
    const names = namedExports(exports);
    return blob(
      `const m = __ferrode.requireFile(${JSON.stringify(file)});\nexport default m;\n` +
        (names.length ? `export const { ${names.join(', ')} } = m;\n` : ''),
    );
  }
  return esmUrl(file);
}

function esmUrl(file, isEntry = false) {
  if (esmCache.has(file)) return esmCache.get(file);
  const promise = buildEsm(file, isEntry);
  esmCache.set(file, promise);
  return promise;
}

async function buildEsm(file, isEntry) {
  let src = readText(file);
  if (src.startsWith('#!')) src = `//${src.slice(2)}`;
  let imports;
  try {
    [imports] = lexerParse(src, file);
  } catch {
    // Let the engine report the syntax error with its own message.
    imports = [];
  }
  let out = '';
  let last = 0;
  for (const imp of imports) {
    if (imp.type === 'static' && imp.specifier !== undefined) {
      out += src.slice(last, imp.start) + (await targetUrl(imp.specifier, file));
      last = imp.end;
    } else if (imp.type === 'dynamic') {
      out += `${src.slice(last, imp.importStart)}__ferrode.import(${JSON.stringify(file)}, `;
      last = imp.dynamicStart + 1;
    }
  }
  out += src.slice(last);
  const url = `file://${file}`;
  // On line 1 so the file's line numbers stay as they are.
  const meta =
    `import.meta.url=${JSON.stringify(url)};import.meta.filename=${JSON.stringify(file)};` +
    `import.meta.dirname=${JSON.stringify(path.dirname(file))};${isEntry ? '__ferrode.started();' : ''}`;
  const u = blob(`${meta}${out}`);
  blobToFile.set(u, url);
  esmPrefix.set(url, meta.length);
  return u;
}

/** Runs an ES module entry file (top-level await included). */
export async function runEsmMain(file) {
  const url = await esmUrl(file, true);
  return import(url);
}

/** Dynamic import() from user code. */
export async function dynamicImport(fromFile, request) {
  const url = await targetUrl(String(request), fromFile);
  return import(url);
}

export function requireFile(file) {
  return loadCjs(file, null);
}

/** Maps blob URLs in a stack or message back to the files they came from. */
export function fixPaths(text) {
  if (text.includes('blob:')) {
    for (const [u, f] of blobToFile) if (text.includes(u)) text = text.split(u).join(f);
  }
  // Columns on an ES module's first line count the import.meta line.
  if (text.includes(':1:')) {
    text = text.replace(/(file:\/\/\/[^\s():'"]+):1:(\d+)/g, (m, url, col) =>
      esmPrefix.has(url) && Number(col) > esmPrefix.get(url) ? `${url}:1:${Number(col) - esmPrefix.get(url)}` : m,
    );
  }
  // Columns on a CommonJS file's first line count the wrapper: not Node's.
  text = text.replace(/(\/[^\s():'"]+):1:(\d+)/g, (m, file, col) =>
    cjsFiles.has(file) && Number(col) > CJS_PREFIX.length ? `${file}:1:${Number(col) - CJS_PREFIX.length}` : m,
  );
  // CommonJS files run through eval, where V8 names anonymous functions
  // "eval"; Node's loader frames read "Object.<anonymous>" or no name.
  if (text.includes('eval (/')) {
    text = text
      .replace(/^(\s+at )Object\.eval \((\/[^()]*:\d+:\d+)\)$/gm, '$1Object.<anonymous> ($2)')
      .replace(/^(\s+at )eval \((\/[^()]*:\d+:\d+)\)$/gm, '$1$2');
  }
  return text;
}

export function createRequire(from) {
  const file = String(from).startsWith('file://') ? decodeURIComponent(new URL(from).pathname) : String(from);
  return makeRequire(new Module(file, null));
}

export { Module };
