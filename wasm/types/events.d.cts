// ferrode/events has Node's API: its declarations are @types/node's own for node:events.
import m = require('node:events');
export = m;
