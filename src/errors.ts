/**
 * Every error giambio raises. `instanceof` is the way to recognise them; nothing is matched by
 * message text. A single failure is never wrapped: `ErrorStack` only carries several at once.
 */

/** Base class of giambio's own errors. */
export class GiambioError extends Error {}

/**
 * Thrown into a task, by the runtime only, at the trap where it waits (or its next trap) when a
 * scope around it is cancelled. Catch it only to clean up, and rethrow it.
 */
export class CancelledError extends GiambioError {}

/** Raised by `join()` on a task that was cancelled. Not a `CancelledError`: the joiner was not cancelled. */
export class TaskCancelledError extends GiambioError {}

/** Raised by `withTimeout` when its deadline cancelled the work inside it. */
export class TooSlowError extends GiambioError {}

/** The resource was closed (by this side) before or while the operation used it. */
export class ResourceClosed extends GiambioError {}

/** Another task is already using the resource in a way that allows only one at a time. */
export class ResourceBusy extends GiambioError {}

/** The resource failed underneath (peer reset, owner died holding a lock, …); see `cause`. */
export class ResourceBroken extends GiambioError {}

/** The channel was closed and every buffered item has been read. */
export class EndOfChannel extends GiambioError {}

/** A `…Nowait` operation would have had to wait. */
export class WouldBlock extends GiambioError {}

/**
 * A broken invariant inside giambio itself (for instance an abort in the WebAssembly core).
 * The loop that raised it is poisoned: later calls on it fail fast with this error as `cause`.
 */
export class InternalError extends GiambioError {}

/**
 * Every task was parked and nothing could ever wake one of them (no timer, no host I/O, no pending
 * promise, nothing else alive in the host). `tree` is the task tree at that moment, with what each
 * task waited on. The loop cancels everything, then `run` rejects with this error.
 */
export class DeadlockError extends GiambioError {
  constructor(readonly tree: string) {
    super(`deadlock: every task is waiting and nothing can wake any of them\n${tree}`);
  }
}

/** Several tasks failed in one pool; `errors` are in the order the failures happened. */
export class ErrorStack extends AggregateError {
  constructor(errors: unknown[], message = `${errors.length} tasks failed`) {
    super(errors, message);
  }
}

// Names live on the prototypes (set once, minifier-proof), not on every instance.
for (const [cls, name] of [
  [GiambioError, 'GiambioError'], [CancelledError, 'CancelledError'], [TaskCancelledError, 'TaskCancelledError'],
  [TooSlowError, 'TooSlowError'], [ResourceClosed, 'ResourceClosed'], [ResourceBusy, 'ResourceBusy'],
  [ResourceBroken, 'ResourceBroken'], [EndOfChannel, 'EndOfChannel'], [WouldBlock, 'WouldBlock'],
  [InternalError, 'InternalError'], [DeadlockError, 'DeadlockError'], [ErrorStack, 'ErrorStack'],
] as const) Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });

/**
 * A CancelledError without a stack capture: its stack would show only scheduler frames, and a
 * scope cancelling 100,000 tasks should not pay for 100,000 stack walks.
 */
export function newCancelledError(message = 'the task was cancelled'): CancelledError {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 0;
  const error = new CancelledError(message);
  E.stackTraceLimit = limit;
  return error;
}
