// Node's error shapes, in one place. Every module throws through these so that
// `err.code`, `err.name`, `err.message` and the first stack line match Node's:
// `TypeError [ERR_INVALID_ARG_TYPE]: The "size" argument must be ...`.

const classRegExp = /^([A-Z][a-z0-9]*)+$/;
// Types that are named in lowercase in Node's messages.
const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];

const messages = new Map();

/** Builds the `[code]`-tagged error the way Node does, so the stack's first line reads like Node's. */
function makeNodeError(Base, code, message) {
  const err = new Base(message);
  Object.defineProperty(err, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  // Node shows `Name [CODE]: message` on the stack's first line while `name`
  // stays the plain class name.
  if (typeof err.stack === 'string') {
    const plain = `${err.name}: ${message}`;
    if (err.stack.startsWith(plain)) {
      err.stack = `${err.name} [${code}]: ${message}${err.stack.slice(plain.length)}`;
    } else if (!err.stack.includes(message)) {
      // Browsers other than Chromium do not put the message in the stack.
      err.stack = `${err.name} [${code}]: ${message}\n${err.stack}`;
    }
  }
  Object.defineProperty(err, 'toString', {
    value() {
      return `${this.name} [${code}]: ${this.message}`;
    },
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return err;
}

function E(code, message, Base) {
  messages.set(code, message);
  const Ctor = function (...args) {
    const msg = typeof message === 'function' ? message(...args) : message;
    const err = makeNodeError(Base, code, msg);
    // Drop this constructor's own frame, as Node's hideStackFrames does.
    if (Error.captureStackTrace && typeof err.stack === 'string') {
      const lines = err.stack.split('\n');
      const first = lines.findIndex((l, i) => i > 0 && !l.includes('/internal/errors.js'));
      if (first > 1) err.stack = [lines[0], ...lines.slice(first)].join('\n');
    }
    return err;
  };
  Object.defineProperty(Ctor, 'name', { value: Base.name });
  codes[code] = Ctor;
}

/** Constructors keyed by Node's error code: `new codes.ERR_OUT_OF_RANGE(...)`. */
export const codes = {};

function addNumericalSeparator(val) {
  let res = '';
  let i = val.length;
  const start = val[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${val.slice(i - 3, i)}${res}`;
  return `${val.slice(0, i)}${res}`;
}

/** Quotes a string the way util.inspect does for a top-level string. */
export function inspectString(str) {
  let quote = "'";
  if (str.includes("'")) {
    if (!str.includes('"')) quote = '"';
    else if (!str.includes('`') && !str.includes('${')) quote = '`';
  }
  let out = '';
  for (const ch of str) {
    const c = ch.codePointAt(0);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** util.inspect for primitives (and a short form for objects), enough for error messages. */
export function inspectValue(value) {
  switch (typeof value) {
    case 'string':
      return inspectString(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'function':
      return value.name ? `[Function: ${value.name}]` : '[Function (anonymous)]';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return value.length === 0 ? '[]' : '[Array]';
      if (ArrayBuffer.isView(value)) {
        // Buffers print themselves (`<Buffer 61 62>`); short typed arrays as util.inspect does.
        const custom = value[Symbol.for('nodejs.util.inspect.custom')];
        if (typeof custom === 'function') return custom.call(value, 0, undefined);
        if (typeof value.length === 'number' && value.length <= 6) {
          const items = Array.from(value, (x) => inspectValue(x)).join(', ');
          return `${value.constructor.name}(${value.length}) [${items ? ` ${items} ` : ''}]`;
        }
      }
      if (Object.getPrototypeOf(value) === null) {
        // util.inspect at depth -1: an empty null-prototype object shows its braces.
        const shown =
          Object.keys(value).length +
          Object.getOwnPropertySymbols(value).filter((s) => Object.prototype.propertyIsEnumerable.call(value, s))
            .length;
        return shown === 0 ? '[Object: null prototype] {}' : '[Object: null prototype]';
      }
      return '[Object]';
  }
}

/** The "Received ..." part of Node's argument errors. */
export function determineSpecificType(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  const type = typeof value;
  switch (type) {
    case 'bigint':
      return `type bigint (${value}n)`;
    case 'number':
      if (value === 0) return 1 / value === -Infinity ? 'type number (-0)' : 'type number (0)';
      if (value !== value) return 'type number (NaN)';
      if (value === Infinity) return 'type number (Infinity)';
      if (value === -Infinity) return 'type number (-Infinity)';
      return `type number (${value})`;
    case 'boolean':
      return value ? 'type boolean (true)' : 'type boolean (false)';
    case 'symbol':
      return `type symbol (${String(value)})`;
    case 'function':
      return `function ${value.name}`;
    case 'object':
      if (value.constructor && 'name' in value.constructor) return `an instance of ${value.constructor.name}`;
      return inspectValue(value);
    case 'string': {
      let inspected = inspectString(value);
      if (inspected.length > 28) inspected = `${inspected.slice(0, 25)}...`;
      return `type string (${inspected})`;
    }
    default:
      return `type ${type} (${inspectValue(value)})`;
  }
}

function formatList(array, type = 'and') {
  return array.length < 3
    ? array.join(` ${type} `)
    : `${array.slice(0, -1).join(', ')}, ${type} ${array[array.length - 1]}`;
}

E(
  'ERR_INVALID_ARG_TYPE',
  (name, expected, actual) => {
    if (!Array.isArray(expected)) expected = [expected];
    let msg = 'The ';
    if (name.endsWith(' argument')) msg += `${name} `;
    else msg += `"${name}" ${name.includes('.') ? 'property' : 'argument'} `;
    msg += 'must be ';
    const types = [];
    const instances = [];
    const other = [];
    for (const value of expected) {
      if (kTypes.includes(value)) types.push(value.toLowerCase());
      else if (classRegExp.test(value)) instances.push(value);
      else other.push(value);
    }
    // Special-case `object`: an instance of Object is also of type object.
    if (instances.length > 0) {
      const pos = types.indexOf('object');
      if (pos !== -1) {
        types.splice(pos, 1);
        instances.push('Object');
      }
    }
    if (types.length > 0) {
      if (types.length > 2) {
        const last = types.pop();
        msg += `one of type ${types.join(', ')}, or ${last}`;
      } else if (types.length === 2) {
        msg += `one of type ${types[0]} or ${types[1]}`;
      } else {
        msg += `of type ${types[0]}`;
      }
      if (instances.length > 0 || other.length > 0) msg += ' or ';
    }
    if (instances.length > 0) {
      if (instances.length > 2) {
        const last = instances.pop();
        msg += `an instance of ${instances.join(', ')}, or ${last}`;
      } else {
        msg += `an instance of ${instances[0]}`;
        if (instances.length === 2) msg += ` or ${instances[1]}`;
      }
      if (other.length > 0) msg += ' or ';
    }
    if (other.length > 0) {
      if (other.length > 2) {
        const last = other.pop();
        msg += `one of ${other.join(', ')}, or ${last}`;
      } else if (other.length === 2) {
        msg += `one of ${other[0]} or ${other[1]}`;
      } else {
        if (other[0].toLowerCase() !== other[0]) msg += 'an ';
        msg += `${other[0]}`;
      }
    }
    msg += `. Received ${determineSpecificType(actual)}`;
    return msg;
  },
  TypeError,
);

E(
  'ERR_INVALID_ARG_VALUE',
  (name, value, reason = 'is invalid') => {
    let inspected = inspectValue(value);
    if (inspected.length > 128) inspected = `${inspected.slice(0, 128)}...`;
    const type = name.includes('.') ? 'property' : 'argument';
    return `The ${type} '${name}' ${reason}. Received ${inspected}`;
  },
  TypeError,
);

E(
  'ERR_OUT_OF_RANGE',
  (str, range, input, replaceDefaultBoolean = false) => {
    let msg = replaceDefaultBoolean ? str : `The value of "${str}" is out of range.`;
    let received;
    if (Number.isInteger(input) && Math.abs(input) > 2 ** 32) {
      received = addNumericalSeparator(String(input));
    } else if (typeof input === 'bigint') {
      received = String(input);
      if (input > 2n ** 32n || input < -(2n ** 32n)) received = addNumericalSeparator(received);
      received += 'n';
    } else {
      received = inspectValue(input);
    }
    msg += ` It must be ${range}. Received ${received}`;
    return msg;
  },
  RangeError,
);

E(
  'ERR_MISSING_ARGS',
  (...args) => {
    let msg = 'The ';
    const len = args.length;
    const wrap = (a) => `"${a}"`;
    args = args.map((a) => (Array.isArray(a) ? a.map(wrap).join(' or ') : wrap(a)));
    switch (len) {
      case 1:
        msg += `${args[0]} argument`;
        break;
      case 2:
        msg += `${args[0]} and ${args[1]} arguments`;
        break;
      default:
        msg += args.slice(0, len - 1).join(', ');
        msg += `, and ${args[len - 1]} arguments`;
        break;
    }
    return `${msg} must be specified`;
  },
  TypeError,
);

// `%s` of util.format: strings as they are, other values as util.inspect at depth 0.
function formatPercentS(value) {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return inspectValue(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(inspectValue).join(', ')} ]`;
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((k) => `${k}: ${inspectValue(value[k])}`).join(', ')} }`;
}
E('ERR_UNKNOWN_ENCODING', (enc) => `Unknown encoding: ${formatPercentS(enc)}`, TypeError);
E(
  'ERR_BUFFER_OUT_OF_BOUNDS',
  (name) => (name ? `"${name}" is outside of buffer bounds` : 'Attempt to access memory outside buffer bounds'),
  RangeError,
);
E('ERR_INVALID_BUFFER_SIZE', (s) => `Buffer size must be a multiple of ${s}`, RangeError);
E('ERR_STRING_TOO_LONG', () => 'Cannot create a string longer than 0x1fffffe8 characters', Error);
E('ERR_BUFFER_TOO_LARGE', (max) => `Cannot create a Buffer larger than ${max} bytes`, RangeError);
E(
  'ERR_INVALID_RETURN_VALUE',
  (input, name, value) =>
    `Expected ${input} to be returned from the "${name}" function but got ${determineSpecificType(value)}.`,
  TypeError,
);
E('ERR_INVALID_THIS', (type) => `Value of "this" must be of type ${type}`, TypeError);
E('ERR_METHOD_NOT_IMPLEMENTED', (name) => `The ${name} method is not implemented`, Error);
E('ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor', TypeError);
E('ERR_INVALID_STATE', (msg) => `Invalid state: ${msg}`, Error);
// As in Node, the caller passes util.inspect(value): events does.
E(
  'ERR_UNHANDLED_ERROR',
  (err = undefined) => {
    const msg = 'Unhandled error.';
    if (err === undefined) return msg;
    return `${msg} (${err})`;
  },
  Error,
);
E('ERR_MULTIPLE_CALLBACK', 'Callback called multiple times', Error);
E('ERR_STREAM_PREMATURE_CLOSE', 'Premature close', Error);
E('ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF', Error);
E('ERR_STREAM_ITER_MISSING_FLAG', 'The stream/iter API requires the --experimental-stream-iter flag', TypeError);
E('ERR_STREAM_UNSHIFT_AFTER_END_EVENT', 'stream.unshift() after end event', Error);
E('ERR_STREAM_WRITE_AFTER_END', 'write after end', Error);
E('ERR_STREAM_DESTROYED', (name) => `Cannot call ${name} after a stream was destroyed`, Error);
E('ERR_STREAM_NULL_VALUES', 'May not write null values to stream', TypeError);
E('ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable', Error);
E('ERR_STREAM_ALREADY_FINISHED', (name) => `Cannot call ${name} after a stream was finished`, Error);
E('ERR_STREAM_UNABLE_TO_PIPE', 'Cannot pipe to a closed or destroyed stream', Error);
E('ERR_STREAM_PREMATURE_CLOSE', 'Premature close', Error);
E('ERR_OPERATION_FAILED', (m) => `Operation failed: ${m}`, Error);
E('ERR_SYSTEM_ERROR', (m) => `A system error occurred: ${m}`, Error);
E('ERR_FALSY_VALUE_REJECTION', 'Promise was rejected with falsy value', Error);

/** Node's AbortError (code 'ABORT_ERR', name 'AbortError'). */
export class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    if (options !== undefined && typeof options !== 'object') {
      throw new codes.ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

/** Defines an extra error code at run time (modules with their own codes call this). */
export function defineError(code, message, Base = Error) {
  if (!codes[code]) E(code, message, Base);
  return codes[code];
}

/** Turns an error thrown by the wasm boundary (`{code, message, errno}`) into Node's shape. */
export function fromNative(e, Base = Error) {
  if (e && typeof e === 'object' && typeof e.code === 'string' && !(e instanceof Error)) {
    const err = makeNodeError(Base, e.code, e.message);
    if (e.errno !== undefined && e.errno !== null) err.errno = e.errno;
    return err;
  }
  return e;
}

export { addNumericalSeparator, formatList, makeNodeError };
