// Resolve hook for ferrode-preload.mjs: maps `buffer` and `node:buffer` (etc.)
// to ferrode's module files.
let urls = {};

export function initialize(data) {
  urls = data.urls;
}

export function resolve(specifier, context, next) {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (Object.hasOwn(urls, name)) return { url: urls[name], shortCircuit: true };
  return next(specifier, context);
}
