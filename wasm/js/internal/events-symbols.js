// EventEmitter's private symbols that ferrode's streams also read: kCapture
// (captureRejections) lets a stream hand 'data' straight to a single listener
// when emit() would do nothing more.
export const kCapture = Symbol('kCapture');
