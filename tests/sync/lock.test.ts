import { describe, expect, it } from 'vitest';
import { CancelledError, GiambioError, ResourceBroken, WouldBlock } from '../../src/errors.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Lock } from '../../src/sync/lock.js';
import type { Operation } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked, raisedBy } from '../helpers.js';

describe('Lock', () => {
  it('withLock() lets one task in at a time, in the order they asked', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c']) {
          pool.spawn(function* () {
            yield* lock.withLock(function* () {
              log.push(`${name} in at ${clock()}`);
              yield* sleep(10);
              log.push(`${name} out at ${clock()}`);
            });
          });
        }
      });
      expect(lock.locked).toBe(false);
    });
    expect(log).toEqual(['a in at 0', 'a out at 10', 'b in at 10', 'b out at 20', 'c in at 20', 'c out at 30']);
  });

  it('release() hands the lock to the oldest waiter: the releaser cannot barge back in', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        yield* lock.acquire();
        pool.spawn(function* () { yield* lock.withLock(function* () { log.push('waiter'); }); });
        yield* waitAllTasksBlocked();
        lock.release();
        yield* lock.withLock(function* () { log.push('releaser'); });
      });
    });
    expect(log).toEqual(['waiter', 'releaser']);
  });

  it('acquire() by the owner throws GiambioError: the lock is not re-entrant', async () => {
    const error = await runChecked(function* main() {
      const lock = new Lock();
      return yield* lock.withLock(function* () {
        try { yield* lock.acquire(); } catch (e) { return e; }
        return null;
      });
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toBe('Lock.acquire(): task main already holds this lock (Lock is not re-entrant)');
  });

  it('release() by a task that does not hold the lock throws GiambioError naming both tasks', async () => {
    const error = await runChecked(function* main() {
      const lock = new Lock();
      let caught: unknown = null;
      yield* createPool(function* (pool) {
        yield* lock.acquire();
        pool.spawn(function* intruder() { try { lock.release(); } catch (e) { caught = e; } });
        yield* sleep(1);
        lock.release();
      });
      return caught;
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toBe('Lock.release(): task intruder cannot release a lock held by task main; only the owner can');
  });

  it('release() of a lock nobody holds throws GiambioError', async () => {
    const error = await runChecked(function* main() {
      try { new Lock().release(); } catch (e) { return e; }
      return null;
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toMatch(/the lock is not held/);
  });

  it('acquireNowait() takes a free lock and throws WouldBlock when it is held', async () => {
    await runChecked(function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        lock.acquireNowait();
        pool.spawn(function* other() { expect(() => lock.acquireNowait()).toThrow(WouldBlock); });
        yield* sleep(1);
        lock.release();
      });
    });
  });

  it('withLock() releases when the body throws', async () => {
    await runChecked(function* () {
      const lock = new Lock();
      const boom = new Error('boom');
      // Before: the check sat inside a catch, so the test also passed if withLock swallowed the error.
      expect(yield* raisedBy(lock.withLock(function* () { yield* checkpoint(); throw boom; }))).toBe(boom);
      expect(lock.locked).toBe(false);
    });
  });

  it('withLock() releases when the body is cancelled', async () => {
    await runChecked(function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* lock.withLock(function* () { yield* sleep(Infinity); }); });
        yield* sleep(5);
        expect(lock.statistics().owner).toBe(t);
        t.cancel();
      });
      expect(lock.locked).toBe(false);
    });
  });

  it('a cancelled waiter is withdrawn and the lock passes to the next one', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        yield* lock.acquire();
        const waiter = (name: string) => function* (): Operation<void> {
          try {
            yield* lock.withLock(function* () { log.push(`${name} in`); });
          } catch (e) { if (e instanceof CancelledError) log.push(`${name} cancelled`); throw e; }
        };
        const a = pool.spawn(waiter('a'));
        pool.spawn(waiter('b'));
        yield* waitAllTasksBlocked();
        a.cancel();
        expect(lock.statistics().waiting).toBe(1);
        lock.release();
      });
    });
    expect(log).toEqual(['a cancelled', 'b in']);
  });

  it('a waiter handed the lock and cancelled before it runs enters, then releases at its next checkpoint', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        yield* lock.acquire();
        const t = pool.spawn(function* () {
          yield* lock.withLock(function* () { log.push('in'); yield* checkpoint(); log.push('not reached'); });
        });
        yield* waitAllTasksBlocked();
        lock.release();
        t.cancel();
      });
      expect(lock.locked).toBe(false);
    });
    expect(log).toEqual(['in']);
  });

  it('if the owner ends holding the lock, waiters and later acquirers get ResourceBroken', async () => {
    const errors: unknown[] = [];
    await runChecked(function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        pool.spawn(function* careless() { yield* lock.acquire(); yield* sleep(10); });
        yield* sleep(1);
        pool.spawn(function* () { try { yield* lock.acquire(); } catch (e) { errors.push(e); } });
      });
      try { yield* lock.acquire(); } catch (e) { errors.push(e); }
      expect(lock.statistics()).toMatchObject({ locked: false, broken: true, waiting: 0 });
    });
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toBeInstanceOf(ResourceBroken);
      expect((e as Error).message).toBe('the lock is broken: its owner, task careless, ended without releasing it');
    }
  });

  it('a task that took and released the lock many times keeps one exit hook, and ending then does not break it', async () => {
    await runChecked(function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          for (let i = 0; i < 100; i++) yield* lock.withLock(function* () { yield* checkpoint(); });
        });
        yield* t.join();
      });
      yield* lock.withLock(function* () { yield* checkpoint(); });
    });
  });

  it('statistics() reports the owner and the waiters', async () => {
    await runChecked(function* main() {
      const lock = new Lock();
      expect(lock.statistics()).toEqual({ locked: false, owner: null, waiting: 0, broken: false });
      yield* createPool(function* (pool) {
        yield* lock.acquire();
        pool.spawn(function* () { yield* lock.withLock(function* () { yield* checkpoint(); }); });
        yield* waitAllTasksBlocked();
        const s = lock.statistics();
        expect([s.locked, s.owner?.name, s.waiting]).toEqual([true, 'main', 1]);
        lock.release();
      });
    });
  });

  it('withLock() with a non-generator body throws TypeError before taking the lock', async () => {
    await runChecked(function* () {
      const lock = new Lock();
      try { yield* lock.withLock(42 as never); } catch (e) { expect(e).toBeInstanceOf(TypeError); }
      try { yield* lock.withLock((async () => 1) as never); } catch (e) { expect((e as Error).message).toMatch(/got an async function/); }
      expect(lock.locked).toBe(false);
    });
  });
});
