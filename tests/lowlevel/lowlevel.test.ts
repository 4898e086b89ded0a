// giambio/lowlevel: waitTaskRescheduled / reschedule / beginHostWait, and the guide's Mailbox built on them.
import { describe, expect, it } from 'vitest';
import { beginHostWait, currentTask, reschedule, waitTaskRescheduled, type Task } from '../../src/lowlevel.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool, skipAfter } from '../../src/pool.js';
import { until } from '../../src/interop.js';
import { CancelledError, GiambioError } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

/** The guide's example (docs/guide/lowlevel.md): a one-slot mailbox. */
class Mailbox<T> {
  #item: { value: T } | null = null;
  #receiver: Task | null = null;

  /** Delivers `value` to the waiting receiver, or keeps it; a second undelivered value is an error. */
  put(value: T): void {
    const receiver = this.#receiver;
    if (receiver !== null) {
      this.#receiver = null;
      reschedule(receiver, { value });
    } else if (this.#item !== null) {
      throw new Error('the mailbox is full');
    } else {
      this.#item = { value };
    }
  }

  /** Waits for a value. Always a checkpoint. */
  *take(): Operation<T> {
    if (this.#item !== null) {
      yield* checkpoint(); // a blocking API is always a checkpoint, even when it need not wait
      const { value } = this.#item;
      this.#item = null;
      return value;
    }
    if (this.#receiver !== null) throw new Error('someone is already waiting');
    this.#receiver = currentTask();
    return yield* waitTaskRescheduled<T>(() => { this.#receiver = null; return true; }, 'Mailbox.take');
  }
}

describe('Mailbox (built on giambio/lowlevel)', () => {
  it('hands a value to a waiting receiver, or keeps it for the next take', async () => {
    const got = await runChecked(function* () {
      const box = new Mailbox<string>();
      const out: string[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { out.push(`${yield* box.take()} at ${clock()}`); out.push(`${yield* box.take()} at ${clock()}`); });
        yield* sleep(5);
        box.put('first');
        box.put('second');
      });
      return out;
    });
    expect(got).toEqual(['first at 5', 'second at 5']);
  });

  it('a cancelled receiver is withdrawn: the next put keeps its value', async () => {
    const got = await runChecked(function* () {
      const box = new Mailbox<number>();
      const r = yield* skipAfter(3, function* () { return yield* box.take(); });
      box.put(7);
      return [r, yield* box.take()];
    });
    expect(got).toEqual([undefined, 7]);
  });
});

describe('waitTaskRescheduled and reschedule', () => {
  it('reschedule with an error makes the wait throw it', async () => {
    const error = await runCheckedRejects(function* () {
      const me = currentTask();
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(1); reschedule(me, { error: new RangeError('nope') }); });
        yield* waitTaskRescheduled(() => false);
      });
    });
    expect(error).toBeInstanceOf(RangeError);
  });

  it('a second reschedule throws GiambioError; so does waking a task parked elsewhere', async () => {
    const errors = await runChecked(function* () {
      const out: unknown[] = [];
      yield* createPool(function* (pool) {
        const waiter = pool.spawn(function* () { return yield* waitTaskRescheduled<number>(() => true); });
        const sleeper = pool.spawn(function* () { yield* sleep(10); });
        yield* sleep(1);
        reschedule(waiter, { value: 1 });
        try { reschedule(waiter, { value: 2 }); } catch (e) { out.push(e); }
        try { reschedule(sleeper, { value: 3 }); } catch (e) { out.push(e); }
      });
      return out;
    });
    expect(errors).toHaveLength(2);
    errors.forEach((e) => expect(e).toBeInstanceOf(GiambioError));
  });

  it('abort returning false keeps the task parked until rescheduled; it then sees the cancellation at its next checkpoint', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          const v = yield* waitTaskRescheduled<string>(() => { log.push(`abort asked at ${clock()}`); return false; });
          log.push(`woke with ${v} at ${clock()}`);
          try { yield* checkpoint(); } catch (e) { log.push(`then ${(e as Error).name}`); throw e; }
        });
        yield* sleep(1);
        t.cancel();
        yield* sleep(4);
        reschedule(t, { value: 'late' });
      });
    });
    expect(log).toEqual(['abort asked at 1', 'woke with late at 5', 'then CancelledError']);
  });

  it('a task already cancelled when it parks has abort called at once', async () => {
    const r = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        pool.cancel();
        let asked = false;
        try { yield* waitTaskRescheduled(() => { asked = true; return true; }); } catch (e) { return [asked, e instanceof CancelledError]; }
        return [asked, false];
      });
    });
    expect(r).toEqual([true, true]);
  });

  it('beginHostWait keeps the virtual clock from jumping past host work', async () => {
    const r = await runChecked(function* () {
      const me = currentTask();
      const end = beginHostWait();
      setTimeout(() => { end(); reschedule(me, { value: 'from the host' }); }, 20);
      const t0 = clock();
      const v = yield* waitTaskRescheduled<string>(() => { end(); return true; });
      end(); // idempotent
      return [v, clock() - t0];
    });
    expect(r).toEqual(['from the host', 0]); // the virtual clock did not move while the host worked
    void until;
  });

  it('bad arguments and use outside a task', async () => {
    expect(await runCheckedRejects(function* () { yield* waitTaskRescheduled(5 as never); })).toBeInstanceOf(TypeError);
    expect(() => reschedule({} as Task, { value: 1 })).toThrow(TypeError);
    expect(() => beginHostWait()).toThrow(GiambioError);
    expect(() => waitTaskRescheduled(() => true).next()).toThrow(GiambioError);
  });
});
