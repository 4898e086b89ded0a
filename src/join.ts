/**
 * Waiting for a task to end: `task.join()` inside the loop, `task.toPromise()` outside it. Any task
 * may join any task of the same loop, any number of times; joiners park in the task's `joiners`
 * queue and the kernel wakes them all when it ends.
 * @internal
 */
import { GiambioError, TaskCancelledError } from './errors.js';
import { runningKernel } from './run-context.js';
import type { Operation, TaskImpl } from './task.js';
import { FAILED, FINISHED, LIVE } from './task-outcome.js';
import { checkpointTrap, parkWith } from './trap.js';
import { WaitQueue } from './wait-queue.js';
import { guardOperations } from './operation-guard.js';

/** Returns the task's result, rethrows its error, or throws TaskCancelledError. Always a checkpoint. */
export function* joinTask<T>(task: TaskImpl<T>): Operation<T> {
  const kernel = runningKernel('Task.join()');
  if (kernel !== task.kernel) throw new GiambioError(`cannot join ${task} from another loop`);
  const me = kernel.current!;
  if (me === task) throw new GiambioError(`task ${task.name} cannot join itself: it would wait forever`);
  if (task.outcome === LIVE) {
    const joiners = (task.joiners ??= new WaitQueue());
    joiners.push(me);
    yield parkWith((t) => joiners.remove(t), `join ${task.name}`);
  } else {
    yield checkpointTrap;
  }
  return outcomeOf(task);
}

/** A Promise of the task's outcome, for code outside the loop. */
export function taskPromise<T>(task: TaskImpl<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (): void => {
      try { resolve(outcomeOf(task)); } catch (error) { reject(error); }
    };
    if (task.outcome !== LIVE) settle(); else task.onExit(settle);
  });
}

function outcomeOf<T>(task: TaskImpl<T>): T {
  if (task.outcome === FINISHED) return task.resultValue as T;
  if (task.outcome === FAILED) throw task.errorValue;
  throw new TaskCancelledError(`task ${task.name} was cancelled`);
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(joinTask);
