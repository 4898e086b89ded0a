import { describe, expect, it } from 'vitest';
import { browserHost } from '../../src/browser/host.js';
import { createPool } from '../../src/pool.js';
import { checkpoint, sleep } from '../../src/operations.js';
import { waitForHost } from '../../src/host-wait.js';
import { runInBrowser } from './helpers.js';

/** Runs a chain of `n` host callbacks, each scheduled from the previous one; resolves with the ms taken. */
function chain(n: number, schedule: (fn: () => void) => void): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let left = n;
    const step = (): void => { if (--left === 0) resolve(performance.now() - t0); else schedule(step); };
    schedule(step);
  });
}

describe('browserHost', () => {
  it('runs scheduled callbacks in order', async () => {
    const order: number[] = [];
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 5; i++) browserHost.schedule(() => { order.push(i); if (i === 4) resolve(); });
    });
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('a chain of 200 zero-delay wake-ups is not clamped to 4 ms each', async () => {
    // setTimeout(0) nested more than 5 deep waits ≥ 4 ms per call: 200 of them take ≥ 780 ms.
    const viaHost = await chain(200, (fn) => browserHost.schedule(fn));
    const viaZeroTimer = await chain(200, (fn) => { browserHost.setTimer(fn, 0); });
    expect(viaHost).toBeLessThan(400);
    expect(viaZeroTimer).toBeLessThan(400);
  });

  it('setTimer with a delay waits at least that long, and clearTimer stops it', async () => {
    let fired = 0;
    const cleared = browserHost.setTimer(() => { fired++; }, 5);
    browserHost.clearTimer(cleared);
    const clearedZero = browserHost.setTimer(() => { fired++; }, 0);
    browserHost.clearTimer(clearedZero);
    const t0 = performance.now();
    await new Promise<void>((resolve) => { browserHost.setTimer(resolve, 20); });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
    expect(fired).toBe(0);
  });

  it('a task waking 300 times from host callbacks runs without timer clamping', async () => {
    const elapsed = await runInBrowser(function* () {
      const t0 = performance.now();
      for (let i = 0; i < 300; i++) {
        // Settled from a microtask: each iteration needs one loop wake-up through the host.
        yield* waitForHost<void>('test', 'microtask', (settle) => { queueMicrotask(() => settle.resolve()); return () => {}; });
      }
      return performance.now() - t0;
    });
    expect(elapsed).toBeLessThan(600);
  });

  it('a task looping on checkpoint() does not starve a sleeping sibling', async () => {
    const spins = await runInBrowser(function* () {
      let done = false;
      let n = 0;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* sleep(30); done = true; });
        pool.spawn(function* () { while (!done) { n++; yield* checkpoint(); } });
      });
      return n;
    });
    expect(spins).toBeGreaterThan(0);
  });
});
