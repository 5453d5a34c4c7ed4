// The part of Node's `util` the browserify packages on the benchmarks page use.
module.exports = { inherits: require('inherits') };
