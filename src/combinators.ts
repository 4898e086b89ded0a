/**
 * Combinators over operations: `all`, `race`, `allSettled`, `map`. Each runs its tasks as children
 * of one pool in the calling task, so cancellation, errors and cleanup follow the pool's rules;
 * nothing here reaches into the kernel. A task is a zero-argument function returning an operation
 * (`() => fetchPage(1)`), so it starts only when the combinator runs it.
 *
 * Discussion: `race` and `allSettled` must not let a child's error fail their pool (that would
 * cancel the others for the wrong reason, or raise), so their children catch their own errors and
 * hand them over; a `CancelledError` is never caught (it belongs to the pool's cancellation).
 * `map` pulls items from the iterator only when a slot is free, so an endless generator works.
 * @internal
 */
import { CancelledError, ErrorStack } from './errors.js';
import { checkCount, checkFunction, checkOptions, rangeError, typeError } from './check.js';
import { createPool, type TaskPool } from './pool.js';
import { Semaphore } from './sync/semaphore.js';
import type { Operation } from './task.js';
import { guardOperations } from './operation-guard.js';
import { debugOperation } from './undriven.js';

/** A task for a combinator: a zero-argument function that returns an operation. */
export type OperationFactory<T> = () => Operation<T>;

/** The results of `allSettled`, one per task, in order. */
export type Settled<T> =
  | {
    /** The task returned. */
    status: 'fulfilled';
    /** What it returned. */
    value: T;
  }
  | {
    /** The task threw. */
    status: 'rejected';
    /** What it threw. */
    reason: unknown;
  };

type Results<T extends readonly OperationFactory<unknown>[]> = { -readonly [K in keyof T]: T[K] extends OperationFactory<infer R> ? R : never };
type SettledResults<T extends readonly OperationFactory<unknown>[]> = { -readonly [K in keyof T]: Settled<T[K] extends OperationFactory<infer R> ? R : never> };

