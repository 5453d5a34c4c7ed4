// The page: runs the workload and leaves its result for the test to read.
import { run, speed, nativeGzipSpeed } from './workload.js';

const out = document.getElementById('out');
window.__speed = speed;
window.__nativeGzipSpeed = nativeGzipSpeed;
run().then(
  (result) => {
    window.__result = result;
    out.textContent = JSON.stringify(result, null, 1);
  },
  (err) => {
    window.__result = { error: `${(err && err.stack) || err}` };
    out.textContent = window.__result.error;
  },
);
