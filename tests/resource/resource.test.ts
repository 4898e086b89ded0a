import { describe, expect, it } from 'vitest';
import { clock, sleep } from '../../src/operations.js';
import { createPool, shield, withTimeout } from '../../src/pool.js';
import { resource } from '../../src/resource.js';
import type { TaskStatus } from '../../src/start.js';
import { GiambioError, TooSlowError } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

/** A resource that logs its setup and teardown; its teardown sleeps `teardownMs` (shielded: it runs cancelled). */
function logged(log: string[], name: string, teardownMs = 0): Operation<string> {
  return resource<string>(function* (provide) {
    log.push(`${name} up at ${clock()}`);
    try {
      yield* provide(name);
    } finally {
      if (teardownMs > 0) yield* shield(function* () { yield* sleep(teardownMs); });
      log.push(`${name} down at ${clock()}`);
    }
  });
}

describe('resource', () => {
  it('returns the provided value and is torn down when the innermost pool exits, without keeping it open', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const value = yield* logged(log, 'db');
        log.push(`got ${value}`);
        pool.spawn(function* () { yield* sleep(5); log.push(`child done at ${clock()}`); });
      });
      log.push(`pool exited at ${clock()}`);
    });
    expect(log).toEqual(['db up at 0', 'got db', 'child done at 5', 'db down at 5', 'pool exited at 5']);
  });

  it('tears resources down last created first, and teardown may use the loop', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* () {
        yield* logged(log, 'a', 3);
        yield* logged(log, 'b', 2);
        yield* logged(log, 'c', 1);
      });
      log.push(`pool exited at ${clock()}`);
    });
    expect(log).toEqual(['a up at 0', 'b up at 0', 'c up at 0', 'c down at 1', 'b down at 3', 'a down at 6', 'pool exited at 6']);
  });

  it('an error before provide comes out of resource() and does not fail the pool', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(2); log.push('sibling finished'); });
        try {
          yield* resource<number>(function* () { yield* sleep(1); throw new RangeError('setup failed'); });
        } catch (e) { log.push(`resource() raised ${(e as Error).message}`); }
      });
    });
    expect(log).toEqual(['resource() raised setup failed', 'sibling finished']);
  });

  it('an error after provide fails the pool like a child\'s and cancels the rest', async () => {
    const log: string[] = [];
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        yield* resource<number>(function* (provide) {
          yield* createPool(function* (inner) {
            inner.spawn(function* () { yield* sleep(3); throw new Error('connection lost'); });
            yield* provide(1);
          });
        });
        pool.spawn(function* () { try { yield* sleep(100); } catch (e) { log.push(`sibling ${(e as Error).name} at ${clock()}`); throw e; } });
        yield* sleep(100);
      });
    });
    expect((error as Error).message).toBe('connection lost');
    expect(log).toEqual(['sibling CancelledError at 3']);
  });

  it('a body that returns without provide makes resource() throw GiambioError', async () => {
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* () {
        yield* resource<number>(function* conn() { yield* sleep(1); });
      });
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toBe('resource conn returned without calling provide()');
  });

  it('calling provide twice throws GiambioError', async () => {
    let second: unknown;
    await runChecked(function* () {
      yield* createPool(function* () {
        yield* resource<number>(function* (provide) {
          try { yield* provide(1); } finally {
            try { yield* provide(2); } catch (e) { second = e; }
          }
        });
      });
    });
    expect(second).toBeInstanceOf(GiambioError);
    expect((second as Error).message).toMatch(/twice/);
  });

  it('a task in no pool of its own keeps its resource until it ends, and its pool waits for the teardown', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* user() {
          yield* logged(log, 'conn', 2);
          yield* sleep(1);
          log.push(`user returns at ${clock()}`);
          return 'done';
        });
      });
      log.push(`pool exited at ${clock()}`);
    });
    expect(log).toEqual(['conn up at 0', 'user returns at 1', 'conn down at 3', 'pool exited at 3']);
  });

  it('the root task\'s own resources are torn down before run() settles, with its value', async () => {
    const log: string[] = [];
    const value = await runChecked(function* () {
      yield* logged(log, 'root-resource', 1);
      return 42;
    });
    log.push('run resolved');
    expect(value).toBe(42);
    expect(log).toEqual(['root-resource up at 0', 'root-resource down at 1', 'run resolved']);
  });

  it('a task\'s own resource failing after provide fails that task', async () => {
    const error = await runCheckedRejects(function* () {
      yield* resource<number>(function* (provide) {
        yield* createPool(function* (inner) {
          inner.spawn(function* () { yield* sleep(3); throw new Error('broken'); });
          yield* provide(1);
        });
      });
      yield* sleep(100);
    });
    expect((error as Error).message).toBe('broken');
  });

  it('the caller\'s cancellation during setup cancels the setup and comes out of resource()', async () => {
    const log: string[] = [];
    const error = await runCheckedRejects(function* () {
      yield* withTimeout(5, function* () {
        try {
          yield* resource<number>(function* (provide) {
            try { yield* sleep(100); } catch (e) { log.push(`setup ${(e as Error).name} at ${clock()}`); throw e; }
            yield* provide(1);
          });
        } catch (e) { log.push(`resource() raised ${(e as Error).name}`); throw e; }
      });
    });
    expect(error).toBeInstanceOf(TooSlowError);
    expect(log).toEqual(['setup CancelledError at 5', 'resource() raised CancelledError']);
  });

  it('a timeout around the pool reaches its resources', async () => {
    const log: string[] = [];
    const error = await runCheckedRejects(function* () {
      yield* withTimeout(5, function* () {
        yield* resource<number>(function* (provide) {
          try { yield* provide(1); } finally { log.push(`down at ${clock()}`); }
        });
        yield* sleep(10);
      });
    });
    expect(error).toBeInstanceOf(TooSlowError);
    expect(log).toEqual(['down at 5']);
  });

  it('a resource\'s own resources are torn down after its body\'s teardown', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* () {
        yield* resource<number>(function* (provide) {
          yield* logged(log, 'inner');
          try { yield* provide(1); } finally { log.push('outer down'); }
        });
      });
    });
    expect(log).toEqual(['inner up at 0', 'outer down', 'inner down at 0']);
  });

  it('a resource of a started task moves with it into the target pool', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        yield* pool.start(function* (status: TaskStatus) {
          yield* logged(log, 'svc');
          status.started();
          yield* sleep(4);
        });
        log.push(`started at ${clock()}`);
      });
      log.push(`pool exited at ${clock()}`);
    });
    expect(log).toEqual(['svc up at 0', 'started at 0', 'svc down at 4', 'pool exited at 4']);
  });

  it('refuses a body that is not a function', async () => {
    const error = await runCheckedRejects(function* () { yield* resource(42 as never); });
    expect(error).toBeInstanceOf(TypeError);
  });
});
