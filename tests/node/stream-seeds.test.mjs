// The seeds' stream blocks (seed 002 "Stream" and "zlib", seed 000's stream
// examples) under Node 20 with ferrode/stream in place of node:stream print and
// write what they do with Node's own module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { seedBlocks, runInNode, normalise } from '../support/seeds.mjs';

const streamBlocks = seedBlocks({ seed: '002', section: 'Stream', lang: 'javascript' });
const zlibBlocks = seedBlocks({ seed: '002', section: 'zlib', lang: 'javascript' });
const seed000 = seedBlocks({ seed: '000', lang: 'javascript' }).filter((b) => /stream|pipe/i.test(b.code));

test('the seeds have the stream blocks the tutorials show', () => {
  assert.ok(streamBlocks.length >= 3, `002 Stream: ${streamBlocks.length}`);
  assert.ok(zlibBlocks.length >= 2, `002 zlib: ${zlibBlocks.length}`);
  assert.ok(seed000.length >= 2, `000: ${seed000.length}`);
});

test('the preload really swaps in ferrode/stream', async () => {
  const probe = "import { Readable } from 'stream';\nconsole.log(import.meta.resolve('stream'));\n";
  const ours = await runInNode(probe, { ferrode: true, filename: 'main.mjs' });
  assert.equal(ours.status, 0, ours.stderr);
  assert.match(ours.stdout, /\/js\/stream\.js\n$/);
});

async function compare(code, opts) {
  const node = await runInNode(code, opts);
  const ours = await runInNode(code, { ...opts, ferrode: true });
  assert.equal(node.status, 0, `Node itself fails on this block: ${node.stderr}`);
  assert.equal(ours.status, node.status, ours.stderr);
  assert.equal(normalise(ours.stdout), normalise(node.stdout));
  return { node, ours };
}

const text = (f) => (f === undefined ? undefined : Buffer.from(f).toString('utf8'));

for (const block of streamBlocks) {
  test(`seed 002 "Stream" block ${block.index} (line ${block.line})`, async () => {
    // The later blocks continue the first one's imports (fs) as the article reads.
    const needsFs = /\bfs\b/.test(block.code) && !/import fs/.test(block.code);
    const code = needsFs ? `import fs from 'fs';\n${block.code}` : block.code;
    const { node, ours } = await compare(code, { filename: 'main.mjs', files: { 'file.txt': 'hello' } });
    assert.equal(text(ours.files['example.txt']), text(node.files['example.txt']));
  });
}

test('seed 002 "zlib" blocks: gzip with pipeline, gunzip with stream/promises pipeline', async () => {
  const [gzipBlock, gunzipBlock] = zlibBlocks;
  const node = await runInNode(gzipBlock.code, { filename: 'main.mjs', files: { 'file.txt': 'hello' } });
  const ours = await runInNode(gzipBlock.code, { ferrode: true, filename: 'main.mjs', files: { 'file.txt': 'hello' } });
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(normalise(ours.stdout), normalise(node.stdout));
  assert.equal(zlib.gunzipSync(ours.files['file.txt.gz']).toString(), 'hello');
  const gz = zlib.gzipSync('hello');
  const back = await runInNode(gunzipBlock.code, { ferrode: true, filename: 'main.mjs', files: { 'file.txt.gz': gz } });
  assert.equal(back.status, 0, back.stderr);
  assert.equal(text(back.files['file-gziped.txt']), 'hello');
});

for (const block of seed000) {
  test(`seed 000 "${block.heading}" block ${block.index}`, async () => {
    const files = { 'largefile.txt': 'x'.repeat(100_000) };
    const { node, ours } = await compare(block.code, { filename: 'main.js', files, stdin: 'hello streams\n' });
    assert.equal(text(ours.files['output.txt']), text(node.files['output.txt']));
  });
}
