// The zlib blocks of seed 002 (createGzip in a stream pipeline with a
// callback; createGunzip with stream/promises) write byte-identical files
// under ferrode and under Node 20.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeZlib from 'node:zlib';
import { seedBlocks, runInNode } from '../support/seeds.mjs';

const blocks = seedBlocks({ seed: '002', section: 'zlib' });

test('seed 002 has its two zlib blocks', () => {
  assert.equal(blocks.length, 2);
  assert.match(blocks[0].code, /createGzip/);
  assert.match(blocks[1].code, /createGunzip/);
});

test('the ferrode run really uses ferrode/zlib', async () => {
  const probe = "import * as z from 'zlib';\nconsole.log(typeof z.createGzip, 'getZlibHandle' in z, z.crc32('x'));\n";
  const ours = await runInNode(probe, { filename: 'probe.mjs', ferrode: true });
  assert.equal(ours.stdout, `function false ${nodeZlib.crc32('x')}\n`, ours.stderr);
});

const files = { 'file.txt': 'hello\n' };

test('seed 002 zlib block 0: createGzip + pipeline writes the same file.txt.gz as Node', async () => {
  const node = await runInNode(blocks[0].code, { filename: 'main.mjs', files });
  const ours = await runInNode(blocks[0].code, { filename: 'main.mjs', files, ferrode: true });
  assert.equal(node.status, 0, node.stderr);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(ours.stdout, node.stdout);
  assert.ok(node.files['file.txt.gz'].length > 0);
  assert.ok(ours.files['file.txt.gz'].equals(node.files['file.txt.gz']));
});

test('seed 002 zlib block 1: createGunzip + stream/promises pipeline writes the same file as Node', async () => {
  const input = { ...files, 'file.txt.gz': nodeZlib.gzipSync(files['file.txt']) };
  const node = await runInNode(blocks[1].code, { filename: 'main.mjs', files: input });
  const ours = await runInNode(blocks[1].code, { filename: 'main.mjs', files: input, ferrode: true });
  assert.equal(node.status, 0, node.stderr);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(node.files['file-gziped.txt'].toString(), 'hello\n');
  assert.ok(ours.files['file-gziped.txt'].equals(node.files['file-gziped.txt']));
});
