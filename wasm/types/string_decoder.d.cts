// ferrode/string_decoder has Node's API: its declarations are @types/node's own for node:string_decoder.
import m = require('node:string_decoder');
export = m;
