// The package root: which build is active, and the modules by name.
export { threads } from '#wasm';
