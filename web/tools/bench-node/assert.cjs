// The part of Node's `assert` the browserify packages on the benchmarks page use.
function assert(value, message) {
  if (!value) throw new Error(message || 'assertion failed');
}
assert.equal = function equal(a, b, message) {
  // Loose equality, as Node's assert.equal.
  if (a != b) throw new Error(message || a + ' == ' + b);
};
assert.ok = assert;
module.exports = assert;
