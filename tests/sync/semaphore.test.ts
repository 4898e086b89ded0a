import { describe, expect, it } from 'vitest';
import { CancelledError, GiambioError, WouldBlock } from '../../src/errors.js';
import { clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import type { Operation } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

describe('Semaphore', () => {
  it('withPermit() lets at most `initial` tasks in at once, first come first served', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const sem = new Semaphore(2);
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c', 'd', 'e']) {
          pool.spawn(function* () { yield* sem.withPermit(function* () { log.push(`${name}@${clock()}`); yield* sleep(10); }); });
        }
      });
      expect(sem.statistics()).toEqual({ value: 2, max: Infinity, waiting: 0 });
    });
    expect(log).toEqual(['a@0', 'b@0', 'c@10', 'd@10', 'e@20']);
  });

  it('release() hands the permit to the oldest waiter; the value stays 0', async () => {
    await runChecked(function* () {
      const sem = new Semaphore(0);
      const got: string[] = [];
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b']) pool.spawn(function* () { yield* sem.acquire(); got.push(name); });
        yield* waitAllTasksBlocked();
        sem.release();
        expect(sem.statistics()).toEqual({ value: 0, max: Infinity, waiting: 1 });
        sem.release();
      });
      expect(got).toEqual(['a', 'b']);
      expect(sem.value).toBe(0);
    });
  });

  it('release() from outside any task (a host callback) works', async () => {
    await runChecked(function* () {
      const sem = new Semaphore(0);
      setTimeout(() => sem.release(), 1);
      yield* sem.acquire();
      expect(sem.value).toBe(0);
    });
  });

  it('release() above max throws GiambioError', () => {
    const sem = new Semaphore(1, { max: 1 });
    expect(() => sem.release()).toThrow(GiambioError);
    expect(() => sem.release()).toThrow('Semaphore.release(): released too many times (the value is already at its max, 1)');
    sem.acquireNowait();
    sem.release();
    expect(sem.value).toBe(1);
  });

  it('acquireNowait() throws WouldBlock when no permit is left', () => {
    const sem = new Semaphore(1);
    sem.acquireNowait();
    expect(() => sem.acquireNowait()).toThrow(WouldBlock);
  });

  it('a cancelled waiter is withdrawn and takes no permit; the permit goes to the next waiter', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const sem = new Semaphore(1);
      yield* createPool(function* (pool) {
        yield* sem.acquire();
        const waiter = (name: string) => function* (): Operation<void> {
          try { yield* sem.withPermit(function* () { log.push(`${name} in`); }); } catch (e) {
            if (e instanceof CancelledError) log.push(`${name} cancelled`);
            throw e;
          }
        };
        const a = pool.spawn(waiter('a'));
        pool.spawn(waiter('b'));
        yield* waitAllTasksBlocked();
        a.cancel();
        sem.release();
      });
      expect(sem.value).toBe(1);
    });
    expect(log).toEqual(['a cancelled', 'b in']);
  });

  it('withPermit() returns the permit when its body is cancelled', async () => {
    await runChecked(function* () {
      const sem = new Semaphore(1);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sem.withPermit(function* () { yield* sleep(Infinity); }); });
        yield* sleep(1);
        expect(sem.value).toBe(0);
        pool.cancel();
      });
      expect(sem.value).toBe(1);
    });
  });

  it.each([
    [[NaN], RangeError, 'Expected `initial` to be an integer ≥ 0, got `NaN` (number)'],
    [[-1], RangeError, 'got `-1` (number)'],
    [[Infinity], RangeError, 'got `Infinity` (number)'],
    [['1'], TypeError, 'Expected `initial` to be an integer ≥ 0, got `"1"` (string)'],
    [[3, { max: 2 }], RangeError, 'Expected `max` to be an integer ≥ 3 or Infinity, got `2` (number)'],
    [[0, { max: 0 }], RangeError, 'Expected `max` to be an integer ≥ 1 or Infinity, got `0` (number)'],
    [[1, null], TypeError, 'Expected Semaphore options to be an object, got `null`'],
  ])('new Semaphore(...%j) throws an argument error naming what was expected and what came', (args, type, message) => {
    const make = () => new Semaphore(...(args as [number, { max?: number }]));
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });
});
