// ferrode/vite's options and resolution, without a build: Node-shaped errors
// for bad options, the config it contributes, and which names it takes over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ferrode, { ferrodeModules } from 'ferrode/vite';
import { PKG_DIR } from '../support/paths.mjs';

const pkg = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));

test('bad options throw TypeError ERR_INVALID_ARG_VALUE naming the option', () => {
  const cases = [
    [42, 'ferrode/vite: options must be an object'],
    [{ coop: true }, 'ferrode/vite: unknown option "coop" (known: globals, coopCoep, exclude, buildTarget)'],
    [{ coopCoep: 'yes' }, 'ferrode/vite: "coopCoep" must be a boolean'],
    [{ globals: 'all' }, 'ferrode/vite: "globals" must be a boolean or { Buffer, process, global }'],
    [{ globals: { window: true } }, 'ferrode/vite: unknown global "window" (known: Buffer, process, global)'],
    [{ globals: { Buffer: 1 } }, 'ferrode/vite: "globals.Buffer" must be a boolean'],
    [{ exclude: 'crypto' }, 'ferrode/vite: "exclude" must be an array of module names'],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => ferrode(options), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message });
  }
});

test('config: build target only when the app sets none, COOP/COEP only when asked', () => {
  const off = ferrode().config({}, { command: 'build' });
  assert.equal(off.build.target, 'es2022');
  assert.equal(off.server, undefined);
  assert.equal(off.preview, undefined);
  assert.deepEqual(off.define, { global: 'globalThis' });
  assert.equal(ferrode().config({ build: { target: 'esnext' } }, { command: 'build' }).build.target, undefined);
  const on = ferrode({ coopCoep: true, globals: false }).config({}, { command: 'serve' });
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  assert.deepEqual(on.server.headers, headers);
  assert.deepEqual(on.preview.headers, headers);
  assert.equal(on.define, undefined);
  assert.deepEqual(on.build.rolldownOptions, {});
});

test('takes over exactly the names the package exports, with and without node:', async () => {
  const exported = Object.keys(pkg.exports).map((k) => k.slice(2));
  const names = [...ferrodeModules().keys()];
  for (const name of names) assert.ok(exported.includes(name), `${name} is exported`);
  // worker_threads is mapped only once the package really exports it.
  assert.equal(names.includes('worker_threads'), exported.includes('worker_threads'));
  const plugin = ferrode({ exclude: ['node:crypto'] });
  plugin.config({}, { command: 'build' });
  for (const name of ['buffer', 'events', 'stream', 'stream/promises', 'string_decoder', 'zlib']) {
    const file = await plugin.resolveId.call({}, name, '/app/main.js', {});
    assert.equal(file, path.join(PKG_DIR, pkg.exports[`./${name}`].default), name);
    assert.equal(await plugin.resolveId.call({}, `node:${name}`, '/app/main.js', {}), file);
  }
  assert.equal(await plugin.resolveId.call({}, 'crypto', '/app/main.js', {}), null);
  assert.equal(await plugin.resolveId.call({}, 'fs', '/app/main.js', {}), null);
  assert.equal(await plugin.resolveId.call({}, 'util', '/app/main.js', {}), null);
});

test('each HTML module entry boots ferrode, sets the globals, then imports the app', () => {
  const { handler } = ferrode().transformIndexHtml;
  const html =
    '<script src="/a.js" type="module" crossorigin></script><script>inline()</script>' +
    '<script type="module" src="./b.js"></script><script src="classic.js"></script>';
  const boot = (src, attrs = '') =>
    `<script type="module"${attrs}>\nimport "virtual:ferrode/boot";\n` +
    `(await import("virtual:ferrode/globals")).installGlobals();\nawait import("${src}");\n</script>`;
  assert.equal(
    handler(html),
    `${boot('/a.js', ' crossorigin')}<script>inline()</script>${boot('./b.js')}` + '<script src="classic.js"></script>',
  );
});
