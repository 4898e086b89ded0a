/**
 * Condition: tasks wait, holding a Lock, until another task notifies them (trio's Condition).
 * `wait()` releases the lock, waits, and returns holding it again.
 *
 * Discussion: `notify` does not wake a waiter; it moves it from the condition's queue to the end of
 * the lock's queue (trio's "repark"), so it is woken by the lock's release with the lock already its
 * own. A waiter cancelled before it was notified is withdrawn (no notification is consumed) and
 * re-acquires the lock before CancelledError leaves `wait()`; a waiter already notified cannot be
 * withdrawn any more: it returns normally (the notification is never lost) and sees the
 * cancellation at its next checkpoint.
 */
import { GiambioError } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation, TaskImpl } from '../task.js';
import type { AbortFn } from '../trap.js';
import { parkWith } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { checkCount, typeError } from '../check.js';
import { Lock, type LockStatistics } from './lock.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';
import { throwIfCancelled } from '../cancel-point.js';

/** What `Condition.statistics()` reports. */
export interface ConditionStatistics {
  /** Tasks parked in `wait()` that have not been notified. */
  waiting: number;
  /** The underlying lock's statistics. */
  lock: LockStatistics;
}

/**
 * A condition variable.
 * @example
 * const cond = new Condition();
 * let ready = false;
 * // waiter:
 * yield* cond.withLock(function* () { while (!ready) yield* cond.wait(); });
 * // notifier:
 * yield* cond.withLock(function* () { ready = true; cond.notifyAll(); });
 * @throws {TypeError} if `lock` is given and is not a Lock.
 */
export class Condition {
  readonly #lock: Lock;
  readonly #waiters = new WaitQueue();
  /** Withdraws a waiter still in this condition's queue; one already moved to the lock's stays. */
  readonly #abortWait: AbortFn = (task: TaskImpl): boolean => {
    if (task.waitList !== this.#waiters) return false;
    this.#waiters.remove(task);
    return true;
  };

  constructor(lock?: Lock) {
    if (lock !== undefined && !(lock instanceof Lock)) {
      throw typeError('lock', 'a Lock', lock);
    }
    this.#lock = lock ?? new Lock();
  }

  /** The underlying lock. */
  get lock(): Lock {
    return this.#lock;
  }

  /** The underlying lock is held. */
  get locked(): boolean {
    return this.#lock.locked;
  }

  /** Acquires the underlying lock (see `Lock.acquire`). */
  acquire(): Operation<void> {
    return debugOperation(this.#lock.acquire(), 'condition.acquire()');
  }

  /** Acquires the underlying lock if it is free (see `Lock.acquireNowait`). */
  acquireNowait(): void {
    this.#lock.acquireNowait();
  }

  /** Releases the underlying lock (see `Lock.release`). */
  release(): void {
    this.#lock.release();
  }

  /** Runs `body` holding the underlying lock (see `Lock.withLock`). */
  withLock<T>(body: () => Operation<T>): Operation<T> {
    return debugOperation(this.#lock.withLock(body), 'condition.withLock()');
  }

  /**
   * Releases the lock, waits for `notify`/`notifyAll`, and re-acquires the lock before returning
   * (also when cancelled). Always a checkpoint. Wake-ups can be for a state that changed again:
   * re-check the predicate in a loop.
   * @throws {GiambioError} if the calling task does not hold the lock.
   */
  *wait(): Operation<void> {
    const me = runningKernel('Condition.wait()').current!;
    if (this.#lock.owner !== me) throw new GiambioError(`Condition.wait(): task ${me.name} must hold the condition's lock to wait`);
    throwIfCancelled(me);
    this.#waiters.push(me);
    this.#lock.handOff();
    try {
      yield parkWith(this.#abortWait, 'Condition.wait');
    } catch (error) {
      // Withdrawn (cancelled) before a notify, or the lock broke: return holding the lock anyway.
      if (this.#lock.owner !== me) yield* this.#lock.acquireUncancellable(me);
      throw error;
    }
    // Woken by the lock's release: this task owns the lock again.
  }

  /**
   * Wakes up to `n` waiting tasks, oldest first; each returns from `wait()` once it has the lock.
   * @throws {GiambioError} if the calling task does not hold the lock.
   */
  notify(n = 1): void {
    checkCount('n', n, 0, true);
    this.#checkOwner('notify');
    const lockWaiters = this.#lock.waiters;
    for (; n > 0 && this.#waiters.length > 0; n--) lockWaiters.push(this.#waiters.shift()!);
  }

  /** Wakes every waiting task. @throws {GiambioError} if the calling task does not hold the lock. */
  notifyAll(): void {
    this.notify(Infinity);
  }

  /** Waiters not yet notified, and the lock's statistics. */
  statistics(): ConditionStatistics {
    return { waiting: this.#waiters.length, lock: this.#lock.statistics() };
  }

  #checkOwner(what: string): void {
    const me = runningKernel(`Condition.${what}()`).current!;
    if (this.#lock.owner !== me) throw new GiambioError(`Condition.${what}(): task ${me.name} must hold the condition's lock to ${what}`);
  }
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(Condition);
