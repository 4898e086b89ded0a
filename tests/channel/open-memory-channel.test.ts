// openMemoryChannel: trio's channel semantics (tests/_tests/test_channel.py) — halves, clones,
// per-handle close, EndOfChannel / ResourceBroken / ResourceClosed, rendezvous, iteration — and
// the overflow policies. Environment-neutral: tests/browser/channels.test.ts runs it in browsers.
import { describe, expect, it } from 'vitest';
import { CancelledError, EndOfChannel, ResourceBroken, ResourceClosed, WouldBlock } from '../../src/errors.js';
import { EventLoop } from '../../src/loop.js';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { openMemoryChannel } from '../../src/channel/open-memory-channel.js';
import type { ReceiveChannel } from '../../src/channel/channel-types.js';
import { MockClock, waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/task.js';
import { expectCoreEmpty, runChecked } from '../helpers.js';

/** Runs `op` and returns what it threw (fails if it did not throw). */
function* thrown(op: Operation<unknown>): Operation<unknown> {
  try { yield* op; } catch (error) { return error; }
  throw new Error('expected the operation to throw');
}

function drainNowait<T>(receive: ReceiveChannel<T>): T[] {
  const out: T[] = [];
  for (;;) {
    try { out.push(receive.receiveNowait()); } catch (error) {
      if (error instanceof WouldBlock || error instanceof EndOfChannel) return out;
      throw error;
    }
  }
}

describe('openMemoryChannel: basics', () => {
  it('a bounded channel delivers items in order and reports its statistics', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(2);
      yield* send.send(1);
      send.sendNowait(2);
      expect(() => send.sendNowait(3)).toThrow(WouldBlock);
      expect(send.statistics()).toEqual({
        currentBufferUsed: 2, maxBufferSize: 2, overflow: 'wait', dropped: 0,
        openSendChannels: 1, openReceiveChannels: 1, tasksWaitingSend: 0, tasksWaitingReceive: 0,
      });
      expect(yield* receive.receive()).toBe(1);
      expect(receive.receiveNowait()).toBe(2);
      expect(() => receive.receiveNowait()).toThrow(WouldBlock);
    });
  });

  it('maxsize 0 (the default) is a rendezvous: send waits until a receiver takes the item', async () => {
    const log = await runChecked(function* () {
      const [send, receive] = openMemoryChannel<string>();
      const log: string[] = [];
      expect(() => send.sendNowait('x')).toThrow(WouldBlock);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* send.send('a'); log.push('sent'); });
        yield* waitAllTasksBlocked();
        expect(send.statistics().tasksWaitingSend).toBe(1);
        expect(send.statistics().currentBufferUsed).toBe(0);
        log.push('receiving');
        log.push(yield* receive.receive());
      });
      return log;
    });
    expect(log).toEqual(['receiving', 'sent', 'a']); // the woken sender runs before the receiver's schedule point
  });

  it('Infinity is unbounded', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(Infinity);
      for (let i = 0; i < 1000; i++) send.sendNowait(i);
      send.close();
      expect(drainNowait(receive)).toHaveLength(1000);
    });
  });

  it('send and receive are checkpoints even when they do not wait', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(1);
      const order: string[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { order.push('other'); });
        yield* send.send(1);
        order.push('sent');
        yield* receive.receive();
      });
      expect(order).toEqual(['other', 'sent']);
    });
  });

  it('argument errors say what was expected and what came', () => {
    expect(() => openMemoryChannel(-1)).toThrow('Expected `maxsize` to be an integer ≥ 0 or Infinity, got `-1` (number)');
    expect(() => openMemoryChannel(1.5)).toThrow(RangeError);
    expect(() => openMemoryChannel('1' as unknown as number)).toThrow(TypeError);
    expect(() => openMemoryChannel(1, { overflow: 'drop' as 'wait' })).toThrow("Expected `options.overflow` to be 'wait', 'dropNewest' or 'dropOldest', got `\"drop\"` (string)");
    expect(() => openMemoryChannel(0, { overflow: 'dropOldest' })).toThrow(RangeError);
    expect(() => openMemoryChannel(0, { overflow: 'dropNewest' })).toThrow("Expected `maxsize` to be ≥ 1 with overflow 'dropNewest'");
  });
});

