// ferrode/worker_threads has Node's API: its declarations are @types/node's own for node:worker_threads.
import m = require('node:worker_threads');
export = m;
