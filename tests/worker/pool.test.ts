// giambio/worker in Node (worker_threads): results, typed errors, cancellation of generator exports
// and of busy plain functions, queueing, transfer, crashes, and that nothing outlives the pool.
// The pool side runs from src/; the worker module (fixtures/work.mjs) runs the built package.
import { beforeAll, describe, expect, it } from 'vitest';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CancelledError, DeadlockError, ResourceBroken, ResourceClosed } from '../../src/errors.js';
import { EventLoop } from '../../src/loop.js';
import { createPool, skipAfter, withTimeout } from '../../src/pool.js';
import { sleep, clock } from '../../src/operations.js';
import { Event } from '../../src/sync/event.js';
import { MockClock } from '../../src/testing.js';
import { runInWorker, withWorkers, workerModule, type WorkerPool } from '../../src/worker/node.js';
import { runNode } from '../node/helpers.js';
import { expectCoreEmpty } from '../helpers.js';
import type { Operation } from '../../src/types.js';

type Work = typeof import('./fixtures/work.mjs');
const WORK = new URL('./fixtures/work.mjs', import.meta.url);
const work = workerModule<Work>(WORK);

beforeAll(() => {
  if (!existsSync(new URL('../../dist/worker-node.mjs', import.meta.url))) {
    throw new Error('the worker fixtures run the built package: run `npm run build` first (npm test does)');
  }
});

/** Worker threads alive in this process (Node lists none once they are gone). */
const workerHandles = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Worker' || kind === 'MessagePort').length;

/** Caught error of an operation (fails if it returned). */
function* caught(op: Operation<unknown>): Operation<unknown> {
  try {
    yield* op;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to throw');
}

function flags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8));
}

describe('results', () => {
  it('sync, async and generator exports return their results', async () => {
    const out = await runNode(function* () {
      return yield* withWorkers(work, { size: 2 }, function* (workers) {
        return [yield* workers.call('add', 2, 3), yield* workers.call('addLater', 4, 5), yield* workers.call('nap', 5)];
      });
    });
    expect(out).toEqual([5, 9, 'napped']);
  });

  it('runInWorker runs one call in a worker of its own', async () => {
    expect(await runNode(function* () { return yield* runInWorker(work, 'add', 20, 22); })).toBe(42);
  });

  it('statistics count workers and calls', async () => {
    const stats = await runNode(function* () {
      return yield* withWorkers(work, { size: 2, name: 'stats' }, function* (workers) {
        expect(workers.name).toBe('stats');
        expect(workers.size).toBe(2);
        yield* workers.call('add', 1, 1);
        yield* workers.call('add', 1, 1);
        return workers.statistics();
      });
    });
    expect(stats).toMatchObject({ size: 2, busy: 0, queued: 0, started: 2, replaced: 0 });
  });

  it('a virtual clock does not jump while a call runs: the call is a host wait', async () => {
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }) });
    const out = await loop.run(function* () {
      return yield* withWorkers(work, { size: 1 }, function* (workers) {
        const t0 = clock();
        const result = yield* skipAfter(1000, function* () { return yield* workers.call('spin', 50); });
        return { result, elapsed: clock() - t0 };
      });
    });
    expect(out).toEqual({ result: 'spun', elapsed: 0 });
    expectCoreEmpty(loop);
  });

  it('a body waiting on nothing beside idle workers is a deadlock (idle workers are not host work)', async () => {
    const error = await new EventLoop({ detectDeadlocks: true }).run(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        yield* workers.call('add', 1, 1);
        yield* new Event().wait();
      });
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    expect(workerHandles()).toBe(0);
  });
});

