/**
 * Task pools (trio's nurseries) and the scopes built on them: createPool, withTimeout, skipAfter,
 * shield. A pool does not exit before its children; a failing child cancels the rest and its
 * error surfaces from the pool; a pool is also a cancel scope with an optional deadline.
 */
import { CancelledError, ErrorStack, GiambioError, TooSlowError } from './errors.js';
import { checkMilliseconds, checkOptions, checkString, typeError } from './check.js';
import type { Kernel } from './kernel.js';
import { runningKernel } from './run-context.js';
import type { CancelScope } from './scope.js';
import { startGenerator } from './spawnable.js';
import type { Operation, Task, TaskImpl } from './task.js';
import { CANCELLED, FAILED, LIVE } from './task-outcome.js';
import { parkWith, scheduleTrap } from './trap.js';
import type { ResourceSet } from './resource.js';
import { startTask, type TaskStatus } from './start.js';
import { guardOperationClass, guardOperations } from './operation-guard.js';
import { debugOperation, warnOnce } from './undriven.js';

/** Options of `pool.spawnWith(options, fn, ...args)`. */
export interface SpawnOptions {
  /** The task's name in dumps and errors (default: the function's name). */
  name?: string;
}

function checkSpawnOptions(options: SpawnOptions): void {
  checkOptions('spawn options', options);
  if (options.name !== undefined) checkString('name', options.name);
}

/** What happens when the deadline of a pool's scope cancels work in it. */
const ON_TIMEOUT_NOTHING = 0; // createPool / shield: nothing special (a deadline set later just cancels)
const ON_TIMEOUT_RAISE = 1;   // withTimeout: raise TooSlowError
const ON_TIMEOUT_SKIP = 2;    // skipAfter: return undefined

/**
 * Pools one task may nest (createPool inside createPool …). Each level holds two generator frames
 * (the pool's and its body's) plus the caller's own on every resume; with Node's default stack a
 * plain recursion (one generator of its own per level) overflowed between 1,200 and 1,400 levels, so
 * this leaves room for the code between the levels and for smaller stacks.
 */
export const MAX_POOL_NESTING = 500;
/** A deadline further than this past `clock()` is almost surely a wall-clock time (debug warning). */
const FAR_DEADLINE_MS = 365 * 24 * 3600 * 1000;

/** Debug mode: a deadline a year or more away was most likely computed from `Date.now()`. */
function warnFarDeadline(ms: number, now: number): void {
  const site = new Error().stack?.split('\n').filter((line) => /^\s+at /.test(line))[2]?.trim().replace(/^at /, '') ?? 'an unknown place';
  warnOnce(site, `pool.deadline set to ${ms} ms at ${site}, ${Math.round((ms - now) / 86_400_000)} days past clock() (${Math.round(now)} ms): the loop's clock is not the wall clock, so a deadline computed from Date.now() never fires. Use pool.deadlineAfter(ms), or clock() + ms.`, 'GIAMBIO_FAR_DEADLINE');
}

/** Never blocks waiting children from leaving: the pool's exit waits for all of them regardless. */
const abortNever = (): boolean => false;

/** A pool of tasks, and the cancel scope around them: the `pool` that `createPool`, `withTimeout`,
 * `skipAfter` and `shield` give their body. `spawn` starts children; the pool's block does not
 * return before every child has ended; a failing child cancels the others and its error comes out
 * of the pool. Never constructed directly.
 * @example
 * yield* createPool(function* (pool) {
 *   const a = pool.spawn(fetchPage, 1);
 *   pool.spawnWith({ name: 'ticker' }, tick);
 *   pool.deadline = clock() + 1000;     // the whole pool: at most one second
 *   console.log(yield* a.join());
 * }); */
export class TaskPool {
  /** @internal */ readonly scope: CancelScope;
  /** @internal Children that have not ended. */ live = 0;
  /** @internal Failures (children's and the body's), in the order they happened. */ readonly errors: unknown[] = [];
  /** @internal The owner, while parked waiting for the children. */ waiter: TaskImpl | null = null;
  /** @internal The expired deadline cut something short: a child ended cancelled, or the body. */ deadlineCut = false;
  /** @internal A child ended cancelled (it raised CancelledError, or never started). */ childCancelled = false;
  /** @internal Resources tied to this pool (resource.ts), created on first use. */ resources: ResourceSet | null = null;
  #closed = false;

