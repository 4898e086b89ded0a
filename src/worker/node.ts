/**
 * giambio/worker for Node (the `node` export condition): pools of `worker_threads` workers. Same
 * API and types as the Web entry (`web.ts`); only the backend and the worker's port differ.
 *
 * @module giambio/worker
 *
 * @module giambio/worker
 */
import { availableParallelism } from 'node:os';
import { Worker, parentPort } from 'node:worker_threads';
import type { WorkerBackend, WorkerEvents, WorkerHandle } from './backend.js';
import { createEntry } from './entry.js';
import type { WorkerPort } from './expose.js';
import type { WorkerResourceLimits } from './types.js';

/** A string with a scheme (file:, data:) is a URL; anything else is a path. */
function nodeTarget(url: string | URL): string | URL {
  return typeof url === 'string' && /^[a-z][a-z0-9+.-]+:/i.test(url) ? new URL(url) : url;
}

const nodeBackend: WorkerBackend = {
  spawn(url: string | URL, name: string, resourceLimits: WorkerResourceLimits | undefined, events: WorkerEvents): WorkerHandle {
    // The worker inherits the process's flags, but --input-type (only valid with --eval) would
    // make it fail: then the flags are passed without it.
    const execArgv = process.execArgv.some((flag) => flag.startsWith('--input-type'))
      ? process.execArgv.filter((flag) => !flag.startsWith('--input-type')) : undefined;
    const worker = new Worker(nodeTarget(url), { name, resourceLimits, execArgv } as ConstructorParameters<typeof Worker>[1]);
    let failure: unknown;
    let terminated = false;
    let exited: Promise<void> | null = null;
    worker.on('message', events.message);
    worker.on('error', (error) => { failure ??= error; });
    worker.on('messageerror', (error) => { failure ??= error; });
    worker.on('exit', (code) => {
      if (!terminated) events.died(failure ?? new Error(`the worker exited with code ${code}`));
    });
    return {
      post: (message, transfer) => worker.postMessage(message, transfer as never),
      terminate: () => {
        terminated = true;
        return exited ??= worker.terminate().then(() => undefined);
      },
      ref: () => worker.ref(),
      unref: () => worker.unref(),
    };
  },
  parallelism: () => availableParallelism(),
};

const nodePort = (): WorkerPort | null => {
  const port = parentPort;
  if (port === null) return null;
  return { post: (message) => port.postMessage(message), listen: (handler) => { port.on('message', handler); } };
};

const entry = createEntry(nodeBackend, nodePort);

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
 * @function
 */
export const withWorkers: typeof entry.withWorkers = entry.withWorkers;

/**
 * Runs one export in a worker of its own (a pool of one) and returns its result.
 * @example
 * import { run } from 'giambio';
 * import { runInWorker } from 'giambio/worker';
 * const n = await run(function* () { return yield* runInWorker(new URL('./work.js', import.meta.url), 'fib', 30); });
 * @throws the same errors as `workers.call`.
 * @function
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
 * @function
 */
export const expose: typeof entry.expose = entry.expose;

export { workerModule } from './entry.js';
export type {
  WorkerPool, WorkerPoolOptions, WorkerPoolStatistics, WorkerCallOptions, WorkerResourceLimits, WorkerModule,
  WorkerFunction, AnyWorkerModule, WorkerExportName, WorkerArgs, WorkerResult,
} from './types.js';