describe('queueing', () => {
  it('calls beyond size wait for a worker', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 2 }, function* (workers) {
        while (workers.statistics().idle < 2) yield* sleep(5); // both workers are up
        yield* createPool(function* (pool) {
          for (let i = 0; i < 6; i++) pool.spawn(function* () { yield* workers.call('spin', 100); });
          yield* sleep(0); // one schedule point: every child has made its call (no worker can answer so soon)
          expect(workers.statistics()).toMatchObject({ busy: 2, queued: 4, idle: 0 });
        });
        expect(workers.statistics()).toMatchObject({ busy: 0, queued: 0, idle: 2, started: 6 });
      });
    });
  });

  it('waiting calls start first come first served', async () => {
    const order: number[] = [];
    await runNode(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        yield* createPool(function* (pool) {
          for (let i = 0; i < 6; i++) pool.spawn(function* () { yield* workers.call('spin', 2); order.push(i); });
        });
      });
    });
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a cancelled call that was still queued never starts', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        yield* workers.call('add', 0, 0); // the worker is up
        yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* workers.call('spin', 60); });
          const queued = pool.spawn(function* () { yield* workers.call('add', 1, 2); });
          yield* sleep(10);
          expect(workers.statistics().queued).toBe(1);
          queued.cancel();
        });
        expect(workers.statistics()).toMatchObject({ started: 2, queued: 0, replaced: 0 });
      });
    });
  });
});

describe('cancellation', () => {
  it('cancels a generator export inside the worker; its finally runs there before call returns', async () => {
    const f = flags();
    await runNode(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        const error = yield* caught(withTimeout(1000, function* (pool) {
          const t = pool.spawn(function* () { yield* workers.call('napForever', f); });
          while (Atomics.load(f, 0) === 0) yield* sleep(2);
          t.cancel();
          const e = yield* caught(t.join());
          // join returns after the call returned: the worker's finally has already run.
          expect(Atomics.load(f, 1)).toBe(1);
          throw e;
        }));
        expect((error as Error).name).toBe('TaskCancelledError');
        expect(workers.statistics().replaced).toBe(0);
        expect(yield* workers.call('add', 1, 1)).toBe(2); // the same worker goes on
      });
    });
  });

  it('a busy plain function is terminated after graceMs and its worker replaced', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 1, graceMs: 30 }, function* (workers) {
        const before = yield* workers.call('whoAmI');
        const t0 = performance.now();
        const result = yield* skipAfter(40, function* () { return yield* workers.call('spinForever'); });
        const waited = performance.now() - t0;
        expect(result).toBeUndefined();
        expect(waited).toBeGreaterThanOrEqual(65); // 40 ms, then the 30 ms grace: call returned after the stop
        expect(workers.statistics()).toMatchObject({ replaced: 1, busy: 0 });
        const after = yield* workers.call('whoAmI');
        expect(after).not.toBe(before);
      });
    });
  });

  it('a generator export that ignores the cancellation is terminated after graceMs', async () => {
    const f = flags();
    await runNode(function* () {
      yield* withWorkers(work, { size: 1, graceMs: 20 }, function* (workers) {
        yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* workers.call('stubborn', f); });
          while (Atomics.load(f, 0) === 0) yield* sleep(2);
          pool.cancel();
        });
        expect(workers.statistics().replaced).toBe(1);
      });
    });
  });

  it('cancellation during the call of a caller raises CancelledError in the caller', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 1, graceMs: 10 }, function* (workers) {
        yield* createPool(function* (pool) {
          pool.spawn(function* () {
            const error = yield* caught(workers.call('spin', 200));
            expect(error).toBeInstanceOf(CancelledError);
            throw error;
          });
          yield* sleep(20);
          pool.cancel();
        });
      });
    });
  });
});

