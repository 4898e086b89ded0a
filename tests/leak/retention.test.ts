/**
 * What a loop must let go of: the generator of every task that ended (while the loop and the Task
 * handles are still held), items of cancelled queue puts, the listeners it put on an AbortSignal,
 * and the host timers it armed (every one fires or is cleared by the time `run` settles).
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../src/loop.js';
import { MockClock } from '../../src/testing.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { checkpoint, sleep } from '../../src/operations.js';
import { createPool, skipAfter, withTimeout } from '../../src/pool.js';
import { Queue } from '../../src/sync/queue.js';
import type { Host } from '../../src/host.js';
import type { Operation, Task } from '../../src/task.js';
import { expectCoreEmpty, rejectionOf } from '../helpers.js';
import { gc, nextMacrotask } from './gc.js';

/** Wraps `make` so the generator it returns is watched; the spawn gets a plain function returning it. */
function watched<A extends unknown[]>(refs: WeakRef<object>[], make: (...args: A) => Operation<unknown>): (...args: A) => Operation<unknown> {
  return (...args: A) => {
    const gen = make(...args);
    refs.push(new WeakRef(gen));
    return gen;
  };
}

/** Collects, letting WeakRefs made in the current job go first; returns how many targets are still alive. */
async function alive(refs: WeakRef<object>[]): Promise<number> {
  await nextMacrotask();
  gc();
  await nextMacrotask();
  gc();
  return refs.filter((ref) => ref.deref() !== undefined).length;
}

describe('generators are released when their task ends', () => {
  it('finished, failed, cancelled and never-started tasks, while the loop and their handles live on', async () => {
    const clock = new MockClock();
    const loop = new EventLoop({ clock, core: DEBUG_CORE });
    const refs: WeakRef<object>[] = [];
    const handles: Task[] = [];
    const finished = watched(refs, function* (i: number) { yield* checkpoint(); return i; });
    const failing = watched(refs, function* () { yield* checkpoint(); throw new Error('child failed'); });
    const parked = watched(refs, function* () { yield* sleep(Infinity); });
    const root = loop.start(function* root() {
      for (let round = 0; round < 50; round++) {
        yield* createPool(function* (pool) {
          handles.push(pool.spawn(finished, round));
          const c = pool.spawn(parked);
          handles.push(c);
          const neverStarted = pool.spawn(parked);
          handles.push(neverStarted);
          neverStarted.cancel();
          yield* checkpoint();
          c.cancel();
        });
        try {
          yield* createPool(function* (pool) { handles.push(pool.spawn(failing)); });
        } catch { /* the child's error */ }
      }
      yield* sleep(100); // the root stays alive while we look
    });
    loop.runUntilIdle();
    expect(loop.done).toBe(false);
    expect(handles).toHaveLength(200);
    expect(handles.map((t) => t.state).sort().filter((s, i, a) => a.indexOf(s) === i)).toEqual(['cancelled', 'failed', 'finished']);
    // V8 keeps an Error's stack frames unformatted until `.stack` is first read, and those frames
    // hold the generator the error was thrown in. A failed task keeps its error (`task.error`), so
    // its generator lives as long as the unformatted error does: that is V8's, not the loop's.
    // Formatting the stacks lets them go; everything else must be collectable as is.
    for (const t of handles) if (t.state === 'failed') void (t.error as Error).stack;
    expect(await alive(refs), 'generators of ended tasks still reachable').toBe(0);

    // The root's own generator goes when it ends, even though the loop and its handle are kept.
    const rootRefs: WeakRef<object>[] = [];
    const loop2 = new EventLoop({ clock, core: DEBUG_CORE });
    const root2 = loop2.start(watched(rootRefs, function* () { yield* sleep(1); return 'done'; }));
    loop2.runUntilIdle();
    clock.jump(100);
    loop.runUntilIdle();
    loop2.runUntilIdle();
    expect([root.state, root2.result]).toEqual(['finished', 'done']);
    expect(await alive(rootRefs), 'root generator still reachable').toBe(0);
    expectCoreEmpty(loop);
    expectCoreEmpty(loop2);
  });

  it('a FinalizationRegistry sees every ended task generator collected', async () => {
    let collected = 0;
    const registry = new FinalizationRegistry<number>(() => { collected++; });
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }), core: DEBUG_CORE });
    const spawnCount = 300;
    const held: Task[] = [];
    await loop.run(function* () {
      yield* createPool(function* (pool) {
        for (let i = 0; i < spawnCount; i++) {
          held.push(pool.spawn(() => {
            const gen = (function* () { yield* sleep(i % 7); return i; })();
            registry.register(gen, i);
            return gen;
          }));
        }
      });
    });
    for (let i = 0; i < 20 && collected < spawnCount; i++) { await nextMacrotask(); gc(); }
    expect(collected).toBe(spawnCount);
    expect(held.every((t) => t.done)).toBe(true);
    expectCoreEmpty(loop);
  });

  it('loop.close() releases the generators of the tasks it cancels and of the tasks it ends with return', async () => {
    const refs: WeakRef<object>[] = [];
    // Cooperative tasks: close() cancels them and they end.
    const cooperative = new EventLoop({ clock: new MockClock(), core: DEBUG_CORE });
    cooperative.start(watched(refs, function* () {
      yield* createPool(function* (pool) {
        for (let i = 0; i < 20; i++) pool.spawn(watched(refs, function* () { yield* sleep(Infinity); }));
        yield* sleep(Infinity);
      });
    }));
    cooperative.runUntilIdle();
    cooperative.close();
    // Tasks that ignore cancellation, in a pool whose owner waits for them: close() ends them with
    // return (this is the case of tests/leak/kill.test.ts).
    const stubborn = new EventLoop({ clock: new MockClock(), core: DEBUG_CORE });
    const ignoring = watched(refs, function* () {
      for (;;) { try { yield* sleep(1); } catch { /* ignores cancellation */ } }
    });
    stubborn.start(watched(refs, function* () {
      yield* createPool(function* (pool) {
        pool.spawn(ignoring);
        pool.spawn(ignoring);
        yield* sleep(Infinity);
      });
    }));
    stubborn.runUntilIdle();
    stubborn.close();
    expect(refs).toHaveLength(24);
    expect(await alive(refs)).toBe(0);
    expectCoreEmpty(cooperative);
    expectCoreEmpty(stubborn);
  });

  it('the item of a cancelled Queue.put is not kept by the queue', async () => {
    const refs: WeakRef<object>[] = [];
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }), core: DEBUG_CORE });
    const queue = new Queue<object>(0);
    await loop.run(function* () {
      yield* skipAfter(5, function* (pool) {
        for (let i = 0; i < 10; i++) {
          pool.spawn(function* () { const item = { i }; refs.push(new WeakRef(item)); yield* queue.put(item); });
        }
      });
    });
    expect(queue.statistics()).toMatchObject({ size: 0, waitingPutters: 0 });
    expect(await alive(refs)).toBe(0);
    expectCoreEmpty(loop);
  });
});

