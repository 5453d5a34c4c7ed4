// The sample app on ferrode: one plugin replaces the polyfill stack.
import ferrode from 'ferrode/vite';

export default {
  logLevel: 'warn',
  plugins: [ferrode()],
};
