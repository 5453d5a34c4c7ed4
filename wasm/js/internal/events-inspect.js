// A small util.inspect for the values events puts into messages: the
// `Unhandled error. (...)` text of ERR_UNHANDLED_ERROR and the `[ClassName]`
// of the MaxListenersExceededWarning. It follows Node 24's default output
// (depth 2, breakLength 80, compact 3, 100 array items) for primitives, plain
// objects, arrays (holes, "... n more items", the grouping of more than six
// short items into columns), class instances, null-prototype objects,
// Symbol.toStringTag, functions and classes, Maps, Sets, typed arrays, boxed
// primitives, Dates, RegExps, errors with extra keys, getters, circular
// references (`<ref *1>`) and `[util.inspect.custom]` methods (called with
// depth, options and this inspect, as Node calls them). Not reproduced: Promise
// state, Proxy detection, ArrayBuffer contents, colours.
import { inspectString } from './errors.js';

const kCustom = Symbol.for('nodejs.util.inspect.custom');
const kDepth = 2;
const kBreakLength = 80;
const kCompact = 3;
const kMaxArrayLength = 100;
const identRe = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

const defaultOptions = {
  showHidden: false,
  depth: kDepth,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: kMaxArrayLength,
  maxStringLength: 10000,
  breakLength: kBreakLength,
  compact: kCompact,
  sorted: false,
  getters: false,
  numericSeparator: false,
};

function formatKey(key, enumerable) {
  let name;
  // Node 24 shows symbol keys bare: `{ Symbol(k): 1 }`.
  if (typeof key === 'symbol') name = key.toString().replace(/[\x00-\x1f\x27\x5c\x7f-\x9f]/g, escapeChar);
  else if (key === '__proto__') name = "['__proto__']";
  else name = identRe.test(key) ? key : inspectString(key);
  return enumerable ? name : `[${name}]`;
}

const namedEscapes = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 0x27: "\\'", 0x5c: '\\\\' };

