// `node --import` preload that puts ferrode's modules in place of Node's:
// ESM `import ... from 'buffer'` (resolve hook), CommonJS `require('buffer')`
// (Module._load), and the global `Buffer`. Only the modules the package exports
// are replaced; everything else stays Node's.
import Module, { register } from 'node:module';
import { ferrodeModules } from './seeds.mjs';

const names = ferrodeModules();
const urls = Object.fromEntries(names.map((n) => [n, import.meta.resolve(`ferrode/${n}`)]));
register('./ferrode-hooks.mjs', import.meta.url, { data: { urls } });

const loaded = {};
for (const n of names) loaded[n] = await import(urls[n]);

// What `require(name)` returns in Node is each module's default export.
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const name = request.startsWith('node:') ? request.slice(5) : request;
  if (Object.hasOwn(loaded, name)) return loaded[name].default ?? loaded[name];
  return originalLoad.call(this, request, parent, isMain);
};

if (loaded.buffer) {
  Object.defineProperty(globalThis, 'Buffer', {
    value: loaded.buffer.Buffer,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
