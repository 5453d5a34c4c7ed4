// The sample app on ferrode: one plugin replaces the polyfill stack. (pngjs
// also requires `util` and `assert`, which ferrode does not cover: they come
// from the npm packages `util` and `assert` installed in node_modules.)
import ferrode from 'ferrode/vite';

export default {
  logLevel: 'warn',
  plugins: [ferrode()],
};
