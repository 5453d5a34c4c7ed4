// ferrode/buffer has Node's API: its declarations are @types/node's own for node:buffer.
import m = require('node:buffer');
export = m;
