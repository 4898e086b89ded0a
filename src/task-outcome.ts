/**
 * The codes a task record keeps in its `mode` field: how its next resume enters the generator while
 * it is alive, and how it ended. A leaf, so the modules that read a task's outcome (join, pool,
 * loop) need not import the task module at run time.
 * @internal
 */

/** How the next resume enters the generator. */
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
