// What the comparison packages on the benchmarks page expect from a bundler
// for Node's globals (crypto-browserify and browserify-zlib read `process`
// and `Buffer`): the npm `process` and `buffer` packages, as browserify gave them.
import processShim from 'process/browser.js';
import { Buffer as BufferShim } from 'buffer';

export { processShim as process, BufferShim as Buffer };
