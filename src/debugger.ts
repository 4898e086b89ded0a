import type { Task } from './task.js';

/**
 * Hooks into a loop's life, all optional. Each fires exactly once where it says; a loop with no
 * debugger pays nothing for them.
 */
export interface Debugger {
  /** The loop is about to run its root task. */
  onStart?(): void;
  /** The loop has finished: every task has ended. */
  onExit?(): void;
  /** A task was created (the root task too). */
  onTaskSpawn?(task: Task): void;
  /** A task ended, however it ended. Fires after its last `afterTaskStep`. */
  onTaskExit?(task: Task): void;
  /** The loop is about to resume the task. */
  beforeTaskStep?(task: Task): void;
  /** The task has yielded back to the loop (or ended). */
  afterTaskStep?(task: Task): void;
  /** The task is about to sleep `ms` (> 0). */
  beforeSleep?(task: Task, ms: number): void;
  /** The task's sleep ended after `sleptMs` on the loop's clock. */
  afterSleep?(task: Task, sleptMs: number): void;
  /** The loop is about to wait for the host (I/O, timers) for at most `timeoutMs`. */
  beforeIo?(timeoutMs: number): void;
  /** The loop resumed after waiting `elapsedMs` for the host. */
  afterIo?(elapsedMs: number): void;
  /** `CancelledError` is about to be thrown into the task. */
  beforeCancel?(task: Task): void;
  /** The task ended because of a cancellation. */
  afterCancel?(task: Task): void;
  /** The task ended with an error (not a cancellation). */
  onExceptionRaised?(task: Task, error: unknown): void;
}
