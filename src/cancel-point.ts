/**
 * The one cancel point of operations that check before they start (every blocking operation is a
 * checkpoint, also when it would not have to wait). It raises the CancelledError of the scope whose
 * cancellation reaches the task: one object per cancellation, made by `CancelScope.cancel`, whose
 * message says why (a deadline, a failing sibling, `pool.cancel(reason)`, `task.cancel(reason)`).
 * The kernel's traps throw the same object; nothing raises a generic "the task was cancelled" while
 * a scope's own error exists.
 * @internal
 */
import { newCancelledError, type CancelledError } from './errors.js';
import type { TaskImpl } from './task.js';

/** Throws the CancelledError of the cancellation that reaches `task`, if any. */
export function throwIfCancelled(task: TaskImpl): void {
  const by = task.scope.cancelledBy;
  if (by !== null) throw by.cancelError;
}

/**
 * The CancelledError of the cancellation that reaches `task`, for code that raises it later (after a
 * wait that could not be abandoned) or hands it to an AbortController; `fallback` names the wait if
 * no scope is cancelled any more.
 */
export function cancelErrorOf(task: TaskImpl, fallback: string): CancelledError {
  return task.scope.cancelledBy?.cancelError ?? newCancelledError(fallback);
}
