/**
 * giambio/testing: virtual time for exact, instant tests (trio's MockClock), and helpers to wait
 * for quiescence.
 *
 * @module giambio/testing
 */
import type { Clock } from './clock.js';
import { checkMilliseconds, typeError } from './check.js';
import { EventLoop } from './loop.js';
import { runningKernel } from './run-context.js';
import { parkWith } from './trap.js';
import type { Operation } from './task.js';
import { guardOperations } from './operation-guard.js';
import { debugOperation } from './undriven.js';

/** Options of `new MockClock(options)`. */
export interface MockClockOptions {
  /** Initial time in ms (default 0). */
  start?: number;
  /** Jump to the next deadline whenever every task is blocked on timers (default false). */
  autojump?: boolean;
}

/**
 * A clock that moves only when told: by `jump(ms)`, or, with `autojump`, by the loop whenever every
 * task waits on a timer — so `sleep(3_600_000)` completes at once and `clock()` reads exactly 3600000.
 */
export class MockClock implements Clock {
  #now: number;
  /** Jump to the next deadline whenever every task is blocked on timers; can be changed at any time. */
  autojump: boolean;
  readonly #watchers = new Set<() => void>();

  constructor(options: MockClockOptions = {}) {
    const start = options.start ?? 0;
    if (typeof start !== 'number' || !Number.isFinite(start)) {
      throw typeError('start', 'a finite number of ms', start);
    }
    this.#now = start;
    this.autojump = options.autojump ?? false;
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (≥ 0) and wakes the loops that use it. */
  jump(ms: number): void {
    this.#now += checkMilliseconds('ms', ms, false);
    for (const wake of this.#watchers) wake();
  }

  /** @internal The loop is idle: with autojump, move to the next deadline. */
  idle(deadline: number): boolean {
    if (!this.autojump || deadline === Infinity) return false;
    if (deadline > this.#now) this.#now = deadline;
    return true;
  }

  /** @internal A loop subscribes to jumps (a virtual clock arms no host timers). */
  watch(wake: () => void): () => void {
    this.#watchers.add(wake);
    return () => { this.#watchers.delete(wake); };
  }
}

/** Runs `main(...args)` on a fresh loop with an autojumping MockClock starting at 0. */
export function runVirtual<T, A extends unknown[]>(main: (...args: A) => Operation<T>, ...args: A): Promise<T> {
  try {
    return new EventLoop({ clock: new MockClock({ autojump: true }) }).run(main, ...args);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Returns once every other task of the loop is parked (nothing is ready to run). */
export function waitAllTasksBlocked(): Operation<void> {
  return debugOperation(waitAllTasksBlockedOperation(), 'waitAllTasksBlocked()');
}

/** The operation waitAllTasksBlocked returns (named so that awaiting it says `waitAllTasksBlocked()`). */
const waitAllTasksBlockedOperation = function* waitAllTasksBlocked(): Operation<void> {
  const kernel = runningKernel('waitAllTasksBlocked()');
  kernel.blockedWaiters.push(kernel.current!);
  yield parkWith((task) => kernel.blockedWaiters.remove(task), 'waitAllTasksBlocked');
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(waitAllTasksBlockedOperation);

export { memoryStreamPair, lockstepStreamPair, type MemoryStreamPairOptions } from './stream/memory-stream.js';
