// ferrode/stream/promises — Node 20's `stream/promises`: pipeline and finished as promises.
import { pipelinePromise as pipeline } from '../internal/streams/pipeline.js';
import { finishedPromise as finished } from '../internal/streams/end-of-stream.js';

export { pipeline, finished };
export default { pipeline, finished };
