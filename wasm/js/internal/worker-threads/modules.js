// Module workers see no import map, so neither the package's own `#wasm`
// import nor a user's `import 'worker_threads'` resolves inside a Worker.
// This file rewrites module sources so that they do: every specifier is
// replaced by an absolute URL, and each rewritten module is served from a
// blob: URL. The package's graph has no cycles, so children are rewritten
// before their parents. `import.meta.url` is replaced by the module's real
// URL so that `new URL('../../pkg/...', import.meta.url)` keeps working.

/** Node's module names that ferrode provides, and their files in wasm/js/. */
export const BUILTINS = Object.freeze({
  buffer: 'buffer.js',
  crypto: 'crypto.js',
  events: 'events.js',
  stream: 'stream.js',
  'stream/promises': 'stream/promises.js',
  string_decoder: 'string_decoder.js',
  zlib: 'zlib.js',
  worker_threads: 'worker_threads.js',
});

const JS_ROOT = new URL('../../', import.meta.url);
const WASM_LOADER = new URL('internal/wasm-browser.js', JS_ROOT).href;

// `from '...'`, `import '...'` and `import('...')` with a literal specifier
// (either quote). Good enough for the package's own sources and for ordinary
// user modules; a specifier built at run time is left alone.
// Written as a regular expression so that this file's own text survives the rewrite.
const META_URL = /\bimport\.meta\.url\b/g;
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\2/g;

/** The builtin name a specifier names (`zlib`, `node:zlib`, `ferrode/zlib`), or null. */
export function builtinName(spec) {
  let name = spec;
  if (name.startsWith('node:')) name = name.slice(5);
  else if (name.startsWith('ferrode/')) name = name.slice(8);
  return Object.hasOwn(BUILTINS, name) ? name : null;
}

async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) {
    const err = new Error(`Cannot find module '${url}'`);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return res.text();
}

function blobURL(source) {
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}

/**
 * Rewrites the module at `url` and every module it reaches that `follow(url)`
 * accepts; returns the blob: URL of the rewritten module. `resolveBare(spec)`
 * maps a bare specifier to a URL (or returns null to leave it as it is).
 * `cache` maps real URLs to promises of blob: URLs and is shared between calls;
 * `source`, when given, is used instead of fetching `url` (eval'd code).
 */
export function rewriteModule(url, { resolveBare, follow, cache, visiting = new Set(), source: given = null }) {
  if (cache.has(url)) return cache.get(url);
  const job = (async () => {
    const source = given ?? (await fetchText(url));
    const specs = new Map();
    for (const m of source.matchAll(SPECIFIER)) specs.set(m[3], null);
    const inner = new Set(visiting).add(url);
    for (const spec of specs.keys()) {
      let target;
      if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/')) {
        target = new URL(spec, url).href;
        // A cycle in a user's graph: that edge keeps the real URL.
        if (follow(target) && !inner.has(target)) {
          target = await rewriteModule(target, { resolveBare, follow, cache, visiting: inner });
        }
      } else if (/^[a-z][a-z0-9+.-]*:/i.test(spec) && !spec.startsWith('node:')) {
        target = spec;
      } else {
        target = resolveBare(spec);
        if (target && follow(target) && !inner.has(target)) {
          target = await rewriteModule(target, { resolveBare, follow, cache, visiting: inner });
        }
      }
      specs.set(spec, target);
    }
    const out = source
      .replace(SPECIFIER, (all, head, quote, spec) => {
        const target = specs.get(spec);
        return target ? `${head}${quote}${target}${quote}` : all;
      })
      .replace(META_URL, JSON.stringify(url));
    return blobURL(out);
  })();
  cache.set(url, job);
  return job;
}

function packageBare(spec) {
  if (spec === '#wasm') return WASM_LOADER;
  if (spec === 'ferrode') return new URL('index.js', JS_ROOT).href;
  const name = builtinName(spec);
  return name ? new URL(BUILTINS[name], JS_ROOT).href : null;
}

const isPackageFile = (url) => url.startsWith(JS_ROOT.href) && url.endsWith('.js');

let packageMap = null;

/**
 * The package's modules rewritten for use inside Workers:
 * `{ ferrode, '#wasm', buffer, ..., worker_threads }` → blob: URLs.
 * Made once per thread (or handed down by the parent thread).
 */
export function packageModules() {
  if (packageMap === null) {
    const cache = new Map();
    const opts = { resolveBare: packageBare, follow: isPackageFile, cache };
    packageMap = (async () => {
      const map = { '#wasm': await rewriteModule(WASM_LOADER, opts) };
      map.ferrode = await rewriteModule(new URL('index.js', JS_ROOT).href, opts);
      for (const [name, file] of Object.entries(BUILTINS)) {
        map[name] = await rewriteModule(new URL(file, JS_ROOT).href, opts);
      }
      return map;
    })();
    packageMap.catch(() => {
      packageMap = null;
    });
  }
  return packageMap;
}

/** Adopts a map made by the parent thread (blob: URLs stay valid while it lives). */
export function adoptPackageModules(map) {
  packageMap = Promise.resolve(map);
}