function escapeChar(c) {
  const code = c.charCodeAt(0);
  return namedEscapes[code] ?? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
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

function functionBase(fn, name) {
  const src = Function.prototype.toString.call(fn);
  if (src.startsWith('class') && /^class\b/.test(src)) {
    let base = fn.name ? `[class ${fn.name}` : '[class (anonymous)';
    const parent = Object.getPrototypeOf(fn);
    if (parent !== Function.prototype && typeof parent === 'function' && parent.name) base += ` extends ${parent.name}`;
    return `${base}]`;
  }
  let kind = 'Function';
  const tag = Object.prototype.toString.call(fn);
  if (tag === '[object AsyncFunction]') kind = 'AsyncFunction';
  else if (tag === '[object GeneratorFunction]') kind = 'GeneratorFunction';
  else if (tag === '[object AsyncGeneratorFunction]') kind = 'AsyncGeneratorFunction';
  let base = `[${kind}`;
  if (name === null) base += ' (null prototype)';
  base += fn.name ? `: ${fn.name}]` : ' (anonymous)]';
  if (name !== kind && name !== null && name !== 'Function') base += ` ${name}`;
  return base;
}

function boxedPrimitive(value) {
  const tag = Object.prototype.toString.call(value);
  try {
    if (tag === '[object Number]') return `[Number: ${formatNumber(Number.prototype.valueOf.call(value))}]`;
    if (tag === '[object String]') return `[String: ${inspectString(String.prototype.valueOf.call(value))}]`;
    if (tag === '[object Boolean]') return `[Boolean: ${Boolean.prototype.valueOf.call(value)}]`;
    if (tag === '[object Symbol]') return `[Symbol: ${Symbol.prototype.toString.call(value)}]`;
    if (tag === '[object BigInt]') return `[BigInt: ${BigInt.prototype.toString.call(value)}n]`;
  } catch {
    // A forged Symbol.toStringTag: not a boxed primitive.
  }
  return undefined;
}

function formatNumber(n) {
  return Object.is(n, -0) ? '-0' : String(n);
}

function formatPrimitive(value) {
  switch (typeof value) {
    case 'string':
      if (value.length > defaultOptions.maxStringLength) {
        const rest = value.length - defaultOptions.maxStringLength;
        return `${inspectString(value.slice(0, defaultOptions.maxStringLength))}... ${rest} more character${rest > 1 ? 's' : ''}`;
      }
      return inspectString(value);
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    default:
      return String(value); // boolean, undefined
  }
}

function prefix(name, tag, fallback, size = '') {
  if (name === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  let out = `${name}${size} `;
  if (tag !== '') {
    const at = name.indexOf(tag);
    if (at === -1) out += `[${tag}] `;
    else {
      const end = at + tag.length;
      if (end !== name.length && name[end] === name[end].toLowerCase()) out += `[${tag}] `;
    }
  }
  return out;
}

function formatValue(ctx, value, depth) {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(value);
  const custom = value[kCustom];
  if (
    typeof custom === 'function' &&
    custom !== inspect &&
    !(value.constructor && value.constructor.prototype === value)
  ) {
    const options = { ...defaultOptions, depth: ctx.depth, stylize: (s) => s };
    const ret = custom.call(value, ctx.depth - depth, options, inspect);
    if (ret !== value) {
      if (typeof ret !== 'string') return formatValue(ctx, ret, depth);
      return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
    }
  }
  if (ctx.seen.includes(value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, depth);
}

function ownKeys(value, filter) {
  return Reflect.ownKeys(value).filter(
    (k) => Object.prototype.propertyIsEnumerable.call(value, k) && (filter === undefined || filter(k)),
  );
}

const isIndex = (k) => typeof k === 'string' && k !== '' && String(k >>> 0) === k && k >>> 0 !== 2 ** 32 - 1;

function formatRaw(ctx, value, depth) {
  const name = constructorName(value);
  let tag = value[Symbol.toStringTag];
  // An own enumerable Symbol.toStringTag is listed as a key, not shown as a tag.
  if (
    typeof tag !== 'string' ||
    (tag !== '' && Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag))
  ) {
    tag = '';
  }
  let keys;
  let base = '';
  let braces;
  let formatter = () => [];
  let grouping = false;

  if (Array.isArray(value)) {
    keys = ownKeys(value, (k) => !isIndex(k));
    const p = name !== 'Array' || tag !== '' ? prefix(name, tag, 'Array', `(${value.length})`) : '';
    braces = [`${p}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    grouping = true;
    formatter = () => formatArrayItems(ctx, value, depth);
  } else if (value instanceof Set) {
    keys = ownKeys(value);
    const p = prefix(name, tag, 'Set', `(${value.size})`);
    if (value.size === 0 && keys.length === 0) return `${p}{}`;
    braces = [`${p}{`, '}'];
    formatter = () => [...value].map((v) => formatChild(ctx, v, depth, 2));
  } else if (value instanceof Map) {
    keys = ownKeys(value);
    const p = prefix(name, tag, 'Map', `(${value.size})`);
    if (value.size === 0 && keys.length === 0) return `${p}{}`;
    braces = [`${p}{`, '}'];
    formatter = () =>
      [...value].map(([k, v]) => `${formatChild(ctx, k, depth, 2)} => ${formatChild(ctx, v, depth, 2)}`);
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    keys = ownKeys(value, (k) => !isIndex(k));
    const fallback = Object.prototype.toString.call(value).slice(8, -1);
    const p = prefix(name, tag !== fallback ? tag : '', fallback, `(${value.length})`);
    braces = [`${p}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    grouping = true;
    formatter = () => {
      const n = Math.min(value.length, kMaxArrayLength);
      const out = [];
      for (let i = 0; i < n; i++) out.push(typeof value[i] === 'bigint' ? `${value[i]}n` : formatNumber(value[i]));
      if (value.length > n) out.push(moreItems(value.length - n));
      return out;
    };
  } else {
    keys = ownKeys(value);
    braces = ['{', '}'];
    const boxed = boxedPrimitive(value);
    if (typeof value === 'function') {
      base = functionBase(value, name);
      if (keys.length === 0) return base;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0) return base;
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (keys.length === 0) return base;
    } else if (value instanceof Error) {
      base = formatError(value, keys);
      if (keys.length === 0) return base;
    } else if (boxed !== undefined) {
      base = boxed;
      if (typeof value.valueOf() === 'string') keys = keys.filter((k) => !isIndex(k));
      if (keys.length === 0) return base;
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      return `${prefix(name, tag, value instanceof WeakMap ? 'WeakMap' : 'WeakSet')}{ <items unknown> }`;
    } else if (value instanceof Promise) {
      // The state of a Promise is not observable from JS.
      return `${prefix(name, tag, 'Promise')}{ <unknown> }`;
    } else if (value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object SharedArrayBuffer]') {
      const fallback = value instanceof ArrayBuffer ? 'ArrayBuffer' : 'SharedArrayBuffer';
      braces[0] = `${prefix(name, tag, fallback)}{`;
      formatter = () => [`[Uint8Contents]: <${hexBytes(value)}>`, `[byteLength]: ${value.byteLength}`];
    } else {
      if (name === 'Object' && tag === '') {
        if (keys.length === 0) return '{}';
      } else {
        braces[0] = `${prefix(name, tag, 'Object')}{`;
        if (keys.length === 0) return `${braces[0]}}`;
      }
    }
  }

  if (depth > ctx.depth) {
    const shown = prefix(name, tag, 'Object').slice(0, -1);
    return name === null ? shown : `[${shown}]`;
  }

  ctx.seen.push(value);
  ctx.currentDepth = depth;
  let output;
  try {
    output = formatter();
    for (const k of keys) output.push(formatProperty(ctx, value, depth, k));
  } finally {
    ctx.seen.pop();
  }
  const ref = ctx.circular.get(value);
  if (ref !== undefined) {
    const marker = `<ref *${ref}>`;
    if (base === '') braces[0] = `${marker} ${braces[0]}`;
    else base = `${marker} ${base}`;
  }
  return reduceToSingleLine(ctx, output, base, braces, grouping, depth, value);
}

function formatError(err, keys) {
  let stack;
  try {
    stack = err.stack;
  } catch {
    stack = undefined;
  }
  let text = typeof stack === 'string' && stack !== '' ? stack : Error.prototype.toString.call(err);
  if (typeof stack !== 'string' || stack === '') text = `[${text}]`;
  // An own `cause` (and AggregateError's `errors`) is listed even when not enumerable.
  if (Object.prototype.hasOwnProperty.call(err, 'cause') && !keys.includes('cause')) keys.push('cause');
  if (Array.isArray(err.errors) && Object.prototype.hasOwnProperty.call(err, 'errors') && !keys.includes('errors')) {
    keys.push('errors');
  }
  const i = keys.indexOf('message');
  if (i !== -1 && typeof err.message === 'string' && text.includes(err.message)) keys.splice(i, 1);
  return text;
}

function hexBytes(buffer) {
  const bytes = new Uint8Array(buffer, 0, Math.min(buffer.byteLength, kMaxArrayLength));
  let s = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const rest = buffer.byteLength - bytes.length;
  if (rest > 0) s += ` ... ${rest} more byte${rest > 1 ? 's' : ''}`;
  return s;
}

function moreItems(n) {
  return `... ${n} more item${n > 1 ? 's' : ''}`;
}

function formatChild(ctx, v, depth, diff) {
  ctx.indentationLvl += diff;
  const s = formatValue(ctx, v, depth + 1);
  ctx.indentationLvl -= diff;
  return s;
}

function formatArrayItems(ctx, value, depth) {
  const out = [];
  const len = Math.min(value.length, kMaxArrayLength);
  let holes = 0;
  let shown = 0;
  let i = 0;
  for (; i < value.length && shown < len; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) {
      holes++;
      continue;
    }
    if (holes > 0) {
      out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
      shown++;
      holes = 0;
      if (shown >= len) break;
    }
    out.push(formatProperty(ctx, value, depth, String(i), true));
    shown++;
  }
  if (holes > 0 && shown < len) {
    out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
  }
  const remaining = value.length - i;
  if (remaining > 0 && shown >= len) out.push(moreItems(remaining));
  return out;
}

function formatProperty(ctx, value, depth, key, arrayItem = false) {
  const desc = Object.getOwnPropertyDescriptor(value, key) ?? { value: value[key], enumerable: true };
  let str;
  if (desc.value !== undefined) {
    str = formatChild(ctx, desc.value, depth, 2);
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else if (desc.set !== undefined) {
    str = '[Setter]';
  } else {
    str = 'undefined';
  }
  if (arrayItem) return str;
  return `${formatKey(key, desc.enumerable !== false)}: ${str}`;
}

function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  // The "... n more items" entry is not grouped.
  if (value !== undefined && value.length > kMaxArrayLength && outputLength > kMaxArrayLength) outputLength--;
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < kBreakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((kBreakLength - ctx.indentationLvl) / actualMax),
      kCompact * 4,
      15,
    );
    if (columns <= 1) return output;
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineMax = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineMax) lineMax = dataLen[j];
      maxLineLength.push(lineMax + separatorSpace);
    }
    // Numbers are right-aligned, anything else left-aligned.
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    const grouped = [];
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let line = '';
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        line += padStart ? cell.padStart(maxLineLength[j - i], ' ') : cell.padEnd(maxLineLength[j - i], ' ');
      }
      line += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, ' ') : output[j];
      grouped.push(line);
    }
    for (let i = outputLength; i < output.length; i++) grouped.push(output[i]);
    return grouped;
  }
  return output;
}

function reduceToSingleLine(ctx, output, base, braces, grouping, depth, value) {
  const entries = output.length;
  if (grouping && entries > 6) output = groupArrayElements(ctx, output, value);
  if (ctx.currentDepth - depth < kCompact && entries === output.length) {
    // Fits on one line: the entries, the separators, the braces and the indentation.
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(output, start, base)) {
      const joined = output.join(', ');
      if (!joined.includes('\n')) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function isBelowBreakLength(output, start, base) {
  let total = output.length + start;
  if (total + output.length > kBreakLength) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > kBreakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

function run(value, depth) {
  return formatValue({ seen: [], circular: new Map(), indentationLvl: 0, currentDepth: 0, depth }, value, 0);
}

/**
 * util.inspect(value) with Node's default options. Of the options argument
 * (custom inspect methods pass one back) only a numeric `depth` is honoured.
 */
export function inspect(value, options) {
  const depth = options?.depth;
  return run(value, typeof depth === 'number' ? depth : depth === null ? Infinity : kDepth);
}

/** util.inspect(value, { depth: -1 }): `[ClassName]` for objects (the max-listeners warning). */
export function inspectShallow(value) {
  return run(value, -1);
}
