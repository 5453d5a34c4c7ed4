// The recipes' page: the shared smoke test, written as app code that imports
// Node's module names (each recipe maps them to ferrode).
import { smoke } from '../shared/smoke.js';

smoke().then(
  (result) => {
    window.__result = result;
  },
  (err) => {
    window.__result = { error: String((err && err.stack) || err) };
  },
);
