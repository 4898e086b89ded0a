// pool.start and TaskStatus, ported from trio's nursery.start tests (trio/_core/_tests/test_run.py:
// test_nursery_start, test_task_nursery_stack / reparenting, test_nursery_start_with_cancelled_nursery).
import { describe, expect, it } from 'vitest';
import { checkpoint, clock, currentTask, sleep } from '../../src/operations.js';
import { createPool, shield, type TaskPool } from '../../src/pool.js';
import { STATUS_IGNORED, type TaskStatus } from '../../src/start.js';
import { GiambioError } from '../../src/errors.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/task.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

function* sleepThenStart(status: TaskStatus<number>, ms: number): Operation<void> {
  yield* sleep(ms);
  status.started(ms);
  yield* sleep(ms);
}

describe('pool.start', () => {
  it('returns the started value once started, and the pool then waits for the task', async () => {
    for (const ms of [1, 2]) {
      const times = await runChecked(function* () {
        let afterStart = -1;
        yield* createPool(function* (pool) {
          const value = yield* pool.start(sleepThenStart, ms);
          expect(value).toBe(ms);
          afterStart = clock();
        });
        return [afterStart, clock()];
      });
      expect(times).toEqual([ms, 2 * ms]);
    }
  });

  it('STATUS_IGNORED lets a start-able function be called directly', async () => {
    const t = await runChecked(function* () {
      yield* sleepThenStart(STATUS_IGNORED, 3);
      return clock();
    });
    expect(t).toBe(6);
  });

  it('returns undefined when started() gets no value', async () => {
    const value = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        return yield* pool.start(function* (status: TaskStatus) { status.started(); });
      });
    });
    expect(value).toBeUndefined();
  });

  it('calling started twice throws GiambioError', async () => {
    let second: unknown;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        yield* pool.start(function* (status: TaskStatus) {
          status.started();
          try { status.started(); } catch (e) { second = e; }
        });
      });
    });
    expect(second).toBeInstanceOf(GiambioError);
    expect((second as Error).message).toMatch(/twice/);
  });

  it('an error before started() comes out of start, and the pool does not see it', async () => {
    const events: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(5); events.push('sibling ran to the end'); });
        try {
          yield* pool.start(function* (_status: TaskStatus) { yield* sleep(1); throw new RangeError('oops'); });
        } catch (e) { events.push(`start raised ${(e as Error).name}`); }
      });
    });
    expect(events).toEqual(['start raised RangeError', 'sibling ran to the end']);
  });

  it('a task that returns without calling started makes start throw GiambioError', async () => {
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        yield* pool.start(function* nothing(_status: TaskStatus) { yield* sleep(1); });
      });
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toBe('nothing returned without calling status.started()');
  });

  it('bad arguments raise TypeError at once', async () => {
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        yield* pool.start(42 as never);
      });
    });
    expect(error).toBeInstanceOf(TypeError);
  });

  it('the caller\'s cancellation reaches the task before it started', async () => {
    const events: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (outer) {
        yield* createPool(function* (callerPool) {
          outer.spawn(function* () { yield* sleep(5); callerPool.cancel(); });
          yield* outer.start(function* (status: TaskStatus) {
            try { yield* sleep(100); } catch (e) { events.push(`task got ${(e as Error).name} at ${clock()}`); throw e; }
            status.started();
          });
          events.push('not reached');
        });
        events.push(`caller pool exited at ${clock()}`);
      });
    });
    expect(events).toEqual(['task got CancelledError at 5', 'caller pool exited at 5']);
  });

  it('the target pool\'s cancellation does not reach the task before it started, and does after', async () => {
    const events: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (target) {
        target.spawn(function* () { yield* sleep(1); target.cancel(); });
        yield* shield(function* () {
          const v = yield* target.start(function* (status: TaskStatus<string>) {
            yield* sleep(10);
            events.push(`still running at ${clock()}`);
            status.started('ok');
            try { yield* sleep(100); } catch (e) { events.push(`cancelled after moving at ${clock()}`); throw e; }
          });
          events.push(`start returned ${v}`);
        });
      });
    });
    expect(events).toEqual(['still running at 10', 'start returned ok', 'cancelled after moving at 10']);
  });

  it('if start\'s caller is cancelled, started() does nothing and start raises the cancellation', async () => {
    const events: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (target) {
        yield* createPool(function* (callerPool) {
          target.spawn(function* () { yield* sleep(1); callerPool.cancel(); });
          try {
            yield* target.start(function* (status: TaskStatus<string>) {
              yield* shield(function* () { yield* sleep(5); });
              status.started('hi');
              try { yield* checkpoint(); } catch (e) { events.push(`task: ${(e as Error).name} at ${clock()}`); throw e; }
            });
          } catch (e) { events.push(`start: ${(e as Error).name}`); throw e; }
        });
        events.push('caller pool absorbed it');
      });
    });
    expect(events).toEqual(['task: CancelledError at 5', 'start: CancelledError', 'caller pool absorbed it']);
  });

  it('start on a pool that has exited throws GiambioError at once', async () => {
    const result = await runChecked(function* () {
      let closed!: TaskPool;
      yield* createPool(function* (pool) { closed = pool; });
      const t0 = clock();
      try { yield* closed.start(sleepThenStart, 7); } catch (e) { return [(e as Error).constructor.name, clock() - t0]; }
      return ['no error', 0];
    });
    expect(result).toEqual(['GiambioError', 0]);
  });

  it('a pending start keeps the target pool open until the task moves in', async () => {
    const events: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (outer) {
        let target!: TaskPool;
        const opened = yield* outer.start(function* (status: TaskStatus<TaskPool>) {
          yield* createPool(function* (pool) { target = pool; status.started(pool); });
          events.push(`target pool exited at ${clock()}`);
        });
        expect(opened).toBe(target);
        yield* target.start(sleepThenStart, 4);
        events.push(`started at ${clock()}`);
      });
    });
    expect(events).toEqual(['started at 4', 'target pool exited at 8']);
  });

  // trio: test_nursery_start_with_cancelled_nursery.
  for (const when of ['just before', 'just after'] as const) {
    it(`start into a pool cancelled ${when} started() cancels the moved task and its parked children`, async () => {
      const events: string[] = [];
      await runChecked(function* () {
        yield* createPool(function* (nursery) {
          const target = yield* nursery.start(function* setupPool(status: TaskStatus<TaskPool>) {
            yield* createPool(function* (pool) { status.started(pool); yield* sleep(Infinity); });
          });
          const sleepingChildren = function* (status: TaskStatus, fn: () => void): Operation<void> {
            yield* createPool(function* (pool) {
              pool.spawn(function* () { try { yield* sleep(Infinity); } finally { events.push(`child 1 done at ${clock()}`); } });
              pool.spawn(function* () { try { yield* sleep(Infinity); } finally { events.push(`child 2 done at ${clock()}`); } });
              yield* waitAllTasksBlocked();
              fn();
              status.started();
            });
          };
          yield* sleep(1);
          if (when === 'just before') yield* target.start(sleepingChildren, () => target.cancel());
          else { yield* target.start(sleepingChildren, () => {}); target.cancel(); }
        });
      });
      expect(events).toEqual(['child 1 done at 1', 'child 2 done at 1']);
    });
  }

  it('startWith names the task', async () => {
    const name = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        return yield* pool.startWith({ name: 'server' }, function* (status: TaskStatus<string>) {
          status.started(currentTask().name);
        });
      });
    });
    expect(name).toBe('server');
  });

  it('the started task fails the target pool like any child', async () => {
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        yield* pool.start(function* (status: TaskStatus) { status.started(); yield* sleep(1); throw new Error('late'); });
        yield* sleep(10);
      });
    });
    expect((error as Error).message).toBe('late');
  });

  it('a task cancelled while waiting in start does not leak the hidden pool', async () => {
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(1); throw new Error('sibling failed'); });
        yield* pool.start(function* (_status: TaskStatus) { yield* sleep(100); });
      });
    });
    expect((error as Error).message).toBe('sibling failed');
  });

  it('started() after start ended throws GiambioError', async () => {
    let late: unknown;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        let saved!: TaskStatus;
        try {
          yield* pool.start(function* (status: TaskStatus) { saved = status; throw new Error('before'); });
        } catch { /* expected */ }
        try { saved.started(); } catch (e) { late = e; }
      });
    });
    expect(late).toBeInstanceOf(GiambioError);
  });
});