  /** @internal */ readonly kernel: Kernel;
  /** @internal The task that opened the pool (runs its body). */ readonly owner: TaskImpl;

  /** @internal */
  constructor(kernel: Kernel, owner: TaskImpl, shield: boolean) {
    this.kernel = kernel;
    this.owner = owner;
    this.scope = kernel.enterScope(owner, shield, this);
  }

  /**
   * Starts `fn(...args)` as a child task. Synchronous: the child first runs at the spawner's next
   * scheduling point. @throws {GiambioError} if the pool has exited.
   */
  spawn<R, A extends unknown[]>(fn: (...args: A) => Operation<R>, ...args: A): Task<R> {
    return this.#spawn(undefined, fn, args);
  }

  /** `spawn` with options (a name). */
  spawnWith<R, A extends unknown[]>(options: SpawnOptions, fn: (...args: A) => Operation<R>, ...args: A): Task<R> {
    checkSpawnOptions(options);
    return this.#spawn(options.name, fn, args);
  }

  #spawn<R, A extends unknown[]>(name: string | undefined, fn: (...args: A) => Operation<R>, args: A): Task<R> {
    if (this.#closed) throw new GiambioError('cannot spawn into a pool that has exited');
    if (this.kernel.failure !== null) throw this.kernel.failure;
    const gen = startGenerator<R>('pool.spawn', fn, args);
    return this.spawnGenerator(gen, name ?? (fn.name || 'anonymous'));
  }

  /** @internal Spawns an already started generator as a child. */
  spawnGenerator<R>(gen: Operation<R>, name: string): TaskImpl<R> {
    this.live++;
    return this.kernel.spawn(gen, name, this, this.scope);
  }

  /**
   * Runs `fn(status, ...args)` as a new task and waits until it calls `status.started(value)`;
   * returns that value. Until then the task belongs to the caller: the caller's cancellation reaches
   * it and its error comes out of `start`. Then it moves into this pool (trio's `nursery.start`).
   * @example
   * function* server(status: TaskStatus<number>, port: number) {
   *   const listener = yield* listen(port);
   *   status.started(listener.port);
   *   yield* serve(listener);
   * }
   * const port = yield* pool.start(server, 0);
   * @throws {GiambioError} if the pool has exited, if `fn` returns without calling `started`, or
   *   calls it twice; whatever `fn` raises before it called `started`.
   */
  start<V = void, A extends unknown[] = []>(fn: (status: TaskStatus<V>, ...args: A) => Operation<unknown>, ...args: A): Operation<V> {
    return debugOperation(startTask(this, undefined, fn, args, openHidden), 'pool.start()');
  }

  /**
   * `start` with options (a name), as `spawnWith` is to `spawn`.
   * @example
   * const port = yield* pool.startWith({ name: 'http' }, server, 0);
   */
  startWith<V = void, A extends unknown[] = []>(options: SpawnOptions, fn: (status: TaskStatus<V>, ...args: A) => Operation<unknown>, ...args: A): Operation<V> {
    checkSpawnOptions(options);
    return debugOperation(startTask(this, options.name, fn, args, openHidden), 'pool.startWith()');
  }

  /**
   * Cancels the body and every child. The pool then exits normally (it absorbs its own cancellation).
   * `reason` goes into the message of the `CancelledError` its tasks receive.
   */
  cancel(reason?: string): void {
    if (reason !== undefined) checkString('reason', reason);
    this.scope.cancel(reason === undefined ? 'the pool was cancelled' : `the pool was cancelled: ${reason}`);
  }

  /** @internal A child (or a pending start) left the pool: wake the owner if it waits for the last one. */
  leave(): void {
    this.live--;
    // Wake the owner only if it is still parked in the wait (loop.close() may have ended it).
    if (this.live === 0 && this.waiter !== null && this.waiter.outcome === LIVE && this.waiter.abort !== null) {
      const waiter = this.waiter;
      this.waiter = null;
      this.kernel.wake(waiter, undefined);
    }
  }

  /** Absolute deadline on the loop's clock (ms); `Infinity` = none. Can be moved while running. */
  get deadline(): number {
    return this.scope.deadline;
  }

