/**
 * The public types every part of giambio speaks: operations and tasks. A leaf (Effection's
 * `lib/types.ts`): type declarations only, so any module may import it without a runtime edge.
 */

/**
 * What an operation yields to the loop (a trap), opaque to users. Branded, as Effection does, so
 * that a bare `yield op` or `yield 5` inside a generator typed `Operation<T>` fails to compile
 * instead of failing at run time: only `yield*` of an operation produces these.
 * Discussion: the brand is a string key, not a `unique symbol`: each entry's bundled declarations
 * (giambio, giambio/node, …) would declare its own symbol, and their Operations would not mix.
 */
export interface Instruction {
  /** The brand: type-level only, never present at run time. */
  readonly '__giambio.instruction': true;
}

/** What a task `yield*`s: a generator whose yields are the loop's traps and whose return is `T`. */
export type Operation<T> = Generator<Instruction, T, unknown>;

/** Where a task is in its life: `ready` (queued to run), `running`, `parked` (waiting), or ended:
 * `finished` (returned), `failed` (threw), `cancelled`. */
export type TaskState = 'ready' | 'running' | 'parked' | 'finished' | 'failed' | 'cancelled';

/** A running (or ended) task, as returned by `pool.spawn` and `currentTask()`. */
export interface Task<T = unknown> {
  /** Unique for the loop's whole life: never reused, even after the task ended. */
  readonly id: number;
  /** The function's name, or the name given to `spawnWith`. */
  readonly name: string;
  /** Where the task is in its life (see `TaskState`). */
  readonly state: TaskState;
  /** The task has ended (finished, failed or cancelled). */
  readonly done: boolean;
  /** The return value, once finished. */
  readonly result: T | undefined;
  /** The error it failed with; `undefined` while alive, when finished, and when cancelled. */
  readonly error: unknown;
  /**
   * Requests cancellation of this task (and everything it started). Safe on an ended task, and twice.
   * `reason` goes into the message of the `CancelledError` it receives (and of AbortSignal reasons
   * derived from it); only the first cancellation's reason counts.
   */
  cancel(reason?: string): void;
  /**
   * Waits for the task to end: returns its result, rethrows its error, and throws
   * `TaskCancelledError` if it was cancelled. Any task may join, any number of times.
   */
  join(): Operation<T>;
  /** A Promise of the same outcome as `join()`, for code outside the loop. */
  toPromise(): Promise<T>;
}
