import { describe, expect, it } from 'vitest';
import { checkpoint, clock, sleep, currentTask } from '../../src/operations.js';
import { createPool, shield, skipAfter, withTimeout, type TaskPool } from '../../src/pool.js';
import { CancelledError, ErrorStack, GiambioError, TaskCancelledError, TooSlowError } from '../../src/errors.js';
import type { Operation, Task } from '../../src/task.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

describe('cancellation', () => {
  it('a task cancelled before its first step never runs its body', async () => {
    let ran = false;
    const state = await runChecked(function* () {
      let task!: Task;
      yield* createPool(function* (pool) {
        task = pool.spawn(function* () { ran = true; yield* sleep(10); });
        task.cancel();
      });
      return task.state;
    });
    expect(ran).toBe(false);
    expect(state).toBe('cancelled');
  });

  it('cancel() withdraws a parked task before it returns and its finally runs', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          try { yield* sleep(1000); } finally { log.push(`finally at ${clock()}`); }
        });
        yield* sleep(10);
        expect(t.state).toBe('parked');
        t.cancel();
        expect(t.state).toBe('ready');
        t.cancel(); // twice is fine
      });
    });
    expect(log).toEqual(['finally at 10']);
  });

  it('a finally block may use the loop, but new blocking calls in a cancelled scope raise at once', async () => {
    const events: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          try { yield* sleep(1000); } finally {
            try { yield* sleep(5); events.push('slept in finally'); } catch (e) { events.push(e instanceof CancelledError ? 'cancelled again' : 'other'); }
            yield* shield(function* () { yield* sleep(5); events.push(`shielded sleep done at ${clock()}`); });
          }
        });
        yield* sleep(1);
        t.cancel();
      });
    });
    expect(events).toEqual(['cancelled again', 'shielded sleep done at 6']);
  });

  it('a task that swallows CancelledError gets it again at its next checkpoint', async () => {
    const events: string[] = [];
    const state = await runChecked(function* () {
      let t!: Task;
      yield* createPool(function* (pool) {
        t = pool.spawn(function* () {
          try { yield* sleep(100); } catch (e) { events.push(`swallowed ${(e as Error).name}`); }
          events.push('still running');
          yield* checkpoint();
          events.push('never');
        });
        yield* sleep(1);
        t.cancel();
      });
      return t.state;
    });
    expect(events).toEqual(['swallowed CancelledError', 'still running']);
    expect(state).toBe('cancelled');
  });

  it('a cancelled pool absorbs its own cancellation and createPool returns normally', async () => {
    const result = await runChecked(function* () {
      const value = yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(Infinity); });
        yield* sleep(5);
        pool.cancel();
        yield* sleep(5); // raises CancelledError: the body is cancelled too
        return 'unreachable';
      });
      return [value, clock()];
    });
    expect(result).toEqual([undefined, 5]);
  });

  it('cancel() during a finally block does not stop the finally from finishing its synchronous part', async () => {
    const events: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          try { yield* sleep(10); } finally {
            events.push('cleanup start');
            currentTask().cancel();
            events.push('cleanup end');
          }
        });
        yield* sleep(1);
        t.cancel();
      });
    });
    expect(events).toEqual(['cleanup start', 'cleanup end']);
  });

  it('moving a deadline earlier and later while waiting', async () => {
    const times = await runChecked(function* () {
      const out: number[] = [];
      yield* skipAfter(100, function* (pool) {
        pool.deadline = 50;           // earlier
        yield* sleep(1000);
      });
      out.push(clock());
      yield* skipAfter(100, function* (pool) {
        pool.spawn(function* () { yield* sleep(10); pool.deadline = clock() + 500; }); // later, while the body waits
        yield* sleep(1000);
      });
      out.push(clock());
      return out;
    });
    expect(times).toEqual([50, 560]);
  });

  it('skipAfter inside withTimeout: the inner expires first and is silent', async () => {
    const result = await runChecked(function* () {
      return yield* withTimeout(100, function* () {
        const inner = yield* skipAfter(10, function* () { yield* sleep(1000); return 'inner'; });
        return [inner, clock()];
      });
    });
    expect(result).toEqual([undefined, 10]);
  });

  it('withTimeout inside skipAfter: the outer expires first; the inner does not raise TooSlowError', async () => {
    const result = await runChecked(function* () {
      let inner: unknown = 'none';
      const value = yield* skipAfter(10, function* () {
        try { yield* withTimeout(100, function* () { yield* sleep(1000); }); } catch (e) { inner = e; throw e; }
      });
      return [value, inner instanceof CancelledError, clock()];
    });
    expect(result).toEqual([undefined, true, 10]);
  });

  it('shield keeps outer cancellation out, and a withTimeout inside it bounds the cleanup', async () => {
    const events: string[] = [];
    await runChecked(function* () {
      yield* skipAfter(10, function* () {
        try { yield* sleep(1000); } finally {
          yield* shield(function* () {
            yield* sleep(20);
            events.push(`shielded sleep ended at ${clock()}`);
            try {
              yield* withTimeout(30, function* () { yield* sleep(1000); });
            } catch (e) { events.push(`${(e as Error).name} at ${clock()}`); }
          });
        }
      });
      events.push(`after at ${clock()}`);
    });
    expect(events).toEqual(['shielded sleep ended at 30', 'TooSlowError at 60', 'after at 60']);
  });

  it('withTimeout raises when the deadline cancels children still running after the body returned', async () => {
    const error = await runCheckedRejects(function* () {
      yield* withTimeout(10, function* (pool) {
        pool.spawn(function* () { yield* sleep(100); });
        return 'body done';
      });
    });
    expect(error).toBeInstanceOf(TooSlowError);
  });

  it('withTimeout that finishes in time returns the value and arms nothing afterwards', async () => {
    expect(await runChecked(function* () { return yield* withTimeout(10, function* () { yield* sleep(5); return 7; }); })).toBe(7);
  });
});

