// fs and fs/promises over an in-memory file system that holds the example's
// files. Every change is reported to the page (which shows the files, lets
// you download them and hands them to the other processes).
import { pathModule as path } from './path.js';
import { sysError, codes, notAvailable } from './errors.js';
import { ferrode } from './ferrode.js';
import { hold, invoke, setTimeoutNative } from './loop.js';

const files = new Map();
const dirs = new Set(['/']);
let notify = () => {};
const encoder = new TextEncoder();

export function setFsNotifier(fn) {
  notify = fn;
}

function ensureDirs(p) {
  const parts = p.split('/').filter(Boolean);
  let cur = '';
  for (const part of parts) {
    cur += `/${part}`;
    dirs.add(cur);
  }
}

/** Applies a file the page sent (initial files or another process's write). */
export function applyRemote(op, p, data) {
  if (op === 'write') {
    ensureDirs(path.dirname(p));
    const now = Date.now();
    const old = files.get(p);
    files.set(p, { data, mtimeMs: now, birthtimeMs: old?.birthtimeMs ?? now, mode: 0o100644 });
  } else if (op === 'unlink') {
    files.delete(p);
  } else if (op === 'mkdir') {
    ensureDirs(p);
  } else if (op === 'rmdir') {
    dirs.delete(p);
  }
}

function Buf() {
  return ferrode.get('buffer')?.Buffer ?? null;
}

function toBuffer(u8) {
  const B = Buf();
  return B ? B.from(u8.buffer, u8.byteOffset, u8.byteLength) : u8;
}

function pathArg(p, name = 'path') {
  if (p instanceof URL) {
    if (p.protocol !== 'file:') throw new codes.ERR_INVALID_ARG_TYPE(name, 'string or an instance of Buffer or URL', p);
    return decodeURIComponent(p.pathname);
  }
  if (ArrayBuffer.isView(p)) return new TextDecoder().decode(p);
  if (typeof p !== 'string') throw new codes.ERR_INVALID_ARG_TYPE(name, 'string or an instance of Buffer or URL', p);
  return p;
}

function abs(p) {
  return path.resolve(p);
}

function encodingOf(options) {
  if (typeof options === 'string') return options;
  return options?.encoding ?? null;
}

function decode(u8, encoding) {
  if (encoding === null || encoding === 'buffer') return toBuffer(u8);
  const B = Buf();
  if (B) return B.from(u8.buffer, u8.byteOffset, u8.byteLength).toString(encoding);
  if (/^utf-?8$/i.test(encoding)) return new TextDecoder().decode(u8);
  throw notAvailable('buffer');
}

function dataBytes(data, encoding, name = 'data') {
  if (typeof data === 'string') {
    const B = Buf();
    if (B && encoding && !/^utf-?8$/i.test(encoding)) {
      const b = B.from(data, encoding);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
    }
    return encoder.encode(data);
  }
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  throw new codes.ERR_INVALID_ARG_TYPE(name, 'string or an instance of Buffer, TypedArray, or DataView', data);
}

// What Stats and Dirent both tell: a file or a directory (there are no links here); `_dir` is set by each.
class FileKind {
  isFile() {
    return !this._dir;
  }
  isDirectory() {
    return this._dir;
  }
  isSymbolicLink() {
    return false;
  }
}

class Stats extends FileKind {
  constructor(entry, isDir) {
    super();
    const now = Date.now();
    const m = entry?.mtimeMs ?? now;
    const b = entry?.birthtimeMs ?? now;
    Object.assign(this, {
      dev: 1,
      mode: isDir ? 0o40755 : entry.mode,
      nlink: 1,
      uid: 1000,
      gid: 1000,
      rdev: 0,
      blksize: 4096,
      ino: 0,
      size: isDir ? 4096 : entry.data.byteLength,
      blocks: isDir ? 8 : Math.ceil(entry.data.byteLength / 512),
      atimeMs: m,
      mtimeMs: m,
      ctimeMs: m,
      birthtimeMs: b,
      atime: new Date(m),
      mtime: new Date(m),
      ctime: new Date(m),
      birthtime: new Date(b),
    });
    Object.defineProperty(this, '_dir', { value: isDir });
  }
  isFIFO() {
    return false;
  }
  isSocket() {
    return false;
  }
  isBlockDevice() {
    return false;
  }
  isCharacterDevice() {
    return false;
  }
}

