import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import { clock } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { call } from '../../src/interop.js';
import { runChecked } from '../helpers.js';
import { fakeFetch } from './fake-fetch.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('call', () => {
  it('passes a signal and returns what the promise resolves with', async () => {
    const fetch = fakeFetch();
    let signal: AbortSignal | null = null;
    const value = await runChecked(function* () {
      return yield* call((s) => { signal = s; return fetch(s, 2, 'ok'); });
    });
    expect(value).toBe('ok');
    expect(signal!.aborted).toBe(false);
    expect(fetch.listeners).toBe(0);
  });

  it('cancelling the task aborts the signal, so the request really stops, with no listener left behind', async () => {
    const fetch = fakeFetch();
    let signal: AbortSignal | null = null;
    const log: string[] = [];
    let thrown: unknown = null;
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          try {
            yield* call((s) => { signal = s; return fetch(s, 10_000); });
          } catch (e) { thrown = e; log.push(`${(e as Error).name}@${clock()}`); throw e; }
        });
        yield* waitAllTasksBlocked();
        expect(fetch.listeners).toBe(1);
        t.cancel();
        expect(signal!.aborted).toBe(true); // synchronously, inside cancel()
      });
    });
    await tick(5);
    expect(log).toEqual(['CancelledError@0']);
    expect(signal!.reason).toBeInstanceOf(CancelledError);
    expect(signal!.reason).toBe(thrown); // the very CancelledError the task received
    expect(fetch.aborted).toBe(1);
    expect(fetch.listeners).toBe(0);
    expect(getEventListeners(signal!, 'abort')).toHaveLength(0);
  });

  it('is a checkpoint: in a cancelled scope fn is never called', async () => {
    let called = false;
    const error = await runChecked(function* () {
      let caught: unknown = null;
      yield* createPool(function* (pool) {
        pool.cancel();
        try { yield* call(async () => { called = true; }); } catch (e) { caught = e; throw e; }
      });
      return caught;
    });
    expect(error).toBeInstanceOf(CancelledError);
    expect(called).toBe(false);
  });

  it('rethrows the rejection of a request that failed on its own', async () => {
    const boom = new Error('network down');
    const error = await runChecked(function* () {
      try { yield* call(() => Promise.reject(boom)); } catch (e) { return e; }
      return null;
    });
    expect(error).toBe(boom);
  });

  it.each([
    ['not a function', 42, 'call() expects a function (signal) => Promise, got `42` (number)'],
    ['a function returning a non-promise', () => 7, 'call() expects its function to return a Promise (or another thenable), got `7` (number)'],
  ])('call(%s) throws TypeError naming what came', async (_label, fn, message) => {
    const error = await runChecked(function* () { try { yield* call(fn as never); } catch (e) { return e; } return null; });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(message);
  });
});
