// ferrode/crypto has Node's API: its declarations are @types/node's own for node:crypto.
import m = require('node:crypto');
export = m;
