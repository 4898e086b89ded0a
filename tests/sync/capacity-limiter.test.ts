import { describe, expect, it } from 'vitest';
import { GiambioError, WouldBlock } from '../../src/errors.js';
import { clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { CapacityLimiter } from '../../src/sync/capacity-limiter.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

describe('CapacityLimiter', () => {
  it('withToken() lets at most `total` tasks in at once', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const limiter = new CapacityLimiter(2);
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c']) {
          pool.spawn(function* () { yield* limiter.withToken(function* () { log.push(`${name}@${clock()}`); yield* sleep(10); }); });
        }
        yield* waitAllTasksBlocked();
        expect([limiter.borrowed, limiter.available, limiter.statistics().waiting]).toEqual([2, 0, 1]);
      });
      expect(limiter.statistics()).toEqual({ borrowed: 0, total: 2, borrowers: [], waiting: 0 });
    });
    expect(log).toEqual(['a@0', 'b@0', 'c@10']);
  });

  it('one token per task: acquiring a second one throws GiambioError', async () => {
    const error = await runChecked(function* main() {
      const limiter = new CapacityLimiter(5);
      yield* limiter.acquire();
      try { yield* limiter.acquire(); } catch (e) { limiter.release(); return e; }
      return null;
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toBe('CapacityLimiter.acquire(): task main already holds a token of this limiter (one token per borrower)');
  });

  it('release() by a task that holds no token throws GiambioError', async () => {
    const error = await runChecked(function* main() {
      try { new CapacityLimiter(1).release(); } catch (e) { return e; }
      return null;
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toMatch(/task main does not hold a token/);
  });

  it('raising total wakes waiters at once; lowering it takes no token back', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const limiter = new CapacityLimiter(1);
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c']) {
          pool.spawn(function* () { yield* limiter.withToken(function* () { log.push(`${name}@${clock()}`); yield* sleep(10); }); });
        }
        yield* sleep(5);
        limiter.total = 3;           // b and c get in now
        yield* sleep(1);
        limiter.total = 1;           // nobody is thrown out
        expect([limiter.borrowed, limiter.available]).toEqual([3, 0]);
      });
    });
    expect(log).toEqual(['a@0', 'b@5', 'c@5']);
  });

  it('acquireOnBehalfOf() and releaseOnBehalfOf() count any borrower', async () => {
    await runChecked(function* () {
      const limiter = new CapacityLimiter(2);
      const job = { id: 1 };
      yield* limiter.acquireOnBehalfOf(job);
      limiter.acquireOnBehalfOfNowait('other job');
      expect(limiter.statistics().borrowers).toEqual([job, 'other job']);
      expect(() => limiter.acquireNowait()).toThrow(WouldBlock);
      limiter.releaseOnBehalfOf(job);
      limiter.releaseOnBehalfOf('other job');
      expect(() => limiter.releaseOnBehalfOf(job)).toThrow(GiambioError);
    });
  });

  it('CapacityLimiter(0) is allowed: every acquire waits until total is raised (trio)', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const limiter = new CapacityLimiter(0);
      expect(limiter.available).toBe(0);
      expect(() => limiter.acquireNowait()).toThrow(WouldBlock);
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b']) pool.spawn(function* () { yield* limiter.withToken(function* () { log.push(`${name} at ${clock()}`); yield* sleep(5); }); });
        yield* sleep(10);
        expect(limiter.statistics().waiting).toBe(2);
        limiter.total = 1;
      });
    });
    expect(log).toEqual(['a at 10', 'b at 15']);
  });

  it('total = 0 set while running makes later acquires wait, and takes no token back', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const limiter = new CapacityLimiter(1);
      yield* createPool(function* (pool) {
        pool.spawn(function* holder() { yield* limiter.withToken(function* () { yield* sleep(10); log.push(`holder done at ${clock()}`); }); });
        yield* sleep(1);
        limiter.total = 0;
        pool.spawn(function* () { yield* limiter.acquire(); log.push(`late got it at ${clock()}`); limiter.release(); });
        yield* sleep(20);
        expect(limiter.statistics().waiting).toBe(1);
        limiter.total = 1;
      });
    });
    expect(log).toEqual(['holder done at 10', 'late got it at 21']);
  });

  it.each([
    [-1, RangeError, 'Expected `total` to be an integer ≥ 0 or Infinity, got `-1` (number)'],
    [NaN, RangeError, 'got `NaN` (number)'],
    [2.5, RangeError, 'got `2.5` (number)'],
    ['3', TypeError, 'got `"3"` (string)'],
  ])('new CapacityLimiter(%j) throws an argument error naming what was expected and what came', (total, type, message) => {
    expect(() => new CapacityLimiter(total as number)).toThrow(type);
    expect(() => new CapacityLimiter(total as number)).toThrow(message);
    const limiter = new CapacityLimiter(1);
    expect(() => { limiter.total = total as number; }).toThrow(message);
    expect(limiter.total).toBe(1);
  });

  it('Infinity is a valid total', () => {
    const limiter = new CapacityLimiter(Infinity);
    for (let i = 0; i < 100; i++) limiter.acquireOnBehalfOfNowait(i);
    expect(limiter.available).toBe(Infinity);
  });
});
