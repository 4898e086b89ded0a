/**
 * Tasks. `TaskImpl` is the loop's record of one generator; users see it through the `Task` interface.
 * Its scheduling state lives in the wasm core (by `slot`); everything else lives here.
 */
import type { Kernel } from './kernel.js';
import type { CancelScope } from './scope.js';
import type { TaskPool } from './pool.js';
import type { WaitQueue } from './wait-queue.js';
import type { AbortFn } from './trap.js';
import { STATE_READY, STATE_RUNNING, STATE_PARKED } from './core-constants.js';

/** What a task `yield*`s: a generator whose yields are the loop's traps and whose return is `T`. */
export type Operation<T> = Generator<unknown, T, unknown>;

export type TaskState = 'ready' | 'running' | 'parked' | 'finished' | 'failed' | 'cancelled';

/** A running (or ended) task, as returned by `pool.spawn` and `currentTask()`. */
export interface Task<T = unknown> {
  /** Unique for the loop's whole life: never reused, even after the task ended. */
  readonly id: number;
  /** The function's name, or the name given to `spawnWith`. */
  readonly name: string;
  readonly state: TaskState;
  /** The task has ended (finished, failed or cancelled). */
  readonly done: boolean;
  /** The return value, once finished. */
  readonly result: T | undefined;
  /** The error it failed with; `undefined` while alive, when finished, and when cancelled. */
  readonly error: unknown;
  /** Requests cancellation of this task (and everything it started). Safe on an ended task, and twice. */
  cancel(): void;
  /**
   * Waits for the task to end: returns its result, rethrows its error, and throws
   * `TaskCancelledError` if it was cancelled. Any task may join, any number of times.
   */
  join(): Operation<T>;
  /** A Promise of the same outcome as `join()`, for code outside the loop. */
  toPromise(): Promise<T>;
}

/** How the next resume enters the generator. */
export const RESUME_NEXT = 0;
export const RESUME_THROW = 1;
export const RESUME_RETURN = 2;

export const LIVE = 0;
export const FINISHED = 1;
export const FAILED = 2;
export const CANCELLED = 3;

/** @internal */
export class TaskImpl<T = unknown> implements Task<T> {
  /** The generator; null once the task ended (so it can be collected). */
  gen: Operation<T> | null;
  /** Innermost cancel scope: the task is one of its members. */
  scope!: CancelScope;
  /** The task's own scope, created when first needed (cancel(), or a nested scope). */
  rootScope: CancelScope | null = null;
  memberPrev: TaskImpl | null = null;
  memberNext: TaskImpl | null = null;

  resumeMode = RESUME_NEXT;
  resumeValue: unknown = undefined;
  /** Set while parked: how to withdraw the task. Null when not parked. */
  abort: AbortFn | null = null;
  waitReason = '';
  started = false;
  outcome = LIVE;
  /** Clock time the current sleep began (for debugger's afterSleep), NaN when not sleeping. */
  sleepStart = NaN;

  waitList: WaitQueue | null = null;
  waitPrev: TaskImpl | null = null;
  waitNext: TaskImpl | null = null;
  /** What a parked task brings or receives through its wait (a put's item, a handed-over value). */
  waitValue: unknown = undefined;

  resultValue: T | undefined = undefined;
  errorValue: unknown = undefined;
  /** Tasks parked in join(), created on first join. */
  joiners: WaitQueue | null = null;
  /** Called once when the task ends (locks it holds, host resources). */
  exitHooks: Array<(task: TaskImpl) => void> | null = null;
  /** Where it was spawned, with `debug: true`. */
  spawnSite: string | undefined = undefined;

  constructor(
    readonly kernel: Kernel,
    readonly id: number,
    readonly slot: number,
    readonly name: string,
    gen: Operation<T>,
    readonly pool: TaskPool | null,
  ) {
    this.gen = gen;
  }

  get state(): TaskState {
    switch (this.outcome) {
      case FINISHED: return 'finished';
      case FAILED: return 'failed';
      case CANCELLED: return 'cancelled';
    }
    switch (this.kernel.stateOf(this)) {
      case STATE_READY: return 'ready';
      case STATE_RUNNING: return 'running';
      case STATE_PARKED: return 'parked';
    }
    return 'finished';
  }

  get done(): boolean {
    return this.outcome !== LIVE;
  }

  get result(): T | undefined {
    return this.resultValue;
  }

  get error(): unknown {
    return this.errorValue;
  }

  cancel(): void {
    if (this.outcome !== LIVE) return;
    this.kernel.cancelTask(this);
  }

  join(): Operation<T> {
    return this.kernel.join(this);
  }

  toPromise(): Promise<T> {
    return this.kernel.taskPromise(this);
  }

  /** Runs `hook` when the task ends (at once if it has). */
  onExit(hook: (task: TaskImpl) => void): void {
    (this.exitHooks ??= []).push(hook);
  }

  toString(): string {
    return `Task(${this.name}#${this.id}, ${this.state})`;
  }
}