describe('AbortSignal listeners', () => {
  /** A signal whose add/removeEventListener calls are counted, besides Node's own listener list. */
  function countedSignal(controller: AbortController): { signal: AbortSignal; added: () => number; removed: () => number } {
    const signal = controller.signal;
    let added = 0;
    let removed = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => { added++; add(...args); }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => { removed++; remove(...args); }) as typeof signal.removeEventListener;
    return { signal, added: () => added, removed: () => removed };
  }

  const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

  it('100 loops run one after another with one signal leave no listener on it', async () => {
    const controller = new AbortController();
    const { signal, added, removed } = countedSignal(controller);
    for (let i = 0; i < 100; i++) {
      const loop = new EventLoop({ clock: new MockClock({ autojump: true }), signal });
      const outcome = loop.run(function* () {
        yield* sleep(1);
        if (i % 3 === 1) throw new Error('root failed');
        return i;
      });
      expect(listeners(signal)).toBe(1);
      await outcome.catch(() => undefined);
      expect(listeners(signal), `after loop ${i}`).toBe(0);
    }
    expect([added(), removed()]).toEqual([100, 100]);
  });

  it('a run ended by aborting the signal, a manually stepped loop and a closed loop leave no listener', async () => {
    const a = new AbortController();
    const aborted = new EventLoop({ clock: new MockClock({ autojump: true }), signal: a.signal }).run(function* () { yield* sleep(Infinity); });
    expect(listeners(a.signal)).toBe(1);
    a.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(listeners(a.signal)).toBe(0);

    const b = new AbortController();
    const clock = new MockClock();
    const stepped = new EventLoop({ clock, signal: b.signal });
    stepped.start(function* () { yield* sleep(5); });
    stepped.runUntilIdle();
    expect(listeners(b.signal)).toBe(1);
    clock.jump(5);
    stepped.runUntilIdle();
    expect(stepped.done).toBe(true);
    expect(listeners(b.signal)).toBe(0);

    const c = new AbortController();
    const closed = new EventLoop({ clock: new MockClock(), signal: c.signal });
    closed.start(function* () { yield* sleep(Infinity); });
    closed.step();
    closed.close();
    expect(listeners(c.signal)).toBe(0);

    const d = AbortSignal.abort('already');
    await expect(new EventLoop({ clock: new MockClock({ autojump: true }), signal: d }).run(function* () { yield* checkpoint(); })).rejects.toBe('already');
    expect(listeners(d)).toBe(0);
  });
});

