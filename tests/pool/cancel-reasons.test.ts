import { describe, expect, it } from 'vitest';
import { clock, currentEffectiveDeadline, sleep, sleepUntil } from '../../src/operations.js';
import { createPool, shield, withTimeout } from '../../src/pool.js';
import { call, useAbortSignal } from '../../src/interop.js';
import { CancelledError, GiambioError } from '../../src/errors.js';
import type { Task } from '../../src/task.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

describe('cancel reasons', () => {
  it('pool.cancel(reason) puts the reason into the CancelledError message', async () => {
    const message = await runChecked(function* () {
      let seen = '';
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* sleep(10); } catch (e) { seen = (e as Error).message; throw e; } });
        yield* sleep(1);
        pool.cancel('shutting down');
      });
      return seen;
    });
    expect(message).toBe('the pool was cancelled: shutting down');
  });

  it('task.cancel(reason) puts the reason into the message and into derived AbortSignal reasons', async () => {
    const seen = await runChecked(function* () {
      const out: string[] = [];
      let task!: Task;
      yield* createPool(function* (pool) {
        task = pool.spawn(function* worker() {
          const signal = yield* useAbortSignal();
          signal.addEventListener('abort', () => out.push(`signal: ${(signal.reason as Error).message}`));
          try {
            yield* call((inner) => new Promise((_, reject) => inner.addEventListener('abort', () => reject(inner.reason))));
          } catch (e) { out.push(`call: ${(e as Error).name} ${(e as Error).message}`); throw e; }
        });
        // A host wait stops the virtual clock: let the worker reach call() with schedule points.
        yield* sleep(0); yield* sleep(0);
        task.cancel('user pressed stop');
        task.cancel('second reason is ignored');
      });
      return out;
    });
    expect(seen).toContain('signal: task worker was cancelled: user pressed stop');
    expect(seen).toContain('call: CancelledError task worker was cancelled: user pressed stop');
  });

  it('a reason that is not a string is a TypeError', async () => {
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) { pool.cancel(42 as never); });
    });
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe('sleepUntil', () => {
  it('sleeps until the loop clock reaches the deadline; a past deadline is a checkpoint', async () => {
    const times = await runChecked(function* () {
      const out: number[] = [];
      yield* sleep(3);
      yield* sleepUntil(10);
      out.push(clock());
      yield* sleepUntil(5);
      out.push(clock());
      return out;
    });
    expect(times).toEqual([10, 10]);
  });

  it('is a cancel point and rejects NaN', async () => {
    const r = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        pool.cancel();
        try { yield* sleepUntil(-1); } catch (e) { return e instanceof CancelledError; }
        return false;
      });
    });
    expect(r).toBe(true);
    expect(await runCheckedRejects(function* () { yield* sleepUntil(NaN); })).toBeInstanceOf(TypeError);
  });
});

describe('currentEffectiveDeadline', () => {
  it('is the earliest enclosing deadline up to the nearest shield, Infinity if none, -Infinity once cancelled', async () => {
    const seen = await runChecked(function* () {
      const out: number[] = [currentEffectiveDeadline()];
      yield* withTimeout(100, function* () {
        out.push(currentEffectiveDeadline());
        yield* withTimeout(200, function* () { out.push(currentEffectiveDeadline()); });
        yield* withTimeout(50, function* () { out.push(currentEffectiveDeadline()); });
        yield* shield(function* (s) {
          out.push(currentEffectiveDeadline());
          s.deadline = clock() + 300;
          out.push(currentEffectiveDeadline());
        });
        yield* createPool(function* (pool) { pool.cancel(); out.push(currentEffectiveDeadline()); });
      });
      return out;
    });
    expect(seen).toEqual([Infinity, 100, 100, 50, Infinity, 300, -Infinity]);
  });

  it('outside a task throws GiambioError', () => {
    expect(() => currentEffectiveDeadline()).toThrow(GiambioError);
  });
});
