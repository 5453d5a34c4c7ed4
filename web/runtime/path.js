// path (POSIX): the playground's file system is a POSIX one rooted at /.
import { codes } from './errors.js';

let cwd = () => '/';
export function setCwd(fn) {
  cwd = fn;
}

function check(p, name = 'path') {
  if (typeof p !== 'string') throw new codes.ERR_INVALID_ARG_TYPE(name, 'string', p);
}

function normalizeParts(path, allowAbove) {
  const out = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (allowAbove) out.push('..');
      continue;
    }
    out.push(part);
  }
  return out;
}

function normalize(p) {
  check(p);
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const trailing = p.endsWith('/');
  let s = normalizeParts(p, !abs).join('/');
  if (s === '' && !abs) s = '.';
  if (s !== '' && trailing) s += '/';
  return abs ? `/${s}` : s;
}

function join(...parts) {
  for (const p of parts) check(p);
  const joined = parts.filter((p) => p !== '').join('/');
  return joined === '' ? '.' : normalize(joined);
}

function resolve(...parts) {
  let resolved = '';
  for (let i = parts.length - 1; i >= -1 && !resolved.startsWith('/'); i--) {
    const p = i >= 0 ? parts[i] : cwd();
    check(p, `paths[${i}]`);
    if (p === '') continue;
    resolved = resolved === '' ? p : `${p}/${resolved}`;
  }
  const s = normalizeParts(resolved, false).join('/');
  return `/${s}`;
}

function isAbsolute(p) {
  check(p);
  return p.startsWith('/');
}

function dirname(p) {
  check(p);
  if (p === '') return '.';
  const hasRoot = p.startsWith('/');
  let end = p.length;
  while (end > 1 && p[end - 1] === '/') end--;
  const i = p.lastIndexOf('/', end - 1);
  if (i === -1) return hasRoot ? '/' : '.';
  if (i === 0) return '/';
  if (i === 1 && p.startsWith('//')) return '//';
  return p.slice(0, i);
}

/** Where the last segment starts and ends, trailing slashes left out. */
function lastSegment(p) {
  let end = p.length;
  while (end > 1 && p[end - 1] === '/') end--;
  if (end === 1 && p[0] === '/') return { start: 1, end: 1 };
  return { start: p.lastIndexOf('/', end - 1) + 1, end };
}

function basename(p, ext) {
  check(p);
  if (ext !== undefined) check(ext, 'ext');
  // With a suffix, Node's answers for the degenerate cases are: the whole
  // path being the suffix gives '', a path of only slashes is returned as is.
  if (ext !== undefined && ext.length > 0 && ext.length <= p.length) {
    if (p === ext) return '';
    if (/^\/*$/.test(p)) return p;
  }
  const seg = lastSegment(p);
  let base = p.slice(seg.start, seg.end);
  if (ext !== undefined && ext !== base && base.endsWith(ext)) base = base.slice(0, base.length - ext.length);
  return base;
}

function extOf(base) {
  const i = base.lastIndexOf('.');
  if (i <= 0 || base === '..') return '';
  return base.slice(i);
}

function extname(p) {
  check(p);
  return extOf(basename(p));
}

function relative(from, to) {
  check(from, 'from');
  check(to, 'to');
  const a = normalizeParts(resolve(from), false);
  const b = normalizeParts(resolve(to), false);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...Array(a.length - i).fill('..'), ...b.slice(i)].join('/');
}

function parse(p) {
  check(p);
  const root = p.startsWith('/') ? '/' : '';
  const seg = lastSegment(p);
  const base = p.slice(seg.start, seg.end);
  let dir = seg.start > 0 ? p.slice(0, seg.start - 1) : '';
  if (root && dir === '') dir = '/';
  // Node's parse() (unlike its extname()) splits a '..' right after the root into '.' and '.'.
  const ext = root && seg.start === 1 && base === '..' ? '.' : extOf(base);
  return { root, dir, base, ext, name: ext ? base.slice(0, -ext.length) : base };
}

function format(obj) {
  if (obj === null || typeof obj !== 'object') throw new codes.ERR_INVALID_ARG_TYPE('pathObject', 'Object', obj);
  const dir = obj.dir || obj.root;
  const base = obj.base || `${obj.name || ''}${obj.ext ? (obj.ext[0] === '.' ? '' : '.') + obj.ext : ''}`;
  if (!dir) return base;
  return dir === obj.root ? `${dir}${base}` : `${dir}/${base}`;
}

function toNamespacedPath(p) {
  return p;
}

export const posix = {
  sep: '/',
  delimiter: ':',
  normalize,
  join,
  resolve,
  isAbsolute,
  dirname,
  basename,
  extname,
  relative,
  parse,
  format,
  toNamespacedPath,
  matchesGlob: undefined,
};
delete posix.matchesGlob;
posix.posix = posix;
posix.win32 = null;
export const pathModule = posix;
