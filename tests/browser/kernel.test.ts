// The kernel basics, in a real browser: the embedded wasm core compiles synchronously on the page,
// tasks run, sleep, cancel and time out, on the browser host and on virtual time.
import { describe, expect, it } from 'vitest';
import { EventLoop, run } from '../../src/loop.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool, withTimeout, skipAfter } from '../../src/pool.js';
import { CancelledError, TaskCancelledError, TooSlowError } from '../../src/errors.js';
import { browserHost } from '../../src/browser/host.js';
import { runChecked } from '../helpers.js';
import { runInBrowser, runInBrowserRejects } from './helpers.js';

describe('kernel basics in the browser', () => {
  it('the wasm core loads in this browser', async () => {
    expect(typeof navigator.userAgent).toBe('string');
    expect(await run(function* () { yield* checkpoint(); return 'ok'; })).toBe('ok');
  });

  it('sleep waits on the real clock with the browser host', async () => {
    const slept = await runInBrowser(function* () {
      const t0 = clock();
      yield* sleep(25);
      return clock() - t0;
    });
    expect(slept).toBeGreaterThanOrEqual(24);
  });

  it('children run concurrently and the pool waits for all of them', async () => {
    const t0 = performance.now();
    const order = await runInBrowser(function* () {
      const order: number[] = [];
      yield* createPool(function* (pool) {
        for (const ms of [30, 10, 20]) pool.spawn(function* () { yield* sleep(ms); order.push(ms); });
      });
      return order;
    });
    expect(order).toEqual([10, 20, 30]);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('withTimeout cancels the work and raises TooSlowError', async () => {
    const error = await runInBrowserRejects(function* () {
      yield* withTimeout(20, function* () { yield* sleep(10_000); });
    });
    expect(error).toBeInstanceOf(TooSlowError);
  });

  it('skipAfter returns undefined on expiry', async () => {
    expect(await runInBrowser(function* () { return yield* skipAfter(10, function* () { yield* sleep(1000); return 1; }); })).toBeUndefined();
  });

  it('cancelling a pool ends sleeping children with CancelledError; join reports TaskCancelledError', async () => {
    const seen = await runInBrowser(function* () {
      const seen: unknown[] = [];
      yield* createPool(function* (pool) {
        const child = pool.spawn(function* () {
          try { yield* sleep(10_000); } catch (error) { seen.push(error); throw error; }
        });
        pool.spawn(function* () {
          try { yield* child.join(); } catch (error) { seen.push(error); }
        });
        yield* sleep(5);
        child.cancel();
      });
      return seen;
    });
    expect(seen[0]).toBeInstanceOf(CancelledError);
    expect(seen[1]).toBeInstanceOf(TaskCancelledError);
  });

  it('virtual time jumps an hour at once', async () => {
    const t0 = performance.now();
    expect(await runChecked(function* () { yield* sleep(3_600_000); return clock(); })).toBe(3_600_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('an AbortSignal cancels the loop', async () => {
    const controller = new AbortController();
    const loop = new EventLoop({ host: browserHost, signal: controller.signal });
    const outcome = loop.run(function* () { yield* sleep(10_000); });
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(outcome).rejects.toThrow('stop');
  });

  it('manual stepping from a frame loop', async () => {
    const loop = new EventLoop({ host: browserHost });
    const ticks: number[] = [];
    const task = loop.start(function* () { for (let i = 0; i < 3; i++) { ticks.push(i); yield* checkpoint(); } return 'done'; });
    while (!loop.done) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      loop.step();
    }
    expect(ticks).toEqual([0, 1, 2]);
    expect(task.result).toBe('done');
  });
});
