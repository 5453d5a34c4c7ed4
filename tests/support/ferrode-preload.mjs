// `node --import` preload that puts ferrode's modules in place of Node's:
// ESM `import ... from 'buffer'` (resolve hook), CommonJS `require('buffer')`
// (Module._load), and the global `Buffer`. Only the modules the package exports
// are replaced; everything else stays Node's.
//
// Two settings come from the environment, so that child processes started
// with the same NODE_OPTIONS get the same mapping:
// - FERRODE_MODULES: a comma-separated subset of the package's modules to
//   replace (default: all of them);
// - FERRODE_SPARE_DIR: requests made from files under this folder keep Node's
//   own modules (the Node-compat runner spares Node's test/common this way).
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { ferrodeModules } from './seeds.mjs';

// Node's legacy names for the stream classes: in Node each file is
// `module.exports = require('stream').X`.
const LEGACY_STREAM = {
  _stream_readable: 'Readable',
  _stream_writable: 'Writable',
  _stream_duplex: 'Duplex',
  _stream_transform: 'Transform',
  _stream_passthrough: 'PassThrough',
};

const wanted = process.env.FERRODE_MODULES ? process.env.FERRODE_MODULES.split(',').filter(Boolean) : null;
const names = ferrodeModules().filter((n) => !wanted || wanted.includes(n));
const spareDir = process.env.FERRODE_SPARE_DIR ? path.resolve(process.env.FERRODE_SPARE_DIR) + path.sep : null;
const urls = Object.fromEntries(names.map((n) => [n, import.meta.resolve(`ferrode/${n}`)]));
register('./ferrode-hooks.mjs', import.meta.url, {
  data: { urls, spareUrl: spareDir ? pathToFileURL(spareDir).href : null },
});

const loaded = {};
for (const n of names) loaded[n] = await import(urls[n]);
const exported = Object.fromEntries(Object.entries(loaded).map(([n, ns]) => [n, ns.default ?? ns]));
if (exported.stream) {
  for (const [legacy, cls] of Object.entries(LEGACY_STREAM)) exported[legacy] = exported.stream[cls];
}

// What `require(name)` returns in Node is each module's default export.
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const name = request.startsWith('node:') ? request.slice(5) : request;
  if (Object.hasOwn(exported, name) && !(spareDir && parent?.filename?.startsWith(spareDir))) {
    return exported[name];
  }
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
