// Seed 002's "Event Emitter" blocks under Node 20 with ferrode/events in place
// of node:events print what they print with Node's own module. Blocks that
// continue an earlier one (they use `eventEmitter` without creating it) run
// after the section's first block, which creates it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedBlocks, runInNode, normalise } from '../support/seeds.mjs';

const blocks = seedBlocks({ seed: '002', section: 'Event Emitter', lang: 'javascript' });

function runnable(block) {
  const setup = blocks[0].code;
  const declares = /\b(const|let|var)\s+eventEmitter\b/.test(block.code);
  return declares ? block.code : `${setup}${block.code}`;
}

test('the section has the blocks the tutorial shows', () => {
  assert.ok(blocks.length >= 3, `found ${blocks.length} blocks`);
});

test('the preload really swaps in ferrode/events', async () => {
  const probe = "import { EventEmitter } from 'events';\nconsole.log(import.meta.resolve('events'));\n";
  const ours = await runInNode(probe, { ferrode: true, filename: 'main.mjs' });
  assert.equal(ours.status, 0, ours.stderr);
  assert.match(ours.stdout, /\/js\/events\.js\n$/);
});

for (const block of blocks) {
  test(`seed 002 "${block.heading}" block ${block.index} (line ${block.line})`, async () => {
    const code = runnable(block);
    const node = await runInNode(code, { filename: 'main.mjs' });
    const ours = await runInNode(code, { ferrode: true, filename: 'main.mjs' });
    assert.equal(node.status, 0, `Node itself fails on this block: ${node.stderr}`);
    assert.equal(ours.status, node.status, ours.stderr);
    assert.equal(normalise(ours.stdout), normalise(node.stdout));
    assert.equal(normalise(ours.stderr), normalise(node.stderr));
  });
}
