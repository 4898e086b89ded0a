import { describe, expect, it } from 'vitest';
import { TaskCancelledError } from '../../src/errors.js';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import type { Task } from '../../src/task.js';
import { runChecked } from '../helpers.js';

describe('task.toPromise', () => {
  it('resolves with the result of a task that finished', async () => {
    let promise: Promise<number> | null = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        promise = pool.spawn(function* () { yield* sleep(5); return 42; }).toPromise();
      });
    });
    await expect(promise).resolves.toBe(42);
  });

  it('rejects with the original error of a task that failed', async () => {
    const boom = new Error('boom');
    let promise: Promise<unknown> | null = null;
    await runChecked(function* () {
      try {
        yield* createPool(function* (pool) {
          promise = pool.spawn(function* () { yield* sleep(5); throw boom; }).toPromise();
          promise.catch(() => { /* asserted below */ });
        });
      } catch (e) { expect(e).toBe(boom); }
    });
    await expect(promise).rejects.toBe(boom);
  });

  it('rejects with TaskCancelledError for a cancelled task', async () => {
    let promise: Promise<unknown> | null = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* sleep(Infinity); });
        promise = t.toPromise();
        promise.catch(() => { /* asserted below */ });
        yield* sleep(1);
        t.cancel();
      });
    });
    await expect(promise).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('works on a task that has already ended', async () => {
    let task: Task<string> | null = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) { task = pool.spawn(function* () { yield* sleep(1); return 'late'; }); });
    });
    await expect(task!.toPromise()).resolves.toBe('late');
  });
});
