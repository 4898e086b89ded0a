// The portal runs on a real-time loop: its callers are plain async code outside the loop.
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../src/loop.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { openPortal, type Portal } from '../../src/portal.js';
import { until } from '../../src/interop.js';
import { CancelledError, GiambioError, ResourceClosed } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import { expectCoreEmpty } from '../helpers.js';

async function runReal<T>(main: () => Operation<T>): Promise<T> {
  const loop = new EventLoop({ core: DEBUG_CORE });
  try { return await loop.run(main); } finally { expectCoreEmpty(loop); }
}

function* double(n: number): Operation<number> {
  yield* sleep(1);
  return n * 2;
}

/** Runs `outside(portal)` as plain async code while the loop keeps the portal open; returns its result. */
function withPortal<T>(outside: (portal: Portal) => Promise<T>): () => Operation<T> {
  return function* () {
    return (yield* createPool(function* () {
      const portal = yield* openPortal();
      // A microtask later the loop is no longer stepping: that is plain code, as in an HTTP handler.
      return yield* until(Promise.resolve().then(() => outside(portal)));
    })) as T;
  };
}

describe('portal', () => {
  it('run() from plain code settles with the operation\'s result', async () => {
    const r = await runReal(withPortal(async (portal) => Promise.all([portal.run(double, 1), portal.run(double, 2)])));
    expect(r).toEqual([2, 4]);
  });

  it('a call\'s error rejects its promise and does not cancel the portal\'s pool', async () => {
    const r = await runReal(withPortal(async (portal) => {
      const slow = portal.run(double, 5);
      const failed = await portal.run(function* () { yield* sleep(1); throw new RangeError('bad request'); }).catch((e: unknown) => e);
      return [(failed as Error).message, await slow, await portal.run(double, 6)];
    }));
    expect(r).toEqual(['bad request', 10, 12]);
  });

  it('runWith: aborting the signal cancels that call, which rejects with the signal\'s reason', async () => {
    let sawCancel = false;
    const r = await runReal(withPortal(async (portal) => {
      const controller = new AbortController();
      const call = portal.runWith({ signal: controller.signal, name: 'slow' }, function* () {
        try { yield* sleep(10_000); } catch (e) { sawCancel = e instanceof CancelledError; throw e; }
      });
      setTimeout(() => controller.abort(new Error('client went away')), 5);
      const reason = await call.catch((e: unknown) => e);
      const already = await portal.runWith({ signal: controller.signal }, double, 1).catch((e: unknown) => e);
      return [(reason as Error).message, (already as Error).message];
    }));
    expect(r).toEqual(['client went away', 'client went away']);
    expect(sawCancel).toBe(true);
  });

  it('when the portal\'s pool exits, running calls reject with ResourceClosed, and later calls at once', async () => {
    let portal!: Portal;
    let running!: Promise<unknown>;
    await runReal(function* () {
      yield* createPool(function* () {
        portal = yield* openPortal();
        void Promise.resolve().then(() => {
          running = portal.run(function* () { yield* sleep(10_000); });
          running.catch(() => {});
        });
        yield* sleep(5);
      });
    });
    expect(await running.catch((e: unknown) => e)).toBeInstanceOf(ResourceClosed);
    expect(portal.closed).toBe(true);
    expect(await portal.run(double, 1).catch((e: unknown) => e)).toBeInstanceOf(ResourceClosed);
  });

  it('closeNow() cancels running calls (ResourceClosed) and refuses later ones; it is idempotent', async () => {
    const r = await runReal(withPortal(async (portal) => {
      const running = portal.run(function* () { yield* sleep(10_000); });
      await new Promise((resolve) => setTimeout(resolve, 2));
      portal.closeNow();
      portal[Symbol.dispose]();
      return [await running.catch((e: unknown) => (e as Error).name), await portal.run(double, 1).catch((e: unknown) => (e as Error).name)];
    }));
    expect(r).toEqual(['ResourceClosed', 'ResourceClosed']);
  });

  it('is refused inside a task with GiambioError', async () => {
    const error = await runReal(function* () {
      return yield* createPool(function* () {
        const portal = yield* openPortal();
        try { void portal.run(double, 1); } catch (e) { return e; }
        return null;
      });
    });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toMatch(/pool\.spawn/);
  });

  it('a bad function rejects the promise with TypeError', async () => {
    const r = await runReal(withPortal(async (portal) => portal.run(42 as never).catch((e: unknown) => e)));
    expect(r).toBeInstanceOf(TypeError);
  });

  it('the portal lives as a resource: it does not keep its pool open', async () => {
    const t0 = Date.now();
    await runReal(function* () {
      yield* createPool(function* () { yield* openPortal(); });
    });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
