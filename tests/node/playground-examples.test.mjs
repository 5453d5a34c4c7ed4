// The playground's examples come from the seed tutorials (web/seeds/, copies
// of the shared seeds): every JavaScript code block is in exactly one example,
// grouped by the articles' headings; files are named as the seeds name them;
// data files the prose describes are there; the entry is the file nothing
// else starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildExamples, parseSeed } from '../../web/tools/examples.mjs';
import { WEB_DIR } from '../support/paths.mjs';
import { seedBlocks, SEEDS_DIR } from '../support/seeds.mjs';

const SEEDS = path.join(WEB_DIR, 'seeds');
const examples = buildExamples(SEEDS);
const byId = new Map(examples.map((e) => [e.id, e]));

test("the page's copies of the seeds are the shared seeds, byte for byte", () => {
  const shared = fs
    .readdirSync(SEEDS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  assert.deepEqual(
    fs
      .readdirSync(SEEDS)
      .filter((f) => f.endsWith('.txt'))
      .sort(),
    shared,
  );
  for (const f of shared) {
    assert.ok(fs.readFileSync(path.join(SEEDS, f)).equals(fs.readFileSync(path.join(SEEDS_DIR, f))), f);
  }
});

test('every JavaScript block of the seeds is in an example (checked against the shared seed extractor)', () => {
  const blocks = seedBlocks().filter((b) => b.lang === 'js' || b.lang === 'javascript');
  assert.ok(blocks.length >= 30, `${blocks.length} blocks`);
  const all = examples.map((e) => Object.values(e.files).join('\n')).join('\n');
  for (const b of blocks) {
    // Blocks holding several files are split at their `// name.js` lines.
    for (const piece of b.code.split(/^\/\/ [\w.-]+\.m?js\s*$/m)) {
      const text = piece.trim();
      if (text) assert.ok(all.includes(text), `block at ${b.file}:${b.line} is in no example`);
    }
  }
  const ids = examples.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
});

test('grouped by article and section headings', () => {
  const articles = [...new Set(examples.map((e) => e.article))];
  assert.deepEqual(articles, [
    'Worker Threads',
    'Cluster Module',
    'Mastering memory management in Node.js',
    'Duplex Streams',
    "You don't know Node.js",
  ]);
  const sections = examples.filter((e) => e.article === "You don't know Node.js").map((e) => e.section);
  for (const s of [
    'Event Emitter',
    'Buffer',
    'Stream',
    'zlib',
    'crypto',
    'http',
    'https',
    'net',
    'child_process',
    'cluster',
    'worker_threads',
  ]) {
    assert.ok(sections.includes(s), s);
  }
});

test('multi-file examples: files named as the seeds name them, the entry is the one that starts the others', () => {
  const multi = examples.filter((e) => Object.keys(e.files).filter((n) => n.endsWith('.js')).length > 1);
  const shapes = multi.map((e) => [
    Object.keys(e.files)
      .filter((n) => n.endsWith('.js'))
      .sort()
      .join('+'),
    e.entry,
  ]);
  assert.deepEqual(
    shapes.sort(),
    [
      ['child.js+parent.js', 'parent.js'],
      ['child.js+parent.js', 'parent.js'],
      ['index.js+primary.js', 'primary.js'],
      ['index.js+worker.js', 'index.js'],
      ['main.js+service.js', 'main.js'],
    ].sort(),
  );
  assert.equal(byId.get('cluster-module-basic-example').entry, 'server.js');
  const main = byId.get('worker-threads-worker-threads-2');
  assert.match(main.files['main.js'], /new Worker\("\.\/service\.js"/);
  assert.equal(
    main.files['service.js'],
    'const { parentPort, workerData } = require("worker_threads");\n\n' +
      'parentPort.postMessage(`${workerData} worker`);\n',
  );
});

test('data files the prose describes: file.txt ("hello"), file.txt.gz (its gzip), largefile.txt', () => {
  const read = byId.get('you-don-t-know-node-js-stream-2');
  assert.equal(read.files['file.txt'], 'hello');
  const gunzip = byId.get('you-don-t-know-node-js-zlib-2');
  assert.equal(zlib.gunzipSync(Buffer.from(gunzip.binary['file.txt.gz'], 'base64')).toString(), 'hello');
  const memory = examples.find((e) => e.files['largefile.txt']);
  assert.ok(memory.files['largefile.txt'].length > 10000);
});

test('parseSeed: front-matter title, headings, indented fences, non-JS blocks left out', () => {
  const articles = parseSeed(
    '---\ntitle: "T"\n---\n## A\ntext\n```js\n// a.js\nx\n// b.js\ny\n```\n' +
      '```\noutput\n```\n## B\n1. item:\n   ```javascript\n   z()\n   ```\n',
  );
  assert.equal(articles.length, 1);
  assert.equal(articles[0].title, 'T');
  assert.deepEqual(
    articles[0].sections.map((s) => [s.heading, s.blocks.map((b) => b.code)]),
    [
      ['A', ['// a.js\nx\n// b.js\ny']],
      ['B', ['z()']],
    ],
  );
});
