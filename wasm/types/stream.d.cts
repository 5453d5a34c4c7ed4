// ferrode/stream has Node's API: its declarations are @types/node's own for node:stream.
import m = require('node:stream');
export = m;
