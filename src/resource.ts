/**
 * `resource`: a background task that sets something up, provides a value to its caller, and tears
 * it down when the caller's innermost pool exits (Effection's `resource`). Services, listeners,
 * portals and channel pumps are built on it.
 *
 * A resource belongs to a `ResourceSet`: the one of the innermost pool the calling task runs in (a
 * pool whose body that task runs), or, if the task is in none, the task's own (its root scope). The
 * resource's task is a member of that pool's scope (or of the task's root scope), so cancellation
 * reaches it as it reaches the pool; but it is not one of the pool's children: the pool's exit does
 * not wait for it. Once the body and every child are done, the pool cancels its resources one at a
 * time, last created first, and waits for each teardown. A task whose own resources are still alive
 * when its body ends *lingers*: the kernel swaps its finished generator for `linger`, which tears
 * them down and then ends the task with the body's outcome.
 *
 * Discussion: before it provided, a resource is part of the caller's call: its error comes out of
 * `resource()` and does not fail the pool. After it provided, it is part of the pool: its error fails
 * the pool like a child's (or, for a task's own resources, the task).
 */
import { ErrorStack, GiambioError } from './errors.js';
import { expectsError } from './check.js';
import type { Kernel } from './kernel.js';
import { runningKernel } from './run-context.js';
import type { CancelScope } from './scope.js';
import { startGenerator } from './spawnable.js';
import type { Operation, TaskImpl } from './task.js';
import { CANCELLED, FAILED, FINISHED, LIVE } from './task-outcome.js';
import type { TaskPool } from './pool.js';
import { parkWith } from './trap.js';
import { guardOperations } from './operation-guard.js';
import { debugOperation } from './undriven.js';

/**
 * What a resource body receives: `yield* provide(value)` hands `value` to the caller of
 * `resource()` and waits until the resource is torn down (it then raises `CancelledError`, so the
 * body's `finally` runs).
 * @example
 * const conn = yield* resource<Connection>(function* (provide) {
 *   const c = yield* connect();
 *   try { yield* provide(c); } finally { c.closeNow(); }
 * });
 */
export type Provide<T> = (value: T) => Operation<void>;

/** One resource: its task, and where its setup stands. @internal */
class Record {
  task: TaskImpl | null = null;
  provided = false;
  value: unknown = undefined;
  /** The task waiting in `resource()` for the value, until it is provided. */
  caller: TaskImpl | null;
  constructor(caller: TaskImpl) { this.caller = caller; }
}

/** A caller waiting for `provide`, or a pool waiting for a teardown, cannot be withdrawn: the resource's end wakes it. */
const abortNever = (): boolean => false;
/** `provide` waits for cancellation only. */
const abortProvide = (): boolean => true;

/** The resources of one pool or one task (not exported from any entry). */
export class ResourceSet {
  /** Live resources, oldest first. */
  readonly records: Record[] = [];
  /** Failures of the task's own resources after they provided (for a pool's: in pool.errors). */
  readonly errors: unknown[] = [];
  /** The resource whose teardown `waiter` waits for. */
  private awaited: TaskImpl | null = null;
  private waiter: TaskImpl | null = null;
  /** The owning task already lingers (or was killed): it ends normally next time. */
  private lingered = false;

  constructor(
    readonly kernel: Kernel,
    /** The pool whose resources these are, or null for a task's own. */
    readonly pool: TaskPool | null,
    /** The task that owns the pool, or whose own resources these are. */
    readonly owner: TaskImpl,
    /** The scope the resources' tasks are members of. */
    readonly scope: CancelScope,
  ) {}

  get empty(): boolean {
    return this.records.length === 0;
  }

  /** Spawns the resource's task and returns its record. */
  add(body: (provide: Provide<unknown>) => Operation<void>, name: string): Record {
    const record = new Record(this.kernel.current!);
    const provide: Provide<unknown> = (value) => provideValue(record, value);
    const gen = startGenerator<void>('resource', body, [provide]);
    const task = this.kernel.spawn(gen, name, this.pool, this.scope);
    task.resourceOf = this;
    record.task = task;
    this.records.push(record);
    return record;
  }

  /** Called by the kernel when a resource's task ends (instead of a pool's childEnded). */
  ended(task: TaskImpl): void {
    const i = this.records.findIndex((r) => r.task === task);
    const record = this.records[i]!;
    this.records.splice(i, 1);
    const caller = record.caller;
    record.caller = null;
    if (!record.provided) {
      // Setup never finished: the outcome goes to the caller of resource(), not to the pool.
      if (caller !== null && isParked(caller)) {
        const by = caller.scope.cancelledBy;
        if (task.outcome === FAILED) this.kernel.wakeThrow(caller, task.errorValue);
        else if (by !== null) this.kernel.wakeThrow(caller, by.cancelError);
        else if (task.outcome === FINISHED) {
          this.kernel.wakeThrow(caller, new GiambioError(`resource ${task.name} returned without calling provide()`));
        } else {
          this.kernel.wakeThrow(caller, new GiambioError(`resource ${task.name} was cancelled before it provided a value`));
        }
      }
    } else if (task.outcome === FAILED) {
      const why = `resource ${task.name} failed`;
      if (this.pool !== null) this.pool.fail(task.errorValue, why);
      else { this.errors.push(task.errorValue); this.kernel.cancelTask(this.owner, why); }
    }
    if (task === this.awaited) {
      this.awaited = null;
      const waiter = this.waiter;
      this.waiter = null;
      if (waiter !== null && isParked(waiter)) this.kernel.wake(waiter, undefined);
    }
  }

