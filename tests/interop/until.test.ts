import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool, withTimeout } from '../../src/pool.js';
import { until } from '../../src/interop.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { expectCoreEmpty, runChecked, virtualLoop } from '../helpers.js';

/** Collects unhandled rejections while a test runs (vitest also fails the run on any). */
let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
beforeEach(() => { unhandled = []; process.on('unhandledRejection', onUnhandled); });
afterEach(() => { process.off('unhandledRejection', onUnhandled); });

const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));
const failLater = (ms: number, error: unknown): Promise<never> => new Promise((_, reject) => setTimeout(() => reject(error), ms));
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('until', () => {
  it('returns the value the promise resolves with', async () => {
    expect(await runChecked(function* () { return yield* until(later(2, 'done')); })).toBe('done');
  });

  it('throws the rejection reason, the original object', async () => {
    const boom = new Error('boom');
    const caught = await runChecked(function* () {
      try { yield* until(failLater(2, boom)); } catch (e) { return e; }
      return null;
    });
    expect(caught).toBe(boom);
  });

  it('an already resolved promise is still waited for through a park: other tasks run first', async () => {
    const order: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { order.push('other'); yield* checkpoint(); });
        order.push(`until ${yield* until(Promise.resolve(1))}`);
      });
    });
    expect(order).toEqual(['other', 'until 1']);
  });

  it('a thenable that calls back synchronously works, and is a schedule point', async () => {
    const syncThenable = { then(resolve: (v: number) => void) { resolve(5); } };
    expect(await runChecked(function* () { return yield* until(syncThenable as PromiseLike<number>); })).toBe(5);
    const throwing = { then() { throw new Error('bad thenable'); } };
    const error = await runChecked(function* () { try { yield* until(throwing as PromiseLike<number>); } catch (e) { return e; } return null; });
    expect((error as Error).message).toBe('bad thenable');
  });

  it('the virtual clock does not jump while a task waits for a promise', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(1000); log.push(`sleeper@${clock()}`); });
        log.push(`${yield* until(later(20, 'promise'))}@${clock()}`);
      });
    });
    expect(log).toEqual(['promise@0', 'sleeper@1000']);
  });

  it('kernel.hostWaits counts the task while it waits, and drops it when it is woken or cancelled', async () => {
    const { loop } = virtualLoop();
    const seen: number[] = [];
    await loop.run(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* until(new Promise(() => { /* never */ })); });
        pool.spawn(function* () { yield* until(later(5, 1)); });
        yield* checkpoint();
        seen.push(loop.kernel.hostWaits);
        t.cancel();
        seen.push(loop.kernel.hostWaits);
      });
      seen.push(loop.kernel.hostWaits);
    });
    expect(seen).toEqual([2, 1, 0]);
    expectCoreEmpty(loop);
  });

  it('cancellation stops the wait at once, and a later rejection is not reported as unhandled', async () => {
    const boom = new Error('late rejection');
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          try { yield* until(failLater(30, boom)); } catch (e) { log.push(`${(e as Error).name}@${clock()}`); throw e; }
        });
        yield* waitAllTasksBlocked();
        t.cancel();
      });
    });
    expect(log).toEqual(['CancelledError@0']);
    await tick(60); // let the promise reject
    expect(unhandled).toEqual([]);
  });

  it('a withTimeout deadline cannot expire while a promise is awaited on the virtual clock (time stands still)', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* withTimeout(10, function* () {
        log.push(`${yield* until(later(30, 'in time'))}@${clock()}`);
      });
    });
    expect(log).toEqual(['in time@0']);
  });

  it('in an already cancelled scope it raises CancelledError at once, and the rejection is still handled', async () => {
    const caught = await runChecked(function* () {
      let error: unknown = null;
      yield* createPool(function* (pool) {
        pool.cancel();
        try { yield* until(failLater(5, new Error('ignored'))); } catch (e) { error = e; throw e; }
      });
      return error;
    });
    expect(caught).toBeInstanceOf(CancelledError);
    await tick(20);
    expect(unhandled).toEqual([]);
  });

  it('until(non-promise) throws TypeError naming what came', async () => {
    const error = await runChecked(function* () { try { yield* until(42 as never); } catch (e) { return e; } return null; });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('until() expects a Promise (or another thenable), got `42` (number)');
  });
});
