// giambio/worker in browsers (module Web Workers): the worker module is served to the page by the
// test server. Results, typed errors, cancellation of a generator export (its finally runs in the
// worker before call returns) and of a busy loop (terminated and replaced), queueing, transfer,
// and a crashing worker.
import { describe, expect, it } from 'vitest';
import { CancelledError, ResourceBroken } from '../../src/errors.js';
import { createPool, skipAfter } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import type { Operation } from '../../src/types.js';
import { runInWorker, withWorkers, workerModule, type WorkerPool } from '../../src/worker/web.js';
import { runInBrowser } from './helpers.js';

const work = workerModule<typeof import('./fixtures/work.js')>(new URL('./fixtures/work.ts', import.meta.url));

function* caught(op: Operation<unknown>): Operation<unknown> {
  try {
    yield* op;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to throw');
}

describe('giambio/worker in the browser', () => {
  it('sync, async and generator exports return their results; runInWorker too', async () => {
    const out = await runInBrowser(function* () {
      return yield* withWorkers(work, { size: 2 }, function* (workers) {
        return [yield* workers.call('add', 2, 3), yield* workers.call('addLater', 4, 5), yield* workers.call('nap', 5)];
      });
    });
    expect(out).toEqual([5, 9, 'napped']);
    expect(await runInBrowser(function* () { return yield* runInWorker(work, 'add', 20, 22); })).toBe(42);
  });

  it('errors keep class, message and cause; unknown exports and uncloneable arguments are TypeErrors', async () => {
    await runInBrowser(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        const error = yield* caught(workers.call('fail', 'too big'));
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toBe('too big');
        expect((error as Error).cause).toEqual({ code: 42 });
        expect((error as Error).stack).toContain('--- in worker giambio-worker#1 ---');
        const untyped = workers as unknown as WorkerPool;
        const unknown = yield* caught(untyped.call('nope'));
        expect(unknown).toBeInstanceOf(TypeError);
        expect((unknown as Error).message).toMatch(/`add`, `addLater`/);
        expect(yield* caught(untyped.call('add', () => 1, 2))).toBeInstanceOf(TypeError);
      });
    });
  });

  it('cancelling a generator export cancels it in the worker; its finally runs before call returns', async () => {
    const channel = `giambio-worker-${Math.random()}`;
    const heard: string[] = [];
    const listener = new BroadcastChannel(channel);
    listener.onmessage = (event) => heard.push(event.data as string);
    try {
      await runInBrowser(function* () {
        yield* withWorkers(work, { size: 1 }, function* (workers) {
          yield* createPool(function* (pool) {
            const t = pool.spawn(function* () {
              const error = yield* caught(workers.call('napForever', channel));
              expect(error).toBeInstanceOf(CancelledError);
              // The worker posted 'finally' before it confirmed the cancellation; give the channel a turn.
              for (let i = 0; i < 50 && !heard.includes('finally'); i++) yield* sleep(2);
              expect(heard).toEqual(['started', 'finally']);
              throw error;
            });
            while (!heard.includes('started')) yield* sleep(2);
            t.cancel();
          });
          expect(workers.statistics().replaced).toBe(0);
        });
      });
    } finally {
      listener.close();
    }
  });

  it('a busy loop is terminated after graceMs and its worker replaced', async () => {
    await runInBrowser(function* () {
      yield* withWorkers(work, { size: 1, graceMs: 30 }, function* (workers) {
        const before = yield* workers.call('whoAmI');
        const result = yield* skipAfter(50, function* () { return yield* workers.call('spinForever'); });
        expect(result).toBeUndefined();
        expect(workers.statistics().replaced).toBe(1);
        expect(yield* workers.call('whoAmI')).not.toBe(before);
      });
    });
  });

  it('calls beyond size wait; a cancelled queued call never starts', async () => {
    await runInBrowser(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        yield* workers.call('add', 0, 0);
        yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* workers.call('spin', 100); });
          const queued = pool.spawn(function* () { yield* workers.call('add', 1, 2); });
          pool.spawn(function* () { yield* workers.call('add', 3, 4); });
          yield* sleep(0);
          expect(workers.statistics()).toMatchObject({ busy: 1, queued: 2 });
          queued.cancel();
        });
        expect(workers.statistics().started).toBe(3);
      });
    });
  });

  it('callWith transfers an ArrayBuffer', async () => {
    const buffer = new ArrayBuffer(64);
    const n = await runInBrowser(function* () {
      return yield* withWorkers(work, { size: 1 }, function* (workers) {
        return yield* workers.callWith({ transfer: [buffer] }, 'byteLength', buffer);
      });
    });
    expect([n, buffer.byteLength]).toEqual([64, 0]);
  });

  it('a crashing worker fails its call with ResourceBroken and is replaced', async () => {
    await runInBrowser(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        const error = yield* caught(workers.call('crash'));
        expect(error).toBeInstanceOf(ResourceBroken);
        expect(workers.statistics().replaced).toBe(1);
        expect(yield* workers.call('add', 1, 1)).toBe(2);
      });
    });
  });
});