  /** Cancels the resources one at a time, newest first, waiting for each to end. */
  *teardown(why: string): Operation<void> {
    for (let record = this.records.at(-1); record !== undefined; record = this.records.at(-1)) {
      const task = record.task!;
      this.kernel.cancelTask(task, `resource ${task.name} is torn down: ${why}`);
      if (task.outcome !== LIVE) continue;
      this.awaited = task;
      this.waiter = this.kernel.current!;
      yield parkWith(abortNever, `teardown of resource ${task.name}`);
    }
  }

  /** Whether the owning task, whose body just ended, must first tear its resources down. */
  mustLinger(): boolean {
    if (this.lingered || this.records.length === 0 && this.errors.length === 0) return false;
    this.lingered = true;
    return true;
  }

  /** What the owning task runs after its body ended: teardown, then the body's outcome. */
  *linger(outcome: number, value: unknown): Operation<unknown> {
    yield* this.teardown(outcome === FINISHED ? 'its task returned' : outcome === CANCELLED ? 'its task was cancelled' : 'its task failed');
    const errors = this.errors;
    if (errors.length > 0) {
      if (outcome === FAILED) errors.unshift(value);
      throw errors.length === 1 ? errors[0] : new ErrorStack(errors.slice());
    }
    if (outcome === FINISHED) return value;
    throw value;
  }
}

function isParked(task: TaskImpl): boolean {
  return task.outcome === LIVE && task.abort !== null;
}

function* provideValue(record: Record, value: unknown): Operation<void> {
  const task = record.task!;
  const kernel = runningKernel('provide()');
  if (kernel.current !== task) throw new GiambioError(`provide() of resource ${task.name} must be called by the resource's own body`);
  if (record.provided) throw new GiambioError(`provide() called twice by resource ${task.name}`);
  record.provided = true;
  record.value = value;
  const caller = record.caller;
  record.caller = null;
  if (caller !== null && isParked(caller)) kernel.wake(caller, value);
  yield parkWith(abortProvide, `resource ${task.name} provided`);
  // Only cancellation ends the wait (it throws here); a resume without it is a broken invariant.
  throw new GiambioError(`resource ${task.name} was resumed without being torn down`);
}

/** The set a resource created by `task` now belongs to: its innermost own pool's, else its own. */
function setFor(kernel: Kernel, task: TaskImpl): ResourceSet {
  for (let s: CancelScope | null = task.scope; s !== null && s.owner === task; s = s.parent) {
    const pool: TaskPool | null = s.pool;
    if (pool !== null && pool.scope === s) return (pool.resources ??= new ResourceSet(kernel, pool, task, s));
  }
  const own = kernel.ensureRootScope(task);
  return (task.resources ??= new ResourceSet(kernel, null, task, own));
}

/**
 * Runs `body(provide)` as a background task and returns the value it provides. The resource lives
 * until the innermost pool the calling task runs in exits (a `createPool`/`withTimeout`/`skipAfter`/
 * `shield` body), or until the calling task ends if it is in none; it does not keep that pool open:
 * once the pool's body and children are done, its resources are cancelled, last created first, and
 * their teardown (`finally`, which may use the loop) is waited for.
 * @example
 * function* useTicker(ms: number) {
 *   return yield* resource<{ ticks: number }>(function* (provide) {
 *     const state = { ticks: 0 };
 *     yield* createPool(function* (pool) {
 *       pool.spawn(function* () { for (;;) { yield* sleep(ms); state.ticks++; } });
 *       yield* provide(state);
 *     });
 *   });
 * }
 * @throws {GiambioError} if the body returns without calling `provide`, or calls it twice; whatever
 *   the body raises before it provided. After it provided, its error fails the pool.
 */
export function resource<T>(body: (provide: Provide<T>) => Operation<void>): Operation<T> {
  return debugOperation(resourceOperation(body), 'resource()');
}

/** The operation resource returns (named so that awaiting it says `resource()`). */
const resourceOperation = function* resource<T>(body: (provide: Provide<T>) => Operation<void>): Operation<T> {
  const kernel = runningKernel('resource()');
  const me = kernel.current!;
  if (typeof body !== 'function') throw expectsError('resource()', 'a generator function (provide) => …', body);
  const by = me.scope.cancelledBy;
  if (by !== null) throw by.cancelError;
  const set = setFor(kernel, me);
  const record = set.add(body as (provide: Provide<unknown>) => Operation<void>, body.name || 'resource');
  return (yield parkWith(abortNever, `resource ${record.task!.name} to provide`)) as T;
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(resourceOperation);
