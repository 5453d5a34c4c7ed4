// Recipe: webpack 5. `resolve.alias` maps Node's names to ferrode's subpaths,
// `node:` specifiers are rewritten to the bare names, and webpack's own
// handling of `new URL('x.wasm', import.meta.url)` emits ferrode's .wasm files.
// Top-level await (ferrode loads its wasm on import) is on by default in
// webpack >= 5.83; it is spelled out here.
import webpack from 'webpack';

const NAMES = ['buffer', 'events', 'stream', 'stream/promises', 'string_decoder', 'zlib', 'crypto'];

export default function config({ entry, outdir }) {
  return {
    mode: 'production',
    target: 'web',
    entry,
    output: { path: outdir, filename: 'app.js', module: true, chunkFormat: 'module', publicPath: 'auto' },
    experiments: { topLevelAwait: true, outputModule: true },
    resolve: {
      alias: Object.fromEntries(NAMES.map((n) => [`${n}$`, `ferrode/${n}`])),
      // Anything else Node-only fails loudly instead of being polyfilled.
      fallback: { util: false, assert: false },
    },
    plugins: [
      new webpack.NormalModuleReplacementPlugin(/^node:/, (r) => {
        r.request = r.request.slice(5);
      }),
    ],
    performance: { hints: false },
  };
}