class Dirent extends FileKind {
  constructor(name, dir, parentPath) {
    super();
    this.name = name;
    this.parentPath = parentPath;
    this.path = parentPath;
    Object.defineProperty(this, '_dir', { value: dir });
  }
}

/** `head` followed by each of `chunks`, in a new array. */
function concatBytes(head, chunks) {
  const total = chunks.reduce((n, c) => n + c.length, head.length);
  const out = new Uint8Array(total);
  out.set(head);
  let o = head.length;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function parentMustExist(a, syscall, p) {
  const parent = path.dirname(a);
  if (!dirs.has(parent)) throw sysError(files.has(parent) ? 'ENOTDIR' : 'ENOENT', syscall, p);
}

const sync = {
  existsSync(p) {
    try {
      const a = abs(pathArg(p));
      return files.has(a) || dirs.has(a);
    } catch {
      return false;
    }
  },
  readFileSync(p, options) {
    if (typeof p === 'number') throw sysError('EBADF', 'read');
    const given = pathArg(p);
    const a = abs(given);
    if (dirs.has(a)) throw sysError('EISDIR', 'read');
    const f = files.get(a);
    if (!f) throw sysError('ENOENT', 'open', given);
    return decode(f.data.slice(), encodingOf(options));
  },
  writeFileSync(p, data, options) {
    const given = pathArg(p);
    const a = abs(given);
    if (dirs.has(a)) throw sysError('EISDIR', 'open', given);
    parentMustExist(a, 'open', given);
    const flag = typeof options === 'object' ? options?.flag : undefined;
    const bytes = dataBytes(data, encodingOf(options));
    if (flag === 'wx' && files.has(a)) throw sysError('EEXIST', 'open', given);
    const out = flag === 'a' && files.has(a) ? concatBytes(files.get(a).data, [bytes]) : bytes;
    applyRemote('write', a, out);
    notify('write', a, out);
  },
  appendFileSync(p, data, options) {
    const o = typeof options === 'string' ? { encoding: options } : { ...options };
    sync.writeFileSync(p, data, { ...o, flag: 'a' });
  },
  statSync(p, options) {
    const given = pathArg(p);
    const a = abs(given);
    if (dirs.has(a)) return new Stats(null, true);
    const f = files.get(a);
    if (!f) {
      if (options?.throwIfNoEntry === false) return undefined;
      throw sysError('ENOENT', 'stat', given);
    }
    return new Stats(f, false);
  },
  lstatSync(p, options) {
    return sync.statSync(p, options);
  },
  accessSync(p) {
    const given = pathArg(p);
    const a = abs(given);
    if (!files.has(a) && !dirs.has(a)) throw sysError('ENOENT', 'access', given);
  },
  readdirSync(p, options) {
    const given = pathArg(p);
    const a = abs(given);
    if (!dirs.has(a)) throw sysError(files.has(a) ? 'ENOTDIR' : 'ENOENT', 'scandir', given);
    const prefix = a === '/' ? '/' : `${a}/`;
    const names = new Map();
    const child = (k) => k.startsWith(prefix) && k !== a && !k.slice(prefix.length).includes('/');
    for (const k of files.keys()) if (child(k)) names.set(k.slice(prefix.length), false);
    for (const k of dirs) if (child(k)) names.set(k.slice(prefix.length), true);
    const sorted = [...names.keys()].sort();
    if (options?.withFileTypes) return sorted.map((n) => new Dirent(n, names.get(n), a));
    return sorted;
  },
  mkdirSync(p, options) {
    const given = pathArg(p);
    const a = abs(given);
    const recursive = typeof options === 'object' && options?.recursive;
    if (dirs.has(a) || files.has(a)) {
      if (recursive && dirs.has(a)) return undefined;
      throw sysError('EEXIST', 'mkdir', given);
    }
    if (!recursive) parentMustExist(a, 'mkdir', given);
    let first;
    let cur = '';
    for (const part of a.split('/').filter(Boolean)) {
      cur += `/${part}`;
      if (files.has(cur)) throw sysError('ENOTDIR', 'mkdir', given);
      if (!dirs.has(cur)) {
        first ??= cur;
        dirs.add(cur);
        notify('mkdir', cur);
      }
    }
    return recursive ? first : undefined;
  },
  unlinkSync(p) {
    const given = pathArg(p);
    const a = abs(given);
    if (dirs.has(a)) throw sysError('EISDIR', 'unlink', given);
    if (!files.has(a)) throw sysError('ENOENT', 'unlink', given);
    files.delete(a);
    notify('unlink', a);
  },
  rmdirSync(p) {
    const given = pathArg(p);
    const a = abs(given);
    if (!dirs.has(a)) throw sysError(files.has(a) ? 'ENOTDIR' : 'ENOENT', 'rmdir', given);
    if (sync.readdirSync(a).length > 0) throw sysError('ENOTEMPTY', 'rmdir', given);
    dirs.delete(a);
    notify('rmdir', a);
  },
  rmSync(p, options) {
    const given = pathArg(p);
    const a = abs(given);
    if (files.has(a)) return sync.unlinkSync(a);
    if (!dirs.has(a)) {
      if (options?.force) return undefined;
      throw sysError('ENOENT', 'stat', given);
    }
    if (!options?.recursive) {
      const err = new Error(`Path is a directory: rm returned EISDIR (is a directory) ${given}`);
      err.code = 'ERR_FS_EISDIR';
      throw err;
    }
    for (const k of [...files.keys()]) if (k.startsWith(`${a}/`)) sync.unlinkSync(k);
    for (const k of [...dirs].sort().reverse())
      if (k === a || k.startsWith(`${a}/`)) {
        dirs.delete(k);
        notify('rmdir', k);
      }
    return undefined;
  },
  renameSync(from, to) {
    const g1 = pathArg(from, 'oldPath');
    const g2 = pathArg(to, 'newPath');
    const a = abs(g1);
    const b = abs(g2);
    const f = files.get(a);
    if (!f) throw sysError('ENOENT', 'rename', g1, g2);
    parentMustExist(b, 'rename', g1);
    files.delete(a);
    notify('unlink', a);
    files.set(b, f);
    notify('write', b, f.data);
  },
  copyFileSync(from, to) {
    const g1 = pathArg(from, 'src');
    const f = files.get(abs(g1));
    if (!f) throw sysError('ENOENT', 'copyfile', g1, pathArg(to, 'dest'));
    sync.writeFileSync(to, f.data);
  },
  realpathSync(p) {
    const given = pathArg(p);
    const a = abs(given);
    if (!files.has(a) && !dirs.has(a)) throw sysError('ENOENT', 'lstat', given);
    return a;
  },
};

// Node's fs work takes a few trips to its thread pool: callbacks come after
// the timers that are already due, in a callback of their own.
const IO_DELAY_MS = 2;
function ioLater(fn) {
  setTimeoutNative(() => invoke(fn), IO_DELAY_MS);
}

// The callback form: the work is synchronous, the callback comes later (and
// keeps the process alive until it ran), as with a real thread pool.
function callbackForm(name, fn) {
  return function (...args) {
    let cb = args.pop();
    if (typeof cb !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('cb', 'function', cb);
    let result;
    let error = null;
    try {
      result = fn(...args);
    } catch (err) {
      if (err?.code?.startsWith?.('ERR_INVALID_ARG')) throw err;
      error = err;
    }
    const release = hold();
    ioLater(() => {
      release();
      if (name === 'exists') cb(result);
      else if (error) cb(error);
      else cb(null, result);
    });
  };
}

function promiseForm(fn) {
  return (...args) =>
    new Promise((resolve, reject) => {
      const release = hold();
      ioLater(() => {
        release();
        try {
          resolve(fn(...args));
        } catch (err) {
          reject(err);
        }
      });
    });
}

const promiseNames = [
  'readFile',
  'writeFile',
  'appendFile',
  'stat',
  'lstat',
  'access',
  'readdir',
  'mkdir',
  'unlink',
  'rmdir',
  'rm',
  'rename',
  'copyFile',
  'realpath',
];

export const fsPromises = Object.fromEntries(promiseNames.map((n) => [n, promiseForm(sync[`${n}Sync`])]));
fsPromises.constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 };

function streams() {
  const stream = ferrode.get('stream');
  if (!stream) throw notAvailable('stream');
  return stream;
}

const kDefaultHighWaterMark = 64 * 1024;

/**
 * A file stream of either side (`Kind`: Readable or Writable) with what Node's fs streams share: `path`, `fd` and
 * `pending`; `open()` runs in the construct step (it throws to fail it), then 'open' and 'ready' are emitted; 'close'
 * follows destroy() only once the file was opened; `close(cb)` ends the stream through `closeWith` ('destroy' or
 * 'end'); `counter` ('bytesRead' or 'bytesWritten') starts at 0.
 */
function fileStream(Kind, given, { open, counter, closeWith, ...options }) {
  let opened = false;
  const s = new Kind({
    ...options,
    construct(cb) {
      globalThis.setImmediate(() => {
        try {
          open();
        } catch (err) {
          return cb(err);
        }
        opened = true;
        s.fd = 3;
        s.pending = false;
        s.emit('open', s.fd);
        s.emit('ready');
        cb();
      });
    },
    destroy(err, cb) {
      cb(err);
      if (opened) globalThis.setImmediate(() => s.emit('close'));
    },
    emitClose: false,
  });
  s.path = given;
  s[counter] = 0;
  s.pending = true;
  s.fd = null;
  s.close = (cb) => {
    if (cb) s.once('close', cb);
    s[closeWith]();
  };
  return s;
}

function createReadStream(p, options) {
  const { Readable } = streams();
  if (typeof options === 'string') options = { encoding: options };
  const given = pathArg(p);
  const a = abs(given);
  const hwm = options?.highWaterMark ?? kDefaultHighWaterMark;
  let pos = options?.start ?? 0;
  const end = options?.end ?? Infinity;
  const rs = fileStream(Readable, given, {
    counter: 'bytesRead',
    closeWith: 'destroy',
    highWaterMark: hwm,
    encoding: options?.encoding,
    open() {
      if (!files.has(a)) throw sysError('ENOENT', 'open', given);
    },
    read(n) {
      globalThis.setImmediate(() => {
        const f = files.get(a);
        const data = f ? f.data : new Uint8Array(0);
        const stop = Math.min(data.length, end + 1, pos + (n || hwm));
        if (pos >= stop) {
          rs.push(null);
          return;
        }
        const chunk = data.slice(pos, stop);
        pos = stop;
        rs.bytesRead += chunk.length;
        rs.push(toBuffer(chunk));
      });
    },
  });
  return rs;
}

function createWriteStream(p, options) {
  const { Writable } = streams();
  if (typeof options === 'string') options = { encoding: options };
  const given = pathArg(p);
  const a = abs(given);
  const append = options?.flags === 'a';
  let chunks = [];
  let opened = false;
  const flush = () => {
    const old = append || opened ? (files.get(a)?.data ?? new Uint8Array(0)) : new Uint8Array(0);
    const out = concatBytes(old, chunks);
    chunks = [];
    applyRemote('write', a, out);
    notify('write', a, out);
  };
  const ws = fileStream(Writable, given, {
    counter: 'bytesWritten',
    closeWith: 'end',
    highWaterMark: options?.highWaterMark ?? 16 * 1024,
    decodeStrings: true,
    open() {
      parentMustExist(a, 'open', given);
      if (!append) {
        applyRemote('write', a, new Uint8Array(0));
        notify('write', a, new Uint8Array(0));
      }
      opened = true;
    },
    write(chunk, encoding, cb) {
      const bytes = dataBytes(chunk, encoding, 'chunk');
      chunks.push(bytes);
      ws.bytesWritten += bytes.length;
      flush();
      globalThis.setImmediate(cb);
    },
    final(cb) {
      cb();
    },
  });
  return ws;
}

export const fsModule = {
  ...sync,
  ...Object.fromEntries(promiseNames.map((n) => [n, callbackForm(n, sync[`${n}Sync`])])),
  exists: callbackForm('exists', sync.existsSync),
  createReadStream,
  createWriteStream,
  promises: fsPromises,
  Stats,
  Dirent,
  constants: fsPromises.constants,
  F_OK: 0,
  R_OK: 4,
  W_OK: 2,
  X_OK: 1,
};

/** The file system's contents (for tests and the page). */
export function snapshot() {
  return { files: [...files.keys()], dirs: [...dirs] };
}
