// Recipe: esbuild. Node's names are aliased to ferrode's subpaths, and
// ferrode's wasm loader (`#wasm`) stays an import of the installed package's
// file, which the page's server serves at /ferrode/ (esbuild does not copy the
// .wasm files that loader finds next to itself).
import * as esbuild from 'esbuild';

export const ferrodeEsbuild = (base = '/ferrode/') => ({
  name: 'ferrode',
  setup(build) {
    build.onResolve(
      { filter: /^(node:)?(buffer|events|stream|stream\/promises|string_decoder|zlib|crypto)$/ },
      (args) =>
        build.resolve(`ferrode/${args.path.replace(/^node:/, '')}`, {
          kind: args.kind,
          resolveDir: args.resolveDir,
        }),
    );
    build.onResolve({ filter: /^#wasm$/ }, () => ({ path: `${base}js/internal/wasm-browser.js`, external: true }));
  },
});

export async function buildRecipe(entry, outdir) {
  await esbuild.build({
    entryPoints: { app: entry },
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
    plugins: [ferrodeEsbuild()],
  });
}
