import { describe, expect, it } from 'vitest';
import { createPool, skipAfter } from '../../src/pool.js';
import { sleep, clock } from '../../src/operations.js';
import { ResourceClosed } from '../../src/errors.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { NetworkChannel } from '../../src/node/index.js';
import { runNode, text } from './helpers.js';

describe('NetworkChannel', () => {
  it("giambio's task_ipc2: two tasks trade 8-byte messages over a real socket pair (1 s = 100 ms)", async () => {
    const log = await runNode(function* () {
      const lines: string[] = [];
      const channel = yield* NetworkChannel.open();
      // Time counts from the open channel: setting up the socket pair takes real time, more on a busy machine.
      const start = clock();
      const say = (line: string): void => { lines.push(`t${Math.round((clock() - start) / 100)} ${line}`); };
      let next = 0;
      function* worker(name: string) {
        for (;;) {
          if (channel.pending()) {
            say(`[${name}] Received ${text(yield* channel.read(8))}`);
          } else {
            const data = String.fromCharCode(65 + next++).repeat(8);
            say(`[${name}] Sending ${data}`);
            yield* channel.write(data);
            yield* sleep(100);
          }
        }
      }
      yield* skipAfter(400, function* (pool) {
        pool.spawn(worker, 'one');
        pool.spawn(worker, 'two');
      });
      yield* channel.close();
      say(`[main] Operation complete, channel closed (pending: ${channel.pending()})`);
      return lines;
    });
    // t0 is exact, as in giambio. Later rounds interleave by real timer order and by the
    // schedule point every receive is (giambio's receive did not yield when data was there), so
    // the transcript is checked for what must hold: every message is received exactly once, in
    // the order sent, by the other task, within the 4 rounds; then the channel is closed.
    expect(log.slice(0, 3)).toEqual(['t0 [one] Sending AAAAAAAA', 't0 [two] Received AAAAAAAA', 't0 [two] Sending BBBBBBBB']);
    expect(log.at(-1)).toBe('t4 [main] Operation complete, channel closed (pending: false)');
    const events = log.slice(0, -1).map((line) => /^t(\d) \[(one|two)\] (Sending|Received) (\w+)$/.exec(line)!);
    expect(events.every((m) => m !== null && Number(m[1]) <= 3)).toBe(true);
    const sent = events.filter((m) => m[3] === 'Sending');
    const received = events.filter((m) => m[3] === 'Received');
    expect(sent.length).toBeGreaterThanOrEqual(7);
    expect(received.map((m) => m[4])).toEqual(sent.slice(0, received.length).map((m) => m[4]));
    expect(sent.length - received.length).toBeLessThanOrEqual(1);
    for (const r of received) expect(sent.find((m) => m[4] === r[4])![2]).not.toBe(r[2]);
  });

  it('concurrent readers take turns; bytes a reader waits for are not pending for others', async () => {
    const got = await runNode(function* () {
      const channel = yield* NetworkChannel.open();
      try {
        return yield* createPool(function* (pool) {
          const results: string[] = [];
          yield* channel.write('11112222');
          expect(channel.pending()).toBe(true);
          pool.spawn(function* () { results.push(text(yield* channel.read(4))); });
          pool.spawn(function* () { results.push(text(yield* channel.read(4))); });
          pool.spawn(function* () { results.push(text(yield* channel.read(4))); });
          yield* waitAllTasksBlocked();
          expect(channel.pending()).toBe(false); // 12 bytes claimed, 8 written
          yield* channel.write('3333');
          yield* waitAllTasksBlocked();
          return results;
        });
      } finally { yield* channel.close(); }
    });
    expect(got).toEqual(['1111', '2222', '3333']);
  });

  it('read(n) returns exactly n bytes, buffering the excess, and a cancelled read loses nothing', async () => {
    const got = await runNode(function* () {
      const channel = yield* NetworkChannel.open();
      try {
        yield* channel.write('abc');
        expect(yield* skipAfter(20, function* () { return yield* channel.read(5); })).toBeUndefined();
        expect(channel.pending()).toBe(true);
        yield* channel.write('defgh');
        const first = text(yield* channel.read(5));
        const second = text(yield* channel.read(3));
        return [first, second, channel.pending()];
      } finally { yield* channel.close(); }
    });
    expect(got).toEqual(['abcde', 'fgh', false]);
  });

  it('close() wakes a waiting reader with ResourceClosed; operations after close raise it', async () => {
    const errors = await runNode(function* () {
      const channel = yield* NetworkChannel.open();
      const caught: unknown[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* channel.read(1); } catch (e) { caught.push(e); } });
        yield* waitAllTasksBlocked();
        yield* channel.close();
      });
      for (const op of [() => channel.read(1), () => channel.write('x')]) {
        try { yield* op(); } catch (e) { caught.push(e); }
      }
      yield* channel.close();
      return caught;
    });
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => e instanceof ResourceClosed)).toBe(true);
  });
});
