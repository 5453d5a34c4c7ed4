// Errors thrown in a worker cross to the parent as Node sends them: an Error
// comes back as an Error of the same built-in class with the same message,
// stack and own enumerable properties (a custom class arrives as an Error
// whose own `name` tells it apart); any other thrown value arrives as its
// structured clone.

const BUILTIN_ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError'];

function cloneable(value) {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function builtinBase(err) {
  for (let p = Object.getPrototypeOf(err); p !== null; p = Object.getPrototypeOf(p)) {
    const name = p.constructor?.name;
    if (BUILTIN_ERRORS.includes(name) && globalThis[name]?.prototype === p) return name;
  }
  return 'Error';
}

/** A cloneable description of a thrown value. */
export function serializeError(value) {
  if (value instanceof Error) {
    const props = {};
    for (const key of Object.keys(value)) {
      if (cloneable(value[key])) props[key] = value[key];
    }
    return { error: true, base: builtinBase(value), message: value.message, stack: value.stack, props };
  }
  if (cloneable(value)) return { error: false, value };
  return { error: false, value: String(value) };
}

/** The value the parent's 'error' event gets. */
export function deserializeError(desc) {
  if (!desc || desc.error !== true) return desc?.value;
  const Base = BUILTIN_ERRORS.includes(desc.base) ? globalThis[desc.base] : Error;
  const err = new Base(desc.message);
  Object.defineProperty(err, 'stack', { value: desc.stack, writable: true, configurable: true, enumerable: false });
  for (const [key, v] of Object.entries(desc.props ?? {})) err[key] = v;
  return err;
}
