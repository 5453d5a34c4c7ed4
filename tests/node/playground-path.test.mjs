// The playground's `path` (web/runtime/path.js, POSIX) against node:path's
// posix implementation on every path built from a set of tricky segments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodePath from 'node:path';
import { pathModule as ours, setCwd } from '../../web/runtime/path.js';

const node = nodePath.posix;
setCwd(() => process.cwd());

const SEGMENTS = ['', '.', '..', 'a', 'b.c', '.d', 'e..', 'f.', '..g', 'h.i.j'];
function* paths() {
  yield '';
  for (const lead of ['', '/', '//', './', '../']) {
    for (const a of SEGMENTS) {
      yield `${lead}${a}`;
      for (const b of SEGMENTS) {
        yield `${lead}${a}/${b}`;
        yield `${lead}${a}//${b}/`;
      }
    }
  }
}
const ALL = [...new Set(paths())];

test('normalize, dirname, basename, extname, isAbsolute, parse', () => {
  for (const p of ALL) {
    for (const fn of ['normalize', 'dirname', 'basename', 'extname', 'isAbsolute']) {
      assert.equal(ours[fn](p), node[fn](p), `${fn}(${JSON.stringify(p)})`);
    }
    assert.deepEqual(ours.parse(p), node.parse(p), `parse(${JSON.stringify(p)})`);
    // Not covered: a suffix of '..' after a trailing slash, where Node's answers are not reproduced.
    for (const ext of ['.c', 'c', 'a', 'b.c', '/', '', '.', 'h.i.j', '.j']) {
      assert.equal(ours.basename(p, ext), node.basename(p, ext), `basename(${JSON.stringify(p)}, '${ext}')`);
    }
  }
});

test('join, resolve, relative on pairs', () => {
  const some = ALL.filter((_, i) => i % 7 === 0);
  for (const a of some) {
    for (const b of some) {
      assert.equal(ours.join(a, b), node.join(a, b), `join(${JSON.stringify(a)}, ${JSON.stringify(b)})`);
      assert.equal(ours.resolve(a, b), node.resolve(a, b), `resolve(${JSON.stringify(a)}, ${JSON.stringify(b)})`);
      assert.equal(ours.relative(a, b), node.relative(a, b), `relative(${JSON.stringify(a)}, ${JSON.stringify(b)})`);
    }
  }
});

test("format round trip and argument errors of Node's shape", () => {
  for (const p of ALL) assert.equal(ours.format(ours.parse(p)), node.format(node.parse(p)), JSON.stringify(p));
  for (const [fn, args] of [
    ['join', ['a', 1]],
    ['basename', [null]],
    ['dirname', [{}]],
    ['extname', [5]],
  ]) {
    let theirs;
    try {
      node[fn](...args);
    } catch (err) {
      theirs = err;
    }
    assert.throws(() => ours[fn](...args), { code: theirs.code, message: theirs.message, name: theirs.name });
  }
});
