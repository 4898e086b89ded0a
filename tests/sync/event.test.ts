import { describe, expect, it } from 'vitest';
import { CancelledError, GiambioError } from '../../src/errors.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Event } from '../../src/sync/event.js';
import type { Operation } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

describe('Event', () => {
  it('wait() returns the trigger value, to every waiter, in the order they started waiting', async () => {
    const got: string[] = [];
    await runChecked(function* () {
      const ev = new Event<number>();
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c']) pool.spawn(function* () { got.push(`${name}=${yield* ev.wait()}@${clock()}`); });
        yield* sleep(5);
        expect(ev.statistics()).toEqual({ isSet: false, waiting: 3 });
        ev.trigger(7);
        expect(ev.statistics()).toEqual({ isSet: true, waiting: 0 });
      });
    });
    expect(got).toEqual(['a=7@5', 'b=7@5', 'c=7@5']);
  });

  it('wait() on an event that is already set returns its value, not undefined', async () => {
    const value = await runChecked(function* () {
      const ev = new Event<string>();
      ev.trigger('ready');
      return yield* ev.wait();
    });
    expect(value).toBe('ready');
  });

  it('wait() on a set event is still a schedule point: other ready tasks run first', async () => {
    const order: string[] = [];
    await runChecked(function* () {
      const ev = new Event();
      ev.trigger();
      yield* createPool(function* (pool) {
        pool.spawn(function* () { order.push('other'); yield* checkpoint(); });
        yield* ev.wait();
        order.push('waiter');
      });
    });
    expect(order).toEqual(['other', 'waiter']);
  });

  it('wait() on a set event in a cancelled scope raises CancelledError (a cancel point)', async () => {
    const error = await runChecked(function* () {
      const ev = new Event();
      ev.trigger();
      let caught: unknown = null;
      yield* createPool(function* (pool) {
        pool.cancel();
        try { yield* ev.wait(); } catch (e) { caught = e; throw e; }
      });
      return caught;
    });
    expect(error).toBeInstanceOf(CancelledError);
  });

  it('a second trigger throws GiambioError and keeps the first value', async () => {
    const ev = new Event<number>();
    ev.trigger(1);
    expect(() => ev.trigger(2)).toThrow(GiambioError);
    expect(() => ev.trigger(2)).toThrow(/already been triggered/);
    expect(ev.value).toBe(1);
    expect(ev.isSet).toBe(true);
  });

  it('isSet and value before the trigger', () => {
    const ev = new Event<number>();
    expect(ev.isSet).toBe(false);
    expect(ev.value).toBeUndefined();
  });

  it('a cancelled waiter is withdrawn; the others still get the wake-up', async () => {
    const got: string[] = [];
    await runChecked(function* () {
      const ev = new Event<string>();
      yield* createPool(function* (pool) {
        const waiter = (name: string) => function* (): Operation<void> {
          try { got.push(`${name}:${yield* ev.wait()}`); } catch (e) { if (e instanceof CancelledError) got.push(`${name}:cancelled`); throw e; }
        };
        pool.spawn(waiter('a'));
        const b = pool.spawn(waiter('b'));
        pool.spawn(waiter('c'));
        yield* waitAllTasksBlocked();
        b.cancel();
        expect(ev.statistics().waiting).toBe(2); // withdrawn synchronously, inside cancel()
        ev.trigger('go');
      });
    });
    expect(got).toEqual(['b:cancelled', 'a:go', 'c:go']);
  });

  it('a waiter woken by trigger and cancelled before it runs still returns the value', async () => {
    const value = await runChecked(function* () {
      const ev = new Event<string>();
      let result: string | undefined;
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { result = yield* ev.wait(); });
        yield* waitAllTasksBlocked();
        ev.trigger('kept');
        t.cancel();
      });
      return result;
    });
    expect(value).toBe('kept');
  });

  it('trigger() from a host callback (outside any task) wakes the waiter', async () => {
    const value = await runChecked(function* () {
      const ev = new Event<string>();
      setTimeout(() => ev.trigger('from the host'), 1);
      return yield* ev.wait();
    });
    expect(value).toBe('from the host');
  });

  it('wait() outside a task throws GiambioError', () => {
    expect(() => new Event().wait().next()).toThrow(/inside a giambio task/);
  });
});
