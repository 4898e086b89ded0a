// The task record (src/task.ts) is kept small because every suspended task pays for it: five fields,
// one of which (`value`) means something different in each state, and one (`place`) shared by the
// siblings a spawner starts alike. These tests pin the layout and the meaning of `value` by state.
import { describe, expect, it } from 'vitest';
import { createContext, createPool, currentTask, Event, sleep, withTimeout } from '../../src/index.js';
import type { Operation, TaskImpl } from '../../src/task.js';
import { runChecked } from '../helpers.js';

const Color = createContext<string>('Color', 'none');

function* idle(): Operation<void> {
  yield* sleep(Infinity);
}

describe('the task record', () => {
  it('has five own fields', async () => {
    await runChecked(function* () {
      expect(Object.keys(currentTask()).sort()).toEqual(['gen', 'id', 'place', 'value', 'waitNode']);
    });
  });

  it('keeps its rare state on its wait node, made for it when the task never waited', async () => {
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const task = pool.spawn(idle) as TaskImpl;
        expect(task.waitNode === null).toBe(true);
        task.onExit(() => {});
        expect(task.waitNode !== null).toBe(true);
        expect(task.waitNode!.list).toBe(null); // made for the rare state: it waits in no queue
        expect(task.extra!.exitHooks).toHaveLength(1);
        pool.cancel();
      });
    });
  });

  it('siblings spawned alike share one place until one of them changes its context', async () => {
    await runChecked(function* () {
      Color.set('red');
      yield* createPool(function* (pool) {
        const a = pool.spawn(function* () { Color.set('blue'); yield* sleep(Infinity); }) as TaskImpl;
        const b = pool.spawn(idle) as TaskImpl;
        const c = pool.spawn(idle) as TaskImpl;
        expect(b.place).toBe(c.place);
        yield* sleep(1);
        expect(a.place).not.toBe(b.place);
        expect(a.context!.get(Color as never)).toBe('blue');
        expect(b.context!.get(Color as never)).toBe('red');
        expect([a.name, b.name, c.name]).toEqual(['anonymous', 'idle', 'idle']);
        pool.cancel();
      });
    });
  });

  it('a task that enters a nested scope moves to a place in it, and back to its pool scope after', async () => {
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        let inner: unknown = null;
        const t = pool.spawn(function* worker() {
          yield* withTimeout(1000, function* () {
            inner = (currentTask() as TaskImpl).scope;
            yield* sleep(1);
          });
          yield* sleep(Infinity);
        }) as TaskImpl;
        const outer = t.scope;
        yield* sleep(0.5);
        expect(t.scope).toBe(inner);
        expect(t.name).toBe('worker');
        yield* sleep(1);
        expect(t.scope).not.toBe(inner);
        expect(t.scope.parent).toBe(outer); // its own root scope (made to hold the nested one), in the pool's
        pool.cancel();
      });
    });
  });

  it('value holds the abort while parked, nothing once resumed, and how the task ended once ended', async () => {
    await runChecked(function* () {
      const event = new Event();
      yield* createPool(function* (pool) {
        const waiter = pool.spawn(function* () { yield* event.wait(); return 42; }) as TaskImpl<number>;
        const sleeper = pool.spawn(idle) as TaskImpl;
        yield* sleep(1);
        expect(waiter.state).toBe('parked');
        expect(typeof waiter.abort).toBe('function');
        expect(waiter.waitReason).not.toBe('');
        expect(sleeper.waitReason).toBe('sleep');
        expect(waiter.started).toBe(true);
        event.trigger();
        yield* sleep(1);
        expect(waiter.state).toBe('finished');
        expect(waiter.result).toBe(42);
        expect(waiter.abort).toBe(null);
        sleeper.cancel();
        yield* sleep(1);
        expect(sleeper.state).toBe('cancelled');
        expect(sleeper.error).toBe(undefined);
      });
    });
  });
});
