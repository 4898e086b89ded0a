import { describe, expect, it } from 'vitest';
import { CancelledError, WouldBlock } from '../../src/errors.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Queue } from '../../src/sync/queue.js';
import type { Operation } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { expectCoreEmpty, runChecked, virtualLoop } from '../helpers.js';

// The hand-over Queue shares with MemoryChannel (FIFO, rendezvous, Nowait, cancel safety) is tested
// once for both in tests/contract/hand-over.test.ts.
describe('Queue', () => {
  it('put() waits while the queue is full and maxsize is never exceeded', async () => {
    const lines: string[] = [];
    await runChecked(function* () {
      const q = new Queue<number>(2);
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          for (let i = 0; i < 4; i++) { yield* q.put(i); lines.push(`put ${i} at ${clock()}`); }
        });
        yield* sleep(10);
        expect(q.statistics()).toEqual({ size: 2, maxsize: 2, waitingGetters: 0, waitingPutters: 1 });
        for (let i = 0; i < 4; i++) {
          lines.push(`got ${yield* q.get()}`);
          expect(q.size).toBeLessThanOrEqual(2);
          yield* sleep(10);
        }
      });
    });
    // Each get frees a slot and the waiting putter's item moves in at once; the putter was woken
    // before the getter's schedule point, so it logs first.
    expect(lines).toEqual(['put 0 at 0', 'put 1 at 0', 'put 2 at 10', 'got 0', 'put 3 at 20', 'got 1', 'got 2', 'got 3']);
  });

  it('waiting putters are served in the order they started waiting', async () => {
    const got = await runChecked(function* () {
      const q = new Queue<string>(1);
      q.putNowait('first');
      const out: string[] = [];
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c']) pool.spawn(function* () { yield* q.put(name); });
        yield* waitAllTasksBlocked();
        expect(q.statistics().waitingPutters).toBe(3);
        for (let i = 0; i < 4; i++) out.push(yield* q.get());
      });
      return out;
    });
    expect(got).toEqual(['first', 'a', 'b', 'c']);
  });

  it('a receive loop reuses one get() operation; one made and not yet finished is never handed out again', async () => {
    await runChecked(function* () {
      const q = new Queue<number>();
      const first = q.get();
      const second = q.get(); // `first` is not driven yet: a new object
      // (compared with ===: toBe's failure-message diff would iterate the operations, i.e. drive them)
      expect(second === first).toBe(false);
      q.putNowait(1);
      q.putNowait(2);
      expect(yield* second).toBe(1);
      expect(yield* first).toBe(2);
      const again = q.get();
      expect(again === first || again === second).toBe(true); // finished, so reused
      q.putNowait(3);
      expect(yield* again).toBe(3);
      const cancelled: unknown[] = [];
      yield* createPool(function* (pool) {
        const parked = q.get();
        pool.spawn(function* () { try { yield* parked; } catch (error) { cancelled.push(error); throw error; } });
        yield* sleep(1);
        expect(q.get() === parked).toBe(false); // parked in the child: still in use
        pool.cancel();
      });
      expect(cancelled[0]).toBeInstanceOf(CancelledError);
      q.putNowait(4);
      expect(yield* q.get()).toBe(4); // the withdrawn getter took nothing
    });
  });

  it('putNowait() and getNowait() throw WouldBlock instead of waiting', () => {
    const q = new Queue<number>(1);
    expect(() => q.getNowait()).toThrow(WouldBlock);
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrow(WouldBlock);
    expect(() => q.putNowait(2)).toThrow(/full \(maxsize 1\)/);
    expect(q.getNowait()).toBe(1);
    expect(() => new Queue(0).putNowait(1)).toThrow(WouldBlock);
  });

  it('get() with an item ready is a schedule point', async () => {
    const order: string[] = [];
    await runChecked(function* () {
      const q = new Queue<number>();
      q.putNowait(1);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { order.push('other'); yield* checkpoint(); });
        yield* q.get();
        order.push('getter');
      });
    });
    expect(order).toEqual(['other', 'getter']);
  });

  it('a getter handed an item and cancelled before it runs still returns the item', async () => {
    const got = await runChecked(function* () {
      const q = new Queue<string>();
      let item: string | undefined;
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { item = yield* q.get(); });
        yield* waitAllTasksBlocked();
        q.putNowait('delivered');
        t.cancel();
      });
      return item;
    });
    expect(got).toBe('delivered');
  });

  it('putNowait() from a host callback wakes a waiting getter', async () => {
    const got = await runChecked(function* () {
      const q = new Queue<string>();
      setTimeout(() => q.putNowait('from the host'), 1);
      return yield* q.get();
    });
    expect(got).toBe('from the host');
  });

  it('toString() lists the items like giambio', () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    expect(String(q)).toBe('Queue(1, 2)');
    expect(q.toArray()).toEqual([1, 2]);
  });

  it('keeps FIFO order across the ring buffer growing and wrapping', () => {
    const q = new Queue<number>();
    const out: number[] = [];
    let n = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < round % 13; i++) q.putNowait(n++);
      for (let i = 0; i < round % 7 && q.size > 0; i++) out.push(q.getNowait());
    }
    while (q.size > 0) out.push(q.getNowait());
    expect(out).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it.each([
    [-1, RangeError, 'Expected `maxsize` to be an integer ≥ 0 or Infinity, got `-1` (number)'],
    [1.5, RangeError, 'got `1.5` (number)'],
    [NaN, RangeError, 'got `NaN` (number)'],
    ['2', TypeError, 'got `"2"` (string)'],
  ])('new Queue(%s) throws an argument error naming what was expected and what came', (maxsize, type, message) => {
    expect(() => new Queue(maxsize as number)).toThrow(type);
    expect(() => new Queue(maxsize as number)).toThrow(message);
  });

  it('loop.close() withdraws a task parked in get() and runs its finally', () => {
    const { loop } = virtualLoop();
    const q = new Queue<number>();
    let cleaned = false;
    loop.start(function* () { try { yield* q.get(); } finally { cleaned = true; } });
    loop.runUntilIdle();
    expect(q.statistics().waitingGetters).toBe(1);
    loop.close();
    expect(cleaned).toBe(true);
    expect(q.statistics().waitingGetters).toBe(0);
    expectCoreEmpty(loop);
  });

  it('an operation object is lazy and single-use, like a generator', async () => {
    await runChecked(function* () {
      const q = new Queue<number>();
      q.get(); // never iterated: takes nothing
      q.putNowait(1);
      const op = q.get();
      expect(yield* op).toBe(1);
      expect(op.next()).toEqual({ value: undefined, done: true });
      expect(q.size).toBe(0);
    });
  });

  it('get() outside a task throws GiambioError', () => {
    expect(() => new Queue().get().next()).toThrow(/inside a giambio task/);
  });
});
