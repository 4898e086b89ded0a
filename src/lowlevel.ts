/**
 * giambio/lowlevel: what `src/sync/` is built on, for writing new primitives (trio's
 * `wait_task_rescheduled` / `reschedule`). A task parks with `waitTaskRescheduled(abort)` and is
 * woken exactly once by `reschedule(task, outcome)`; when cancellation reaches it, `abort(task)`
 * decides whether the wait is withdrawn (`true`: the task gets `CancelledError`) or a wake is
 * already on its way (`false`). A primitive that waits for the host (a callback, a promise) holds
 * `beginHostWait()` while it does, so the virtual clock does not jump past the host's work and the
 * deadlock detector does not declare a deadlock while the host can still wake the task.
 *
 * This entry only re-exports and wraps the kernel's park/wake; it never reaches into the wasm core.
 *
 * @module giambio/lowlevel
 */
import { GiambioError } from './errors.js';
import { checkFunction, checkString, typeError } from './check.js';
import { maybeRunningKernel, runningKernel } from './run-context.js';
import { TaskImpl } from './task.js';
import { LIVE } from './task-outcome.js';
import { parkWith, type AbortFn } from './trap.js';
import { guardOperations } from './operation-guard.js';
import type { Operation, Task } from './types.js';
import { debugOperation } from './undriven.js';

export { currentTask } from './operations.js';
export type { Operation, Task } from './types.js';

/** The abort functions of waits made here: only those may be ended by `reschedule`. */
const ours = new WeakSet<AbortFn>();

/**
 * How `reschedule` wakes a task: with a value `waitTaskRescheduled` returns, or an error it throws.
 * @example
 * reschedule(task, { value: 1 });
 */
export type Outcome<T = unknown> = {
  /** What `waitTaskRescheduled` returns. */
  value: T;
} | {
  /** What `waitTaskRescheduled` throws. */
  error: unknown;
};

/**
 * Parks the current task until `reschedule(task, outcome)` wakes it, then returns the outcome's
 * value or throws its error. When cancellation reaches the parked task, `abort(task)` is called:
 * return `true` if the wait is withdrawn (undo your bookkeeping; the task then raises
 * `CancelledError`), or `false` if a wake is already on its way (the task stays parked until
 * `reschedule`, and sees the cancellation at its next checkpoint). If the task is already cancelled
 * when it parks, `abort` is called at once. Not a checkpoint by itself: a primitive's blocking
 * operation should be one (checkpoint first when it does not wait).
 * @param reason What the task waits on, shown in task dumps and deadlock reports.
 * @example
 * waiters.push(currentTask());
 * const value = yield* waitTaskRescheduled<number>((task) => { waiters.splice(waiters.indexOf(task), 1); return true; });
 * @throws {GiambioError} outside a task. {TypeError} if `abort` is not a function.
 */
export function waitTaskRescheduled<T = unknown>(abort: (task: Task) => boolean, reason = 'waitTaskRescheduled'): Operation<T> {
  return debugOperation(waitTaskRescheduledOperation(abort, reason), 'waitTaskRescheduled()');
}

/** The operation waitTaskRescheduled returns (named so that awaiting it says `waitTaskRescheduled()`). */
const waitTaskRescheduledOperation = function* waitTaskRescheduled<T = unknown>(abort: (task: Task) => boolean, reason = 'waitTaskRescheduled'): Operation<T> {
  runningKernel('waitTaskRescheduled()');
  checkFunction('abort', abort, 'a function (task) => boolean');
  checkString('reason', reason);
  const fn: AbortFn = (task) => abort(task) === true;
  ours.add(fn);
  return (yield parkWith(fn, reason)) as T;
};

/**
 * Wakes a task parked in `waitTaskRescheduled`, once: it resumes with `outcome.value`, or throws
 * `outcome.error`. Callable from anywhere (another task, a host callback, plain code); the task
 * runs at the loop's next scheduling point.
 * @example
 * reschedule(waiter, { value: 42 });
 * reschedule(other, { error: new ResourceClosed('closed while waiting') });
 * @throws {GiambioError} if the task is not parked in `waitTaskRescheduled` (a second wake, or a
 *   task that was withdrawn by its abort). {TypeError} for a bad argument.
 */
export function reschedule<T>(task: Task, outcome: Outcome<T>): void {
  if (!(task instanceof TaskImpl)) throw typeError('task', 'a giambio Task', task);
  if (typeof outcome !== 'object' || outcome === null || !('value' in outcome || 'error' in outcome)) {
    throw typeError('outcome', '{ value } or { error }', outcome);
  }
  const t = task as TaskImpl;
  if (t.outcome !== LIVE || t.abort === null || !ours.has(t.abort) || t.state !== 'parked') {
    throw new GiambioError(`reschedule(): task ${t.name} is not parked in waitTaskRescheduled (woken twice, or withdrawn by its abort)`);
  }
  if ('error' in outcome) t.kernel.wakeThrow(t, outcome.error);
  else t.kernel.wake(t, outcome.value);
}

/**
 * Tells the running loop that the current task waits for the host (a callback, a promise, I/O) until
 * the returned function is called (once; later calls do nothing). While held, a virtual clock does
 * not jump and the deadlock detector does not fire. Hold it exactly while the task is parked for
 * the host: begin right before `waitTaskRescheduled`, end in the callback (before `reschedule`) and
 * in the abort.
 * @example
 * const end = beginHostWait();
 * const off = onHostCallback((value) => { end(); reschedule(me, { value }); });
 * return yield* waitTaskRescheduled((task) => { end(); off(); return true; });
 * @throws {GiambioError} outside a task.
 */
export function beginHostWait(): () => void {
  const kernel = maybeRunningKernel();
  if (kernel === null) throw new GiambioError('beginHostWait() must be called from inside a giambio task');
  kernel.hostWaits++;
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    kernel.hostWaits--;
  };
}

// Awaiting the operation it makes rejects (operation-guard.ts).
guardOperations(waitTaskRescheduledOperation);
