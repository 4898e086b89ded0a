/**
 * Binds the platform-neutral pool and worker side to one platform: giambio/worker's Node entry
 * (`node.ts`) and Web entry (`web.ts`) are each this factory applied to their backend and port,
 * so both export exactly the same functions with the same types.
 */
import type { Operation } from '../types.js';
import type { WorkerBackend } from './backend.js';
import { exposeOn, type WorkerPort } from './expose.js';
import { runInWorkerOn, withWorkersOn } from './pool.js';
import { debugOperation } from '../undriven.js';
import type {
  AnyWorkerModule, WorkerArgs, WorkerExportName, WorkerFunction, WorkerModule, WorkerPool, WorkerPoolOptions, WorkerResult,
} from './types.js';

export interface WorkerEntry {
  withWorkers<M = AnyWorkerModule, T = unknown>(
    module: string | URL | WorkerModule<M>, options: WorkerPoolOptions, body: (workers: WorkerPool<M>) => Operation<T>): Operation<T>;
  runInWorker<M = AnyWorkerModule, K extends WorkerExportName<M> = WorkerExportName<M>>(
    module: string | URL | WorkerModule<M>, name: K, ...args: WorkerArgs<M, K>): Operation<WorkerResult<M, K>>;
  expose<T extends Record<string, WorkerFunction>>(functions: T): T;
}

/** @internal */
export function createEntry(backend: WorkerBackend, port: () => WorkerPort | null): WorkerEntry {
  return {
    // Tracked in debug mode (undriven.ts), reported where the user called them.
    withWorkers: (module, options, body) => debugOperation(withWorkersOn(backend, module, options, body as never), 'withWorkers()') as never,
    runInWorker: (module, name, ...args) => debugOperation(runInWorkerOn(backend, module, name, args), 'runInWorker()') as never,
    expose: (functions) => exposeOn(port(), functions),
  };
}

/**
 * Gives a worker module URL the module's type, so that `withWorkers` and `runInWorker` infer the
 * export names, argument types and result types from it.
 * @example
 * import { workerModule, withWorkers } from 'giambio/worker';
 * const work = workerModule<typeof import('./work.js')>(new URL('./work.js', import.meta.url));
 * yield* withWorkers(work, {}, function* (workers) {
 *   const digest = yield* workers.call('sha256', bytes); // typed: checked name, args and result
 * });
 */
export function workerModule<M>(url: string | URL): WorkerModule<M> {
  return { url };
}