describe('errors', () => {
  it('two children failing at the same virtual instant raise an ErrorStack in the order they happened', async () => {
    const a = new Error('a');
    const b = new Error('b');
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(5); throw a; });
        pool.spawn(function* () { yield* sleep(5); throw b; });
      });
    });
    expect(error).toBeInstanceOf(ErrorStack);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as ErrorStack).errors).toEqual([a, b]);
  });

  it('an error raised from the pool body itself cancels the children and surfaces unwrapped', async () => {
    const boom = new RangeError('body');
    let child: Task | undefined;
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        child = pool.spawn(function* () { yield* sleep(100); });
        yield* sleep(1);
        throw boom;
      });
    });
    expect(error).toBe(boom);
    expect(child!.state).toBe('cancelled');
  });

  it('an error thrown from finally during cancellation is not lost', async () => {
    const late = new Error('from finally');
    const first = new Error('first');
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* sleep(100); } finally { throw late; } });
        pool.spawn(function* () { yield* sleep(1); throw first; });
      });
    });
    expect((error as ErrorStack).errors).toEqual([first, late]);
  });

  it('errors propagate outward through nested pools, each cancelled on the way', async () => {
    const states: string[] = [];
    const boom = new Error('deep');
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (outer) {
        const sibling = outer.spawn(function* () { yield* sleep(100); });
        try {
          yield* createPool(function* (inner) {
            inner.spawn(function* () { yield* sleep(1); throw boom; });
          });
        } finally { states.push(sibling.state); }
      });
    });
    expect(error).toBe(boom);
    expect(states).toEqual(['parked']);
  });

  it('spawning into a pool that has exited throws GiambioError', async () => {
    const error = await runChecked(function* () {
      let saved!: TaskPool;
      yield* createPool(function* (pool) { saved = pool; });
      try { saved.spawn(function* () { yield* checkpoint(); }); } catch (e) { return e; }
      return null;
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toMatch(/exited/);
  });
});

describe('join', () => {
  it('join returns the result of a finished task, for any task and any number of times', async () => {
    const result = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* sleep(5); return 'value'; });
        const other = pool.spawn(function* () { return yield* t.join(); });
        const a = yield* t.join();
        const b = yield* t.join();
        return [a, b, yield* other.join(), t.state, t.done];
      });
    });
    expect(result).toEqual(['value', 'value', 'value', 'finished', true]);
  });

  it('join rethrows a failed task error (and the pool raises it too)', async () => {
    const boom = new Error('x');
    const seen: unknown[] = [];
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* sleep(1); throw boom; });
        try { yield* t.join(); } catch (e) { seen.push(e, t.error, t.state); }
      });
    });
    expect(seen).toEqual([boom, boom, 'failed']);
    expect(error).toBe(boom);
  });

  it('joining a cancelled task throws TaskCancelledError, which is not a CancelledError', async () => {
    const result = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* sleep(100); });
        yield* sleep(1);
        t.cancel();
        try { yield* t.join(); } catch (e) {
          return [e instanceof TaskCancelledError, e instanceof CancelledError, t.error, t.state];
        }
        return null;
      });
    });
    expect(result).toEqual([true, false, undefined, 'cancelled']);
  });

  it('a task cannot join itself', async () => {
    const error = await runChecked(function* () {
      try { yield* currentTask().join(); } catch (e) { return e; }
      return null;
    });
    expect(error).toBeInstanceOf(GiambioError);
  });

  it('toPromise settles with the task outcome for code outside the loop', async () => {
    let promise!: Promise<number>;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        promise = pool.spawn(function* () { yield* sleep(3); return 3; }).toPromise();
      });
    });
    await expect(promise).resolves.toBe(3);
  });
});

describe('spawn', () => {
  it('a child starts at the spawner next scheduling point, with type-safe arguments', async () => {
    const order: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* (n: number, s: string) { order.push(`child ${n}${s}`); yield* checkpoint(); }, 1, 'x');
        order.push('spawner continues');
        yield* checkpoint();
        order.push('spawner resumed');
      });
    });
    expect(order).toEqual(['spawner continues', 'child 1x', 'spawner resumed']);
  });

  it('spawnWith names the task', async () => {
    const name = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        return pool.spawnWith({ name: 'worker-1' }, function* () { yield* checkpoint(); }).name;
      });
    });
    expect(name).toBe('worker-1');
  });

  it('spawn of a non-generator function is a TypeError naming what came', async () => {
    const error = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        try { pool.spawn((() => 5) as unknown as () => Operation<void>); } catch (e) { return e; }
        return null;
      });
    });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/returned `5` \(number\)/);
  });
});

describe("timeouts follow trio's rule", () => {
  it('a deadline that expires as the work finishes, cutting nothing short, does not raise', async () => {
    const result = await runChecked(function* () {
      return yield* withTimeout(5, function* (pool) {
        yield* sleep(5); // armed after the deadline: both due at 5, the sleep completes first
        return [clock(), pool.timedOut];
      });
    });
    expect(result).toEqual([5, true]);
  });

  it('skipAfter returns the value when its expired deadline cut nothing short', async () => {
    expect(await runChecked(function* () { return yield* skipAfter(5, function* () { yield* sleep(5); return 'kept'; }); })).toBe('kept');
  });
});

describe('delivery order', () => {
  it('cancelling a pool wakes its parked children in the order they were spawned', async () => {
    const order: number[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        for (let i = 0; i < 5; i++) pool.spawn(function* () { try { yield* sleep(Infinity); } finally { order.push(i); } });
        yield* sleep(1);
        pool.cancel();
      });
    });
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
