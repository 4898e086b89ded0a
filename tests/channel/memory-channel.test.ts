import { describe, expect, it } from 'vitest';
import { CancelledError, EndOfChannel, ResourceClosed, WouldBlock } from '../../src/errors.js';
import { EventLoop } from '../../src/loop.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import { MockClock, waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/task.js';
import { expectCoreEmpty, runChecked } from '../helpers.js';

// The hand-over MemoryChannel shares with Queue (FIFO, rendezvous, Nowait, cancel safety) is tested
// once for both in tests/contract/hand-over.test.ts.
describe('MemoryChannel', () => {
  it('after close() buffered items are still read, then read() throws EndOfChannel', async () => {
    await runChecked(function* () {
      const ch = new MemoryChannel<string>();
      yield* ch.write('a');
      yield* ch.write('b');
      ch.close();
      expect(ch.closed).toBe(true);
      expect(ch.pending()).toBe(true);
      expect(yield* ch.read()).toBe('a');
      expect(yield* ch.read()).toBe('b');
      expect(ch.pending()).toBe(false);
      let error: unknown = null;
      try { yield* ch.read(); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(EndOfChannel);
      expect(() => ch.readNowait()).toThrow(EndOfChannel);
    });
  });

  it('write() on a closed channel throws ResourceClosed with a clear message', async () => {
    await runChecked(function* () {
      const ch = new MemoryChannel<number>();
      ch.close();
      let error: unknown = null;
      try { yield* ch.write(1); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(ResourceClosed);
      expect((error as Error).message).toBe('MemoryChannel.write(): the channel is closed');
      expect(() => ch.writeNowait(1)).toThrow(ResourceClosed);
    });
  });

  it('close() wakes waiting readers with EndOfChannel and waiting writers with ResourceClosed', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const full = new MemoryChannel<number>(1);
      const empty = new MemoryChannel<number>();
      full.writeNowait(0);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* empty.read(); } catch (e) { log.push(`reader: ${(e as Error).name}@${clock()}`); } });
        pool.spawn(function* () { try { yield* full.write(1); } catch (e) { log.push(`writer: ${(e as Error).name}@${clock()}`); } });
        yield* sleep(5);
        empty.close();
        full.close();
      });
      // The writer's item was never written; the buffered one still is readable.
      expect(full.readNowait()).toBe(0);
      expect(() => full.readNowait()).toThrow(EndOfChannel);
    });
    expect(log).toEqual(['reader: EndOfChannel@5', 'writer: ResourceClosed@5']);
  });

  it('close() twice is harmless', () => {
    const ch = new MemoryChannel();
    ch.close();
    ch.close();
    expect(ch.closed).toBe(true);
  });

  it('MemoryChannel(0) is a rendezvous: write() waits for a reader, and pending() sees the waiting writer', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const ch = new MemoryChannel<string>(0);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* ch.write('x'); log.push(`written@${clock()}`); });
        yield* sleep(3);
        expect(ch.pending()).toBe(true);
        expect(ch.size).toBe(0);
        log.push(`read ${yield* ch.read()}@${clock()}`);
      });
    });
    expect(log).toEqual(['written@3', 'read x@3']);
  });

  it('a cancelled writer wrote nothing', async () => {
    await runChecked(function* () {
      const ch = new MemoryChannel<string>(0);
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* ch.write('withdrawn'); });
        yield* waitAllTasksBlocked();
        t.cancel();
        expect(ch.pending()).toBe(false);
      });
      ch.close();
      expect(() => ch.readNowait()).toThrow(EndOfChannel);
    });
  });

  it('each() runs the body for every item until the channel is closed and drained', async () => {
    const got = await runChecked(function* () {
      const ch = new MemoryChannel<number>(1);
      const out: string[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          for (let i = 0; i < 4; i++) yield* ch.write(i);
          ch.close();
        });
        yield* ch.each(function* (item) { yield* sleep(1); out.push(`${item}@${clock()}`); });
      });
      return out;
    });
    expect(got).toEqual(['0@1', '1@2', '2@3', '3@4']);
  });

  it('each() stops early when the body returns false, leaving the channel open', async () => {
    await runChecked(function* () {
      const ch = new MemoryChannel<number>();
      for (let i = 0; i < 5; i++) ch.writeNowait(i);
      const seen: number[] = [];
      yield* ch.each(function* (item) { seen.push(item); yield* checkpoint(); return item < 2; });
      expect(seen).toEqual([0, 1, 2]);
      expect([ch.closed, ch.size]).toEqual([false, 2]);
    });
  });

  it('each() refuses an async function before reading anything', async () => {
    await runChecked(function* () {
      const ch = new MemoryChannel<number>();
      ch.writeNowait(1);
      let error: unknown = null;
      try { yield* ch.each((async () => undefined) as never); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(TypeError);
      expect(ch.size).toBe(1);
    });
  });

  it('for await … of reads from outside the loop until the channel is closed', async () => {
    const { loop } = (() => { const clock = new MockClock({ autojump: true }); return { loop: new EventLoop({ clock }) }; })();
    const ch = new MemoryChannel<number>(0);
    const done = loop.run(function* () {
      for (let i = 0; i < 5; i++) { yield* ch.write(i); yield* sleep(10); }
      ch.close();
    });
    const got: number[] = [];
    for await (const item of ch) got.push(item);
    await done;
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expectCoreEmpty(loop);
  });

  it('for await … of on a closed, drained channel ends at once', async () => {
    const ch = new MemoryChannel<number>();
    ch.writeNowait(1);
    ch.close();
    const got: number[] = [];
    for await (const item of ch) got.push(item);
    expect(got).toEqual([1]);
  });

  it('Symbol.dispose and Symbol.asyncDispose close the channel', async () => {
    const a = new MemoryChannel();
    a[Symbol.dispose]();
    expect(a.closed).toBe(true);
    const b = new MemoryChannel();
    await b[Symbol.asyncDispose]();
    expect(b.closed).toBe(true);
  });

  it('statistics() reports the buffer and the waiters', async () => {
    await runChecked(function* () {
      const ch = new MemoryChannel<number>(1);
      ch.writeNowait(1);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* ch.write(2); });
        yield* waitAllTasksBlocked();
        expect(ch.statistics()).toEqual({ size: 1, maxsize: 1, closed: false, waitingReaders: 0, waitingWriters: 1 });
        yield* ch.read();
        yield* ch.read();
      });
      expect(ch.statistics()).toEqual({ size: 0, maxsize: 1, closed: false, waitingReaders: 0, waitingWriters: 0 });
    });
  });

  it.each([
    [-1, RangeError, 'Expected `maxsize` to be an integer ≥ 0 or Infinity, got `-1` (number)'],
    [NaN, RangeError, 'got `NaN` (number)'],
    [null, TypeError, 'got `null`'],
  ])('new MemoryChannel(%s) throws an argument error naming what was expected and what came', (maxsize, type, message) => {
    expect(() => new MemoryChannel(maxsize as number)).toThrow(type);
    expect(() => new MemoryChannel(maxsize as number)).toThrow(message);
  });
});
