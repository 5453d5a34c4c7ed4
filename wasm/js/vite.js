// `ferrode/vite`: a Vite plugin that gives a web app Node's modules from
// ferrode instead of the browserify polyfills.
//
//   import { defineConfig } from 'vite';
//   import ferrode from 'ferrode/vite';
//   export default defineConfig({ plugins: [ferrode({ coopCoep: true })] });
//
// This file runs in Node (it is Vite configuration), never in a page, which is
// why it may read ferrode's package.json from disk.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PKG_URL = new URL('../package.json', import.meta.url);
// Node's module names that ferrode can stand in for, when the package exports them.
const CANDIDATES = [
  'buffer',
  'events',
  'stream',
  'stream/promises',
  'string_decoder',
  'zlib',
  'crypto',
  'worker_threads',
];
const BOOT_ID = 'virtual:ferrode/boot';
const RESOLVED_BOOT_ID = `\0${BOOT_ID}`;
const GLOBALS_ID = 'virtual:ferrode/globals';
const RESOLVED_GLOBALS_ID = `\0${GLOBALS_ID}`;
const OPTION_KEYS = new Set(['globals', 'coopCoep', 'exclude', 'buildTarget']);
const GLOBAL_KEYS = new Set(['Buffer', 'process', 'global']);
const JS_FILE = /\.[cm]?[jt]sx?$/;

const filePath = (rel) => fileURLToPath(new URL(rel, PKG_URL));

/** The modules this copy of ferrode really exports, name -> absolute file. */
export function ferrodeModules() {
  const pkg = JSON.parse(readFileSync(PKG_URL, 'utf8'));
  const out = new Map();
  for (const name of CANDIDATES) {
    const target = pkg.exports?.[`./${name}`];
    const file = typeof target === 'string' ? target : (target?.browser ?? target?.import ?? target?.default);
    if (typeof file === 'string') out.set(name, filePath(file));
  }
  return out;
}

function optionError(message) {
  const err = new TypeError(`ferrode/vite: ${message}`);
  err.code = 'ERR_INVALID_ARG_VALUE';
  return err;
}

function normalise(options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) throw optionError('options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw optionError(`unknown option "${key}" (known: ${[...OPTION_KEYS].join(', ')})`);
  }
  let globals = { Buffer: true, process: true, global: true };
  if (options.globals === false) globals = { Buffer: false, process: false, global: false };
  else if (options.globals !== undefined && options.globals !== true) {
    if (typeof options.globals !== 'object' || options.globals === null) {
      throw optionError('"globals" must be a boolean or { Buffer, process, global }');
    }
    for (const [key, value] of Object.entries(options.globals)) {
      if (!GLOBAL_KEYS.has(key)) throw optionError(`unknown global "${key}" (known: Buffer, process, global)`);
      if (typeof value !== 'boolean') throw optionError(`"globals.${key}" must be a boolean`);
      globals[key] = value;
    }
  }
  const coopCoep = options.coopCoep ?? false;
  if (typeof coopCoep !== 'boolean') throw optionError('"coopCoep" must be a boolean');
  const exclude = options.exclude ?? [];
  if (!Array.isArray(exclude) || exclude.some((n) => typeof n !== 'string')) {
    throw optionError('"exclude" must be an array of module names');
  }
  const buildTarget = options.buildTarget ?? 'es2022';
  return { globals, coopCoep, exclude: new Set(exclude.map((n) => n.replace(/^node:/, ''))), buildTarget };
}

/**
 * The plugin. Options (all optional):
 * - `globals`: `true` (default) sets `Buffer`, `process` and `global`; `false`
 *   sets none; or `{ Buffer, process, global }` booleans, each defaulting to true.
 * - `coopCoep`: `false` (default); `true` sends COOP/COEP headers from the dev
 *   and preview servers so pages are cross-origin isolated and get the
 *   threaded build.
 * - `exclude`: module names to leave to Vite (default none).
 * - `buildTarget`: `build.target` used when the app sets none (default
 *   `'es2022'`: ferrode's boot script uses top-level await).
 *
 * How it works: each HTML entry `<script type="module" src>` becomes a small
 * inline script that first boots ferrode (loads the wasm, asynchronously),
 * then sets the globals, then imports the app. Inside the bundle ferrode's
 * modules read the booted wasm synchronously, so CommonJS packages can
 * `require('buffer')` (bundlers refuse a require of a module with top-level
 * await).
 */
