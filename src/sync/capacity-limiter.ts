/**
 * CapacityLimiter (trio's): at most `total` borrowers hold a token at once, one token per
 * borrower (by default the calling task). Unlike a Semaphore it knows who holds tokens, so a task
 * cannot take two or release one it does not hold, and `total` can change while running.
 * FIFO: a released token goes straight to the oldest waiter.
 * Invariant: waiters non-empty ⇒ borrowed ≥ total.
 */
import { GiambioError, WouldBlock } from '../errors.js';
import { runningKernel } from '../run-context.js';
import { startGenerator } from '../spawnable.js';
import { TaskImpl, type Operation } from '../task.js';
import { checkCount, describe } from '../check.js';
import { parkWith, scheduleTrap } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { withdrawer } from './waiting.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';
import { throwIfCancelled } from '../cancel-point.js';

const abortAcquire = withdrawer();

/** What `CapacityLimiter.statistics()` reports. */
export interface CapacityLimiterStatistics {
  /** Tokens held now. */
  borrowed: number;
  /** Tokens in all. */
  total: number;
  /** Who holds the tokens (tasks, or what was passed to `acquireOnBehalfOf`). */
  borrowers: unknown[];
  /** Tasks parked in `acquire()`. */
  waiting: number;
}

/**
 * Limits how many tasks do something at once.
 * @example
 * const limiter = new CapacityLimiter(10);
 * for (const url of urls) pool.spawn(function* () { yield* limiter.withToken(() => fetchOne(url)); });
 * limiter.total = 20; // adjustable at runtime
 * `total` may be 0 (trio's rule): every `acquire` then waits until `total` is raised.
 * @throws {TypeError | RangeError} if `total` is not an integer ≥ 0 or Infinity.
 */
export class CapacityLimiter {
  #total: number;
  readonly #borrowers = new Set<unknown>();
  /** Each waiter's borrower is its `waitValue`. */
  readonly #waiters = new WaitQueue();

  constructor(total: number) {
    this.#total = checkCount('total', total, 0, true);
  }

  /** Tokens in all. Setting it wakes waiters if tokens became available; lowering it takes none back. */
  get total(): number {
    return this.#total;
  }

  /** Changes the number of tokens: raising it admits waiters at once; lowering it takes no token back. */
  set total(total: number) {
    this.#total = checkCount('total', total, 0, true);
    this.#serveWaiters();
  }

  /** Tokens held now. */
  get borrowed(): number {
    return this.#borrowers.size;
  }

  /** Tokens free now (0 if `total` was lowered below `borrowed`). */
  get available(): number {
    return Math.max(0, this.#total - this.#borrowers.size);
  }

  /** Takes a token for the calling task, waiting while none is free. Always a checkpoint. */
  acquire(): Operation<void> {
    return debugOperation(this.acquireAs(runningKernel('CapacityLimiter.acquire()').current!, 'CapacityLimiter.acquire()'), 'limiter.acquire()');
  }

  /** Takes a token for `borrower` (any value that identifies the user), waiting while none is free. */
  acquireOnBehalfOf(borrower: unknown): Operation<void> {
    return debugOperation(this.acquireAs(borrower, 'CapacityLimiter.acquireOnBehalfOf()'), 'limiter.acquireOnBehalfOf()');
  }

  /**
   * Takes a token for the calling task if one is free.
   * @throws {WouldBlock} if none is. @throws {GiambioError} if the task already holds one.
   */
  acquireNowait(): void {
    this.acquireOnBehalfOfNowait(runningKernel('CapacityLimiter.acquireNowait()').current!);
  }

  /** `acquireNowait` for `borrower`. */
  acquireOnBehalfOfNowait(borrower: unknown): void {
    this.#checkNotBorrowing(borrower, 'CapacityLimiter.acquireNowait()');
    if (this.#borrowers.size >= this.#total) {
      throw new WouldBlock(`CapacityLimiter.acquireNowait(): all ${this.#total} tokens are borrowed`);
    }
    this.#borrowers.add(borrower);
  }

  /** Returns the calling task's token. @throws {GiambioError} if it holds none. */
  release(): void {
    this.releaseOnBehalfOf(runningKernel('CapacityLimiter.release()').current!);
  }

  /** Returns `borrower`'s token. Works outside tasks too. @throws {GiambioError} if it holds none. */
  releaseOnBehalfOf(borrower: unknown): void {
    if (!this.#borrowers.delete(borrower)) {
      throw new GiambioError(`CapacityLimiter.release(): ${nameOf(borrower)} does not hold a token of this limiter`);
    }
    this.#serveWaiters();
  }

  /** Runs `body` holding a token for the calling task, and returns it however `body` ends. */
  *withToken<T>(body: () => Operation<T>): Operation<T> {
    const gen = startGenerator<T>('CapacityLimiter.withToken', body, []);
    const me = runningKernel('CapacityLimiter.withToken()').current!;
    yield* this.acquireAs(me, 'CapacityLimiter.withToken()');
    try {
      return yield* gen;
    } finally {
      this.releaseOnBehalfOf(me);
    }
  }

  /** Tokens borrowed and in all, the borrowers, and the tasks waiting. */
  statistics(): CapacityLimiterStatistics {
    return { borrowed: this.#borrowers.size, total: this.#total, borrowers: [...this.#borrowers], waiting: this.#waiters.length };
  }

  /** @internal acquire() for `borrower`; `what` names the caller in errors. */
  *acquireAs(borrower: unknown, what: string): Operation<void> {
    const me = runningKernel(what).current!;
    throwIfCancelled(me);
    this.#checkNotBorrowing(borrower, what);
    if (this.#borrowers.size < this.#total) {
      this.#borrowers.add(borrower);
      yield scheduleTrap;
      return;
    }
    this.#waiters.push(me, borrower);
    yield parkWith(abortAcquire, 'CapacityLimiter.acquire');
    // Woken: #serveWaiters() gave `borrower` its token.
  }

  #checkNotBorrowing(borrower: unknown, what: string): void {
    if (this.#borrowers.has(borrower)) {
      throw new GiambioError(`${what}: ${nameOf(borrower)} already holds a token of this limiter (one token per borrower)`);
    }
  }

  /** Gives free tokens to the oldest waiters. */
  #serveWaiters(): void {
    while (this.#waiters.length > 0 && this.#borrowers.size < this.#total) {
      const next = this.#waiters.shift()!;
      const borrower = next.waitValue;
      if (this.#borrowers.has(borrower)) {
        // Two acquireOnBehalfOf() for one borrower waited at once: the second cannot have a token too.
        next.kernel.wakeThrow(next, new GiambioError(
          `CapacityLimiter.acquireOnBehalfOf(): ${nameOf(borrower)} already holds a token of this limiter (one token per borrower)`));
        continue;
      }
      this.#borrowers.add(borrower);
      next.kernel.wake(next, undefined);
    }
  }
}

function nameOf(borrower: unknown): string {
  return borrower instanceof TaskImpl ? `task ${borrower.name}` : `borrower ${describe(borrower)}`;
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(CapacityLimiter);
