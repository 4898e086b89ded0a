// A regression guard for the hot path that is not a timed test: the number of calls into the wasm
// core per context switch is deterministic, so it is asserted exactly. A change that adds a
// crossing to the switch shows up here, on any machine.
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../src/loop.js';
import { checkpoint, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Queue } from '../../src/sync/queue.js';
import { MockClock } from '../../src/testing.js';
import type { Operation } from '../../src/task.js';

/** Crossings made by one `loop.step()` over `tasks` tasks that each run `body` once per step. */
function crossingsPerStep(body: () => Operation<void>, tasks: number): number {
  const loop = new EventLoop({ clock: new MockClock() });
  loop.start(function* () {
    yield* createPool(function* (pool) { for (let i = 0; i < tasks; i++) pool.spawn(body); });
  });
  loop.step(); // the root spawns, then parks at the pool's exit
  loop.step(); // every child runs its first step
  const before = crossings(loop);
  loop.step();
  const after = crossings(loop);
  loop.close();
  return after - before;
}

/** The core's own counter: reading it makes no crossing (statistics() would make some). */
function crossings(loop: EventLoop): number {
  return loop.kernel.core.crossings;
}

describe('wasm crossings per context switch', () => {
  it('a checkpoint switch costs one crossing (taskYieldNext) plus one runNext per batch, and a step none of its own', () => {
    const loopOverhead = (n: number) => crossingsPerStep(function* () { for (;;) yield* checkpoint(); }, n);
    const one = loopOverhead(1);
    const hundred = loopOverhead(100);
    expect((hundred - one) / 99).toBe(1);
    expect(one).toBe(PER_STEP + 2); // a batch of one: runNext, then taskYieldNext takes no next
  });

  it('a wake costs no crossing (it is posted) and a park one (taskParkNext), plus one runNext per batch', () => {
    const loop = new EventLoop({ clock: new MockClock() });
    const queue = new Queue<number>();
    let received = 0;
    loop.start(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { for (;;) { yield* queue.get(); received++; } });
      });
    });
    loop.runUntilIdle(); // the consumer is parked in get()
    const before = crossings(loop);
    queue.putNowait(1); // wake: posted into the core's box, applied at its next call
    const afterWake = crossings(loop);
    loop.step(); // the consumer resumes and parks again: runNext + taskParkNext, plus the step's own
    const afterStep = crossings(loop);
    loop.close();
    expect(received).toBe(1);
    expect(afterWake - before).toBe(0);
    expect(afterStep - afterWake).toBe(2 + PER_STEP);
  });

  it('a batch of receivers woken by posts costs one crossing per switch', () => {
    const receivers = 50;
    const loop = new EventLoop({ clock: new MockClock() });
    const queues = Array.from({ length: receivers }, () => new Queue<number>());
    let received = 0;
    loop.start(function* () {
      yield* createPool(function* (pool) {
        for (const queue of queues) pool.spawn(function* () { for (;;) { yield* queue.get(); received++; } });
      });
    });
    loop.runUntilIdle(); // every receiver is parked in get()
    const before = crossings(loop);
    for (const queue of queues) queue.putNowait(1); // 50 posted wakes
    loop.step(); // runNext, then each receiver's taskParkNext takes the next one
    const after = crossings(loop);
    loop.close();
    expect(received).toBe(receivers);
    expect(after - before).toBe(1 + receivers + PER_STEP);
  });

  it('a sleep arms its timer inside the core: one crossing to park, none per tick while it waits', () => {
    const clockSource = new MockClock();
    const loop = new EventLoop({ clock: clockSource });
    loop.start(function* () { yield* sleep(1000); });
    loop.step(); // the root runs and sleeps: runNext + taskSleep
    const before = crossings(loop);
    loop.step(); // nothing ready: only the step's own overhead
    const idle = crossings(loop) - before;
    loop.close();
    expect(idle).toBe(PER_STEP);
  });
});

/**
 * Crossings of one step besides the tasks': none. The step reads the READY count and the earliest
 * deadline from the core's status block (assembly/status.ts), and calls advance only when a timer
 * is due. (It was 3 before the status block: advance, and readyCount in runReady and after it.)
 */
const PER_STEP = 0;
