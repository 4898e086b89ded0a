// fromAsyncIterable over a Node Readable: chunks arrive in order, and stopping in the middle
// (leaving the pool, or closing the channel) destroys the stream through its iterator's return().
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { until } from '../../src/interop.js';
import { fromAsyncIterable } from '../../src/channel/from-async-iterable.js';
import { runNode } from './helpers.js';

/** An endless object-mode Readable counting 0, 1, 2, …; `closed` resolves when it is destroyed. */
function endless() {
  let n = 0;
  const stream = new Readable({ objectMode: true, highWaterMark: 1, read() { this.push(n++); } });
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  return { stream, closed };
}

describe('fromAsyncIterable over a Node Readable', () => {
  it('receives the chunks in order', async () => {
    const got = await runNode(function* () {
      const got: string[] = [];
      yield* createPool(function* () {
        const chunks = yield* fromAsyncIterable<string>(Readable.from(['a', 'b', 'c']));
        yield* chunks.each(function* (chunk) { got.push(chunk); });
      });
      return got;
    });
    expect(got).toEqual(['a', 'b', 'c']);
  });

  it('leaving the pool in the middle destroys the stream', async () => {
    const { stream, closed } = endless();
    const got = await runNode(function* () {
      const got: number[] = [];
      yield* createPool(function* () {
        const numbers = yield* fromAsyncIterable<number>(stream);
        for (let i = 0; i < 3; i++) got.push(yield* numbers.receive());
      });
      yield* until(closed);
      return got;
    });
    expect(got).toEqual([0, 1, 2]);
    expect(stream.destroyed).toBe(true);
  });

  it('an idle stream (a read pending forever) is destroyed at once when the pool is left', async () => {
    let sent = 0;
    const idle = new Readable({ objectMode: true, read() { if (sent < 2) this.push(sent++); } });
    const got = await runNode(function* () {
      const got: number[] = [];
      yield* createPool(function* () {
        const numbers = yield* fromAsyncIterable<number>(idle);
        for (let i = 0; i < 2; i++) got.push(yield* numbers.receive());
      });
      expect(idle.destroyed).toBe(true);
      return got;
    });
    expect(got).toEqual([0, 1]);
  });

  it('closing the channel in the middle destroys the stream while the pool goes on', async () => {
    const { stream, closed } = endless();
    await runNode(function* () {
      yield* createPool(function* () {
        const numbers = yield* fromAsyncIterable<number>(stream, { buffer: 4 });
        expect(yield* numbers.receive()).toBe(0);
        numbers.close();
        yield* until(closed);
        expect(stream.destroyed).toBe(true);
      });
    });
  });

});
