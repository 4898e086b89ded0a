/**
 * What the primitives share: the abort function that withdraws a parked waiter from its WaitQueue,
 * and the checks for sizes and counts given to constructors.
 * @internal
 */
import { describe } from '../describe.js';
import { startGenerator } from '../spawnable.js';
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

/**
 * Throws a TypeError (not a number) or RangeError (out of range) unless `value` is an integer
 * ≥ `min`, or Infinity when `infinite`. Returns `value`.
 */
export function checkCount(name: string, value: unknown, min: number, infinite: boolean): number {
  const expected = `an integer ≥ ${min}${infinite ? ' or Infinity' : ''}`;
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be ${expected}, got ${describe(value)}`);
  if (!((Number.isInteger(value) && value >= min) || (infinite && value === Infinity))) {
    throw new RangeError(`Expected \`${name}\` to be ${expected}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws the TypeError `startGenerator` would, before anything is taken: `body` must be a function
 * (a generator function; async functions are refused).
 */
export function checkBody(what: string, body: unknown): void {
  const tag = Object.prototype.toString.call(body);
  if (typeof body !== 'function' || tag === '[object AsyncFunction]' || tag === '[object AsyncGeneratorFunction]') {
    startGenerator(what, body, []); // throws the explanatory TypeError
  }
}