function toTasks<T>(what: string, fns: unknown): OperationFactory<T>[] {
  if (typeof fns !== 'object' || fns === null || typeof (fns as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw typeError(`\`${what}\`'s argument`, 'an iterable of functions returning operations', fns);
  }
  const list = Array.from(fns as Iterable<unknown>);
  list.forEach((fn, i) => {
    if (typeof fn !== 'function') {
      throw typeError(`item ${i} of \`${what}\`'s argument`, `a function returning an operation (e.g. \`() => fetchPage(1)\`)`, fn);
    }
  });
  return list as OperationFactory<T>[];
}

/**
 * Runs the tasks concurrently and returns their results in order. The first failure cancels the
 * others and is raised (several failures at once: `ErrorStack`).
 * @example
 * const [user, posts] = yield* all([() => fetchUser(id), () => fetchPosts(id)]);
 * @throws {TypeError} if `fns` is not an iterable of functions. Whatever a task raises.
 */
export function all<const T extends readonly OperationFactory<unknown>[]>(fns: T): Operation<Results<T>>;
export function all<T>(fns: Iterable<OperationFactory<T>>): Operation<T[]>;
export function all(fns: Iterable<OperationFactory<unknown>>): Operation<unknown[]> {
  return debugOperation(allOperation(fns), 'all()');
}

/** The operation all returns (named so that awaiting it says `all()`). */
const allOperation = function* all(fns: Iterable<OperationFactory<unknown>>): Operation<unknown[]> {
  const tasks = toTasks<unknown>('all', fns);
  const results: unknown[] = new Array(tasks.length);
  yield* createPool(function* (pool) {
    tasks.forEach((fn, i) => pool.spawnWith({ name: `all[${i}]` }, function* () { results[i] = yield* fn(); }));
  });
  return results;
};

/**
 * Runs the tasks concurrently; the first to finish wins: its value is returned, or its error
 * raised. The others are cancelled, and waited for, before `race` returns.
 * @example
 * const reply = yield* race([() => ask(primary), () => ask(backup)]);
 * @throws {RangeError} for no tasks. {TypeError} if `fns` is not an iterable of functions. The
 *   winner's error.
 */
export function race<const T extends readonly OperationFactory<unknown>[]>(fns: T): Operation<Results<T>[number]>;
export function race<T>(fns: Iterable<OperationFactory<T>>): Operation<T>;
export function race(fns: Iterable<OperationFactory<unknown>>): Operation<unknown> {
  return debugOperation(raceOperation(fns), 'race()');
}

/** The operation race returns (named so that awaiting it says `race()`). */
const raceOperation = function* race(fns: Iterable<OperationFactory<unknown>>): Operation<unknown> {
  const tasks = toTasks<unknown>('race', fns);
  if (tasks.length === 0) throw rangeError("`race`'s argument", 'at least one task (with none, nothing could ever win)', fns, 'none');
  let decided = false;
  let ok = true;
  let outcome: unknown;
  try {
    yield* createPool(function* (pool) {
      tasks.forEach((fn, i) => pool.spawnWith({ name: `race[${i}]` }, function* () {
        let value: unknown;
        try {
          value = yield* fn();
        } catch (error) {
          // A loser's error after the race was decided fails the pool; the winner's is handed over.
          if (error instanceof CancelledError || decided) throw error;
          decided = true; ok = false; outcome = error;
          pool.cancel('another task of the race finished first');
          return;
        }
        if (decided) return;
        decided = true; outcome = value;
        pool.cancel('another task of the race finished first');
      }));
    });
  } catch (error) {
    if (!ok && !(error instanceof CancelledError)) throw new ErrorStack([outcome, ...(error instanceof ErrorStack ? error.errors : [error])]);
    throw error;
  }
  if (!ok) throw outcome;
  return outcome;
};

/**
 * Runs the tasks concurrently and waits for all of them; returns, in order,
 * `{ status: 'fulfilled', value }` or `{ status: 'rejected', reason }` for each. A task's error
 * never raises here (the caller's own cancellation still does).
 * @example
 * const settled = yield* allSettled(urls.map((url) => () => fetchText(url)));
 * const ok = settled.filter((s) => s.status === 'fulfilled').length;
 * @throws {TypeError} if `fns` is not an iterable of functions.
 */
export function allSettled<const T extends readonly OperationFactory<unknown>[]>(fns: T): Operation<SettledResults<T>>;
export function allSettled<T>(fns: Iterable<OperationFactory<T>>): Operation<Settled<T>[]>;
export function allSettled(fns: Iterable<OperationFactory<unknown>>): Operation<Settled<unknown>[]> {
  return debugOperation(allSettledOperation(fns), 'allSettled()');
}

/** The operation allSettled returns (named so that awaiting it says `allSettled()`). */
const allSettledOperation = function* allSettled(fns: Iterable<OperationFactory<unknown>>): Operation<Settled<unknown>[]> {
  const tasks = toTasks<unknown>('allSettled', fns);
  const results: Settled<unknown>[] = new Array(tasks.length);
  yield* createPool(function* (pool) {
    tasks.forEach((fn, i) => pool.spawnWith({ name: `allSettled[${i}]` }, function* () {
      try {
        results[i] = { status: 'fulfilled', value: yield* fn() };
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        results[i] = { status: 'rejected', reason: error };
      }
    }));
  });
  return results;
};

/** Options of `map`. */
export interface MapOptions {
  /** At most this many `fn` calls run at once (an integer ≥ 1, or Infinity: the default). */
  concurrency?: number;
}

/**
 * Calls `fn(item, index)` for each item, at most `concurrency` at once, and returns the results in
 * input order. Items are pulled from the iterable only when a slot is free, so an endless generator
 * with a limit of 4 runs 4 at a time. The first failure cancels the rest and is raised.
 * @example
 * const pages = yield* map([1, 2, 3, 4, 5], (n) => fetchPage(n), { concurrency: 2 });
 * @throws {TypeError | RangeError} for a bad argument. Whatever `fn` or the iterator raises.
 */
export function map<T, R>(items: Iterable<T>, fn: (item: T, index: number) => Operation<R>, options: MapOptions = {}): Operation<R[]> {
  return debugOperation(mapOperation(items, fn, options), 'map()');
}

/** The operation map returns (named so that awaiting it says `map()`). */
const mapOperation = function* map<T, R>(items: Iterable<T>, fn: (item: T, index: number) => Operation<R>, options: MapOptions = {}): Operation<R[]> {
  if (typeof items !== 'object' && typeof items !== 'string' || items === null || typeof (items as Iterable<T>)[Symbol.iterator] !== 'function') {
    throw typeError('items', 'an iterable', items);
  }
  checkFunction('fn', fn, 'a function (item, index) => operation');
  checkOptions('map options', options);
  const concurrency = checkCount('concurrency', options.concurrency ?? Infinity, 1, true);
  const slots = concurrency === Infinity ? null : new Semaphore(concurrency);
  const results: R[] = [];
  yield* createPool(function* (pool: TaskPool) {
    const iterator = items[Symbol.iterator]();
    try {
      for (let index = 0; !pool.cancelled; index++) {
        if (slots !== null) {
          yield* slots.acquire();
          // A failing task frees its slot before its failure cancels the pool: pull nothing more.
          if (pool.cancelled) break;
        }
        const next = iterator.next();
        if (next.done === true) { slots?.release(); break; }
        const item = next.value;
        const i = index;
        pool.spawnWith({ name: `map[${i}]` }, function* () {
          try { results[i] = yield* fn(item, i); } finally { slots?.release(); }
        });
      }
    } finally {
      iterator.return?.();
    }
  });
  return results;
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(allOperation, raceOperation, allSettledOperation, mapOperation);