describe('errors', () => {
  it('an error keeps its class, name, message and cause, with the worker stack appended', async () => {
    const [range, custom] = await runNode(function* () {
      return yield* withWorkers(work, { size: 1 }, function* (workers) {
        return [yield* caught(workers.call('fail', 'too big')), yield* caught(workers.call('failCustom'))];
      });
    }) as [RangeError, Error & { code: string }];
    expect(range).toBeInstanceOf(RangeError);
    expect(range.message).toBe('too big');
    expect(range.cause).toEqual({ code: 42 });
    expect(range.stack).toContain('--- in worker giambio-worker#1 ---');
    expect(range.stack).toMatch(/at fail .*work\.mjs/);
    expect(custom.name).toBe('ParseError');
    expect(custom.message).toBe('could not parse');
    expect(custom.code).toBe('E_PARSE');
    expect(custom.cause).toBeInstanceOf(TypeError);
    expect((custom.cause as Error).message).toBe('inner problem');
  });

  it('an unknown export raises TypeError naming the exports, before and after the workers are ready', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        const untyped = workers as unknown as WorkerPool;
        const early = yield* caught(untyped.call('nope'));
        expect(early).toBeInstanceOf(TypeError);
        expect((early as Error).message).toMatch(/no export `nope`.*`add`, `addLater`/);
        const late = yield* caught(untyped.call('VERSION'));
        expect(late).toBeInstanceOf(TypeError);
        expect((late as Error).message).toMatch(/no export `VERSION`; it exposes `add`/);
      });
    });
  });

  it('arguments that cannot be cloned raise TypeError in the caller; nothing is sent', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        const untyped = workers as unknown as WorkerPool;
        yield* workers.call('add', 0, 0);
        const error = yield* caught(untyped.call('add', () => 1, 2));
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/arguments of worker call `add` cannot be cloned/);
        expect(workers.statistics().started).toBe(1);
        // Also when the call would have had to wait for a worker.
        yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* workers.call('spin', 30); });
          yield* sleep(5);
          expect(yield* caught(untyped.call('add', Symbol('x'), 2))).toBeInstanceOf(TypeError);
        });
        expect(workers.statistics().started).toBe(2);
      });
    });
  });

  it('a result that cannot be cloned raises TypeError', async () => {
    const error = await runNode(function* () { return yield* caught(runInWorker(work, 'giveFunction')); });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/result of the worker call cannot be cloned/);
  });

  it('a worker that dies fails its call with ResourceBroken and is replaced; other calls go on', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 2 }, function* (workers) {
        yield* createPool(function* (pool) {
          const other = pool.spawn(function* () { return yield* workers.call('spin', 80); });
          const crashed = yield* caught(workers.call('crash'));
          expect(crashed).toBeInstanceOf(ResourceBroken);
          expect((crashed as Error).message).toMatch(/died while running `crash`/);
          expect(((crashed as Error).cause as Error).message).toBe('boom outside a call');
          const exited = yield* caught(workers.call('exit', 3));
          expect(exited).toBeInstanceOf(ResourceBroken);
          expect(((exited as Error).cause as Error).message).toMatch(/exited with code 3/);
          expect(yield* other.join()).toBe('spun');
        });
        expect(workers.statistics()).toMatchObject({ replaced: 2, size: 2 });
        expect(yield* workers.call('add', 1, 2)).toBe(3);
      });
    });
  });

  it('a worker out of memory under resourceLimits fails its call with ResourceBroken', async () => {
    const error = await runNode(function* () {
      return yield* withWorkers(work, { size: 1, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } }, function* (workers) {
        const e = yield* caught(workers.call('hog'));
        expect(yield* workers.call('add', 1, 1)).toBe(2);
        return e;
      });
    });
    expect(error).toBeInstanceOf(ResourceBroken);
    expect(((error as Error).cause as { code?: string }).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
  });

  it('a module that never calls expose() fails calls with ResourceBroken', async () => {
    const error = await runNode(function* () {
      return yield* caught(runInWorker(new URL('./fixtures/no-expose.mjs', import.meta.url), 'anything'));
    });
    expect(error).toBeInstanceOf(ResourceBroken);
    expect((error as Error).message).toMatch(/failed to start/);
  });
});

describe('transfer', () => {
  it('callWith({ transfer }) moves an ArrayBuffer to the worker', async () => {
    const buffer = new ArrayBuffer(1024);
    const n = await runNode(function* () {
      return yield* withWorkers(work, { size: 1 }, function* (workers) {
        return yield* workers.callWith({ transfer: [buffer] }, 'byteLength', buffer);
      });
    });
    expect(n).toBe(1024);
    expect(buffer.byteLength).toBe(0); // detached here
  });
});

