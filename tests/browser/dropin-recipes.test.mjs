// The bundler recipes of tests/apps/recipes, each built against the PACKED
// tarball: webpack 5, esbuild, and a plain page with an import map. Each page
// runs the shared smoke test in Chromium with Node 20's results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launchBrowser } from '../support/browser.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { scratchApp, pageResult, APPS } from '../apps/support.mjs';

let browser;
let scratch;
let expected;

before(async () => {
  browser = await launchBrowser();
  scratch = scratchApp('recipes');
  const { smoke } = await import(path.join(APPS, 'shared/smoke.js'));
  expected = await smoke();
});
after(async () => {
  await browser?.close();
  scratch?.cleanup();
});

function assertSmoke(got) {
  assert.equal(zlib.gunzipSync(Buffer.from(got.gzip, 'base64')).toString(), 'ferrode '.repeat(1000));
  assert.deepEqual({ ...got, gzip: null }, { ...expected, gzip: null });
}

async function servePage(mounts, page) {
  const server = await startStaticServer(mounts);
  try {
    const { result, page: p } = await pageResult(browser, `${server.origin}/${page}`);
    await p.close();
    return result;
  } finally {
    await server.close();
  }
}

const ferrodeDir = () => path.join(scratch.dir, 'node_modules/ferrode');

test('webpack 5 recipe: resolve.alias to ferrode, wasm emitted by webpack', async () => {
  const out = path.join(scratch.dir, 'out-webpack');
  const { default: webpack } = await import('webpack');
  const { default: config } = await import(path.join(scratch.app, 'webpack.config.mjs'));
  const stats = await new Promise((resolve, reject) => {
    webpack(config({ entry: path.join(scratch.app, 'page.js'), outdir: out }), (err, s) =>
      err ? reject(err) : resolve(s),
    );
  });
  assert.equal(stats.hasErrors(), false, stats.toString({ all: false, errors: true }));
  fs.copyFileSync(path.join(scratch.app, 'bundled.html'), path.join(out, 'index.html'));
  assert.ok(
    fs.readdirSync(out).some((f) => f.endsWith('.wasm')),
    'webpack emitted the wasm',
  );
  assertSmoke(await servePage({ '/': out }, 'index.html'));
});

test("esbuild recipe: alias plugin, ferrode's loader served from the package", async () => {
  const out = path.join(scratch.dir, 'out-esbuild');
  const { buildRecipe } = await import(path.join(scratch.app, 'esbuild.mjs'));
  await buildRecipe(path.join(scratch.app, 'page.js'), out);
  fs.copyFileSync(path.join(scratch.app, 'bundled.html'), path.join(out, 'index.html'));
  assertSmoke(await servePage({ '/ferrode/': ferrodeDir(), '/': out }, 'index.html'));
});

test('import map recipe: no bundler at all', async () => {
  assertSmoke(
    await servePage(
      { '/ferrode/': ferrodeDir(), '/shared/': path.join(scratch.dir, 'apps/shared'), '/': scratch.app },
      'importmap.html',
    ),
  );
});
