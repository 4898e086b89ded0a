// Type-level tests for Operation's branded yield type (checked by `npm run typecheck`; an unused
// expect-error directive is itself an error, so each marked line must stay a type error). A bare `yield`
// inside a generator typed Operation<T> is a compile error, not only the run-time TypeError.
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { sleep, checkpoint } from '../../src/operations.js';
import { Event } from '../../src/sync/event.js';
import type { Instruction, Operation } from '../../src/types.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

describe('Operation<T> yields only instructions', () => {
  it('rejects a bare yield of an operation or a value; accepts yield*', async () => {
    function* good(): Operation<number> {
      yield* sleep(1);
      yield* checkpoint();
      const event = new Event<number>();
      event.trigger(3);
      return yield* event.wait();
    }
    function* forgotStar(): Operation<void> {
      // @ts-expect-error `yield op` (missing *) yields the operation itself, not its instructions
      yield sleep(1);
    }
    function* yieldsValue(): Operation<void> {
      // @ts-expect-error a plain value is not an instruction
      yield 5;
    }
    // @ts-expect-error an unannotated generator that yields a value is not an operation
    const spawnable: () => Operation<void> = function* () { yield 'x'; };
    void forgotStar; void yieldsValue; void spawnable;
    expect(await runChecked(good)).toBe(3);
  });

  it('spawn and createPool reject bodies that yield bare values', async () => {
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        // @ts-expect-error the body yields a number
        pool.spawn(function* () { yield 1; });
        pool.spawn(function* () { yield* sleep(1); });
        pool.cancel();
      });
    });
    // @ts-expect-error a pool body that yields an operation without *
    const bad = createPool(function* () { yield sleep(1); });
    void bad;
  });

  it('Instruction cannot be forged (and a forged one is refused at run time too)', async () => {
    // @ts-expect-error nothing outside giambio has the brand
    const fake: Instruction = { kind: 0 };
    // @ts-expect-error not even an empty object
    const empty: Instruction = {};
    void empty;
    const error = await runCheckedRejects(function* () { yield fake; });
    expect(error).toBeInstanceOf(TypeError);
  });
});
