// Which globals the page has (the plugin's `globals` option decides).
window.__result = {
  Buffer: typeof globalThis.Buffer,
  process: typeof globalThis.process,
  global: typeof globalThis.global,
  freeBuffer: typeof Buffer,
  freeProcess: typeof process,
  browser: globalThis.process?.browser ?? null,
  nodeVersion: globalThis.process?.versions?.node ?? null,
  isBuffer: typeof Buffer === 'function' ? Buffer.isBuffer(Buffer.from('x')) : null,
};