describe('openMemoryChannel: closing, clones, EndOfChannel and ResourceBroken', () => {
  it('when every send handle is closed, receivers drain the buffer and then get EndOfChannel', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(5);
      const send2 = send.clone();
      yield* send.send(1);
      yield* send2.send(2);
      send.close();
      expect(send.closed).toBe(true);
      expect(send.statistics().openSendChannels).toBe(1);
      yield* send2.send(3); // the clone is still open
      send2.close();
      expect([yield* receive.receive(), yield* receive.receive(), yield* receive.receive()]).toEqual([1, 2, 3]);
      expect(yield* thrown(receive.receive())).toBeInstanceOf(EndOfChannel);
      expect(() => receive.receiveNowait()).toThrow(EndOfChannel);
    });
  });

  it('using a handle after closing that handle throws ResourceClosed; close is idempotent', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(1);
      const receive2 = receive.clone();
      send.close();
      send.close();
      send.closeNow();
      const e = yield* thrown(send.send(1));
      expect(e).toBeInstanceOf(ResourceClosed);
      expect((e as Error).message).toBe('SendChannel.send(): this send handle is closed');
      expect(() => send.sendNowait(1)).toThrow(ResourceClosed);
      expect(() => send.clone()).toThrow(ResourceClosed);
      receive.close();
      expect(yield* thrown(receive.receive())).toBeInstanceOf(ResourceClosed);
      expect(() => receive.receiveNowait()).toThrow(ResourceClosed);
      expect(() => receive.clone()).toThrow(ResourceClosed);
      expect(yield* thrown(receive2.receive())).toBeInstanceOf(EndOfChannel); // the clone is open
      receive2.close();
    });
  });

  it('when every receive handle is closed, sends throw ResourceBroken and the buffer is dropped', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<object>(3);
      yield* send.send({});
      const r2 = receive.clone();
      receive.close();
      yield* send.send({}); // r2 is open
      r2[Symbol.dispose]();
      expect(send.statistics().currentBufferUsed).toBe(0);
      expect(yield* thrown(send.send({}))).toBeInstanceOf(ResourceBroken);
      expect(() => send.sendNowait({})).toThrow(ResourceBroken);
      send.close();
    });
  });

  it('a receiver waiting when the last sender closes gets EndOfChannel', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(1);
      const errors: unknown[] = [];
      yield* createPool(function* (pool) {
        for (let i = 0; i < 2; i++) pool.spawn(function* () { errors.push(yield* thrown(receive.receive())); });
        yield* waitAllTasksBlocked();
        send.close();
      });
      expect(errors.map((e) => (e as Error).constructor)).toEqual([EndOfChannel, EndOfChannel]);
    });
  });

  it('a sender waiting when the last receiver closes gets ResourceBroken, and sent nothing', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(0);
      let error: unknown = null;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { error = yield* thrown(send.send(7)); });
        yield* waitAllTasksBlocked();
        receive.close();
      });
      expect(error).toBeInstanceOf(ResourceBroken);
      expect(send.statistics().tasksWaitingSend).toBe(0);
    });
  });

  it('closing a handle wakes only the tasks parked on that handle, with ResourceClosed', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<string>(0);
      const mine = send.clone();
      const results: string[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* mine.send('mine'); results.push('mine sent'); } catch (e) { results.push((e as Error).name); } });
        pool.spawn(function* () { yield* send.send('other'); results.push('other sent'); });
        yield* waitAllTasksBlocked();
        mine.close();
        yield* waitAllTasksBlocked();
        expect(results).toEqual(['ResourceClosed']);
        results.push(yield* receive.receive());
      });
      expect(results).toEqual(['ResourceClosed', 'other sent', 'other']);
      const r2 = receive.clone();
      let error: unknown = null;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { error = yield* thrown(r2.receive()); });
        yield* waitAllTasksBlocked();
        r2.close();
      });
      expect((error as Error).message).toBe('ReceiveChannel.receive(): the receive handle was closed while receiving');
      expect(error).toBeInstanceOf(ResourceClosed);
    });
  });

  it('fan-in: several producers each close their clone, the consumer ends after the last', async () => {
    const got = await runChecked(function* () {
      const [send, receive] = openMemoryChannel<string>();
      const got: string[] = [];
      yield* createPool(function* (pool) {
        for (const name of ['a', 'b', 'c']) {
          const mine = send.clone();
          pool.spawn(function* () {
            using s = mine;
            for (let i = 0; i < 2; i++) { yield* sleep(name.charCodeAt(0)); yield* s.send(`${name}${i}`); }
          });
        }
        send.close();
        yield* receive.each(function* (item) { got.push(item); });
      });
      return got;
    });
    expect(got.sort()).toEqual(['a0', 'a1', 'b0', 'b1', 'c0', 'c1']);
  });

  it('fan-out: several consumers share the work through receive clones', async () => {
    const counts = await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(0);
      const counts = [0, 0, 0];
      yield* createPool(function* (pool) {
        for (let w = 0; w < 3; w++) {
          const mine = receive.clone();
          pool.spawn(function* () { yield* mine.each(function* () { counts[w]++; yield* sleep(1); }); mine.close(); });
        }
        receive.close();
        for (let i = 0; i < 30; i++) yield* send.send(i);
        send.close();
      });
      return counts;
    });
    expect(counts.reduce((a, b) => a + b)).toBe(30);
    for (const c of counts) expect(c).toBeGreaterThan(0);
  });

  it('a cancelled send sent nothing and a cancelled receive took nothing', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(0);
      yield* createPool(function* (pool) {
        const s = pool.spawn(function* () { yield* send.send(1); });
        yield* waitAllTasksBlocked();
        s.cancel();
      });
      expect(() => receive.receiveNowait()).toThrow(WouldBlock);
      let cancelled = false;
      yield* createPool(function* (pool) {
        const r = pool.spawn(function* () {
          try { yield* receive.receive(); } catch (e) { cancelled = e instanceof CancelledError; throw e; }
        });
        yield* waitAllTasksBlocked();
        r.cancel();
      });
      expect(cancelled).toBe(true);
      const [s2, r2] = openMemoryChannel<number>(1);
      s2.sendNowait(5);
      expect(r2.receiveNowait()).toBe(5);
      expect(receive.statistics().tasksWaitingReceive).toBe(0);
    });
  });

  it('each() stops early when the body returns false, leaving the rest', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(Infinity);
      for (let i = 0; i < 5; i++) send.sendNowait(i);
      const seen: number[] = [];
      yield* receive.each(function* (n) { seen.push(n); return n < 2; });
      expect(seen).toEqual([0, 1, 2]);
      expect(receive.receiveNowait()).toBe(3);
      expect(() => receive.each((async () => {}) as never)).toThrow(TypeError);
    });
  });
});

