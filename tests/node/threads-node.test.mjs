// Under Node, ferrode/worker_threads is Node's own module (the package's node
// condition), and every scenario of the cross-environment suite runs as
// written there; the browser suite compares the page against these logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeThreads from 'node:worker_threads';
import * as ours from 'ferrode/worker_threads';
import { scenarios, runScenarioInNode } from './threads-scenarios.mjs';

test('ferrode/worker_threads is node:worker_threads under Node', () => {
  assert.equal(ours.Worker, nodeThreads.Worker);
  assert.equal(ours.MessageChannel, nodeThreads.MessageChannel);
  assert.equal(ours.default, nodeThreads.default);
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(nodeThreads).sort());
});

for (const scenario of scenarios) {
  test(`scenario runs under Node through the package: ${scenario.name}`, async () => {
    const viaPackage = await runScenarioInNode(scenario, ours);
    const direct = await runScenarioInNode(scenario, nodeThreads);
    // Thread ids and timing-free logs: the same module gives the same log.
    assert.deepEqual(viaPackage, direct);
    assert.ok(viaPackage.length > 0);
  });
}
