// ferrode/zlib has Node's API: its declarations are @types/node's own for node:zlib.
import m = require('node:zlib');
export = m;
