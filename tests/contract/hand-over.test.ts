// One test body over every FIFO hand-over primitive (trio's lock_factories + generic_lock_test):
// Queue and MemoryChannel promise the same hand-over, so it is written once and run for each. The
// primitive-specific behaviour (Queue's statistics, MemoryChannel's close/each/for await) stays in
// tests/sync/queue.test.ts and tests/channel/memory-channel.test.ts.
import { describe, expect, it } from 'vitest';
import { CancelledError, WouldBlock } from '../../src/errors.js';
import { clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Queue } from '../../src/sync/queue.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/task.js';
import { raisedBy, runChecked } from '../helpers.js';

/** The hand-over both primitives share, under neutral names. */
interface HandOver<T> {
  put(item: T): Operation<void>;
  get(): Operation<T>;
  putNowait(item: T): void;
  getNowait(): T;
  readonly size: number;
}

function queueHandOver<T>(maxsize?: number): HandOver<T> {
  const q = new Queue<T>(maxsize);
  return { put: (i: T) => q.put(i), get: () => q.get(), putNowait: (i: T) => q.putNowait(i), getNowait: () => q.getNowait(), get size() { return q.size; } };
}

function channelHandOver<T>(maxsize?: number): HandOver<T> {
  const c = new MemoryChannel<T>(maxsize);
  return { put: (i: T) => c.write(i), get: () => c.read(), putNowait: (i: T) => c.writeNowait(i), getNowait: () => c.readNowait(), get size() { return c.size; } };
}

const factories: Array<[string, <T>(maxsize?: number) => HandOver<T>]> = [
  ['Queue', queueHandOver],
  ['MemoryChannel', channelHandOver],
];

describe.each(factories)('hand-over contract: %s', (_name, make) => {
  it('items come out first in, first out', async () => {
    const got = await runChecked(function* () {
      const h = make<number>();
      for (let i = 0; i < 5; i++) yield* h.put(i);
      const out: number[] = [];
      for (let i = 0; i < 5; i++) out.push(yield* h.get());
      return out;
    });
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('waiting getters are served in the order they started waiting', async () => {
    const got: string[] = [];
    await runChecked(function* () {
      const h = make<number>();
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c']) pool.spawn(function* () { got.push(`${name}${yield* h.get()}`); });
        yield* waitAllTasksBlocked();
        for (let i = 1; i <= 3; i++) h.putNowait(i);
      });
    });
    expect(got).toEqual(['a1', 'b2', 'c3']);
  });

  it('size 0 is a rendezvous: put waits for a get', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const h = make<string>(0);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* h.put('x'); log.push(`put done at ${clock()}`); });
        yield* sleep(7);
        log.push(`got ${yield* h.get()} at ${clock()}`);
      });
    });
    expect(log).toEqual(['put done at 7', 'got x at 7']);
  });

  it('the Nowait twins throw WouldBlock instead of waiting', () => {
    const h = make<number>(1);
    expect(() => h.getNowait()).toThrow(WouldBlock);
    h.putNowait(1);
    expect(() => h.putNowait(2)).toThrow(WouldBlock);
    expect(h.getNowait()).toBe(1);
  });

  it('a get with an item ready is a cancel point: a cancelled scope raises before taking it', async () => {
    await runChecked(function* () {
      const h = make<number>();
      h.putNowait(1);
      yield* createPool(function* (pool) {
        pool.cancel();
        expect(yield* raisedBy(h.get())).toBeInstanceOf(CancelledError);
      });
      expect(h.size).toBe(1);
    });
  });

  it('a put with room in a cancelled scope raises and adds nothing', async () => {
    await runChecked(function* () {
      const h = make<number>();
      yield* createPool(function* (pool) {
        pool.cancel();
        expect(yield* raisedBy(h.put(1))).toBeInstanceOf(CancelledError);
      });
      expect(h.size).toBe(0);
    });
  });

  it('a cancelled getter takes no item: the next waiting getter gets it', async () => {
    const got: string[] = [];
    await runChecked(function* () {
      const h = make<number>();
      yield* createPool(function* (pool) {
        const getter = (name: string) => function* (): Operation<void> {
          try { got.push(`${name}${yield* h.get()}`); } catch (e) { if (e instanceof CancelledError) got.push(`${name} cancelled`); throw e; }
        };
        const a = pool.spawn(getter('a'));
        pool.spawn(getter('b'));
        yield* waitAllTasksBlocked();
        a.cancel();
        h.putNowait(1);
      });
    });
    expect(got).toEqual(['a cancelled', 'b1']);
  });

  it('a cancelled putter did not put: its item never appears', async () => {
    await runChecked(function* () {
      const h = make<string>(1);
      h.putNowait('kept');
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* h.put('withdrawn'); });
        yield* waitAllTasksBlocked();
        t.cancel();
      });
      expect(h.getNowait()).toBe('kept');
      expect(() => h.getNowait()).toThrow(WouldBlock);
    });
  });
});
