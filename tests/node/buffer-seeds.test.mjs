// Every Buffer code block of seed 002 prints under ferrode what it prints
// under Node 20 (stdout and stderr), with ferrode's buffer module really in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedBlocks, runInNode, normalise } from '../support/seeds.mjs';

const blocks = seedBlocks({ seed: '002', section: 'Buffer' });

test('seed 002 has its three Buffer blocks', () => {
  assert.equal(blocks.length, 3);
});

test('the ferrode run really uses ferrode/buffer', async () => {
  const probe = "import * as m from 'buffer';\nconsole.log('resolveObjectURL' in m, Buffer === m.Buffer);\n";
  const node = await runInNode(probe, { filename: 'probe.mjs' });
  const ours = await runInNode(probe, { filename: 'probe.mjs', ferrode: true });
  assert.equal(node.stdout, 'true true\n', node.stderr);
  // ferrode's module has no resolveObjectURL; the global Buffer is ferrode's too.
  assert.equal(ours.stdout, 'false true\n', ours.stderr);
});

for (const block of blocks) {
  test(`seed 002 Buffer block ${block.index} (line ${block.line}) prints what Node prints`, async () => {
    const filename = /^\s*import\s/m.test(block.code) ? 'main.mjs' : 'main.js';
    const node = await runInNode(block.code, { filename });
    const ours = await runInNode(block.code, { filename, ferrode: true });
    assert.equal(node.status, 0, node.stderr);
    assert.ok(node.stdout.length > 0);
    assert.equal(normalise(ours.stdout), normalise(node.stdout));
    assert.equal(normalise(ours.stderr), normalise(node.stderr));
    assert.equal(ours.status, node.status);
  });
}
