// Type-level tests: misuse the compiler must reject (checked by `npm run typecheck`, which CI runs;
// an unused @ts-expect-error is itself an error, so each line must stay a type error).
import { describe, expect, it } from 'vitest';
import { createPool, withTimeout, skipAfter } from '../../src/pool.js';
import { run } from '../../src/loop.js';
import { sleep } from '../../src/operations.js';
import type { Operation, Task } from '../../src/task.js';

describe('types', () => {
  it('spawn checks the arguments against the function and types the task result', async () => {
    await run(function* () {
      yield* createPool(function* (pool) {
        function* worker(n: number, label: string): Operation<string> { yield* sleep(0); return `${label}${n}`; }
        const task: Task<string> = pool.spawn(worker, 1, 'a');
        // @ts-expect-error the second argument must be a string
        pool.spawn(worker, 1, 2);
        // @ts-expect-error a missing argument
        pool.spawn(worker, 1);
        // @ts-expect-error the result is a string, not a number
        const wrong: Task<number> = pool.spawn(worker, 1, 'b');
        void wrong;
        pool.cancel();
        return task;
      });
    });
    expect(true).toBe(true);
  });

  it('skipAfter may return undefined; withTimeout returns the body type', () => {
    function* body(): Operation<number> { yield* sleep(1); return 1; }
    const a: Operation<number> = withTimeout(5, body);
    // @ts-expect-error skipAfter can return undefined
    const b: Operation<number> = skipAfter(5, body);
    const c: Operation<number | undefined> = skipAfter(5, body);
    // @ts-expect-error run needs a generator function, not a number
    const notAFunction = (): unknown => run(42); // never called: the line is for the compiler
    void notAFunction;
    expect([a, b, c].every((op) => typeof op.next === 'function')).toBe(true);
  });
});
