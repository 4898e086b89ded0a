/**
 * `retry`: run an operation again after a failure, with exponential backoff on the loop's clock
 * (so tests on a virtual clock are exact). A `CancelledError` is never retried: it is not a failure
 * of the operation but the caller being stopped.
 * @internal
 */
import { CancelledError } from './errors.js';
import { describe } from './describe.js';
import { sleep } from './operations.js';
import { checkCount } from './sync/waiting.js';
import type { Operation } from './task.js';
import { guardOperations } from './operation-guard.js';

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
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number ≥ ${min}, got ${describe(value)}`);
  if (!(value >= min)) throw new RangeError(`Expected \`${name}\` to be a number ≥ ${min}, got ${describe(value)}`);
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
export function* retry<T>(fn: () => Operation<T>, options: RetryOptions): Operation<T> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function returning an operation, got ${describe(fn)}`);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected retry options to be an object with \`attempts\`, got ${describe(options)}`);
  }
  const attempts = checkCount('attempts', options.attempts, 1, true);
  const delay = checkNumber('delay', options.delay ?? 0, 0);
  const factor = checkNumber('factor', options.factor ?? 2, 1);
  const maxDelay = checkNumber('maxDelay', options.maxDelay ?? Infinity, 0);
  const jitter = options.jitter ?? false;
  if (typeof jitter !== 'boolean') throw new TypeError(`Expected \`jitter\` to be a boolean, got ${describe(jitter)}`);
  const when = options.when;
  if (when !== undefined && typeof when !== 'function') {
    throw new TypeError(`Expected \`when\` to be a function (error, attempt) => boolean, got ${describe(when)}`);
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
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(retry);
