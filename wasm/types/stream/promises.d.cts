// ferrode/stream/promises has Node's API: its declarations are @types/node's own.
import m = require('node:stream/promises');
export = m;
