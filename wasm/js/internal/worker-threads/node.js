// Under Node, ferrode/worker_threads is Node's own module (the package's
// `node` condition points here): real threads, nothing to emulate.
export * from 'node:worker_threads';
export { default } from 'node:worker_threads';
