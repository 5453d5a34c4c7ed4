// The stream operators of Readable.prototype (map, filter, forEach, toArray,
// some, find, every, flatMap, drop, take, reduce): async generators over the
// stream, with `concurrency` for the mapping ones and `signal` for all.
import { codes, AbortError } from '../errors.js';
import { validateAbortSignal, validateInteger, validateObject } from '../validators.js';
import { finishedPromise } from './end-of-stream.js';

const { ERR_INVALID_ARG_TYPE, ERR_MISSING_ARGS, ERR_OUT_OF_RANGE } = codes;

const kEmpty = Symbol('kEmpty');
const kEof = Symbol('kEof');

// Node 24 validates the operators' callbacks as plain functions.
function validateFn(fn, name) {
  if (typeof fn !== 'function') throw new ERR_INVALID_ARG_TYPE(name, 'Function', fn);
}

function validateOptions(options) {
  if (options != null) validateObject(options, 'options');
  if (options?.signal != null) validateAbortSignal(options.signal, 'options.signal');
}

function abortError(signal) {
  return new AbortError(undefined, { cause: signal?.reason });
}

/** An AbortSignal that aborts when `outer` does, plus a way to abort it ourselves. */
function linkedController(outer) {
  const ac = new AbortController();
  if (outer) {
    if (outer.aborted) ac.abort(outer.reason);
    else outer.addEventListener('abort', () => ac.abort(outer.reason), { once: true });
  }
  return ac;
}

export function map(fn, options) {
  validateFn(fn, 'fn');
  validateOptions(options);
  let concurrency = 1;
  if (options?.concurrency != null) concurrency = Math.floor(options.concurrency);
  let highWaterMark = concurrency - 1;
  if (options?.highWaterMark != null) highWaterMark = Math.floor(options.highWaterMark);
  validateInteger(concurrency, 'options.concurrency', 1);
  validateInteger(highWaterMark, 'options.highWaterMark', 0);
  highWaterMark += concurrency;

  return async function* mapGen() {
    const ac = linkedController(options?.signal);
    const signal = ac.signal;
    const stream = this;
    const queue = [];
    const signalOpt = { signal };
    let next;
    let resume;
    let done = false;
    let cnt = 0;

    function onCatch() {
      done = true;
      afterItemProcessed();
    }
    function afterItemProcessed() {
      cnt -= 1;
      maybeResume();
    }
    function maybeResume() {
      if (resume && !done && cnt < concurrency && queue.length < highWaterMark) {
        resume();
        resume = null;
      }
    }

    async function pump() {
      try {
        for await (let val of stream) {
          if (done) return;
          if (signal.aborted) throw abortError(signal);
          try {
            val = fn(val, signalOpt);
            if (val === kEmpty) continue;
            val = Promise.resolve(val);
          } catch (err) {
            val = Promise.reject(err);
          }
          cnt += 1;
          val.then(afterItemProcessed, onCatch);
          queue.push(val);
          if (next) {
            next();
            next = null;
          }
          if (!done && (queue.length >= highWaterMark || cnt >= concurrency)) {
            await new Promise((resolve) => {
              resume = resolve;
            });
          }
        }
        queue.push(kEof);
      } catch (err) {
        const val = Promise.reject(err);
        val.then(afterItemProcessed, onCatch);
        queue.push(val);
      } finally {
        done = true;
        if (next) {
          next();
          next = null;
        }
      }
    }

    pump();

    try {
      while (true) {
        while (queue.length > 0) {
          const val = await queue[0];
          if (val === kEof) return;
          if (signal.aborted) throw abortError(signal);
          if (val !== kEmpty) yield val;
          queue.shift();
          maybeResume();
        }
        await new Promise((resolve) => {
          next = resolve;
        });
      }
    } finally {
      done = true;
      ac.abort();
      if (resume) {
        resume();
        resume = null;
      }
    }
  }.call(this);
}

export async function some(fn, options = undefined) {
  for await (const unused of filter.call(this, fn, options)) {
    void unused;
    return true;
  }
  return false;
}

export async function every(fn, options = undefined) {
  validateFn(fn, 'fn');
  return !(await some.call(this, async (...args) => !(await fn(...args)), options));
}

export async function find(fn, options) {
  for await (const result of filter.call(this, fn, options)) return result;
  return undefined;
}

export async function forEach(fn, options) {
  validateFn(fn, 'fn');
  async function forEachFn(value, opts) {
    await fn(value, opts);
    return kEmpty;
  }
  for await (const unused of map.call(this, forEachFn, options)) void unused;
}

export function filter(fn, options) {
  validateFn(fn, 'fn');
  async function filterFn(value, opts) {
    if (await fn(value, opts)) return value;
    return kEmpty;
  }
  return map.call(this, filterFn, options);
}

class ReduceAwareErrMissingArgs extends ERR_MISSING_ARGS {
  constructor() {
    super('reduce');
    this.message = 'Reduce of an empty stream requires an initial value';
  }
}

export async function reduce(reducer, initialValue, options) {
  validateFn(reducer, 'reducer');
  validateOptions(options);
  let hasInitialValue = arguments.length > 1;
  if (options?.signal?.aborted) {
    const err = abortError(options.signal);
    this.once('error', () => {});
    await finishedPromise(this.destroy(err));
    throw err;
  }
  const ac = linkedController(options?.signal);
  const signal = ac.signal;
  let gotAnyItemFromStream = false;
  try {
    for await (const value of this) {
      gotAnyItemFromStream = true;
      if (options?.signal?.aborted) throw abortError(options.signal);
      if (!hasInitialValue) {
        initialValue = value;
        hasInitialValue = true;
      } else {
        initialValue = await reducer(initialValue, value, { signal });
      }
    }
    if (!gotAnyItemFromStream && !hasInitialValue) throw new ReduceAwareErrMissingArgs();
  } finally {
    ac.abort();
  }
  return initialValue;
}

export async function toArray(options) {
  validateOptions(options);
  const result = [];
  for await (const val of this) {
    if (options?.signal?.aborted) throw abortError(options.signal);
    result.push(val);
  }
  return result;
}

export function flatMap(fn, options) {
  const values = map.call(this, fn, options);
  return async function* flatMapGen() {
    for await (const val of values) yield* val;
  }.call(this);
}

function toIntegerOrInfinity(number) {
  number = Number(number);
  if (Number.isNaN(number)) return 0;
  if (number < 0) throw new ERR_OUT_OF_RANGE('number', '>= 0', number);
  return number;
}

export function drop(number, options = undefined) {
  validateOptions(options);
  number = toIntegerOrInfinity(number);
  return async function* dropGen() {
    if (options?.signal?.aborted) throw abortError(options.signal);
    for await (const val of this) {
      if (options?.signal?.aborted) throw abortError(options.signal);
      if (number-- <= 0) yield val;
    }
  }.call(this);
}

export function take(number, options = undefined) {
  validateOptions(options);
  number = toIntegerOrInfinity(number);
  return async function* takeGen() {
    if (options?.signal?.aborted) throw abortError(options.signal);
    for await (const val of this) {
      if (options?.signal?.aborted) throw abortError(options.signal);
      if (number-- > 0) yield val;
      // Stop pulling (and so destroy the source) once enough were taken.
      if (number <= 0) return;
    }
  }.call(this);
}

export const streamReturningOperators = { drop, filter, flatMap, map, take };
export const promiseReturningOperators = { every, forEach, reduce, toArray, some, find };
