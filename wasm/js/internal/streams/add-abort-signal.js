// addAbortSignal(signal, stream): destroys the stream with an AbortError when the signal aborts.
import { codes, AbortError } from '../errors.js';
import { validateAbortSignal } from '../validators.js';
import { eos } from './end-of-stream.js';
import { addAbortListener, isNodeStream, isWebStream, kControllerErrorFunction } from './utils.js';

const { ERR_INVALID_ARG_TYPE } = codes;

export function addAbortSignal(signal, stream) {
  validateAbortSignal(signal, 'signal');
  if (!isNodeStream(stream) && !isWebStream(stream)) {
    throw new ERR_INVALID_ARG_TYPE('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
  }
  return addAbortSignalNoValidate(signal, stream);
}

export function addAbortSignalNoValidate(signal, stream) {
  if (typeof signal !== 'object' || !('aborted' in signal)) return stream;
  const onAbort = isNodeStream(stream)
    ? () => {
        stream.destroy(new AbortError(undefined, { cause: signal.reason }));
      }
    : () => {
        stream[kControllerErrorFunction](new AbortError(undefined, { cause: signal.reason }));
      };
  if (signal.aborted) {
    onAbort();
  } else {
    const disposable = addAbortListener(signal, onAbort);
    eos(stream, () => disposable.dispose());
  }
  return stream;
}
