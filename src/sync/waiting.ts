/**
 * What the primitives share: the abort function that withdraws a parked waiter from its WaitQueue.
 * (Their argument checks live in src/check.ts.)
 * @internal
 */
import type { TaskImpl } from '../task.js';
import type { AbortFn } from '../trap.js';

/**
 * Returns a new abort function that withdraws a parked task from the WaitQueue it waits in and
 * drops the value it brought (a put's item), so the item is not kept alive and never delivered.
 * Create one per primitive and operation, at module load: the park reason rides on the function
 * (see `parkWith`), and nothing is allocated per call.
 */
export function withdrawer(): AbortFn {
  return (task: TaskImpl): boolean => {
    const list = task.waitList;
    if (list !== null) list.remove(task);
    task.waitValue = undefined;
    return true;
  };
}