describe('the pool’s life', () => {
  it('no worker outlives the pool, on success, error and cancellation', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 2 }, function* (workers) { yield* workers.call('add', 1, 1); });
    });
    expect(workerHandles()).toBe(0);
    await expect(runNode(function* () {
      yield* withWorkers(work, { size: 2 }, function* () { throw new RangeError('body failed'); });
    })).rejects.toThrow('body failed');
    expect(workerHandles()).toBe(0);
    await runNode(function* () {
      yield* skipAfter(30, function* () {
        yield* withWorkers(work, { size: 2, graceMs: 10 }, function* (workers) { yield* workers.call('spinForever'); });
      });
    });
    expect(workerHandles()).toBe(0);
  });

  it('closeNow fails calls in flight with ResourceClosed; later calls too', async () => {
    await runNode(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        yield* createPool(function* (pool) {
          const t = pool.spawn(function* () { return yield* caught(workers.call('spin', 1000)); });
          yield* sleep(10);
          workers[Symbol.dispose]();
          workers.closeNow(); // idempotent
          expect(yield* t.join()).toBeInstanceOf(ResourceClosed);
        });
        expect(yield* caught(workers.call('add', 1, 1))).toBeInstanceOf(ResourceClosed);
      });
    });
  });

  it('a program using a pool exits by itself afterwards (no thread or handle left)', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const program = fileURLToPath(new URL('./fixtures/program.mjs', import.meta.url));
    // Output to a file, not a pipe: Node lists a stdout pipe as a live resource, which would hold
    // off the deadlock detector's "nothing else alive" check.
    const dir = mkdtempSync(join(tmpdir(), 'giambio-worker-'));
    const fd = openSync(join(dir, 'out.txt'), 'w');
    const child = spawnSync(process.execPath, [program], { cwd: root, stdio: ['ignore', fd, fd], timeout: 15_000 });
    closeSync(fd);
    const output = readFileSync(join(dir, 'out.txt'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(output.trim().split('\n')).toEqual(['result 3', 'then DeadlockError']);
    expect(child.status).toBe(0);
  });

  it('rejects bad options with the house errors', async () => {
    await runNode(function* () {
      expect(yield* caught(withWorkers(work, { size: 0 }, function* () { /* */ }))).toBeInstanceOf(RangeError);
      expect(yield* caught(withWorkers(work, { size: 1.5 }, function* () { /* */ }))).toBeInstanceOf(RangeError);
      expect(yield* caught(withWorkers(work, { graceMs: -1 }, function* () { /* */ }))).toBeInstanceOf(RangeError);
      expect(yield* caught(withWorkers(work, null as never, function* () { /* */ }))).toBeInstanceOf(TypeError);
      expect(yield* caught(withWorkers(42 as never, {}, function* () { /* */ }))).toBeInstanceOf(TypeError);
      expect(yield* caught(withWorkers('no-such-scheme-or-path', {}, function* () { /* */ }))).toBeInstanceOf(Error);
    });
    expect(workerHandles()).toBe(0);
  });
});

describe('operations are not Promises', () => {
  it('awaiting withWorkers, runInWorker or workers.call rejects with a TypeError that names it', async () => {
    const made: Array<[RegExp, unknown]> = [
      [/^withWorkers\(\) returned a giambio operation/, withWorkers(work, {}, function* () { /* never run */ })],
      [/^runInWorker\(\) returned a giambio operation/, runInWorker(work, 'add', 1, 2)],
    ];
    await runNode(function* () {
      yield* withWorkers(work, { size: 1 }, function* (workers) {
        made.push([/^workers\.call\(\) returned a giambio operation/, workers.call('add', 1, 2)]);
        made.push([/^workers\.call\(\) returned a giambio operation/, workers.callWith({}, 'add', 1, 2)]);
      });
    });
    for (const [message, op] of made) {
      const error = await (async () => { await (op as Promise<unknown>); })().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
