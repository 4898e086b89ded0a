// Issue 17 §4: one mechanism per concern. The kernel alone keeps the host-wait count (a park made
// with parkOnHost); every cancel point raises the cancelling scope's own CancelledError, whose
// message carries its reason; trap kinds and task outcomes are closed types.
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { checkpoint } from '../../src/operations.js';
import { CancelledError } from '../../src/errors.js';
import { until } from '../../src/interop.js';
import { Queue } from '../../src/sync/queue.js';
import { Lock } from '../../src/sync/lock.js';
import { once } from '../../src/browser/events.js';
import { getAddrInfo } from '../../src/node/dns.js';
import { EventLoop } from '../../src/loop.js';
import { Trap, TRAP_PARK } from '../../src/trap.js';
import { FINISHED, type Outcome } from '../../src/task-outcome.js';
import type { Operation } from '../../src/task.js';
import { runChecked } from '../helpers.js';

describe('the host-wait count is the kernel\'s', () => {
  it('counts a task parked on the host from the park to its wake, and to its withdrawal', async () => {
    const seen: number[] = [];
    const loop = new EventLoop();
    await loop.run(function* () {
      let resolve!: (v: number) => void;
      const promise = new Promise<number>((r) => { resolve = r; });
      yield* createPool(function* (pool) {
        const waiter = pool.spawn(function* () { yield* until(promise); });
        const cancelled = pool.spawn(function* () { yield* until(new Promise(() => { /* never */ })); });
        yield* checkpoint();
        seen.push(loop.statistics().hostWaits); // both parked on the host
        cancelled.cancel();
        seen.push(loop.statistics().hostWaits); // withdrawn: no longer counted
        resolve(1);
        yield* waiter.join();
        seen.push(loop.statistics().hostWaits); // woken by the promise
      });
    });
    expect(seen).toEqual([2, 1, 0]);
  });
});

describe('every cancel point raises the cancelling scope\'s own error, with its reason', () => {
  const operations: Array<[string, () => Operation<unknown>]> = [
    ['Queue.get()', () => new Queue<number>().get()],
    ['Lock.acquire()', () => new Lock().acquire()],
    ['until()', () => until(Promise.resolve(1))],
    ['checkpoint()', () => checkpoint()],
    ['once() (giambio/browser)', () => once(new EventTarget(), 'x')],
    ['getAddrInfo() (giambio/node)', () => getAddrInfo('localhost')],
  ];
  for (const [name, make] of operations) {
    it(`${name} in a scope cancelled with a reason`, async () => {
      const outcome = await runChecked(function* () {
        let scopeError: unknown = null;
        let raised: unknown = null;
        yield* createPool(function* (pool) {
          pool.cancel('maintenance window');
          try { yield* make(); } catch (error) { raised = error; }
          scopeError = raised;
        });
        return { raised, scopeError };
      });
      expect(outcome.raised).toBeInstanceOf(CancelledError);
      expect((outcome.raised as Error).message).toBe('the pool was cancelled: maintenance window');
    });
  }

  it('two operations cancelled by one scope raise the same error object', async () => {
    const errors = await runChecked(function* () {
      const got: unknown[] = [];
      yield* createPool(function* (pool) {
        pool.cancel('once');
        for (const op of [() => new Queue<number>().get(), () => getAddrInfo('localhost')]) {
          try { yield* op(); } catch (error) { got.push(error); }
        }
      });
      return got;
    });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBe(errors[1]);
  });
});

describe('closed types', () => {
  it('trap kinds and outcomes outside their sets do not compile', () => {
    // @ts-expect-error 4 is not a trap kind: a new kind needs a handler in Kernel.dispatch first
    const bogus = new Trap(4);
    const park = new Trap(TRAP_PARK);
    // @ts-expect-error 7 is not an outcome
    const outcome: Outcome = 7;
    const finished: Outcome = FINISHED;
    expect([bogus.kind, park.kind, outcome, finished]).toEqual([4, TRAP_PARK, 7, FINISHED]);
  });
});
