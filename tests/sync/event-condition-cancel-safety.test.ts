// Properties: no wake-up is lost to a cancellation. Every Event waiter that was still waiting when
// the event fired gets the value; every Condition notification is consumed by a waiter that returns
// normally from wait(), and every wait() — normal or cancelled — ends holding the lock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import { currentTask, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import type { Operation, Task } from '../../src/task.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';

type Command =
  | { kind: 'wait' } | { kind: 'notify'; n: number } | { kind: 'cancel'; index: number }
  | { kind: 'yield' } | { kind: 'settle' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'wait' } as const) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }).map((n) => ({ kind: 'notify', n }) as const) },
  { weight: 3, arbitrary: fc.nat(40).map((index) => ({ kind: 'cancel', index }) as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'yield' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' } as const) },
);

describe('Event cancel safety (property)', () => {
  it('every waiter that was waiting when the event fired gets the value, even if cancelled right after', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { maxLength: 40 }), fc.nat(40), async (commands, at) => {
      const entered: boolean[] = [];          // reached wait() (and parked there, the event being unset)
      const cancelledBefore: boolean[] = [];  // the driver cancelled it before the trigger
      const outcome: string[] = [];
      await runChecked(function* () {
        const ev = new Event<string>();
        yield* createPool(function* (pool) {
          const tasks: Task[] = [];
          function* waiter(index: number): Operation<void> {
            if (!ev.isSet) entered[index] = true;
            try { outcome[index] = yield* ev.wait(); } catch (e) { if (e instanceof CancelledError) outcome[index] = 'cancelled'; throw e; }
          }
          for (let i = 0; i <= commands.length; i++) {
            if (i === Math.min(at, commands.length)) ev.trigger('v');
            const c = commands[i];
            if (c === undefined) break;
            switch (c.kind) {
              case 'wait': tasks.push(pool.spawn(waiter, tasks.length)); break;
              case 'cancel':
                if (tasks.length > 0) {
                  if (!ev.isSet) cancelledBefore[c.index % tasks.length] = true;
                  tasks[c.index % tasks.length].cancel();
                }
                break;
              case 'yield': yield* sleep(0); break;
              case 'settle': yield* waitAllTasksBlocked(); break;
              default: break;
            }
          }
        });
      });
      entered.forEach((was, i) => {
        if (was && !cancelledBefore[i]) expect(outcome[i], `waiter ${i}`).toBe('v');
      });
      for (const o of outcome) expect(['v', 'cancelled', undefined]).toContain(o);
    }), { numRuns: 300 });
  });
});

describe('Condition cancel safety (property)', () => {
  it('each notification is consumed by a wait() that returns normally, and every wait() ends holding the lock', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { maxLength: 50 }), async (commands) => {
      let notified = 0;   // waiters moved out of the condition's queue by notify
      let returned = 0;   // wait() calls that returned normally
      let withdrawn = 0;  // wait() calls that raised CancelledError
      await runChecked(function* () {
        const cond = new Condition();
        yield* createPool(function* (pool) {
          const tasks: Task[] = [];
          function* waiter(): Operation<void> {
            yield* cond.withLock(function* () {
              try {
                yield* cond.wait();
                returned++;
              } catch (e) {
                if (e instanceof CancelledError) withdrawn++;
                throw e;
              } finally {
                expect(cond.lock.statistics().owner).toBe(currentTask());
              }
            });
          }
          for (const c of commands) {
            switch (c.kind) {
              case 'wait': tasks.push(pool.spawn(waiter)); break;
              case 'notify':
                yield* cond.withLock(function* () {
                  notified += Math.min(c.n, cond.statistics().waiting);
                  cond.notify(c.n);
                });
                break;
              case 'cancel': if (tasks.length > 0) tasks[c.index % tasks.length].cancel(); break;
              case 'yield': yield* sleep(0); break;
              case 'settle': yield* waitAllTasksBlocked(); break;
            }
          }
          yield* waitAllTasksBlocked();
          notified += cond.statistics().waiting;
          yield* cond.withLock(function* () { cond.notifyAll(); });
        });
        expect(cond.statistics()).toEqual({ waiting: 0, lock: { locked: false, owner: null, waiting: 0, broken: false } });
      });
      expect(returned).toBe(notified);
      expect(returned + withdrawn).toBeLessThanOrEqual(commands.filter((c) => c.kind === 'wait').length);
    }), { numRuns: 200 });
  });
});
