import { describe, expect, it } from 'vitest';
import { CancelledError, GiambioError } from '../../src/errors.js';
import { currentTask, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Condition } from '../../src/sync/condition.js';
import { Lock } from '../../src/sync/lock.js';
import type { Operation } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

describe('Condition', () => {
  it('wait() releases the lock, and returns holding it after a notify', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const cond = new Condition();
      let ready = false;
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          yield* cond.withLock(function* () {
            while (!ready) yield* cond.wait();
            log.push(`woke owning the lock: ${cond.lock.statistics().owner === currentTask()}`);
          });
        });
        yield* waitAllTasksBlocked();
        expect(cond.locked).toBe(false); // released while waiting
        yield* cond.withLock(function* () { ready = true; cond.notify(); log.push('notified'); });
      });
    });
    expect(log).toEqual(['notified', 'woke owning the lock: true']);
  });

  it('notify(n) wakes the n oldest waiters; notifyAll() wakes the rest', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const cond = new Condition(new Lock());
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c', 'd']) {
          pool.spawn(function* () { yield* cond.withLock(function* () { yield* cond.wait(); log.push(name); }); });
        }
        yield* waitAllTasksBlocked();
        yield* cond.withLock(function* () { cond.notify(2); });
        yield* waitAllTasksBlocked();
        expect(log).toEqual(['a', 'b']);
        expect(cond.statistics().waiting).toBe(2);
        yield* cond.withLock(function* () { cond.notifyAll(); });
      });
    });
    expect(log).toEqual(['a', 'b', 'c', 'd']);
  });

  it('wait() and notify() without holding the lock throw GiambioError', async () => {
    await runChecked(function* main() {
      const cond = new Condition();
      let error: unknown = null;
      try { yield* cond.wait(); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(GiambioError);
      expect((error as Error).message).toBe("Condition.wait(): task main must hold the condition's lock to wait");
      expect(() => cond.notify()).toThrow("Condition.notify(): task main must hold the condition's lock to notify");
      expect(() => cond.notifyAll()).toThrow(GiambioError);
    });
  });

  it('a waiter cancelled before any notify re-acquires the lock before CancelledError leaves wait()', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const cond = new Condition();
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* (): Operation<void> {
          yield* cond.withLock(function* () {
            try { yield* cond.wait(); } catch (e) {
              if (e instanceof CancelledError) log.push(`cancelled, holding the lock: ${cond.lock.statistics().owner === currentTask()}`);
              throw e;
            }
          });
        });
        yield* waitAllTasksBlocked();
        yield* cond.acquire();
        t.cancel();               // withdrawn at once, but must wait for the lock we hold
        yield* sleep(5);
        expect(log).toEqual([]);
        cond.release();
      });
      expect(cond.statistics()).toEqual({ waiting: 0, lock: { locked: false, owner: null, waiting: 0, broken: false } });
    });
    expect(log).toEqual(['cancelled, holding the lock: true']);
  });

  it('a notified waiter cancelled before it gets the lock still returns normally: the notification is not lost', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const cond = new Condition();
      yield* createPool(function* (pool) {
        const waiter = (name: string) => function* (): Operation<void> {
          yield* cond.withLock(function* () {
            yield* cond.wait();
            log.push(`${name} returned from wait`);
            yield* sleep(0); // its next checkpoint sees the cancellation
          });
        };
        const a = pool.spawn(waiter('a'));
        pool.spawn(waiter('b'));
        yield* waitAllTasksBlocked();
        yield* cond.withLock(function* () {
          cond.notify();
          a.cancel();
        });
        yield* waitAllTasksBlocked();
        expect(log).toEqual(['a returned from wait']); // and a then ended, cancelled, at its sleep
        expect(cond.statistics().waiting).toBe(1);
        yield* cond.withLock(function* () { cond.notify(); });
      });
    });
    expect(log).toEqual(['a returned from wait', 'b returned from wait']);
  });

  it('new Condition(x) with something other than a Lock throws TypeError', () => {
    expect(() => new Condition({} as Lock)).toThrow('Expected `lock` to be a Lock, got an Object');
  });
});