export default function ferrode(options) {
  const opts = normalise(options);
  const modules = ferrodeModules();
  for (const name of opts.exclude) modules.delete(name);
  const jsDir = filePath('./js/');
  const bufferFile = filePath('./js/buffer.js');
  const processFile = filePath('./js/internal/vite/process.js');
  const wasmGlobalFile = filePath('./js/internal/vite/wasm-global.js');
  const brotliGlobalFile = filePath('./js/internal/vite/zlib-brotli.js');
  const zlibCoreFile = filePath('./js/internal/zlib-core.js');
  const bootFile = filePath('./js/internal/vite/boot.js');

  const bareName = (source) => {
    const bare = source.startsWith('node:') ? source.slice(5) : source;
    return modules.has(bare) ? bare : null;
  };
  // ferrode's own loaders, swapped for the booted ones inside the bundle.
  const internal = (source, importer) => {
    if (!importer || !importer.startsWith(jsDir) || importer === bootFile) return null;
    if (source === '#wasm') return wasmGlobalFile;
    if (source === './zlib-brotli.js' && importer === zlibCoreFile) return brotliGlobalFile;
    return null;
  };
  // Free references to `Buffer`/`process` become imports (scope-aware: a
  // module's own binding of that name is left alone).
  const inject = {};
  if (opts.globals.Buffer) inject.Buffer = [bufferFile, 'Buffer'];
  if (opts.globals.process) inject.process = processFile;
  const hasInject = Object.keys(inject).length > 0;
  const mentionsGlobal = new RegExp(`\\b(${Object.keys(inject).join('|') || '$^'})\\b`);

  // `require('stream')` must return what Node's does (the Stream function,
  // the EventEmitter class ...), which is each module's default export; an
  // import gets the module itself.
  const CJS_PREFIX = '\0ferrode-cjs:';
  const cjsWrapper = (id) => {
    if (!id.startsWith(CJS_PREFIX)) return null;
    const file = modules.get(id.slice(CJS_PREFIX.length));
    return `const ns = require(${JSON.stringify(file)});\nmodule.exports = ns.default ?? ns;\n`;
  };
  // Resolves Node's names (and the swapped loaders) in Vite's dependency pre-bundling.
  const depsResolver = {
    name: 'ferrode:deps-resolve',
    resolveId(source, importer, extra) {
      const swapped = internal(source, importer);
      if (swapped) return { id: swapped };
      const name = bareName(source);
      if (name === null) return null;
      return { id: extra?.kind === 'require-call' ? CJS_PREFIX + name : modules.get(name) };
    },
    load: cjsWrapper,
  };
  const isolation = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
  let command = 'build';

  return {
    name: 'ferrode',
    enforce: 'pre',

    config(user, env) {
      command = env.command;
      const config = {
        optimizeDeps: {
          // One pre-bundled copy of each ferrode module, shared by the app and
          // by the packages that require Node's names.
          include: ['ferrode', ...[...modules.keys()].map((n) => `ferrode/${n}`)],
          rolldownOptions: { plugins: [depsResolver], ...(hasInject ? { transform: { inject } } : {}) },
        },
        build: { rolldownOptions: hasInject ? { transform: { inject } } : {} },
      };
      if (user.build?.target === undefined) config.build.target = opts.buildTarget;
      if (opts.globals.global) config.define = { global: 'globalThis' };
      if (opts.coopCoep) {
        config.server = { headers: isolation };
        config.preview = { headers: isolation };
      }
      return config;
    },

    async resolveId(source, importer, extra) {
      if (source === BOOT_ID) return RESOLVED_BOOT_ID;
      if (source === GLOBALS_ID) return RESOLVED_GLOBALS_ID;
      const swapped = internal(source, importer);
      if (swapped) return swapped;
      const name = bareName(source);
      if (name === null) return null;
      if (extra?.kind === 'require-call') return CJS_PREFIX + name;
      // Dev: through the package name, so the app gets the pre-bundled copy
      // the packages use; build: the file.
      if (command === 'serve') return this.resolve(`ferrode/${name}`, importer, { skipSelf: true });
      return modules.get(name);
    },

    load(id) {
      const wrapper = cjsWrapper(id);
      if (wrapper !== null) return wrapper;
      if (id === RESOLVED_BOOT_ID) return `import ${JSON.stringify(bootFile)};\n`;
      if (id !== RESOLVED_GLOBALS_ID) return null;
      const { Buffer, process, global } = opts.globals;
      return [
        Buffer ? "import { Buffer } from 'ferrode/buffer';" : '',
        process ? `import process from ${JSON.stringify(processFile)};` : '',
        'export function installGlobals() {',
        global ? '  if (globalThis.global === undefined) globalThis.global = globalThis;' : '',
        Buffer ? '  if (globalThis.Buffer === undefined) globalThis.Buffer = Buffer;' : '',
        process ? '  if (globalThis.process === undefined) globalThis.process = process;' : '',
        '}',
      ].join('\n');
    },

    // Each module entry script boots ferrode first, then runs as before.
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        return html.replace(/<script\b([^>]*)><\/script>/g, (tag, attrs) => {
          const src = /\bsrc\s*=\s*["']([^"']+)["']/.exec(attrs);
          if (!/\btype\s*=\s*["']module["']/.test(attrs) || src === null) return tag;
          const rest = attrs
            .replace(/\b(type|src)\s*=\s*["'][^"']*["']/g, '')
            .replace(/\s+/g, ' ')
            .trim();
          return (
            `<script type="module"${rest ? ` ${rest}` : ''}>\nimport ${JSON.stringify(BOOT_ID)};\n` +
            `(await import(${JSON.stringify(GLOBALS_ID)})).installGlobals();\n` +
            `await import(${JSON.stringify(src[1])});\n</script>`
          );
        });
      },
    },

    // The threaded build's pool starts its Workers from a blob of this file's
    // source; the dev server's rewrite of it imports /@vite/client, which a
    // blob Worker cannot resolve. Serve that one file as it is on disk.
    configureServer(server) {
      const marker = '/pkg/mt/snippets/';
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0];
        const at = url.indexOf(marker);
        if (at === -1 || !url.endsWith('/workerHelpers.no-bundler.js')) return next();
        const rel = decodeURIComponent(url.slice(at + 1));
        if (rel.includes('..')) return next();
        res.setHeader('Content-Type', 'text/javascript');
        if (opts.coopCoep) for (const [k, v] of Object.entries(isolation)) res.setHeader(k, v);
        res.end(readFileSync(filePath(`./${rel}`)));
      });
    },

    // A bundle without ferrode's zlib does not need the brotli module: tell
    // the boot script so (the dev server always loads it).
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      if (chunks.some((c) => c.moduleIds?.includes(zlibCoreFile) ?? true)) return;
      for (const c of chunks) {
        if (c.moduleIds?.includes(bootFile)) c.code = `globalThis[Symbol.for('ferrode.brotli')]=false;\n${c.code}`;
      }
    },

    async transform(code, id) {
      if (command !== 'serve' || !hasInject) return null;
      const file = id.split('?')[0];
      if (!JS_FILE.test(file) || file.includes('/node_modules/') || id.startsWith('\0')) return null;
      if (!mentionsGlobal.test(code)) return null;
      // Dev serves sources one by one: inject there as the build does.
      const { transformWithOxc } = await import('vite');
      const res = await transformWithOxc(code, file.replace(JS_FILE, '.js'), { inject, sourcemap: true });
      return { code: res.code, map: res.map };
    },
  };
}

export { ferrode };
