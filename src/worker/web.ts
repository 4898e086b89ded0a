/**
 * giambio/worker for browsers, Deno and Bun: pools of module Web Workers. Same
 * API and types as the Node entry (`node.ts`); only the backend and the worker's port differ.
 *
 * @module giambio/worker
 */
import type { WorkerBackend, WorkerEvents, WorkerHandle } from './backend.js';
import { createEntry } from './entry.js';
import type { WorkerPort } from './expose.js';

/** Bun's Web Workers can be (un)ref'd like Node's; elsewhere the methods do not exist. */
interface Refable { ref?(): void; unref?(): void }

const webBackend: WorkerBackend = {
  spawn(url: string | URL, name: string, _limits: unknown, events: WorkerEvents): WorkerHandle {
    const worker = new Worker(url, { type: 'module', name });
    let gone = false;
    worker.onmessage = (event) => events.message(event.data);
    const die = (cause: unknown): void => {
      if (gone) return;
      gone = true;
      worker.terminate();
      events.died(cause);
    };
    worker.onerror = (event) => {
      // An uncaught error in a Web Worker does not end it; here it does (as in Node), so the call
      // fails with ResourceBroken and a fresh worker takes its place.
      event.preventDefault?.();
      die(event.error instanceof Error ? event.error : new Error(event.message || 'uncaught error in the worker'));
    };
    worker.onmessageerror = () => die(new Error('a message from the worker could not be deserialized'));
    return {
      post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as Transferable[]),
      terminate: () => {
        gone = true;
        worker.terminate();
        return Promise.resolve();
      },
      ref: () => (worker as Refable).ref?.(),
      unref: () => (worker as Refable).unref?.(),
    };
  },
  parallelism: () => (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2,
};

interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  document?: unknown;
}

const webPort = (): WorkerPort | null => {
  const scope = globalThis as unknown as WorkerScope;
  if (typeof scope.postMessage !== 'function' || typeof scope.addEventListener !== 'function' || scope.document !== undefined) return null;
  return {
    post: (message) => scope.postMessage(message),
    listen: (handler) => scope.addEventListener('message', (event) => handler(event.data as never)),
  };
};

const entry = createEntry(webBackend, webPort);

/**
 * Starts a pool of `size` workers running `module`, runs `body(workers)`, and terminates every
 * worker when the body and all its calls have finished — also on error and cancellation. Type the
 * pool with the module: `withWorkers<typeof import('./work.js')>(…)`, or pass a `workerModule`.
 * @example
 * import { run } from 'giambio';
 * import { withWorkers } from 'giambio/worker';
 * await run(function* () {
 *   yield* withWorkers(new URL('./work.js', import.meta.url), { size: 2 }, function* (workers) {
 *     console.log(yield* workers.call('fib', 30));
 *   });
 * });
 * @throws {TypeError} / {RangeError} for bad options; the body's own error.
 */
export const withWorkers: typeof entry.withWorkers = entry.withWorkers;

/**
 * Runs one export in a worker of its own (a pool of one) and returns its result.
 * @example
 * import { run } from 'giambio';
 * import { runInWorker } from 'giambio/worker';
 * const n = await run(function* () { return yield* runInWorker(new URL('./work.js', import.meta.url), 'fib', 30); });
 * @throws the same errors as `workers.call`.
 */
export const runInWorker: typeof entry.runInWorker = entry.runInWorker;

/**
 * Inside a worker module: makes `functions` callable from the pool. Plain functions (sync or
 * async) are called; generator functions run as tasks in a giambio loop in the worker, where
 * cancellation of the call reaches them as `CancelledError`. Returns `functions`.
 * @example
 * // work.js
 * import { expose } from 'giambio/worker';
 * import { sleep } from 'giambio';
 * export function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
 * export function* slowly(ms) { yield* sleep(ms); return 'done'; }
 * expose({ fib, slowly });
 * @throws {GiambioError} outside a worker, or when called twice.
 */
export const expose: typeof entry.expose = entry.expose;

export { workerModule } from './entry.js';
export type {
  WorkerPool, WorkerPoolOptions, WorkerPoolStatistics, WorkerCallOptions, WorkerResourceLimits, WorkerModule,
  WorkerFunction, AnyWorkerModule, WorkerExportName, WorkerArgs, WorkerResult,
} from './types.js';
