/**
 * Lock: mutual exclusion between tasks. FIFO (release hands the lock straight to the oldest waiter,
 * so a task that releases and re-acquires at once cannot barge ahead), owned (only the task that
 * acquired it may release it) and not re-entrant.
 *
 * Discussion: if the owner ends while holding the lock, whatever the lock protected may be half
 * updated, so the lock becomes *broken* (Rust's poisoned Mutex): every waiter, and every later
 * `acquire`, gets ResourceBroken. `withLock` releases in a `finally`, so only a bare `acquire`
 * without a matching `release` can break a lock.
 */
import { GiambioError, ResourceBroken, WouldBlock } from '../errors.js';
import { runningKernel } from '../run-context.js';
import { startGenerator } from '../spawnable.js';
import type { Operation, Task, TaskImpl } from '../task.js';
import { parkWith, scheduleTrap } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { withdrawer } from './waiting.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';

const abortAcquire = withdrawer();
/** Never withdraws: Condition re-acquires its lock this way after a cancelled wait. */
const abortNever = (): boolean => false;

/** What `Lock.statistics()` reports. */
export interface LockStatistics {
  /** A task holds the lock. */
  locked: boolean;
  /** The task holding the lock, or null. */
  owner: Task | null;
  /** Tasks parked in `acquire()`. */
  waiting: number;
  /** The owner ended while holding it: every acquire fails with ResourceBroken. */
  broken: boolean;
}

/**
 * A FIFO, non-re-entrant mutex owned by the task that acquired it.
 * @example
 * const lock = new Lock();
 * yield* lock.withLock(function* () {
 *   // only one task at a time runs this
 *   yield* sleep(10);
 * });
 */
export class Lock {
  /** @internal The task holding the lock. Invariant: waiters non-empty ⇒ owner !== null. */
  owner: TaskImpl | null = null;
  /** @internal Tasks parked in acquire(), oldest first (Condition appends notified waiters here). */
  readonly waiters = new WaitQueue();
  /** Why the lock is broken (its owner ended holding it), or null. */
  #broken: string | null = null;
  /** Runs when a task that held this lock at some point ends (registered once per task). */
  readonly #ownerExited = (task: TaskImpl): void => {
    if (this.owner !== task) return;
    this.owner = null;
    this.#broken = `the lock is broken: its owner, task ${task.name}, ended without releasing it`;
    for (let t = this.waiters.shift(); t !== null; t = this.waiters.shift()) t.kernel.wakeThrow(t, this.#brokenError());
  };

  /** Some task holds the lock. */
  get locked(): boolean {
    return this.owner !== null;
  }

  /**
   * Waits until the lock is free and takes it. Always a checkpoint. Prefer `withLock`, which
   * cannot forget to release.
   * @throws {GiambioError} if the calling task already holds it (not re-entrant).
   * @throws {ResourceBroken} if an owner ended while holding it.
   */
  *acquire(): Operation<void> {
    const me = runningKernel('Lock.acquire()').current!;
    throwIfCancelled(me);
    if (this.#tryAcquire(me, 'Lock.acquire()')) {
      yield scheduleTrap;
      return;
    }
    this.waiters.push(me);
    yield parkWith(abortAcquire, 'Lock.acquire');
    // Woken: release() made this task the owner (or the lock broke, and the park threw).
  }

  /**
   * Takes the lock if it is free.
   * @throws {WouldBlock} if another task holds it. @throws {GiambioError} if the caller holds it.
   */
  acquireNowait(): void {
    const me = runningKernel('Lock.acquireNowait()').current!;
    if (!this.#tryAcquire(me, 'Lock.acquireNowait()')) {
      throw new WouldBlock(`Lock.acquireNowait(): the lock is held by task ${this.owner!.name}`);
    }
  }

  /**
   * Releases the lock; the oldest waiter (if any) becomes the owner.
   * @throws {GiambioError} if the calling task does not hold the lock.
   */
  release(): void {
    const me = runningKernel('Lock.release()').current!;
    if (this.owner !== me) {
      throw new GiambioError(this.owner === null
        ? `Lock.release(): the lock is not held (task ${me.name} tried to release it)`
        : `Lock.release(): task ${me.name} cannot release a lock held by task ${this.owner.name}; only the owner can`);
    }
    this.#handOff();
  }

  /**
   * Runs `body` holding the lock, and releases it however `body` ends. Acquiring and registering
   * the release are one step: a cancellation cannot leave the lock held.
   */
  *withLock<T>(body: () => Operation<T>): Operation<T> {
    const gen = startGenerator<T>('Lock.withLock', body, []);
    yield* this.acquire();
    try {
      return yield* gen;
    } finally {
      this.release();
    }
  }

  /** Whether it is held and by whom, the waiters, and whether it is broken. */
  statistics(): LockStatistics {
    return { locked: this.owner !== null, owner: this.owner, waiting: this.waiters.length, broken: this.#broken !== null };
  }

  /** @internal Gives the lock to the oldest waiter, or frees it. The caller checked ownership. */
  handOff(): void {
    this.#handOff();
  }

  /**
   * @internal Takes the lock for `me` ignoring cancellation (Condition.wait must return holding it).
   * Not a checkpoint when the lock is free.
   */
  *acquireUncancellable(me: TaskImpl): Operation<void> {
    if (this.#tryAcquire(me, 'Condition.wait()')) return;
    this.waiters.push(me);
    yield parkWith(abortNever, 'Condition.wait (re-acquiring the lock)');
  }

  #handOff(): void {
    const next = this.waiters.shift();
    if (next === null) {
      this.owner = null;
      return;
    }
    this.#own(next);
    next.kernel.wake(next, undefined);
  }

  #tryAcquire(me: TaskImpl, what: string): boolean {
    if (this.#broken !== null) throw this.#brokenError();
    if (this.owner === me) throw new GiambioError(`${what}: task ${me.name} already holds this lock (Lock is not re-entrant)`);
    if (this.owner !== null) return false;
    this.#own(me);
    return true;
  }

  #own(task: TaskImpl): void {
    this.owner = task;
    const hooks = task.exitHooks;
    if (hooks === null || !hooks.includes(this.#ownerExited)) task.onExit(this.#ownerExited);
  }

  #brokenError(): ResourceBroken {
    return new ResourceBroken(this.#broken!);
  }
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(Lock);
