// giambio's memory_channel and task_ipc scripts (../shared/GIAMBIO.md §3) as assertions on exact
// virtual times. write() and read() are always checkpoints here (giambio's did not yield when they
// could complete at once), which moves some lines within an instant; the times are giambio's.
import { describe, expect, it } from 'vitest';
import { clock, sleep } from '../../src/operations.js';
import { createPool, skipAfter } from '../../src/pool.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import type { Operation } from '../../src/task.js';
import { runChecked } from '../helpers.js';

function recorder() {
  const lines: string[] = [];
  return { lines, log: (message: string) => { lines.push(`t${clock()} ${message}`); } };
}

/** mulberry32: the "random" letters of task_ipc, reproducible. */
function letters(seed: number): () => string {
  let a = seed;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return () => Array.from({ length: 8 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

describe('giambio scenarios: memory channels', () => {
  it('memory_channel: a sender fills a MemoryChannel(2), closes it, and the receiver drains it one item per second', async () => {
    const { lines, log } = recorder();
    function* sender(c: MemoryChannel<string>, n: number): Operation<void> {
      for (let i = 0; i < n; i++) {
        yield* c.write(String(i));
        log(`Sent ${i}`);
      }
      c.close();
      log('Sender done');
    }
    function* receiver(c: MemoryChannel<string>): Operation<void> {
      for (;;) {
        if (!c.pending() && c.closed) { log('Receiver done'); break; }
        const item = yield* c.read();
        log(`Received ${item}`);
        yield* sleep(1000);
      }
    }
    await runChecked(function* main() {
      const channel = new MemoryChannel<string>(2);
      log('Starting sender and receiver');
      yield* createPool(function* (pool) {
        pool.spawn(sender, channel, 5);
        pool.spawn(receiver, channel);
      });
      log('All done!');
    });
    expect(lines).toEqual([
      't0 Starting sender and receiver',
      't0 Sent 0',
      't0 Received 0',
      't0 Sent 1',
      't0 Sent 2',
      't1000 Sent 3',
      't1000 Received 1',
      't2000 Sent 4',
      't2000 Sender done',
      't2000 Received 2',
      't3000 Received 3',
      't4000 Received 4',
      't5000 Receiver done',
      't5000 All done!',
    ]);
  });

  it('task_ipc: three tasks share an unbounded channel for 6 s, alternating sending and receiving', async () => {
    const { lines, log } = recorder();
    const random = letters(42);
    const sent: string[] = [];
    const received: string[] = [];
    function* task(c: MemoryChannel<string>, name: string): Operation<void> {
      for (;;) {
        if (c.pending()) {
          const data = yield* c.read();
          received.push(data);
          log(`[${name}] Received '${data}'`);
        } else {
          const data = random();
          sent.push(data);
          log(`[${name}] Sending '${data}'`);
          yield* c.write(data);
        }
        yield* sleep(1000);
      }
    }
    await runChecked(function* main() {
      const channel = new MemoryChannel<string>();
      log('[main] Spawning workers, exiting in 6 seconds');
      yield* skipAfter(6000, function* (pool) {
        pool.spawn(task, channel, 'one');
        pool.spawn(task, channel, 'two');
        pool.spawn(task, channel, 'three');
      });
      channel.close();
      log('[main] Operation complete, channel closed');
      expect(channel.pending()).toBe(false); // nothing left over
    });
    // Each round, the writer of the previous round's second item reads first: one and three send
    // at even seconds, two at odd ones, and every item is received in the next second's round.
    const expected = ['t0 [main] Spawning workers, exiting in 6 seconds'];
    let s = 0;
    for (let round = 0; round < 6; round++) {
      const t = `t${round * 1000}`;
      if (round % 2 === 0) {
        expected.push(`${t} [one] Sending '${sent[s]}'`, `${t} [three] Sending '${sent[s + 1]}'`, `${t} [two] Received '${sent[s]}'`);
        s += 2;
      } else {
        expected.push(`${t} [two] Sending '${sent[s]}'`, `${t} [one] Received '${sent[s - 1]}'`, `${t} [three] Received '${sent[s]}'`);
        s += 1;
      }
    }
    // The sleeps that end at 6 s are due in the same instant as the deadline: they complete (trio's
    // rule, see pool tests), so each task starts one more round and its write() — a cancel point —
    // raises CancelledError before writing. giambio cancelled the sleeps instead.
    expected.push(`t6000 [one] Sending '${sent[s]}'`, `t6000 [two] Sending '${sent[s + 1]}'`, `t6000 [three] Sending '${sent[s + 2]}'`);
    expected.push('t6000 [main] Operation complete, channel closed');
    expect(lines).toEqual(expected);
    // Every item written was received exactly once; the three cancelled writes wrote nothing.
    expect(new Set(received)).toEqual(new Set(sent.slice(0, s)));
    expect(received).toHaveLength(s);
  });
});
