// Type-level tests of giambio/worker (checked by `npm run typecheck`; an unused @ts-expect-error is
// itself an error). The pool is typed by the worker module's type: export names, argument types
// and result types are checked at compile time. The bodies never run: only the types matter here.
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/task.js';
import { runInWorker, withWorkers, workerModule, type WorkerPool } from '../../src/worker/node.js';

type Work = typeof import('./fixtures/work.mjs');
const url = new URL('./fixtures/work.mjs', import.meta.url);

/** Type checks only: this generator function is never called. */
function* typed(): Operation<void> {
  yield* withWorkers<Work>(url, {}, function* (workers) {
    const sum: number = yield* workers.call('add', 1, 2);
    const later: number = yield* workers.call('addLater', 1, 2);   // an async function's resolved value
    const napped: string = yield* workers.call('nap', 5);          // a generator function's return value
    const length: number = yield* workers.callWith({ transfer: [new ArrayBuffer(1)] }, 'byteLength', new ArrayBuffer(1));
    void sum; void later; void napped; void length;
    // @ts-expect-error an export that does not exist
    yield* workers.call('nope');
    // @ts-expect-error VERSION is not a function
    yield* workers.call('VERSION');
    // @ts-expect-error the argument types are checked
    yield* workers.call('add', 1, '2');
    // @ts-expect-error a missing argument
    yield* workers.call('add', 1);
    // @ts-expect-error the result type is checked
    const wrong: string = yield* workers.call('add', 1, 2);
    void wrong;
    // @ts-expect-error the result of a generator export is its return value, not a generator
    const notAGenerator: Operation<string> = yield* workers.call('nap', 5);
    void notAGenerator;
  });

  // A typed module URL: both the module type and the body's result are inferred.
  const work = workerModule<Work>(url);
  const total: number = yield* withWorkers(work, { size: 2 }, function* (workers) {
    return (yield* workers.call('add', 1, 2)) + (yield* workers.call('addLater', 3, 4));
  });
  void total;
  const one: number = yield* runInWorker(work, 'add', 1, 2);
  void one;
  // @ts-expect-error runInWorker checks the arguments too
  yield* runInWorker(work, 'add', 'x', 2);
  // @ts-expect-error bad options
  yield* withWorkers(work, { size: '2' }, function* () { /* */ });

  // Untyped: any name and arguments, unknown results.
  yield* withWorkers(url, {}, function* (workers: WorkerPool) {
    const anything: unknown = yield* workers.call('whatever', 1, 'two', { three: 3 });
    void anything;
  });
}

describe('types', () => {
  it('the typed pool compiles (the checks are the @ts-expect-error lines)', () => {
    expect(typeof typed).toBe('function');
  });
});
