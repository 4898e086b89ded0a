/**
 * The basic operations: sleep, checkpoint, clock, currentTask. Every waiting operation ends in a
 * trap (see trap.ts); these are the thinnest ones.
 */
import { checkMilliseconds, typeError } from './check.js';
import type { CancelScope } from './scope.js';
import { runningKernel } from './run-context.js';
import { checkpointTrap, doneWith, RESUMED, sleepTrap } from './trap.js';
import { guardOperationClass, guardOperationObject, guardOperations, refuseOutsideTask } from './operation-guard.js';
import type { Operation, Task } from './task.js';
import type { Instruction } from './types.js';
import { debugOperation } from './undriven.js';

/**
 * `sleep(ms)` without the cost of a generator: a parked task holds it for as long as it waits (one
 * shared per duration: sleepOperation). It keeps no state but `ms`: `yield*` calls `next()` first
 * with `undefined` (yield the trap), and the loop resumes a sleeper with RESUMED (done; see trap.ts).
 * @internal
 */
class SleepOperation implements Operation<void> {
  constructor(private readonly ms: number) {}
  next(value?: unknown): IteratorResult<Instruction, void> {
    if (value === RESUMED) return doneWith(undefined);
    refuseOutsideTask('sleep()');
    sleepTrap.ms = this.ms;
    return sleepTrap.yielded;
  }
  throw(error: unknown): IteratorResult<Instruction, void> {
    throw error;
  }
  return(value: void): IteratorResult<Instruction, void> {
    return doneWith(value);
  }
  [Symbol.iterator](): Operation<void> {
    return this;
  }
}

/** `checkpoint()`: one shared object, stateless like SleepOperation, so a checkpoint allocates nothing. */
const checkpointOperation: Operation<void> = {
  next(value?: unknown) {
    if (value === RESUMED) return doneWith(undefined);
    refuseOutsideTask('checkpoint()');
    return checkpointTrap.yielded;
  },
  throw(error: unknown): never { throw error; },
  return: (value: void) => doneWith(value),
  [Symbol.iterator]() { return checkpointOperation; },
} as Operation<void>;

/**
 * `sleep(Infinity)`: one shared object, since nothing but cancellation (a throw) or loop.close()
 * (a return) ever ends it; were it resumed normally it would simply park again.
 */
const sleepForever: Operation<void> = {
  next: () => { refuseOutsideTask('sleep()'); sleepTrap.ms = Infinity; return sleepTrap.yielded; },
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
  return debugOperation(ms === Infinity ? sleepForever : sleepOperation(ms), 'sleep()');
}

/**
 * Sleep operations by duration. A SleepOperation is stateless (its `ms` is all it holds), so one per
 * duration serves every sleep of that length: a program's few recurring durations (a poll interval,
 * a retry back-off, the benchmark's 1–200 ms) allocate nothing per sleep, and a sleeping task holds
 * no object of its own. Bounded: once it holds SLEEP_CACHE_SIZE durations, other ones allocate.
 */
const sleepOperations = new Map<number, SleepOperation>();
const SLEEP_CACHE_SIZE = 1024;

function sleepOperation(ms: number): SleepOperation {
  let op = sleepOperations.get(ms);
  if (op === undefined) {
    op = new SleepOperation(ms);
    if (sleepOperations.size < SLEEP_CACHE_SIZE) sleepOperations.set(ms, op);
  }
  return op;
}

/**
 * A schedule point and a cancel point that does not wait: other ready tasks run first, and a
 * pending cancellation is raised here.
 * @example
 * for (const chunk of work) { process(chunk); yield* checkpoint(); }
 */
export function checkpoint(): Operation<void> {
  return debugOperation(checkpointOperation, 'checkpoint()');
}

/** The running loop's monotonic clock, in ms. @throws {GiambioError} outside a task. */
export function clock(): number {
  return runningKernel('clock()').clock.now();
}

/** The task that is running now. @throws {GiambioError} outside a task. */
export function currentTask(): Task {
  return runningKernel('currentTask()').current!;
}

/**
 * Sleeps until the loop's clock reaches `deadline` (absolute ms, as `clock()` returns). A deadline
 * in the past is a checkpoint; `Infinity` waits until cancelled. Always a cancel point.
 * @example
 * const next = clock() + 1000;
 * doWork();
 * yield* sleepUntil(next); // one tick per second, however long doWork took
 * @throws {TypeError} if `deadline` is not a number (NaN included).
 */
export function sleepUntil(deadline: number): Operation<void> {
  return debugOperation(sleepUntilOperation(deadline), 'sleepUntil()');
}

/** The operation sleepUntil returns (named so that awaiting it says `sleepUntil()`). */
const sleepUntilOperation = function* sleepUntil(deadline: number): Operation<void> {
  if (typeof deadline !== 'number' || deadline !== deadline) {
    throw typeError('deadline', `a number (ms on the loop's clock)`, deadline);
  }
  const now = runningKernel('sleepUntil()').clock.now();
  yield* sleep(deadline === Infinity ? Infinity : Math.max(0, deadline - now));
};

/**
 * The earliest deadline (absolute ms on the loop's clock) that can cancel the current task now:
 * the nearest of its enclosing pools' deadlines, up to and including the nearest enclosing
 * `shield`. `Infinity` if none; `-Infinity` if the task is already cancelled (trio's rule).
 * @example
 * yield* withTimeout(500, function* () {
 *   const left = currentEffectiveDeadline() - clock(); // 500
 *   yield* call((signal) => fetch(url, { signal, headers: { 'x-budget-ms': String(left) } }));
 * });
 * @throws {GiambioError} outside a task.
 */
export function currentEffectiveDeadline(): number {
  const task = runningKernel('currentEffectiveDeadline()').current!;
  if (task.scope.cancelledBy !== null) return -Infinity;
  let deadline = Infinity;
  for (let s: CancelScope | null = task.scope; s !== null; s = s.parent) {
    if (s.deadline < deadline) deadline = s.deadline;
    if (s.shield) break;
  }
  return deadline;
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperationClass(SleepOperation, 'sleep()');
guardOperationObject(checkpointOperation, 'checkpoint()');
guardOperationObject(sleepForever, 'sleep()');
guardOperations(sleepUntilOperation);
