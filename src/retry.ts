/**
 * `retry`: run an operation again after a failure, with exponential backoff on the loop's clock
 * (so tests on a virtual clock are exact). A `CancelledError` is never retried: it is not a failure
 * of the operation but the caller being stopped.
 * @internal
 */
import { CancelledError } from './errors.js';
import { checkCount, checkFunction, rangeError, typeError } from './check.js';
import { sleep } from './operations.js';
import type { Operation } from './task.js';
import { guardOperations } from './operation-guard.js';
import { debugOperation } from './undriven.js';

/** Options of `retry`. */
export interface RetryOptions {
  /** How many tries in all (an integer ≥ 1, or Infinity). */
  attempts: number;
  /** Wait before the second try, in ms (default 0). */
  delay?: number;
  /** Each later wait is the previous one times this (default 2; ≥ 1). */
  factor?: number;
  /** No wait is longer than this, in ms (default Infinity). */
  maxDelay?: number;
  /** Full jitter: each wait is a uniformly random time between 0 and the computed one (default false). */
  jitter?: boolean;
  /** Called with the error and the number of the try that failed (1 for the first); `false` raises at once. */
  when?: (error: unknown, attempt: number) => boolean;
}

function checkNumber(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number') throw typeError(name, `a number ≥ ${min}`, value);
  if (!(value >= min)) throw rangeError(name, `a number ≥ ${min}`, value);
  return value;
}

/**
 * Runs `fn()` until it returns, and returns its value. After a failure it waits `delay`,
 * `delay·factor`, `delay·factor²`, … ms (capped at `maxDelay`; with `jitter`, a random part of it)
 * and tries again, up to `attempts` tries in all; then it raises the last error. `when(error,
 * attempt)` returning false raises that error at once. A `CancelledError` is raised at once.
 * @example
 * const page = yield* retry(() => fetchPage(url), { attempts: 5, delay: 100, maxDelay: 2000, jitter: true });
 * @throws {TypeError | RangeError} for bad options. The last error of `fn`.
 */
export function retry<T>(fn: () => Operation<T>, options: RetryOptions): Operation<T> {
  return debugOperation(retryOperation(fn, options), 'retry()');
}

/** The operation retry returns (named so that awaiting it says `retry()`). */
const retryOperation = function* retry<T>(fn: () => Operation<T>, options: RetryOptions): Operation<T> {
  checkFunction('fn', fn, 'a function returning an operation');
  if (typeof options !== 'object' || options === null) {
    throw typeError('retry options', `an object with \`attempts\``, options);
  }
  const attempts = checkCount('attempts', options.attempts, 1, true);
  const delay = checkNumber('delay', options.delay ?? 0, 0);
  const factor = checkNumber('factor', options.factor ?? 2, 1);
  const maxDelay = checkNumber('maxDelay', options.maxDelay ?? Infinity, 0);
  const jitter = options.jitter ?? false;
  if (typeof jitter !== 'boolean') throw typeError('jitter', 'a boolean', jitter);
  const when = options.when;
  if (when !== undefined && typeof when !== 'function') {
    throw typeError('when', 'a function (error, attempt) => boolean', when);
  }
  let wait = delay;
  for (let attempt = 1; ; attempt++) {
    try {
      return yield* fn();
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      if (attempt >= attempts) throw error;
      if (when !== undefined && !when(error, attempt)) throw error;
    }
    const capped = Math.min(wait, maxDelay);
    yield* sleep(jitter ? Math.random() * capped : capped);
    wait = wait * factor;
  }
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(retryOperation);
