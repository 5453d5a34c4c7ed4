// The crypto code blocks of seed 002 under Node 20 with ferrode's crypto module
// really in place of Node's: the same output, and where the output is random,
// the same shape (and ciphertext that Node itself decrypts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedBlocks, runInNode, normalise } from '../support/seeds.mjs';

const blocks = seedBlocks({ seed: '002', section: 'crypto' });
const run = (code, ferrode) => runInNode(code, { filename: 'main.mjs', ferrode });

test('seed 002 has its four crypto blocks', () => {
  assert.equal(blocks.length, 4);
});

test('the ferrode run really uses ferrode/crypto', async () => {
  const probe = "import * as m from 'crypto';\nconsole.log(typeof m.createSign, typeof m.createHash);\n";
  assert.equal((await run(probe, false)).stdout, 'function function\n');
  const ours = await run(probe, true);
  assert.equal(ours.stdout, 'undefined function\n', ours.stderr);
});

test('block 1: sha256 of "hello world" prints what Node prints (the seed\'s value)', async () => {
  const node = await run(blocks[0].code, false);
  const ours = await run(blocks[0].code, true);
  assert.equal(node.stdout, 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\n');
  assert.equal(normalise(ours.stdout), normalise(node.stdout), ours.stderr);
  assert.equal(ours.stderr, node.stderr);
});

test('block 2: randomBytes(16) prints 32 random hex digits', async () => {
  const a = await run(blocks[1].code, true);
  const b = await run(blocks[1].code, true);
  assert.match(a.stdout, /^[0-9a-f]{32}\n$/, a.stderr);
  assert.match(b.stdout, /^[0-9a-f]{32}\n$/);
  assert.notEqual(a.stdout, b.stdout);
});

test("blocks 3+4: aes-256-cbc with a scryptSync key round-trips; Node decrypts ferrode's ciphertext", async () => {
  const code = `${blocks[2].code}${blocks[3].code}`;
  const node = await run(code, false);
  const ours = await run(code, true);
  assert.equal(node.status, 0, node.stderr);
  assert.equal(ours.status, 0, ours.stderr);
  assert.match(ours.stdout, /^[0-9a-f]{32}\nhello world\n$/);
  assert.equal(ours.stdout.replace(/^[0-9a-f]{32}/, 'X'), node.stdout.replace(/^[0-9a-f]{32}/, 'X'));
  // The printed ciphertext, with the key material printed too, decrypts in Node.
  const leak = `${blocks[2].code}console.log(salt.toString('hex'), iv.toString('hex'));\n`;
  const printed = await run(leak, true);
  const [encrypted, saltIv] = printed.stdout.trim().split('\n');
  const [salt, iv] = saltIv.split(' ');
  const nodeCrypto = await import('node:crypto');
  const key = nodeCrypto.scryptSync('pass', Buffer.from(salt, 'hex'), 32);
  const d = nodeCrypto.createDecipheriv('aes-256-cbc', key, Buffer.from(iv, 'hex'));
  assert.equal(d.update(encrypted, 'hex', 'utf8') + d.final('utf8'), 'hello world');
});
