// Resolve hook for ferrode-preload.mjs: maps `buffer` and `node:buffer` (etc.)
// to ferrode's module files, except for imports from the spared folder.
let urls = {};
let spareUrl = null;

export function initialize(data) {
  urls = data.urls;
  spareUrl = data.spareUrl;
}

export function resolve(specifier, context, next) {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (Object.hasOwn(urls, name) && !(spareUrl && context.parentURL?.startsWith(spareUrl))) {
    return { url: urls[name], shortCircuit: true };
  }
  return next(specifier, context);
}
