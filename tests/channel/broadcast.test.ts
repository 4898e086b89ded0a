// createBroadcast: every subscription sees every value sent after it subscribed; with 'wait' the
// slowest subscriber sets the pace, with 'dropOldest' a slow one loses its oldest items instead.
// Environment-neutral: tests/browser/channels.test.ts runs it in browsers.
import { describe, expect, it } from 'vitest';
import { CancelledError, EndOfChannel, ResourceClosed, WouldBlock } from '../../src/errors.js';
import { EventLoop } from '../../src/loop.js';
import { clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { createBroadcast } from '../../src/channel/broadcast.js';
import { MockClock, waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/task.js';
import type { ReceiveChannel } from '../../src/channel/channel-types.js';
import { expectCoreEmpty, runChecked } from '../helpers.js';

/** Receives until the end, sleeping `ms` per item; returns the items and when each was received. */
function* reader<T>(inbox: ReceiveChannel<T>, ms: number, out: Array<[T, number]>): Operation<void> {
  yield* inbox.each(function* (item) { out.push([item, clock()]); yield* sleep(ms); });
}

describe('createBroadcast', () => {
  it('every subscription receives every value sent after it subscribed, in order', async () => {
    await runChecked(function* () {
      const b = createBroadcast<number>({ buffer: 8 });
      const early = b.subscribe();
      yield* b.send(1);
      const late = b.subscribe();
      expect(b.subscribers).toBe(2);
      yield* b.send(2);
      yield* b.send(3);
      b.close();
      const a: Array<[number, number]> = [];
      const c: Array<[number, number]> = [];
      yield* createPool(function* (pool) {
        pool.spawn(reader, early, 0, a);
        pool.spawn(reader, late, 0, c);
      });
      expect(a.map(([n]) => n)).toEqual([1, 2, 3]);
      expect(c.map(([n]) => n)).toEqual([2, 3]);
    });
  });

  it("'wait': the slowest subscriber sets the pace, and nothing is lost", async () => {
    await runChecked(function* () {
      const b = createBroadcast<number>({ buffer: 2 });
      const fast: Array<[number, number]> = [];
      const slow: Array<[number, number]> = [];
      let sentAt = 0;
      yield* createPool(function* (pool) {
        pool.spawn(reader, b.subscribe(), 1, fast);
        pool.spawn(reader, b.subscribe(), 100, slow);
        for (let i = 0; i < 10; i++) yield* b.send(i);
        sentAt = clock();
        b.close();
      });
      expect(fast.map(([n]) => n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(slow.map(([n]) => n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // 10 items, 2 buffered + 1 being handled: the sender finished only after 7 slow items.
      expect(sentAt).toBe(700);
      // The fast reader was held back by the sender, not by the slow reader's sleeps directly.
      expect(fast[9][1]).toBeLessThanOrEqual(sentAt);
    });
  });

  it("'dropOldest': a slow subscriber loses its oldest items and never holds the sender back", async () => {
    await runChecked(function* () {
      const b = createBroadcast<number>({ buffer: 2, overflow: 'dropOldest' });
      const fast: Array<[number, number]> = [];
      const slow: Array<[number, number]> = [];
      const slowInbox = b.subscribe();
      let sentAt = -1;
      yield* createPool(function* (pool) {
        pool.spawn(reader, b.subscribe(), 0, fast);
        pool.spawn(reader, slowInbox, 1000, slow);
        for (let i = 0; i < 10; i++) { yield* b.send(i); yield* sleep(10); }
        sentAt = clock();
        expect(slowInbox.statistics().dropped).toBe(7);
        b.close();
      });
      expect(sentAt).toBe(100);
      expect(fast.map(([n]) => n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(slow.map(([n]) => n)).toEqual([0, 8, 9]);
    });
  });

  it("'dropNewest': a slow subscriber keeps the items it had and loses the new ones", async () => {
    await runChecked(function* () {
      const b = createBroadcast<number>({ buffer: 2, overflow: 'dropNewest' });
      const inbox = b.subscribe();
      for (let i = 0; i < 5; i++) b.sendNowait(i);
      b.close();
      const got: number[] = [];
      yield* inbox.each(function* (n) { got.push(n); });
      expect(got).toEqual([0, 1]);
    });
  });

  it('a cancelled send reached no subscriber', async () => {
    await runChecked(function* () {
      const b = createBroadcast<string>({ buffer: 1 });
      const roomy = b.subscribe();
      const full = b.subscribe();
      yield* b.send('first');
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* b.send('cancelled'); });
        yield* waitAllTasksBlocked();
        expect(b.statistics().tasksWaitingSend).toBe(1);
        t.cancel();
      });
      expect(roomy.receiveNowait()).toBe('first');
      expect(() => roomy.receiveNowait()).toThrow(WouldBlock);
      expect(full.receiveNowait()).toBe('first');
      expect(() => full.receiveNowait()).toThrow(WouldBlock);
      b.close();
    });
  });

  it('closing a subscription unsubscribes it and releases a sender it held back', async () => {
    await runChecked(function* () {
      const b = createBroadcast<number>({ buffer: 1 });
      const stuck = b.subscribe();
      const other = b.subscribe();
      yield* b.send(1);
      let sent = false;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* b.send(2); sent = true; });
        yield* waitAllTasksBlocked();
        expect(yield* other.receive()).toBe(1); // other has room now, stuck is still full
        yield* waitAllTasksBlocked();
        expect(sent).toBe(false);
        stuck.close();
        expect(b.subscribers).toBe(1);
      });
      expect(sent).toBe(true);
      expect(other.receiveNowait()).toBe(2);
      b.close();
    });
  });

  it('close(): subscriptions drain then get EndOfChannel, waiting senders get ResourceClosed, later subscriptions are at their end', async () => {
    await runChecked(function* () {
      const b = createBroadcast<number>({ buffer: 1 });
      const inbox = b.subscribe();
      yield* b.send(1);
      let error: unknown = null;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* b.send(2); } catch (e) { error = e; } });
        yield* waitAllTasksBlocked();
        b.close();
      });
      expect(error).toBeInstanceOf(ResourceClosed);
      expect(b.closed).toBe(true);
      expect(yield* inbox.receive()).toBe(1);
      let end: unknown = null;
      try { yield* inbox.receive(); } catch (e) { end = e; }
      expect(end).toBeInstanceOf(EndOfChannel);
      expect(() => b.subscribe().receiveNowait()).toThrow(EndOfChannel);
      expect(() => b.sendNowait(3)).toThrow(ResourceClosed);
      b.close(); // idempotent
    });
  });

  it('a cancelled receive on a subscription took nothing', async () => {
    await runChecked(function* () {
      const b = createBroadcast<number>();
      const inbox = b.subscribe();
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          try { yield* inbox.receive(); } catch (e) { expect(e).toBeInstanceOf(CancelledError); throw e; }
        });
        yield* waitAllTasksBlocked();
        t.cancel();
      });
      yield* b.send(5);
      expect(inbox.receiveNowait()).toBe(5);
      b.close();
    });
  });

  it('with no subscribers a send completes at once', async () => {
    await runChecked(function* () {
      const b = createBroadcast<number>({ buffer: 1 });
      for (let i = 0; i < 3; i++) yield* b.send(i);
      expect(b.statistics()).toEqual({ subscribers: 0, tasksWaitingSend: 0, buffer: 1, overflow: 'wait', closed: false });
      (b as unknown as Disposable)[Symbol.dispose](); // what `using` calls
      expect(b.closed).toBe(true);
    });
  });

  it('a subscription can be iterated with for await from plain async code', async () => {
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }) });
    const b = createBroadcast<number>({ buffer: 1 });
    const inbox = b.subscribe();
    const sending = loop.run(function* () { for (let i = 0; i < 4; i++) yield* b.send(i); b.close(); });
    const got: number[] = [];
    for await (const n of inbox) got.push(n);
    await sending;
    expect(got).toEqual([0, 1, 2, 3]);
    expectCoreEmpty(loop);
  });

  it('argument errors say what was expected and what came', () => {
    expect(() => createBroadcast({ buffer: 0 })).toThrow('Expected `options.buffer` to be an integer ≥ 1 or Infinity, got `0` (number)');
    expect(() => createBroadcast({ overflow: 'x' as 'wait' })).toThrow(TypeError);
    expect(() => createBroadcast(null as never)).toThrow(TypeError);
  });
});
