// Under Node, ferrode/worker_threads is Node's own module (the package's
// `node` condition points here): real threads, nothing to emulate. Loaded
// through require so that a loader hook mapping `node:worker_threads` to this
// file (as tools that swap Node's modules for ferrode's do) is not a cycle.
import { createRequire } from 'node:module';

const threads = createRequire(import.meta.url)('node:worker_threads');

export const {
  BroadcastChannel,
  MessageChannel,
  MessagePort,
  SHARE_ENV,
  Worker,
  getEnvironmentData,
  isInternalThread,
  isMainThread,
  isMarkedAsUntransferable,
  locks,
  markAsUncloneable,
  markAsUntransferable,
  moveMessagePortToContext,
  parentPort,
  postMessageToThread,
  receiveMessageOnPort,
  resourceLimits,
  setEnvironmentData,
  threadId,
  threadName,
  workerData,
} = threads;
export default threads;
