// The runtime's errors: Node's codes come from the package's one errors
// module (wasm/js/internal/errors.js, bundled in); this file only adds what
// is particular to the playground and fs's system errors.
import { codes, defineError, AbortError, makeNodeError } from '../../wasm/js/internal/errors.js';

defineError('ERR_UNKNOWN_BUILTIN_MODULE', (name) => `No such built-in module: ${name}`, Error);
defineError(
  'ERR_REQUIRE_ESM',
  (file, parent) => `require() of ES Module ${file}${parent ? ` from ${parent}` : ''} not supported.`,
  Error,
);
defineError('ERR_IPC_CHANNEL_CLOSED', 'Channel closed', Error);
defineError(
  'ERR_WORKER_PATH',
  (file) =>
    'The worker script or module filename must be an absolute path or a relative path starting with ' +
    `'./' or '../'. Received "${file}"`,
  TypeError,
);
defineError(
  'ERR_FERRODE_NOT_AVAILABLE',
  (name) =>
    `The module '${name}' is not available in the playground yet: ferrode/${name} has not been built into ` +
    'this page.',
  Error,
);
defineError(
  'ERR_SOCKET_BAD_PORT',
  (name, port, allowZero = true) =>
    `${name} should be ${allowZero ? '>=' : '>'} 0 and < 65536. ` +
    `Received ${typeof port === 'string' ? `'${port}'` : port}.`,
  RangeError,
);
defineError('ERR_SERVER_ALREADY_LISTEN', 'Listen method has been called more than once without closing.', Error);
defineError('ERR_SERVER_NOT_RUNNING', 'Server is not running.', Error);
defineError('ERR_HTTP_HEADERS_SENT', (what) => `Cannot ${what} headers after they are sent to the client`, Error);
defineError('ERR_INVALID_PROTOCOL', (got, want) => `Protocol "${got}" not supported. Expected "${want}"`, TypeError);
defineError(
  'ERR_FERRODE_COMPANION_REQUIRED',
  (api) =>
    `${api} needs the ferrode companion server, which is not connected. A browser cannot open ports or ` +
    'start processes: run ./scripts/run.sh in the ferrode repository and open the URL it prints.',
  Error,
);

export { codes, AbortError, makeNodeError };

/** Error for a module whose ferrode implementation has not landed yet. */
export function notAvailable(name) {
  return new codes.ERR_FERRODE_NOT_AVAILABLE(name);
}

/** Error for APIs that need the companion server (real ports, real processes). */
export function companionRequired(api) {
  return new codes.ERR_FERRODE_COMPANION_REQUIRED(api);
}

/** A system error like Node's fs errors: "ENOENT: no such file or directory, open 'x'". */
export function sysError(code, syscall, path, dest) {
  const table = {
    ENOENT: [-2, 'no such file or directory'],
    EEXIST: [-17, 'file already exists'],
    EISDIR: [-21, 'illegal operation on a directory'],
    ENOTDIR: [-20, 'not a directory'],
    ENOTEMPTY: [-39, 'directory not empty'],
    EBADF: [-9, 'bad file descriptor'],
    EINVAL: [-22, 'invalid argument'],
  };
  const [errno, text] = table[code] ?? [-1, 'unknown error'];
  let message = `${code}: ${text}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  const err = new Error(message);
  err.errno = errno;
  err.code = code;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  if (dest !== undefined) err.dest = dest;
  return err;
}
