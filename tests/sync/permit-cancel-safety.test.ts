// Property: Lock, Semaphore and CapacityLimiter never let more tasks in than they have permits,
// serve waiters first come first served, and lose no permit whatever is cancelled when: after
// every task has ended, all permits are back. Each acquirer holds its permit (inside withLock /
// withPermit / withToken) until the driver releases it or cancels it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { CapacityLimiter } from '../../src/sync/capacity-limiter.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import type { Operation, Task } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

type Command =
  | { kind: 'acquire' } | { kind: 'release'; index: number } | { kind: 'cancel'; index: number }
  | { kind: 'yield' } | { kind: 'settle' } | { kind: 'grow'; by: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'acquire' } as const) },
  { weight: 3, arbitrary: fc.nat(40).map((index) => ({ kind: 'release', index }) as const) },
  { weight: 3, arbitrary: fc.nat(40).map((index) => ({ kind: 'cancel', index }) as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'yield' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' } as const) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }).map((by) => ({ kind: 'grow', by }) as const) },
);

/** One permit primitive behind a common face. */
interface Subject {
  capacity(): number;
  hold(body: () => Operation<void>): Operation<void>;
  /** Adds permits while running (CapacityLimiter only; lowering is tested on its own). */
  grow(by: number): void;
  /** Everything is back: no holder, no waiter. */
  idle(): boolean;
}

const subjects: Record<string, (n: number) => Subject> = {
  Lock: () => {
    const lock = new Lock();
    return {
      capacity: () => 1,
      hold: (body) => lock.withLock(body),
      grow: () => { /* fixed */ },
      idle: () => { const s = lock.statistics(); return !s.locked && s.waiting === 0; },
    };
  },
  Semaphore: (n) => {
    const sem = new Semaphore(n);
    return {
      capacity: () => n,
      hold: (body) => sem.withPermit(body),
      grow: () => { /* fixed */ },
      idle: () => { const s = sem.statistics(); return s.value === n && s.waiting === 0; },
    };
  },
  CapacityLimiter: (n) => {
    const limiter = new CapacityLimiter(n);
    return {
      capacity: () => limiter.total,
      hold: (body) => limiter.withToken(body),
      grow: (by) => { limiter.total += by; },
      idle: () => { const s = limiter.statistics(); return s.borrowed === 0 && s.waiting === 0; },
    };
  },
};

async function play(make: (n: number) => Subject, n: number, commands: Command[]): Promise<number[]> {
  const subject = make(n);
  const entries: number[] = []; // acquirer indexes, in the order they got in
  let inside = 0;
  // Per acquirer: it has asked for a permit / got in / ended / the driver cancelled it.
  const asked: boolean[] = [], entered: boolean[] = [], ended: boolean[] = [], cancelled: boolean[] = [];
  await runChecked(function* driver() {
    yield* createPool(function* (pool) {
      const tasks: Task[] = [];
      const releases: Event[] = [];
      function* acquirer(index: number): Operation<void> {
        asked[index] = true;
        try {
          yield* subject.hold(function* () {
            // First come, first served: nobody who asked earlier and is still waiting was skipped.
            for (let i = 0; i < index; i++) expect(!asked[i] || entered[i] || ended[i] || cancelled[i], `${i} skipped`).toBe(true);
            entered[index] = true;
            entries.push(index);
            inside++;
          expect(inside).toBeLessThanOrEqual(subject.capacity());
            try { yield* releases[index].wait(); } finally { inside--; }
          });
        } finally {
          ended[index] = true;
        }
      }
      for (const c of commands) {
        switch (c.kind) {
          case 'acquire':
            releases.push(new Event());
            tasks.push(pool.spawn(acquirer, tasks.length));
            break;
          case 'release': {
            const ev = releases[c.index % Math.max(1, releases.length)];
            if (ev !== undefined && !ev.isSet) ev.trigger();
            break;
          }
          case 'cancel':
            if (tasks.length > 0) { cancelled[c.index % tasks.length] = true; tasks[c.index % tasks.length].cancel(); }
            break;
          case 'yield': yield* sleep(0); break;
          case 'settle': yield* waitAllTasksBlocked(); break;
          case 'grow': subject.grow(c.by); break;
        }
      }
      for (const t of tasks) t.cancel();
    });
    expect(inside).toBe(0);
    expect(subject.idle()).toBe(true); // every permit came back
  });
  return entries;
}

describe.each(Object.keys(subjects))('%s cancel safety (property)', (name) => {
  it('never admits more than its capacity, admits in arrival order, and loses no permit', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(command, { maxLength: 60 }), async (n, commands) => {
      const entries = await play(subjects[name], n, commands);
      expect(entries).toEqual(entries.slice().sort((a, b) => a - b)); // FIFO
    }), { numRuns: 250 });
  });
});
