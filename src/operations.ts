/**
 * The basic operations: sleep, checkpoint, clock, currentTask. Every waiting operation ends in a
 * trap (see trap.ts); these are the thinnest ones.
 */
import { checkMilliseconds } from './describe.js';
import { runningKernel } from './kernel.js';
import { checkpointTrap, sleepTrap } from './trap.js';
import type { Operation, Task } from './task.js';

/**
 * Waits `ms` milliseconds on the loop's clock. `sleep(0)` is a checkpoint; `sleep(Infinity)` waits
 * until cancelled. Always a cancel point.
 * @example
 * yield* sleep(100);
 * @throws {TypeError | RangeError} if `ms` is not a number ≥ 0.
 */
export function* sleep(ms: number): Operation<void> {
  sleepTrap.ms = checkMilliseconds('ms', ms);
  yield sleepTrap;
}

/**
 * A schedule point and a cancel point that does not wait: other ready tasks run first, and a
 * pending cancellation is raised here.
 * @example
 * for (const chunk of work) { process(chunk); yield* checkpoint(); }
 */
export function* checkpoint(): Operation<void> {
  yield checkpointTrap;
}

/** The running loop's monotonic clock, in ms. @throws {GiambioError} outside a task. */
export function clock(): number {
  return runningKernel('clock()').clock.now();
}

/** The task that is running now. @throws {GiambioError} outside a task. */
export function currentTask(): Task {
  return runningKernel('currentTask()').current!;
}
