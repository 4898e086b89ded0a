// Property: whatever the interleaving of sends, receives, cancellations, clone closes and
// scheduling, a channel from openMemoryChannel delivers every sent item exactly once and in order
// (overflow 'wait'), a cancelled or refused send sent nothing, and a cancelled receive took nothing.
// With a dropping policy, what is received is an ordered subsequence of what was sent and every
// missing item was counted in `dropped`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CancelledError, EndOfChannel, ResourceClosed, WouldBlock } from '../../src/errors.js';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { openMemoryChannel } from '../../src/channel/open-memory-channel.js';
import type { Overflow, SendChannel } from '../../src/channel/channel-types.js';
import type { Operation, Task } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

type Command =
  | { kind: 'send'; clone: number } | { kind: 'receive' } | { kind: 'sendNowait' } | { kind: 'receiveNowait' }
  | { kind: 'closeClone'; clone: number } | { kind: 'cancel'; index: number } | { kind: 'yield' } | { kind: 'settle' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.nat(2).map((clone) => ({ kind: 'send', clone }) as const) },
  { weight: 4, arbitrary: fc.constant({ kind: 'receive' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sendNowait' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'receiveNowait' } as const) },
  { weight: 1, arbitrary: fc.nat(2).map((clone) => ({ kind: 'closeClone', clone }) as const) },
  { weight: 3, arbitrary: fc.nat(40).map((index) => ({ kind: 'cancel', index }) as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'yield' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' } as const) },
);

async function play(size: number, overflow: Overflow, commands: Command[]) {
  // Completed operations record when their task resumes, in run-queue order (see
  // tests/sync/queue-cancel-safety.test.ts): the order they happened in.
  const sent: number[] = [];
  const received: number[] = [];
  const notSent: number[] = [];
  let next = 0;
  let dropped = 0;
  await runChecked(function* driver() {
    const [send, receive] = openMemoryChannel<number>(size, { overflow });
    const clones: SendChannel<number>[] = [send.clone(), send.clone(), send.clone()];
    function* sender(handle: SendChannel<number>, item: number): Operation<void> {
      try {
        yield* handle.send(item);
      } catch (error) {
        if (error instanceof CancelledError || error instanceof ResourceClosed) notSent.push(item);
        if (error instanceof ResourceClosed) return;
        throw error;
      }
      sent.push(item);
    }
    function* receiver(): Operation<void> {
      try {
        received.push(yield* receive.receive());
      } catch (error) {
        if (!(error instanceof EndOfChannel)) throw error;
      }
    }
    // The Nowait twins run in tasks and record after a schedule point, like the blocking ones.
    function* sendNowait(item: number): Operation<void> {
      try { send.sendNowait(item); } catch (e) {
        if (e instanceof WouldBlock || e instanceof ResourceClosed) { notSent.push(item); return; }
        throw e;
      }
      yield* sleep(0);
      sent.push(item);
    }
    function* receiveNowait(): Operation<void> {
      let item: number;
      try { item = receive.receiveNowait(); } catch (e) { if (e instanceof WouldBlock || e instanceof EndOfChannel) return; throw e; }
      yield* sleep(0);
      received.push(item);
    }
    yield* createPool(function* (pool) {
      const tasks: Task[] = [];
      for (const c of commands) {
        switch (c.kind) {
          case 'send': tasks.push(pool.spawn(sender, clones[c.clone], next++)); break;
          case 'receive': tasks.push(pool.spawn(receiver)); break;
          case 'sendNowait': pool.spawn(sendNowait, next++); break;
          case 'receiveNowait': pool.spawn(receiveNowait); break;
          case 'closeClone': clones[c.clone].close(); break;
          case 'cancel': if (tasks.length > 0) tasks[c.index % tasks.length].cancel(); break;
          case 'yield': yield* sleep(0); break;
          case 'settle': yield* waitAllTasksBlocked(); break;
        }
        const s = receive.statistics();
        expect(s.currentBufferUsed).toBeLessThanOrEqual(size);
        if (s.tasksWaitingReceive > 0) expect([s.currentBufferUsed, s.tasksWaitingSend]).toEqual([0, 0]);
      }
      for (const t of tasks) t.cancel();
    });
    for (const c of clones) c.close();
    send.close();
    dropped = receive.statistics().dropped;
    for (;;) {
      try { received.push(receive.receiveNowait()); } catch (e) { if (e instanceof EndOfChannel) break; throw e; }
    }
    receive.close();
  });
  return { sent, received, notSent, dropped };
}

describe('openMemoryChannel cancel safety (property)', () => {
  it("overflow 'wait': every sent item is received once, in order; cancelled and refused sends sent nothing", async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(0, 1, 2, Infinity), fc.array(command, { maxLength: 60 }), async (size, commands) => {
      const { sent, received, notSent, dropped } = await play(size, 'wait', commands);
      expect(received).toEqual(sent);
      for (const item of notSent) expect(received).not.toContain(item);
      expect(dropped).toBe(0);
    }), { numRuns: 300 });
  });

  it('dropping policies: received is an ordered subsequence of sent, and the rest was counted as dropped', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(1, 2, 3), fc.constantFrom<Overflow>('dropNewest', 'dropOldest'), fc.array(command, { maxLength: 60 }), async (size, overflow, commands) => {
      const { sent, received, notSent, dropped } = await play(size, overflow, commands);
      expect(received.length + dropped).toBe(sent.length);
      let i = 0;
      for (const item of received) { while (sent[i] !== item) { i++; expect(i).toBeLessThan(sent.length); } i++; }
      for (const item of notSent) expect(received).not.toContain(item);
    }), { numRuns: 200 });
  });
});