  /** Moves the deadline (absolute ms on the loop's clock, `Infinity` = none); takes effect at once.
   * @throws {GiambioError} the pool has exited. */
  set deadline(ms: number) {
    if (typeof ms !== 'number' || ms !== ms) {
      throw typeError('deadline', `a number (ms on the loop's clock, Infinity for none)`, ms);
    }
    if (this.#closed) throw new GiambioError('cannot move the deadline of a pool that has exited');
    if (this.kernel.debug && ms !== Infinity && ms - this.kernel.clock.now() > FAR_DEADLINE_MS) warnFarDeadline(ms, this.kernel.clock.now());
    this.scope.deadline = ms;
  }

  /**
   * Sets the deadline `ms` from now on the loop's clock (`clock() + ms`): what
   * `pool.deadline = Date.now() + ms` means to do (the loop's clock is not the wall clock).
   * @example
   * yield* createPool(function* (pool) {
   *   pool.deadlineAfter(500);
   *   pool.spawn(slowWork);
   * });
   * @throws {TypeError | RangeError} if `ms` is not a number ≥ 0.
   */
  deadlineAfter(ms: number): void {
    checkMilliseconds('ms', ms);
    this.deadline = this.kernel.clock.now() + ms;
  }

  /** The deadline expired while the pool was open. */
  get timedOut(): boolean {
    return this.scope.timedOut;
  }

  /** cancel() was called, or the deadline or a failing child cancelled the pool. */
  get cancelled(): boolean {
    return this.scope.cancelCalled;
  }

  /** The pool has exited: no more spawns. */
  get closed(): boolean {
    return this.#closed;
  }

  /** @internal */
  childEnded(task: TaskImpl): void {
    if (task.outcome === CANCELLED) {
      this.childCancelled = true;
      if (this.scope.timedOut) this.deadlineCut = true;
    }
    if (task.outcome === FAILED) this.fail(task.errorValue, `task ${task.name} failed in the same pool`);
    this.leave();
  }

  /** @internal Records a failure of something in the pool (a child, a resource) and cancels the rest. */
  fail(error: unknown, why: string): void {
    this.errors.push(error);
    this.scope.cancel(why);
  }

  /** @internal Runs `body` in this (already open) pool, waits for the children, decides the outcome. */
  run<T>(what: string, body: (pool: TaskPool) => Operation<T>, onTimeout: number): Operation<T | undefined> {
    return TaskPool.runPool(what, body, this, false, Infinity, onTimeout);
  }

  /**
   * @internal The one generator behind createPool, withTimeout, skipAfter, shield and start's hidden
   * pool: opens the pool (unless given one), runs `body`, waits for the children, decides the outcome.
   *
   * Discussion: a task's resume passes through every generator its `yield*` chain holds, so each level
   * of nested pools costs JS stack frames: this generator and the body's (it used to be four). A task
   * may nest at most MAX_POOL_NESTING pools; one more raises a GiambioError that names the depth,
   * before anything is opened, instead of a stack overflow that leaves the scopes half exited.
   */
  static *runPool<T>(
    what: string, body: (pool: TaskPool) => Operation<T>, existing: TaskPool | null,
    shield: boolean, timeoutMs: number, onTimeout: number,
  ): Operation<T | undefined> {
    let pool = existing;
    if (pool === null) {
      const kernel = runningKernel(`${what}()`);
      const me = kernel.current!;
      const depth = me.scope.owner === me ? me.scope.depth + 1 : 1;
      if (depth > MAX_POOL_NESTING) {
        throw new GiambioError(
          `${what}() would nest ${depth} pools deep in task ${me.name}; the limit is ${MAX_POOL_NESTING} ` +
          '(each level holds generator frames on the JS stack): use a loop or spawn a task instead of deeper recursion');
      }
      pool = new TaskPool(kernel, me, shield);
      if (timeoutMs !== Infinity) pool.scope.deadline = kernel.clock.now() + timeoutMs;
    }
    const kernel = pool.kernel;
    let value: T | undefined;
    let bodyCancelled: CancelledError | null = null;
    try {
      value = yield* startGenerator<T>(what, body, [pool]);
    } catch (error) {
      if (error instanceof CancelledError) {
        bodyCancelled = error;
        if (pool.scope.timedOut) pool.deadlineCut = true;
      }
      else { pool.errors.push(error); pool.scope.cancel('the pool body failed'); }
    }
    // Always a schedule point (never a cancel point); then wait until no child is left. Other tasks
    // may still spawn into the pool while it waits, so the count is checked again after every
    // wake-up, and the pool closes in the same step as the last check: no spawn can slip in between.
    // Resources do not keep the pool open: once the children are done they are torn down, last
    // first (resource.ts); a resource's teardown could spawn again, so both are checked again.
    if (pool.live === 0) yield scheduleTrap;
    for (;;) {
      while (pool.live > 0) {
        pool.waiter = pool.owner;
        yield parkWith(abortNever, 'children of a pool');
      }
      if (pool.resources === null || pool.resources.empty) break;
      yield* pool.resources.teardown('the pool exited');
    }
    pool.#closed = true;
    kernel.exitScope(pool.owner, pool.scope);
    const errors = pool.errors;
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new ErrorStack(errors.slice());
    // A pool is never the source of a cancellation (trio's nursery): it re-raises only what its body
    // or its children raised. The pool's own cancellation is absorbed here; one from outside goes on
    // outward, unless nothing inside saw it (then the caller's next checkpoint raises it).
    const outer = pool.scope.shield ? null : pool.scope.parent!.cancelledBy;
    if (outer !== null && (bodyCancelled !== null || pool.childCancelled)) throw bodyCancelled ?? outer.cancelError!;
    // trio's rule: the timeout counts only if its deadline cut something short (the body, or a
    // child, also one still running after the body returned); work that finished in time stands.
    if (pool.deadlineCut && onTimeout === ON_TIMEOUT_RAISE) {
      throw new TooSlowError(`the operation timed out after its deadline at ${pool.scope.deadline} ms`);
    }
    if (pool.deadlineCut && onTimeout === ON_TIMEOUT_SKIP) return undefined;
    return bodyCancelled !== null ? undefined : value;
  }
}

/** The hidden pool `start` runs a task in until it calls `started` (start.ts). */
function openHidden(kernel: Kernel, owner: TaskImpl): TaskPool {
  return new TaskPool(kernel, owner, false);
}

/**
 * Runs `body(pool)` in the calling task; when it returns, waits for every child spawned into the
 * pool and returns `body`'s value. A failing child cancels its siblings and the body; the failure is
 * raised here (several at once: `ErrorStack`). `pool.cancel()` cancels everything inside and
 * `createPool` returns normally (with `undefined` if the body was cut short).
 * @example
 * yield* createPool(function* (pool) {
 *   pool.spawn(worker, 1);
 *   pool.spawn(worker, 2);
 * });
 */
export function createPool<T>(body: (pool: TaskPool) => Operation<T>): Operation<T | undefined> {
  return debugOperation(TaskPool.runPool('createPool', body, null, false, Infinity, ON_TIMEOUT_NOTHING), 'createPool()');
}

/**
 * Like `createPool`, with a deadline `ms` from now: on expiry everything inside is cancelled and
 * `TooSlowError` is raised. @throws {TooSlowError}
 */
export function withTimeout<T>(ms: number, body: (pool: TaskPool) => Operation<T>): Operation<T | undefined> {
  checkMilliseconds('ms', ms);
  return debugOperation(TaskPool.runPool('withTimeout', body, null, false, ms, ON_TIMEOUT_RAISE), 'withTimeout()');
}

/**
 * Like `withTimeout`, but silent: on expiry it returns `undefined` (and `pool.timedOut` is true).
 */
export function skipAfter<T>(ms: number, body: (pool: TaskPool) => Operation<T>): Operation<T | undefined> {
  checkMilliseconds('ms', ms);
  return debugOperation(TaskPool.runPool('skipAfter', body, null, false, ms, ON_TIMEOUT_SKIP), 'skipAfter()');
}

/**
 * A pool that outer cancellation does not reach, for cleanup that must finish. Its own deadline
 * still works: `yield* shield(function* () { yield* withTimeout(1000, cleanup) })` bounds cleanup.
 */
export function shield<T>(body: (pool: TaskPool) => Operation<T>): Operation<T | undefined> {
  return debugOperation(TaskPool.runPool('shield', body, null, true, Infinity, ON_TIMEOUT_NOTHING), 'shield()');
}

// Awaiting any operation these make rejects (operation-guard.ts).
// createPool, withTimeout, skipAfter and shield all return TaskPool.runPool's generator.
guardOperationClass(TaskPool.runPool, 'createPool() (or withTimeout, skipAfter, shield)');
guardOperations(TaskPool);
