/**
 * Semaphore: a counter of permits. `acquire` takes one (waiting while there are none), `release`
 * returns one. Unlike Lock and CapacityLimiter it has no owner: any task, or a host callback, may
 * release. FIFO: release hands the permit straight to the oldest waiter.
 * Invariant: waiters non-empty ⇒ value === 0.
 */
import { GiambioError, WouldBlock } from '../errors.js';
import { runningKernel } from '../run-context.js';
import { startGenerator } from '../spawnable.js';
import type { Operation } from '../task.js';
import { parkWith, scheduleTrap } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { checkCount, checkOptions } from '../check.js';
import { withdrawer } from './waiting.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';

const abortAcquire = withdrawer();

/** Options of `new Semaphore(initial, options)`. */
export interface SemaphoreOptions {
  /** Upper bound for the value: a `release` above it throws (default Infinity: no bound). */
  max?: number;
}

/** What `Semaphore.statistics()` reports. */
export interface SemaphoreStatistics {
  /** Permits available now. */
  value: number;
  /** The largest value allowed. */
  max: number;
  /** Tasks parked in `acquire()`. */
  waiting: number;
}

/**
 * A counting semaphore.
 * @example
 * const slots = new Semaphore(3);              // at most 3 downloads at once
 * yield* slots.withPermit(function* () { yield* download(url); });
 * @throws {TypeError | RangeError} if `initial` is not an integer ≥ 0, or `max` is not an integer
 * ≥ max(1, initial) or Infinity.
 */
export class Semaphore {
  #value: number;
  readonly #max: number;
  readonly #waiters = new WaitQueue();

  constructor(initial: number, options: SemaphoreOptions = {}) {
    this.#value = checkCount('initial', initial, 0, false);
    checkOptions('Semaphore options', options);
    this.#max = checkCount('max', options.max ?? Infinity, Math.max(1, initial), true);
  }

  /** Permits available now. */
  get value(): number {
    return this.#value;
  }

  /** The largest value allowed. */
  get max(): number {
    return this.#max;
  }

  /** Takes a permit, waiting while there is none. Always a checkpoint. */
  *acquire(): Operation<void> {
    const me = runningKernel('Semaphore.acquire()').current!;
    throwIfCancelled(me);
    if (this.#value > 0) {
      this.#value--;
      yield scheduleTrap;
      return;
    }
    this.#waiters.push(me);
    yield parkWith(abortAcquire, 'Semaphore.acquire');
    // Woken: release() gave this task its permit.
  }

  /** Takes a permit if one is available. @throws {WouldBlock} if none is. */
  acquireNowait(): void {
    if (this.#value === 0) throw new WouldBlock('Semaphore.acquireNowait(): no permit is available');
    this.#value--;
  }

  /**
   * Returns a permit: the oldest waiter gets it, or the value goes up. Works outside tasks too.
   * @throws {GiambioError} if that would raise the value above `max`.
   */
  release(): void {
    const next = this.#waiters.shift();
    if (next !== null) {
      next.kernel.wake(next, undefined);
      return;
    }
    if (this.#value >= this.#max) {
      throw new GiambioError(`Semaphore.release(): released too many times (the value is already at its max, ${this.#max})`);
    }
    this.#value++;
  }

  /** Runs `body` holding a permit, and returns it however `body` ends. */
  *withPermit<T>(body: () => Operation<T>): Operation<T> {
    const gen = startGenerator<T>('Semaphore.withPermit', body, []);
    yield* this.acquire();
    try {
      return yield* gen;
    } finally {
      this.release();
    }
  }

  /** Permits available, the bound, and the tasks waiting. */
  statistics(): SemaphoreStatistics {
    return { value: this.#value, max: this.#max, waiting: this.#waiters.length };
  }
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(Semaphore);
