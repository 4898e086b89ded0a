// Property: whatever the interleaving of writes, reads, cancellations, scheduling and close(), a
// MemoryChannel delivers every written item exactly once and in order, a cancelled or refused
// write wrote nothing, and after close() the buffered items are still read before EndOfChannel.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CancelledError, EndOfChannel, ResourceClosed, WouldBlock } from '../../src/errors.js';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import type { Operation, Task } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

type Command =
  | { kind: 'write' } | { kind: 'read' } | { kind: 'writeNowait' } | { kind: 'readNowait' } | { kind: 'close' }
  | { kind: 'cancel'; index: number } | { kind: 'yield' } | { kind: 'settle' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'write' } as const) },
  { weight: 4, arbitrary: fc.constant({ kind: 'read' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'writeNowait' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'readNowait' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' } as const) },
  { weight: 3, arbitrary: fc.nat(40).map((index) => ({ kind: 'cancel', index }) as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'yield' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' } as const) },
);

async function play(size: number, commands: Command[]) {
  // Completed operations record when their task resumes: in run-queue order, which is the order
  // they happened in (see tests/sync/queue-cancel-safety.test.ts).
  const written: number[] = [];
  const read: number[] = [];
  const notWritten: number[] = []; // cancelled or refused writes
  let ends = 0;                    // reads that ended with EndOfChannel
  let next = 0;
  const channel = new MemoryChannel<number>(size);
  function* writer(item: number): Operation<void> {
    try {
      yield* channel.write(item);
    } catch (error) {
      if (error instanceof CancelledError || error instanceof ResourceClosed) notWritten.push(item);
      if (error instanceof ResourceClosed) return;
      throw error;
    }
    written.push(item);
  }
  function* reader(): Operation<void> {
    try {
      read.push(yield* channel.read());
    } catch (error) {
      if (!(error instanceof EndOfChannel)) throw error;
      expect(channel.pending()).toBe(false);
      ends++;
    }
  }
  function* writeNowait(item: number): Operation<void> {
    try { channel.writeNowait(item); } catch (e) {
      if (e instanceof WouldBlock || e instanceof ResourceClosed) { notWritten.push(item); return; }
      throw e;
    }
    yield* sleep(0);
    written.push(item);
  }
  function* readNowait(): Operation<void> {
    let item: number;
    try { item = channel.readNowait(); } catch (e) { if (e instanceof WouldBlock || e instanceof EndOfChannel) return; throw e; }
    yield* sleep(0);
    read.push(item);
  }
  await runChecked(function* driver() {
    yield* createPool(function* (pool) {
      const tasks: Task[] = [];
      for (const c of commands) {
        switch (c.kind) {
          case 'write': tasks.push(pool.spawn(writer, next++)); break;
          case 'read': tasks.push(pool.spawn(reader)); break;
          case 'writeNowait': pool.spawn(writeNowait, next++); break;
          case 'readNowait': pool.spawn(readNowait); break;
          case 'close': channel.close(); break;
          case 'cancel': if (tasks.length > 0) tasks[c.index % tasks.length].cancel(); break;
          case 'yield': yield* sleep(0); break;
          case 'settle': yield* waitAllTasksBlocked(); break;
        }
        const s = channel.statistics();
        expect(s.size).toBeLessThanOrEqual(size);
        if (s.closed) expect([s.waitingReaders, s.waitingWriters]).toEqual([0, 0]);
      }
      for (const t of tasks) t.cancel();
    });
    channel.close();
    for (;;) {
      try { read.push(channel.readNowait()); } catch (e) { if (e instanceof EndOfChannel) break; throw e; }
    }
  });
  return { written, read, notWritten, ends };
}

describe('MemoryChannel cancel safety (property)', () => {
  it('every written item is read once, in order; cancelled and refused writes write nothing', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(0, 1, 2, Infinity), fc.array(command, { maxLength: 60 }), async (size, commands) => {
      const { written, read, notWritten } = await play(size, commands);
      expect(read).toEqual(written);
      for (const item of notWritten) expect(read).not.toContain(item);
      expect(written.length + notWritten.length).toBeLessThanOrEqual(commands.length);
    }), { numRuns: 400 });
  });
});
