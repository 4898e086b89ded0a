// Type-level tests: misuse the compiler must reject (checked by `npm run typecheck`, which CI runs;
// an unused @ts-expect-error is itself an error, so each line must stay a type error). The runtime
// assertions check that what the types promise is what happens.
import { describe, expect, it } from 'vitest';
import { createPool, withTimeout, skipAfter, shield } from '../../src/pool.js';
import { run } from '../../src/loop.js';
import { sleep } from '../../src/operations.js';
import { Event } from '../../src/sync/event.js';
import type { Operation, Task } from '../../src/task.js';
import { runChecked } from '../helpers.js';

describe('types', () => {
  it('spawn checks the arguments against the function and types the task result', async () => {
    const result = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        function* worker(n: number, label: string): Operation<string> { yield* sleep(0); return `${label}${n}`; }
        const task: Task<string> = pool.spawn(worker, 1, 'a');
        // @ts-expect-error the second argument must be a string
        if (task.done) pool.spawn(worker, 1, 2);
        // @ts-expect-error a missing argument
        if (task.done) pool.spawn(worker, 1);
        // @ts-expect-error the result is a string, not a number
        const wrong: Task<number> = task;
        void wrong;
        yield* task.join();
        return task.result;
      });
    });
    expect(result).toBe('a1');
  });

  it('createPool, withTimeout, skipAfter and shield include undefined: a pool that cancelled itself returns it', async () => {
    function* body(): Operation<number> { yield* sleep(1); return 1; }
    // @ts-expect-error createPool returns undefined when the pool cancelled itself (pool.cancel() inside)
    const a: Operation<number> = createPool(body);
    // @ts-expect-error so does withTimeout
    const b: Operation<number> = withTimeout(5, body);
    // @ts-expect-error and shield
    const c: Operation<number> = shield(body);
    // @ts-expect-error skipAfter also returns undefined when its deadline cut the body short
    const d: Operation<number> = skipAfter(5, body);
    const ok: Array<Operation<number | undefined>> = [createPool(body), withTimeout(5, body), shield(body), skipAfter(5, body)];
    void [a, b, c, d, ok];
    // What the types allow is what happens: each returns undefined after pool.cancel() from inside.
    const cancelling = function* (pool: { cancel(): void }): Operation<number> { pool.cancel(); yield* sleep(1); return 1; };
    const results = await runChecked(function* () {
      return [
        yield* createPool(cancelling), yield* withTimeout(5, cancelling), yield* shield(cancelling), yield* skipAfter(5, cancelling),
        yield* createPool(body),
      ];
    });
    expect(results).toEqual([undefined, undefined, undefined, undefined, 1]);
  });

  it('new Event() is an Event<void>: trigger() takes no value unless the type says which', async () => {
    const plain = new Event();
    // @ts-expect-error an Event<void> carries no value (write new Event<string>() for one)
    if (plain.isSet) plain.trigger('go');
    plain.trigger();
    const named = new Event<string>();
    named.trigger('go');
    const got: string = await runChecked(function* () { return yield* named.wait(); });
    expect(got).toBe('go');
  });

  it('run needs a generator function', async () => {
    // @ts-expect-error run needs a generator function, not a number
    const rejected = run(42);
    await expect(rejected).rejects.toThrow(TypeError);
  });
});
