// A small util.inspect for the values events puts into messages: the
// `Unhandled error. (...)` text of ERR_UNHANDLED_ERROR and the `[ClassName]`
// of the MaxListenersExceededWarning. It follows Node's output for primitives,
// plain objects, arrays, class instances, null-prototype objects, functions,
// Maps, Sets, typed arrays, boxed primitives, Dates, RegExps and errors up to
// depth 2, on one line when the result fits in 72 columns and one entry per line
// otherwise. Not reproduced: Node's grouping of arrays of more than 6 items into
// columns, Promise state and WeakMap/WeakSet markers.
import { inspectString } from './errors.js';

const kMaxDepth = 2;
const kBreakLength = 80;
const identRe = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

function formatKey(key) {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return identRe.test(key) ? key : inspectString(key);
}

function constructorName(obj) {
  let proto = Object.getPrototypeOf(obj);
  while (proto !== null) {
    const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (desc !== undefined && typeof desc.value === 'function' && desc.value.name !== '') return desc.value.name;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function formatFunction(fn) {
  const src = Function.prototype.toString.call(fn);
  if (src.startsWith('class') && /^class\b/.test(src)) return fn.name ? `[class ${fn.name}]` : '[class (anonymous)]';
  let kind = 'Function';
  const tag = Object.prototype.toString.call(fn);
  if (tag === '[object AsyncFunction]') kind = 'AsyncFunction';
  else if (tag === '[object GeneratorFunction]') kind = 'GeneratorFunction';
  else if (tag === '[object AsyncGeneratorFunction]') kind = 'AsyncGeneratorFunction';
  return fn.name ? `[${kind}: ${fn.name}]` : `[${kind} (anonymous)]`;
}

function boxedPrimitive(value) {
  const tag = Object.prototype.toString.call(value);
  try {
    if (tag === '[object Number]') return `[Number: ${formatValue(Number.prototype.valueOf.call(value), 0, [], '')}]`;
    if (tag === '[object String]') return `[String: ${inspectString(String.prototype.valueOf.call(value))}]`;
    if (tag === '[object Boolean]') return `[Boolean: ${Boolean.prototype.valueOf.call(value)}]`;
  } catch {
    // A forged Symbol.toStringTag: not a boxed primitive.
  }
  return undefined;
}

function reduceToSingleLine(start, entries, braces, indent) {
  const total = entries.reduce((n, e) => n + e.length, 0) + entries.length;
  const width = total + start.length + braces[0].length + indent.length;
  if (width < kBreakLength && !entries.some((e) => e.includes('\n'))) {
    return `${start}${braces[0]} ${entries.join(', ')} ${braces[1]}`;
  }
  const pad = `${indent}  `;
  return `${start}${braces[0]}\n${pad}${entries.join(`,\n${pad}`)}\n${indent}${braces[1]}`;
}

function formatValue(value, depth, seen, indent) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return inspectString(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return formatFunction(value);
    default:
      break;
  }
  if (seen.includes(value)) return '[Circular *1]';
  if (value instanceof Error) return value.stack || `${value.name}: ${value.message}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  const boxed = boxedPrimitive(value);
  if (boxed !== undefined) return boxed;
  const name = constructorName(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (value.length === 0) return `${name}(0) []`;
    if (depth > kMaxDepth) return `[${name}]`;
    const items = [];
    for (let i = 0; i < value.length; i++) items.push(formatValue(value[i], depth + 1, seen, indent));
    return reduceToSingleLine(`${name}(${value.length}) `, items, ['[', ']'], indent);
  }
  const isArray = Array.isArray(value);
  const isMap = value instanceof Map;
  const isSet = value instanceof Set;
  let start = '';
  let braces = ['{', '}'];
  if (isArray) {
    braces = ['[', ']'];
    if (name !== 'Array') start = `${name ?? '[Array: null prototype]'}(${value.length}) `;
  } else if (isMap || isSet) {
    start = `${name}(${value.size}) `;
  } else if (name === null) {
    start = '[Object: null prototype] ';
  } else if (name !== 'Object') {
    start = `${name} `;
  }
  const keys = Reflect.ownKeys(value).filter((k) => {
    if (isArray && (k === 'length' || (typeof k === 'string' && String(k >>> 0) === k))) return false;
    return Object.prototype.propertyIsEnumerable.call(value, k);
  });
  const size = isArray ? value.length : isMap || isSet ? value.size : 0;
  if (keys.length === 0 && size === 0) return `${start}${braces[0]}${braces[1]}`;
  if (depth > kMaxDepth) {
    if (isArray) return '[Array]';
    return `[${name ?? 'Object: null prototype'}]`;
  }
  seen.push(value);
  const inner = `${indent}  `;
  const entries = [];
  if (isArray) {
    let holes = 0;
    for (let i = 0; i < value.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(value, i)) {
        holes++;
        continue;
      }
      if (holes > 0) entries.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
      holes = 0;
      entries.push(formatValue(value[i], depth + 1, seen, inner));
    }
    if (holes > 0) entries.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
  } else if (isMap) {
    for (const [k, v] of value) {
      entries.push(`${formatValue(k, depth + 1, seen, inner)} => ${formatValue(v, depth + 1, seen, inner)}`);
    }
  } else if (isSet) {
    for (const v of value) entries.push(formatValue(v, depth + 1, seen, inner));
  }
  for (const k of keys) {
    const desc = Object.getOwnPropertyDescriptor(value, k);
    let shown;
    if (desc.get !== undefined || desc.set !== undefined) {
      shown = desc.get && desc.set ? '[Getter/Setter]' : desc.get ? '[Getter]' : '[Setter]';
    } else {
      shown = formatValue(desc.value, depth + 1, seen, inner);
    }
    entries.push(`${formatKey(k)}: ${shown}`);
  }
  seen.pop();
  return reduceToSingleLine(start, entries, braces, indent);
}

/** util.inspect(value) for the kinds of values listed above. */
export function inspect(value) {
  return formatValue(value, 0, [], '');
}

/** util.inspect(value, { depth: -1 }): `[ClassName]` for objects. */
export function inspectShallow(value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return inspect(value);
  if (typeof value === 'function') return formatFunction(value);
  if (Array.isArray(value)) return '[Array]';
  const name = constructorName(value);
  return `[${name ?? 'Object: null prototype'}]`;
}
