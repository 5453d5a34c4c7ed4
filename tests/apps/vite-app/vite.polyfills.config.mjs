// The same app on vite-plugin-node-polyfills, for the size and speed comparison.
import { nodePolyfills } from 'vite-plugin-node-polyfills';

export default {
  logLevel: 'warn',
  plugins: [
    nodePolyfills({ include: ['buffer', 'events', 'stream', 'string_decoder', 'zlib', 'crypto', 'util', 'assert'] }),
  ],
};
