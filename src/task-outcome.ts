/**
 * What a task record's `value` field means besides a plain value: how the next resume enters the
 * generator while the task is alive (`Resumption`), and how it ended (`Ended`). A leaf, so the
 * modules that read a task's outcome (join, pool, loop) need not import the task module at run time.
 *
 * Discussion: a task record has no mode field. A resume is `next(value)` unless `value` is a
 * `Resumption` (start, throw, return); a task that ended holds an `Ended` record there. Both
 * classes are internal, so no value a user sends through a channel can be mistaken for one.
 * @internal
 */

/** How the next resume enters the generator (the `kind` of a Resumption; a plain value is NEXT). */
export const RESUME_NEXT = 0;
export const RESUME_THROW = 1;
export const RESUME_RETURN = 2;
/** Not started yet: the first resume is `next()`, unless the task was cancelled before it. */
export const RESUME_START = 3;

export const LIVE = 0;
export const FINISHED = 1;
export const FAILED = 2;
export const CANCELLED = 3;

/** How the next resume enters the generator (closed: a switch over it is checked exhaustive). */
export type ResumeMode = typeof RESUME_NEXT | typeof RESUME_THROW | typeof RESUME_RETURN | typeof RESUME_START;
/** How a task ended. */
export type EndedOutcome = typeof FINISHED | typeof FAILED | typeof CANCELLED;
/** A task's outcome: alive, or how it ended. */
export type Outcome = typeof LIVE | EndedOutcome;

/** A resume that is not `next(value)`: held in a live task's `value` until its next step. */
export class Resumption {
  constructor(
    readonly kind: typeof RESUME_THROW | typeof RESUME_RETURN | typeof RESUME_START,
    /** The error to throw (RESUME_THROW). */
    readonly error: unknown,
  ) {}
}

/** A new task's first resume. */
export const START = new Resumption(RESUME_START, undefined);
/** `gen.return()`: the task is ended without its cooperation (loop.close() after ignored cancellation). */
export const RETURN = new Resumption(RESUME_RETURN, undefined);

/** A resume that throws `error` at the task's trap. */
export function throwing(error: unknown): Resumption {
  return new Resumption(RESUME_THROW, error);
}

/** How a task ended, with its result or error: held in an ended task's `value`. */
export class Ended {
  constructor(
    readonly outcome: EndedOutcome,
    /** The result (FINISHED) or the error (FAILED); undefined when CANCELLED. */
    readonly value: unknown,
  ) {}
}

/** The commonest endings share one record each: a task that returned nothing, a cancelled one. */
const FINISHED_VOID = new Ended(FINISHED, undefined);
const CANCELLED_END = new Ended(CANCELLED, undefined);

/** The record of an ending (shared for the common cases, so most task ends allocate nothing). */
export function endRecord(outcome: EndedOutcome, value: unknown): Ended {
  if (outcome === CANCELLED) return CANCELLED_END;
  if (outcome === FINISHED && value === undefined) return FINISHED_VOID;
  return new Ended(outcome, value);
}
