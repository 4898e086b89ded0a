// fromAsyncIterable: a reader task (a resource of the caller's pool) pulls an iterable into a
// channel; leaving the pool or closing the channel stops it and releases the source; a source's
// error reaches the receiver after the items before it. Environment-neutral (async generators,
// sync iterables, web ReadableStream): tests/browser/channels.test.ts runs it in browsers too; the
// Node Readable cases are in tests/node/from-async-iterable.test.ts.
import { describe, expect, it } from 'vitest';
import { CancelledError, EndOfChannel, ResourceClosed } from '../../src/errors.js';
import { until } from '../../src/interop.js';
import { checkpoint, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { fromAsyncIterable } from '../../src/channel/from-async-iterable.js';
import type { ReceiveChannel } from '../../src/channel/channel-types.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/types.js';
import { runChecked } from '../helpers.js';

function* receiveAll<T>(channel: ReceiveChannel<T>): Operation<T[]> {
  const out: T[] = [];
  yield* channel.each(function* (item) { out.push(item); });
  return out;
}

/** An endless async generator that records what was pulled and when it was released. */
function counting() {
  const log = { pulled: 0, released: false };
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  async function* numbers() {
    try {
      for (let i = 0; ; i++) { log.pulled++; yield i; await Promise.resolve(); }
    } finally {
      log.released = true;
      release();
    }
  }
  return { log, released, source: numbers() };
}

describe('fromAsyncIterable', () => {
  it('receives every item of an async generator, then EndOfChannel', async () => {
    const got = await runChecked(function* () {
      async function* three() { yield 1; await new Promise((r) => setTimeout(r, 1)); yield 2; yield 3; }
      const channel = yield* fromAsyncIterable(three());
      const got = yield* receiveAll(channel);
      let end: unknown = null;
      try { yield* channel.receive(); } catch (e) { end = e; }
      expect(end).toBeInstanceOf(EndOfChannel);
      return got;
    });
    expect(got).toEqual([1, 2, 3]);
  });

  it('takes sync iterables too', async () => {
    expect(await runChecked(function* () { return yield* receiveAll(yield* fromAsyncIterable(new Set(['a', 'b']))); })).toEqual(['a', 'b']);
  });

  it("an error raised by the source reaches the receiver after the items before it, and does not fail the pool", async () => {
    const seen = await runChecked(function* () {
      async function* failing() { yield 'a'; yield 'b'; throw new RangeError('source broke'); }
      const seen: unknown[] = [];
      yield* createPool(function* () {
        const channel = yield* fromAsyncIterable(failing());
        for (;;) {
          try { seen.push(yield* channel.receive()); } catch (e) { seen.push(e); break; }
        }
      });
      return seen;
    });
    expect(seen.slice(0, 2)).toEqual(['a', 'b']);
    expect(seen[2]).toBeInstanceOf(RangeError);
    expect((seen[2] as Error).message).toBe('source broke');
  });

  it('rendezvous by default: the reader pulls one item ahead of the receiver at most', async () => {
    await runChecked(function* () {
      const { log, released, source } = counting();
      yield* createPool(function* () {
        const channel = yield* fromAsyncIterable(source);
        expect(yield* channel.receive()).toBe(0);
        yield* sleep(10);
        expect(log.pulled).toBeLessThanOrEqual(2);
      });
      yield* until(released);
    });
  });

  it('with a buffer the reader reads ahead up to it', async () => {
    await runChecked(function* () {
      const { log, released, source } = counting();
      yield* createPool(function* () {
        const channel = yield* fromAsyncIterable(source, { buffer: 5 });
        yield* sleep(10);
        expect(channel.statistics().currentBufferUsed).toBe(5);
        expect(log.pulled).toBe(6); // 5 buffered, one held by the reader
      });
      yield* until(released);
    });
  });

  it("leaving the pool stops the reader and calls the source's return()", async () => {
    await runChecked(function* () {
      const { log, released, source } = counting();
      yield* createPool(function* () {
        const channel = yield* fromAsyncIterable(source);
        expect([yield* channel.receive(), yield* channel.receive()]).toEqual([0, 1]);
      });
      yield* until(released);
      expect(log.released).toBe(true);
    });
  });

  it("closing the receive half stops the reader and calls the source's return(), before the pool exits", async () => {
    await runChecked(function* () {
      const { log, released, source } = counting();
      yield* createPool(function* () {
        const channel = yield* fromAsyncIterable(source);
        yield* channel.receive();
        channel.close();
        yield* until(released);
        expect(log.released).toBe(true);
        expect(yield* (function* () { try { yield* channel.receive(); } catch (e) { return e; } })()).toBeInstanceOf(ResourceClosed);
      });
    });
  });

  it("a ReadableStream cancelled in the middle: its cancel() is called, a pending read included", async () => {
    await runChecked(function* () {
      let reason: unknown = 'not cancelled';
      let pulls = 0;
      const stream = new ReadableStream<number>({
        pull(controller) {
          pulls++;
          if (pulls <= 3) controller.enqueue(pulls);
          return new Promise(() => {}); // then never again: a read stays pending
        },
        cancel(why) { reason = why; },
      }, { highWaterMark: 0 });
      const got: number[] = [];
      yield* createPool(function* (pool) {
        const channel = yield* fromAsyncIterable<number>(stream);
        got.push(yield* channel.receive());
        // Let the reader start its next read (which stays pending). No sleep: a virtual clock does
        // not jump while a task waits for the host (the pending read).
        for (let i = 0; i < 3; i++) yield* checkpoint();
        pool.cancel();
      });
      expect(got).toEqual([1]);
      yield* sleep(1);
      expect(reason).toBeUndefined(); // cancel() was called (with no reason)
    });
  });

  it('a cancelled receive took nothing: the item goes to the next receive', async () => {
    await runChecked(function* () {
      async function* slow() { yield 'only'; }
      yield* createPool(function* (pool) {
        const channel = yield* fromAsyncIterable(slow());
        const t = pool.spawn(function* () {
          try { yield* sleep(Infinity); } catch (e) { expect(e).toBeInstanceOf(CancelledError); throw e; }
        });
        yield* waitAllTasksBlocked();
        t.cancel();
        expect(yield* channel.receive()).toBe('only');
        const r = pool.spawn(function* () { yield* channel.receive(); });
        yield* waitAllTasksBlocked();
        r.cancel();
      });
    });
  });

  it('argument errors say what was expected and what came', () => {
    expect(() => fromAsyncIterable(42 as never)).toThrow('Expected `iterable` to be an async iterable, an iterable or a ReadableStream, got `42` (number)');
    expect(() => fromAsyncIterable([], { buffer: -1 })).toThrow(RangeError);
  });
});
