/**
 * The basic operations: sleep, checkpoint, clock, currentTask. Every waiting operation ends in a
 * trap (see trap.ts); these are the thinnest ones.
 */
import { checkMilliseconds } from './describe.js';
import { runningKernel } from './run-context.js';
import { checkpointTrap, doneWith, sleepTrap, type Trap } from './trap.js';
import type { Operation, Task } from './task.js';

/**
 * An operation that is one trap and nothing else, without the cost of a generator: a parked task
 * holds it for as long as it waits (40 bytes instead of a ~150-byte generator). `yield*` drives it
 * like a generator: the first `next()` yields the trap, the next one returns the resume value.
 * @internal
 */
class TrapOperation<T> implements Operation<T> {
  private trapped = false;
  constructor(private readonly trap: Trap, private readonly ms: number) {}
  next(value?: unknown): IteratorResult<unknown, T> {
    if (this.trapped) return doneWith(value as T);
    this.trapped = true;
    this.trap.ms = this.ms;
    return this.trap.yielded;
  }
  throw(error: unknown): IteratorResult<unknown, T> {
    this.trapped = true;
    throw error;
  }
  return(value: T): IteratorResult<unknown, T> {
    this.trapped = true;
    return doneWith(value);
  }
  [Symbol.iterator](): Operation<T> {
    return this;
  }
}

/**
 * `sleep(Infinity)`: one shared object, since nothing but cancellation (a throw) or loop.close()
 * (a return) ever ends it; were it resumed normally it would simply park again.
 */
const sleepForever: Operation<void> = {
  next: () => { sleepTrap.ms = Infinity; return sleepTrap.yielded; },
  throw: (error: unknown) => { throw error; },
  return: (value: void) => doneWith(value),
  [Symbol.iterator]() { return sleepForever; },
} as Operation<void>;

/**
 * Waits `ms` milliseconds on the loop's clock. `sleep(0)` is a checkpoint; `sleep(Infinity)` waits
 * until cancelled. Always a cancel point.
 * @example
 * yield* sleep(100);
 * @throws {TypeError | RangeError} if `ms` is not a number ≥ 0.
 */
export function sleep(ms: number): Operation<void> {
  checkMilliseconds('ms', ms);
  return ms === Infinity ? sleepForever : new TrapOperation<void>(sleepTrap, ms);
}

/**
 * A schedule point and a cancel point that does not wait: other ready tasks run first, and a
 * pending cancellation is raised here.
 * @example
 * for (const chunk of work) { process(chunk); yield* checkpoint(); }
 */
export function checkpoint(): Operation<void> {
  return new TrapOperation<void>(checkpointTrap, 0);
}

/** The running loop's monotonic clock, in ms. @throws {GiambioError} outside a task. */
export function clock(): number {
  return runningKernel('clock()').clock.now();
}

/** The task that is running now. @throws {GiambioError} outside a task. */
export function currentTask(): Task {
  return runningKernel('currentTask()').current!;
}