describe('host timers', () => {
  /** A Host on real timers that records every timer it arms and what became of it. */
  function countingHost() {
    const live = new Map<number, ReturnType<typeof setTimeout>>();
    const log = { armed: 0, fired: 0, cleared: 0, clearedUnknown: 0, scheduled: 0, ran: 0 };
    let next = 0;
    const host: Host = {
      schedule(fn) { log.scheduled++; setImmediate(() => { log.ran++; fn(); }); },
      setTimer(fn, ms) {
        const id = next++;
        log.armed++;
        live.set(id, setTimeout(() => { live.delete(id); log.fired++; fn(); }, ms));
        return id;
      },
      clearTimer(handle) {
        const timer = live.get(handle as number);
        if (timer === undefined) { log.clearedUnknown++; return; }
        clearTimeout(timer);
        live.delete(handle as number);
        log.cleared++;
      },
    };
    return { host, live, log };
  }

  async function expectNoTimerLeft({ live, log }: ReturnType<typeof countingHost>): Promise<void> {
    expect(live.size, 'host timers still armed').toBe(0);
    expect(log.armed, 'every armed timer fired or was cleared').toBe(log.fired + log.cleared);
    expect(log.clearedUnknown, 'clearTimer of a timer that had fired or was cleared').toBe(0);
    await nextMacrotask();
    expect(log.ran, 'scheduled ticks that never ran').toBe(log.scheduled);
  }

  it('sleeps, timeouts, moved deadlines and failures on the real clock leave no host timer armed', async () => {
    const counting = countingHost();
    const loop = new EventLoop({ host: counting.host });
    const error = await rejectionOf(loop.run(function* () {
      yield* sleep(2);
      yield* skipAfter(50, function* (pool) {
        pool.spawn(function* () { yield* sleep(1000); }); // armed, then cancelled by the moved deadline
        yield* sleep(1);
        pool.deadline = 0;                                 // in the past: expires at once
        yield* sleep(1000);
      });
      try {
        yield* withTimeout(3, function* () { yield* sleep(1000); });
      } catch { /* TooSlowError */ }
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(10_000); });
        pool.spawn(function* () { yield* sleep(2); throw new Error('fails while a sibling sleeps for 10 s'); });
      });
    }));
    expect((error as Error).message).toMatch(/fails while/);
    expect(counting.log.armed).toBeGreaterThan(0);
    await expectNoTimerLeft(counting);
    expectCoreEmpty(loop);
  });

  it('a run ended by its signal while sleeping for 10 s clears its host timer', async () => {
    const counting = countingHost();
    const controller = new AbortController();
    const promise = new EventLoop({ host: counting.host, signal: controller.signal }).run(function* () { yield* sleep(10_000); });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(counting.live.size).toBe(1);
    controller.abort('enough');
    await expect(promise).rejects.toBe('enough');
    await expectNoTimerLeft(counting);
  });

  it('loop.close() during run() clears the host timer', async () => {
    const counting = countingHost();
    const loop = new EventLoop({ host: counting.host });
    const promise = loop.run(function* () { yield* sleep(10_000); }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(counting.live.size).toBe(1);
    loop.close();
    await promise;
    await expectNoTimerLeft(counting);
    expectCoreEmpty(loop);
  });

  it('a virtual clock arms no host timer at all', async () => {
    const counting = countingHost();
    const loop = new EventLoop({ host: counting.host, clock: new MockClock({ autojump: true }) });
    await loop.run(function* () { yield* sleep(3_600_000); yield* skipAfter(5, function* () { yield* sleep(10); }); });
    expect(counting.log.armed).toBe(0);
    await expectNoTimerLeft(counting);
  });
});