describe('openMemoryChannel: iteration from plain async code', () => {
  it('for await receives every item, then ends when the last sender closes', async () => {
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }) });
    const [send, receive] = openMemoryChannel<number>(0);
    const producing = loop.run(function* () {
      for (let i = 0; i < 5; i++) { yield* send.send(i); yield* sleep(10); }
      send.close();
    });
    const got: number[] = [];
    for await (const n of receive) got.push(n);
    await producing;
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expectCoreEmpty(loop);
  });

  it('for await over a closed receive handle rejects with ResourceClosed', async () => {
    const [, receive] = openMemoryChannel<number>(1);
    receive.close();
    await expect((async () => { for await (const _ of receive) { /* nothing */ } })()).rejects.toBeInstanceOf(ResourceClosed);
  });
});

describe('openMemoryChannel: overflow policies', () => {
  it("'wait': send waits while the buffer is full", async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(1, { overflow: 'wait' });
      const order: string[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* send.send(1); order.push('1'); yield* send.send(2); order.push('2'); });
        yield* waitAllTasksBlocked();
        expect(order).toEqual(['1']);
        expect(yield* receive.receive()).toBe(1);
        yield* waitAllTasksBlocked();
        expect(order).toEqual(['1', '2']);
        expect(yield* receive.receive()).toBe(2);
      });
    });
  });

  it("'dropNewest': a send to a full buffer succeeds at once and the new item is discarded", async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(2, { overflow: 'dropNewest' });
      for (let i = 0; i < 5; i++) yield* send.send(i);
      send.sendNowait(5);
      expect(send.statistics()).toMatchObject({ currentBufferUsed: 2, dropped: 4, overflow: 'dropNewest' });
      send.close();
      expect(drainNowait(receive)).toEqual([0, 1]);
    });
  });

  it("'dropOldest': a send to a full buffer discards the oldest item (a sliding window)", async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<number>(3, { overflow: 'dropOldest' });
      for (let i = 0; i < 10; i++) yield* send.send(i);
      expect(receive.statistics()).toMatchObject({ currentBufferUsed: 3, dropped: 7 });
      send.close();
      expect(drainNowait(receive)).toEqual([7, 8, 9]);
    });
  });

  it('a dropping policy still hands items to a waiting receiver directly', async () => {
    await runChecked(function* () {
      const [send, receive] = openMemoryChannel<string>(1, { overflow: 'dropOldest' });
      let got = '';
      yield* createPool(function* (pool) {
        pool.spawn(function* () { got = yield* receive.receive(); });
        yield* waitAllTasksBlocked();
        send.sendNowait('direct');
      });
      expect(got).toBe('direct');
      expect(send.statistics().dropped).toBe(0);
    });
  });
});
