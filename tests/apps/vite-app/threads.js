// Which ferrode build the page got (the coopCoep option makes it the threaded one).
import { threads } from 'ferrode';
import { createHash } from 'crypto';

window.__result = { crossOriginIsolated, threads, sha: createHash('sha256').update('abc').digest('hex') };
