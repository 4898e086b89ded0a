// Issue 11 items 1 and 2: every checkpoint sees every deadline due at the loop's current time, and a
// clock that moves (a jump from inside a task) is seen before the next scheduling decision.
import { describe, expect, it } from 'vitest';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool, skipAfter, withTimeout } from '../../src/pool.js';
import { CancelledError, TooSlowError } from '../../src/errors.js';
import { Queue } from '../../src/sync/queue.js';
import { Event } from '../../src/sync/event.js';
import { EventLoop } from '../../src/loop.js';
import { MockClock, waitAllTasksBlocked } from '../../src/testing.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { expectCoreEmpty, runChecked } from '../helpers.js';

describe('a deadline already due is seen by the very next checkpoint', () => {
  it('checkpoint() raises at once after the scope deadline is set in the past', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (scope) {
        yield* sleep(5);
        scope.deadline = clock() - 1;
        try { yield* checkpoint(); log.push('first checkpoint returned'); } catch (e) { log.push(`first: ${(e as Error).constructor.name}`); throw e; }
      });
    });
    expect(log).toEqual(['first: CancelledError']);
  });

  it('sleep(0) in skipAfter(0, …) raises, so skipAfter returns undefined', async () => {
    const result = await runChecked(function* () {
      return yield* skipAfter(0, function* () { yield* sleep(0); return 'body finished'; });
    });
    expect(result).toBeUndefined();
  });

  it('withTimeout(0, …) raises TooSlowError at the body\'s first checkpoint', async () => {
    const log: string[] = [];
    const error = await runChecked(function* () {
      try {
        yield* withTimeout(0, function* () { log.push('body started'); yield* checkpoint(); log.push('past the checkpoint'); });
      } catch (e) { return e; }
    });
    expect(error).toBeInstanceOf(TooSlowError);
    expect(log).toEqual(['body started']);
  });

  it('a body that reaches no checkpoint keeps its result under withTimeout(0, …) (trio\'s rule)', async () => {
    expect(await runChecked(function* () { return yield* withTimeout(0, function* () { return 7; }); })).toBe(7);
  });

  it('a blocking primitive that need not wait is a cancel point for a due deadline too', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const queue = new Queue<number>();
      queue.putNowait(1);
      const event = new Event<number>();
      event.trigger(2);
      yield* skipAfter(0, function* () {
        try { yield* queue.get(); log.push('got'); } catch (e) { log.push(e instanceof CancelledError ? 'get cancelled' : 'other'); throw e; }
      });
      yield* skipAfter(0, function* () {
        try { yield* event.wait(); log.push('waited'); } catch (e) { log.push(e instanceof CancelledError ? 'wait cancelled' : 'other'); throw e; }
      });
      expect(queue.getNowait()).toBe(1); // not taken: the cancel point comes before the operation
    });
    expect(log).toEqual(['get cancelled', 'wait cancelled']);
  });

  it('moving a timer\'s deadline into the past disarms its timer (nothing is left armed)', async () => {
    await runChecked(function* () {
      yield* skipAfter(1000, function* (pool) {
        yield* sleep(1);
        pool.deadline = 0;
        yield* sleep(1);
      });
    });
  });
});

describe('a clock that jumps is seen before the next scheduling decision', () => {
  it('MockClock.jump() from inside a task fires the timers it made due before waitAllTasksBlocked() returns', async () => {
    const mock = new MockClock();
    const loop = new EventLoop({ clock: mock, core: DEBUG_CORE });
    const woke = await loop.run(function* () {
      return yield* createPool(function* (pool) {
        let done = false;
        pool.spawn(function* () { yield* sleep(5000); done = true; });
        yield* waitAllTasksBlocked();
        mock.jump(10_000);
        yield* waitAllTasksBlocked();
        return done;
      });
    });
    expect(woke).toBe(true);
    expectCoreEmpty(loop);
  });

  it('a deadline a jump made due is seen by the jumping task\'s next checkpoint', async () => {
    const mock = new MockClock();
    const loop = new EventLoop({ clock: mock, core: DEBUG_CORE });
    const log: string[] = [];
    await loop.run(function* () {
      yield* skipAfter(100, function* () {
        mock.jump(500);
        try { yield* checkpoint(); log.push('checkpoint returned'); } catch (e) { log.push((e as Error).constructor.name); throw e; }
      });
    });
    expect(log).toEqual(['CancelledError']);
    expectCoreEmpty(loop);
  });

  it('a jump by one task wakes a sleeper within one batch, not 64 steps later', async () => {
    const mock = new MockClock();
    const loop = new EventLoop({ clock: mock, core: DEBUG_CORE });
    const steps = await loop.run(function* () {
      let spins = 0;
      yield* createPool(function* (pool) {
        const sleeper = pool.spawn(function* () { yield* sleep(50); });
        yield* checkpoint(); // the sleeper parks
        mock.jump(100);
        while (!sleeper.done) { spins++; yield* checkpoint(); }
      });
      return spins;
    });
    expect(steps).toBeLessThanOrEqual(2);
    expectCoreEmpty(loop);
  });

  it('loop.step(): a jump inside the step makes timers due before blocked waiters are woken', () => {
    const mock = new MockClock();
    const loop = new EventLoop({ clock: mock, core: DEBUG_CORE });
    const order: string[] = [];
    loop.start(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(10); order.push('sleeper'); });
        yield* waitAllTasksBlocked();
        mock.jump(20);
        yield* waitAllTasksBlocked();
        order.push('main');
      });
    });
    for (let i = 0; i < 20 && !loop.done; i++) loop.step();
    expect(loop.done).toBe(true);
    expect(order).toEqual(['sleeper', 'main']);
    expectCoreEmpty(loop);
    loop.close();
  });
});
