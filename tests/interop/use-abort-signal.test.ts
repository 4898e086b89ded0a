import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CancelledError, ResourceClosed, TooSlowError } from '../../src/errors.js';
import { clock, sleep } from '../../src/operations.js';
import { createPool, shield, withTimeout } from '../../src/pool.js';
import { until, useAbortSignal } from '../../src/interop.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { runChecked } from '../helpers.js';
import { fakeFetch } from './fake-fetch.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('useAbortSignal', () => {
  it('aborts, with a CancelledError reason, when the task is cancelled', async () => {
    let signal: AbortSignal | null = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { signal = yield* useAbortSignal(); yield* sleep(Infinity); });
        yield* waitAllTasksBlocked();
        expect(signal!.aborted).toBe(false);
        t.cancel();
        expect(signal!.aborted).toBe(true); // synchronously, inside cancel()
      });
    });
    expect(signal!.reason).toBeInstanceOf(CancelledError);
  });

  it('aborts when a pool around the task is cancelled', async () => {
    let signal: AbortSignal | null = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () { signal = yield* useAbortSignal(); yield* sleep(Infinity); });
        yield* sleep(1);
        pool.cancel();
      });
    });
    expect(signal!.reason).toBeInstanceOf(CancelledError);
  });

  it('aborts with a ResourceClosed reason when its scope ends normally, so { signal } listeners never outlive it', async () => {
    const target = new EventTarget();
    let signal: AbortSignal | null = null;
    await runChecked(function* () {
      yield* createPool(function* () {
        signal = yield* useAbortSignal();
        target.addEventListener('ping', () => { /* handler */ }, { signal });
        expect(getEventListeners(target, 'ping')).toHaveLength(1);
        yield* sleep(1);
        expect(signal.aborted).toBe(false);
      });
      expect(signal!.aborted).toBe(true);
    });
    expect(signal!.reason).toBeInstanceOf(ResourceClosed);
    expect(getEventListeners(target, 'ping')).toHaveLength(0);
  });

  it('is tied to the innermost scope: a withTimeout deadline aborts it at that time', async () => {
    const log: string[] = [];
    await runChecked(function* () {
      const outer = yield* useAbortSignal();
      try {
        yield* withTimeout(10, function* () {
          const signal = yield* useAbortSignal();
          expect(signal).not.toBe(outer);
          // Deadlines fire between task steps, so the listener runs outside any task (no clock()).
          signal.addEventListener('abort', () => log.push('aborted'));
          yield* sleep(Infinity);
        });
      } catch (e) { if (!(e instanceof TooSlowError)) throw e; }
      log.push(`timed out@${clock()}`);
      expect(outer.aborted).toBe(false);
    });
    expect(log).toEqual(['aborted', 'timed out@10']);
  });

  it('a request started with the signal is aborted when the task is cancelled, leaving no listener', async () => {
    const fetch = fakeFetch();
    let signal: AbortSignal | null = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          signal = yield* useAbortSignal();
          yield* until(fetch(signal, 10_000));
        });
        yield* waitAllTasksBlocked();
        expect(fetch.listeners).toBe(1);
        t.cancel();
      });
    });
    await tick(5);
    expect(fetch.aborted).toBe(1);
    expect(fetch.listeners).toBe(0);
    expect(getEventListeners(signal!, 'abort')).toHaveLength(0);
  });

  it('returns the same signal for every call in one scope', async () => {
    await runChecked(function* () {
      const a = yield* useAbortSignal();
      const b = yield* useAbortSignal();
      expect(a).toBe(b);
    });
  });

  it('outer cancellation does not reach a signal inside a shield', async () => {
    let inner: AbortSignal | null = null;
    let outer: AbortSignal | null = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          outer = yield* useAbortSignal();
          yield* shield(function* () {
            inner = yield* useAbortSignal();
            yield* sleep(10);
            expect(inner.aborted).toBe(false);
          });
        });
        yield* sleep(1);
        pool.cancel();
        expect([outer!.aborted, inner!.aborted]).toEqual([true, false]);
      });
    });
    expect(inner!.reason).toBeInstanceOf(ResourceClosed); // when the shield ended
  });

  it('in a scope that is already cancelled the signal is already aborted', async () => {
    let signal: AbortSignal | null = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.cancel();
        signal = yield* useAbortSignal();
      });
    });
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(CancelledError);
  });

  it('many calls in one scope register one hook on it', async () => {
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          for (let i = 0; i < 100; i++) yield* useAbortSignal();
          yield* sleep(1);
        });
        yield* waitAllTasksBlocked();
        const scope = (t as unknown as { scope: { endHooks: unknown[] | null } }).scope;
        expect(scope.endHooks).toHaveLength(1);
      });
    });
  });
});
