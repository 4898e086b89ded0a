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

/**
 * `receiveUntil` or `lines` found no delimiter within the byte limit. The bytes stay buffered
 * (nothing is lost); the stream is usually beyond saving.
 */
export class DelimiterNotFound extends GiambioError {}

/** The stream ended (EOF) before `receiveUntil` found its delimiter. The bytes read so far stay buffered. */
export class IncompleteRead extends GiambioError {}

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
  /** The task tree at the moment of the deadlock, formatted: what each task waited on. */
  readonly tree: string;

  constructor(tree: string) {
    super(`deadlock: every task is waiting and nothing can wake any of them\n${tree}`);
    this.tree = tree;
  }
}

/** How many failures an `ErrorStack`'s message names before "… and N more". */
const MESSAGE_NAMES = 10;
/** Stack frames shown per error by `ErrorStack`'s `util.inspect` form. */
const INSPECT_FRAMES = 3;

/**
 * Several tasks failed in one pool; `errors` are in the order the failures happened. The message
 * names each failure (`2 tasks failed: TypeError: boom; RangeError: bad`), and Node's
 * `util.inspect` (what `console.error` and `main()` print) shows each one's name, message and first
 * stack frames, nested `ErrorStack`s indented.
 * @example
 * try {
 *   yield* createPool(function* (pool) { pool.spawn(a); pool.spawn(b); });
 * } catch (error) {
 *   if (error instanceof ErrorStack) for (const e of error.errors) console.error(e);
 *   else throw error;
 * }
 */
export class ErrorStack extends AggregateError {
  constructor(errors: unknown[], message = summarize(errors)) {
    super(errors, message);
  }

  /** Node's `util.inspect` form (see the class comment); other runtimes show `stack`. @internal */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatFailure(this, '').join('\n');
  }
}

/** `N tasks failed: Name: message; …`, the first line of each message, at most MESSAGE_NAMES of them. */
function summarize(errors: unknown[]): string {
  const named = errors.slice(0, MESSAGE_NAMES).map(headline).join('; ');
  const more = errors.length > MESSAGE_NAMES ? `; … and ${errors.length - MESSAGE_NAMES} more` : '';
  return `${errors.length} tasks failed${errors.length > 0 ? `: ${named}${more}` : ''}`;
}

/** `Name: first line of the message`, or the value itself for a non-Error throw. */
function headline(error: unknown): string {
  if (!(error instanceof Error)) return `${typeof error === 'string' ? JSON.stringify(error) : String(error)} (thrown, not an Error)`;
  const message = error.message.split('\n', 1)[0];
  return message === '' ? error.name : `${error.name}: ${message}`;
}

/** One failure as lines: its headline, its first frames, then (for an ErrorStack) each member, indented. */
function formatFailure(error: unknown, indent: string): string[] {
  const lines = [indent + headline(error)];
  if (error instanceof Error && typeof error.stack === 'string') {
    // Generator resumption frames (`at worker.next (<anonymous>)`) say nothing: left out.
    const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line) && !/\.(?:next|throw|return) \(<anonymous>\)$/.test(line));
    for (const frame of frames.slice(0, INSPECT_FRAMES)) lines.push(`${indent}    ${frame.trim()}`);
    if (frames.length > INSPECT_FRAMES) lines.push(`${indent}    … ${frames.length - INSPECT_FRAMES} more frames`);
  }
  if (error instanceof AggregateError) {
    error.errors.forEach((inner, i) => {
      const [first, ...rest] = formatFailure(inner, `${indent}    `);
      lines.push(`${indent}  [${i + 1}] ${first!.trimStart()}`, ...rest);
    });
  }
  return lines;
}

// Names live on the prototypes (set once, minifier-proof), not on every instance.
for (const [cls, name] of [
  [GiambioError, 'GiambioError'], [CancelledError, 'CancelledError'], [TaskCancelledError, 'TaskCancelledError'],
  [TooSlowError, 'TooSlowError'], [ResourceClosed, 'ResourceClosed'], [ResourceBusy, 'ResourceBusy'],
  [ResourceBroken, 'ResourceBroken'], [EndOfChannel, 'EndOfChannel'],
  [DelimiterNotFound, 'DelimiterNotFound'], [IncompleteRead, 'IncompleteRead'], [WouldBlock, 'WouldBlock'],
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
