import { describe, expect, it } from 'vitest';
import { fetch, readBytes, readJson, readText } from '../../src/browser/fetch.js';
import { createPool, withTimeout } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { CancelledError, TooSlowError } from '../../src/errors.js';
import { eventually, runInBrowser, runInBrowserRejects, serverStats, uniqueTag } from './helpers.js';

describe('fetch', () => {
  it('returns the Response of a data: URL, and readText reads it', async () => {
    const text = await runInBrowser(function* () {
      const response = yield* fetch('data:text/plain,hello%20giambio');
      expect(response.ok).toBe(true);
      return yield* readText(response);
    });
    expect(text).toBe('hello giambio');
  });

  it('reads a Blob URL as JSON and as bytes', async () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify({ a: [1, 2] })], { type: 'application/json' }));
    try {
      const [json, bytes] = await runInBrowser(function* () {
        const json = yield* readJson<{ a: number[] }>(yield* fetch(url));
        const bytes = yield* readBytes(yield* fetch(url));
        return [json, bytes] as const;
      });
      expect(json).toEqual({ a: [1, 2] });
      expect(bytes.byteLength).toBe(11);
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it('a request to the test server completes', async () => {
    const tag = uniqueTag('ok');
    expect(await runInBrowser(function* () { return yield* readText(yield* fetch(`/__giambio/slow?ms=10&tag=${tag}`)); })).toBe('slept 10');
    expect(await serverStats(tag)).toEqual({ started: 1, finished: 1, aborted: 0 });
  });

  it('withTimeout aborts the request on the server side', async () => {
    const tag = uniqueTag('timeout');
    const error = await runInBrowserRejects(function* () {
      yield* withTimeout(50, function* () { yield* fetch(`/__giambio/slow?ms=5000&tag=${tag}`); });
    });
    expect(error).toBeInstanceOf(TooSlowError);
    await eventually(async () => expect(await serverStats(tag)).toEqual({ started: 1, finished: 0, aborted: 1 }));
  });

  it('cancelling a pool aborts every request in it', async () => {
    const tag = uniqueTag('pool');
    const outcomes = await runInBrowser(function* () {
      const outcomes: unknown[] = [];
      yield* createPool(function* (pool) {
        for (let i = 0; i < 5; i++) {
          pool.spawn(function* () {
            try { yield* fetch(`/__giambio/slow?ms=5000&tag=${tag}&i=${i}`); } catch (error) { outcomes.push(error); throw error; }
          });
        }
        yield* sleep(100);
        pool.cancel();
      });
      return outcomes;
    });
    expect(outcomes).toHaveLength(5);
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(CancelledError);
    await eventually(async () => expect(await serverStats(tag)).toMatchObject({ finished: 0, aborted: 5 }));
  });

  it('cancelling a body read cancels the stream', async () => {
    const tag = uniqueTag('trickle');
    const error = await runInBrowserRejects(function* () {
      const response = yield* fetch(`/__giambio/trickle?tag=${tag}`);
      yield* withTimeout(50, function* () { yield* readText(response); });
    });
    expect(error).toBeInstanceOf(TooSlowError);
    await eventually(async () => expect(await serverStats(tag)).toMatchObject({ started: 1, aborted: 1 }));
  });

  it('a caller signal is honoured: aborting it rejects with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 30);
    const error = await runInBrowserRejects(function* () {
      yield* fetch(`/__giambio/slow?ms=5000&tag=${uniqueTag('signal')}`, { signal: controller.signal });
    });
    expect(error).toBe(reason);
  });

  it('an HTTP error status is a Response, not an exception', async () => {
    const status = await runInBrowser(function* () { return (yield* fetch('/__giambio/status?code=404')).status; });
    expect(status).toBe(404);
  });

  it('a network error rejects with the TypeError of fetch', async () => {
    const error = await runInBrowserRejects(function* () { yield* fetch('http://127.0.0.1:1/unreachable'); });
    expect(error).toBeInstanceOf(TypeError);
  });

  it('a cancelled task starts no request (fetch is a checkpoint)', async () => {
    const tag = uniqueTag('precancelled');
    await runInBrowser(function* () {
      yield* createPool(function* (pool) {
        pool.cancel();
        try { yield* fetch(`/__giambio/slow?ms=10&tag=${tag}`); } catch (error) { expect(error).toBeInstanceOf(CancelledError); throw error; }
      });
    });
    expect((await serverStats(tag)).started).toBe(0);
  });

  it('rejects a non-object init', async () => {
    const error = await runInBrowserRejects(function* () { yield* fetch('data:,x', 42 as unknown as RequestInit); });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/`42` \(number\)/);
  });
});
