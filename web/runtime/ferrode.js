// The ferrode modules available to user code, loaded before any user code
// runs so that CommonJS `require('buffer')` can return synchronously. Which
// modules exist is decided at build time (dist/ferrode/manifest.json lists the
// subpaths the package exports); the others are "not available yet".
const base = new URL('./ferrode/', import.meta.url);
const modules = new Map();
let manifest = { modules: {} };
try {
  const res = await fetch(new URL('manifest.json', base));
  if (res.ok) manifest = await res.json();
} catch {
  // No manifest: no ferrode modules, every one reports itself missing.
}
let loadError = null;
for (const [name, file] of Object.entries(manifest.modules)) {
  try {
    modules.set(name, await import(new URL(file, base).href));
  } catch (err) {
    loadError = err;
  }
}
let glue = null;
if (modules.size > 0) {
  try {
    glue = await import(new URL(manifest.wasm, base).href);
  } catch {
    glue = null;
  }
}

/** Access to the loaded ferrode modules. */
export const ferrode = {
  /** The module namespace of `ferrode/<name>`, or undefined. */
  get(name) {
    return modules.get(name);
  },
  names() {
    return [...modules.keys()];
  },
  url(name) {
    const file = manifest.modules[name];
    return file ? new URL(file, base).href : null;
  },
  loadError,
  /** Which build runs and how much memory its module uses. */
  async stats() {
    if (!glue) return null;
    let memory = null;
    try {
      const exports = await glue.wasm.default();
      memory = exports?.memory?.buffer?.byteLength ?? null;
    } catch {
      memory = null;
    }
    return { ...glue.threads, memory };
  },
};
