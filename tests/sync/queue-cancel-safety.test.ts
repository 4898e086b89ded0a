// Property: whatever the interleaving of puts, gets, cancellations and scheduling, a Queue never
// loses, duplicates or reorders an item, never holds more than maxsize, and a cancelled put either
// happened completely or not at all. Commands run from a driver task; every put/get is its own task.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CancelledError, WouldBlock } from '../../src/errors.js';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Queue } from '../../src/sync/queue.js';
import type { Operation, Task } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

type Command =
  | { kind: 'put' } | { kind: 'get' } | { kind: 'putNowait' } | { kind: 'getNowait' }
  | { kind: 'cancel'; index: number } | { kind: 'yield' } | { kind: 'settle' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'put' } as const) },
  { weight: 4, arbitrary: fc.constant({ kind: 'get' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'putNowait' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'getNowait' } as const) },
  { weight: 3, arbitrary: fc.nat(40).map((index) => ({ kind: 'cancel', index }) as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'yield' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' } as const) },
);

const maxsize = fc.constantFrom(0, 1, 2, 3, Infinity);

/** Runs the commands; returns what entered the queue and what left it, each in order. */
async function play(size: number, commands: Command[]) {
  const entered: number[] = [];  // items of completed puts, in the order they entered the queue
  const left: number[] = [];     // items of completed gets, in the order they were taken
  const cancelledPuts: number[] = [];
  let next = 0;
  const queue = new Queue<number>(size);
  function check(): void {
    const s = queue.statistics();
    expect(s.size).toBeLessThanOrEqual(size);
    if (s.waitingGetters > 0) expect([s.size, s.waitingPutters]).toEqual([0, 0]);
    if (s.waitingPutters > 0) expect(s.size).toBe(size);
  }
  function* putter(item: number): Operation<void> {
    try {
      yield* queue.put(item);
    } catch (error) {
      if (error instanceof CancelledError) cancelledPuts.push(item);
      throw error;
    }
    entered.push(item);
  }
  function* getter(): Operation<void> {
    left.push(yield* queue.get());
  }
  // The blocking operations record when their task resumes, i.e. in run-queue order, which is the
  // order the operations happened in (a task is queued the moment its operation completes). The
  // Nowait ones are made to record the same way, through a schedule point.
  function* putNowait(item: number): Operation<void> {
    try { queue.putNowait(item); } catch (e) { if (e instanceof WouldBlock) return; throw e; }
    yield* sleep(0);
    entered.push(item);
  }
  function* getNowait(): Operation<void> {
    let item: number;
    try { item = queue.getNowait(); } catch (e) { if (e instanceof WouldBlock) return; throw e; }
    yield* sleep(0);
    left.push(item);
  }
  await runChecked(function* driver() {
    yield* createPool(function* (pool) {
      const tasks: Task[] = [];
      for (const c of commands) {
        switch (c.kind) {
          case 'put': tasks.push(pool.spawn(putter, next++)); break;
          case 'get': tasks.push(pool.spawn(getter)); break;
          case 'putNowait': pool.spawn(putNowait, next++); break;
          case 'getNowait': pool.spawn(getNowait); break;
          case 'cancel': if (tasks.length > 0) tasks[c.index % tasks.length].cancel(); break;
          case 'yield': yield* sleep(0); break;
          case 'settle': yield* waitAllTasksBlocked(); break;
        }
        check();
      }
      for (const t of tasks) t.cancel();
    });
    check();
    for (;;) {
      try { left.push(queue.getNowait()); } catch (e) { if (e instanceof WouldBlock) break; throw e; }
    }
    expect(queue.statistics()).toEqual({ size: 0, maxsize: size, waitingGetters: 0, waitingPutters: 0 });
  });
  return { entered, left, cancelledPuts };
}

describe('Queue cancel safety (property)', () => {
  it('items are conserved, in FIFO order, under random puts, gets, cancellations and scheduling', async () => {
    await fc.assert(fc.asyncProperty(maxsize, fc.array(command, { maxLength: 60 }), async (size, commands) => {
      const { entered, left, cancelledPuts } = await play(size, commands);
      expect(left).toEqual(entered); // nothing lost, duplicated or reordered
      for (const item of cancelledPuts) expect(left).not.toContain(item); // a cancelled put did not happen
    }), { numRuns: 400 });
  });
});
