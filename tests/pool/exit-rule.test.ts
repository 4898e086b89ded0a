// Issue 11 items 5 and 7: a pool is never the source of a cancellation (its exit is a schedule point,
// not a cancel point), and nesting pools too deep is a clear GiambioError, not a stack overflow.
import { describe, expect, it } from 'vitest';
import { checkpoint, sleep } from '../../src/operations.js';
import { createPool, MAX_POOL_NESTING, shield, withTimeout } from '../../src/pool.js';
import { CancelledError, GiambioError } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

describe('the pool exit rule', () => {
  it('an empty pool in an already cancelled scope exits without raising', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (outer) {
        outer.cancel();
        yield* createPool(function* () { /* nothing */ });
        log.push('the empty pool returned');
        try { yield* checkpoint(); } catch (e) { log.push(e instanceof CancelledError ? 'the next checkpoint raised' : 'other'); throw e; }
      });
    });
    expect(log).toEqual(['the empty pool returned', 'the next checkpoint raised']);
  });

  it('a pool whose children all finished before the outer cancellation exits without raising', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (outer) {
        yield* createPool(function* (pool) {
          pool.spawn(function* () { log.push('child ran'); });
          yield* sleep(1);
          outer.cancel(); // the child is done; the body returns without another checkpoint
        });
        log.push('the inner pool returned');
      });
    });
    expect(log).toEqual(['child ran', 'the inner pool returned']);
  });

  it('a pool still re-raises a CancelledError its body raised', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (outer) {
        try {
          yield* createPool(function* () { outer.cancel(); yield* checkpoint(); log.push('not reached'); });
        } catch (e) { log.push(e instanceof CancelledError ? 'the pool re-raised the body\'s CancelledError' : 'other'); throw e; }
      });
    });
    expect(log).toEqual(['the pool re-raised the body\'s CancelledError']);
  });

  it('a pool re-raises the outer cancellation when a child raised it, though the body returned', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (outer) {
        try {
          yield* createPool(function* (pool) {
            pool.spawn(function* () { yield* sleep(100); });
            outer.cancel();
          });
          log.push('not reached');
        } catch (e) { log.push(e instanceof CancelledError ? 'raised: a child was cancelled' : 'other'); throw e; }
      });
    });
    expect(log).toEqual(['raised: a child was cancelled']);
  });

  it('the exit is still a schedule point: other ready tasks run first', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { log.push('sibling'); });
        yield* createPool(function* () { /* empty */ });
        log.push('after the empty pool');
      });
    });
    expect(log).toEqual(['sibling', 'after the empty pool']);
  });

  it('shield and withTimeout follow the same rule', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (outer) {
        outer.cancel();
        yield* shield(function* () { /* nothing */ });
        yield* withTimeout(100, function* () { /* nothing */ });
        log.push('both returned');
      });
    });
    expect(log).toEqual(['both returned']);
  });
});

describe('deep nesting', () => {
  function* nest(n: number): Operation<number> {
    if (n === 0) { yield* sleep(1); return 0; }
    return (yield* createPool(function* () { return (yield* nest(n - 1))! + 1; }))!;
  }

  it(`nests ${MAX_POOL_NESTING} pools in one task`, async () => {
    expect(await runChecked(function* () { return yield* nest(MAX_POOL_NESTING); })).toBe(MAX_POOL_NESTING);
  });

  it('one level more raises a GiambioError that names the depth, and the loop stays usable', async () => {
    const error = await runCheckedRejects(function* () { return yield* nest(2 * MAX_POOL_NESTING); });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toBe(
      `createPool() would nest ${MAX_POOL_NESTING + 1} pools deep in task main; the limit is ${MAX_POOL_NESTING} ` +
      '(each level holds generator frames on the JS stack): use a loop or spawn a task instead of deeper recursion');
    // A fresh run, and the same depth from a child task (its own stack), work.
    expect(await runChecked(function* () {
      return yield* createPool(function* (pool) { return pool.spawn(nest, MAX_POOL_NESTING - 1); });
    })).toBeDefined();
  });

  it('the limit counts the pools of one task only: a child task starts at depth 1 again', async () => {
    const depth = await runChecked(function* () {
      let inner = 0;
      yield* nestThen(MAX_POOL_NESTING - 1, function* () {
        yield* createPool(function* (pool) {
          pool.spawn(function* () { inner = (yield* nest(MAX_POOL_NESTING - 1)) + 1; });
        });
      });
      return inner;
    });
    expect(depth).toBe(MAX_POOL_NESTING);
  });

  function* nestThen(n: number, leaf: () => Operation<void>): Operation<void> {
    if (n === 0) return yield* leaf();
    yield* createPool(function* () { yield* nestThen(n - 1, leaf); });
  }
});
