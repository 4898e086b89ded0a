/**
 * The public types of giambio/worker: options, statistics, the pool a `withWorkers` body receives,
 * and the type-level plumbing that makes `workers.call` check export names, arguments and results
 * against the worker module's type (`typeof import('./work.js')`).
 */
// For the global `SymbolConstructor.dispose` declaration (consumers whose lib stops at es2022).
import '../disposable.js';
import type { Operation } from '../types.js';

/**
 * Any function a worker can expose: plain (sync or async) or a generator function.
 * @example
 * const exports: Record<string, WorkerFunction> = { add: (a: number, b: number) => a + b };
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WorkerFunction = (...args: any[]) => unknown;

/**
 * The module type a pool uses when none is given: any export name, any arguments.
 * @example
 * yield* withWorkers(url, {}, function* (workers: WorkerPool<AnyWorkerModule>) { yield* workers.call('anything', 1); });
 */
export type AnyWorkerModule = Record<string, WorkerFunction>;

/**
 * The names of `M`'s exports that are functions (what `workers.call` accepts).
 * @example
 * type Names = WorkerExportName<typeof import('./work.js')>; // 'fib' | 'poll' (not VERSION)
 */
export type WorkerExportName<M> = { [K in keyof M]: M[K] extends WorkerFunction ? K : never }[keyof M] & string;

/**
 * The parameters of export `K` of `M`.
 * @example
 * type FibArgs = WorkerArgs<typeof import('./work.js'), 'fib'>; // [n: number]
 */
export type WorkerArgs<M, K extends keyof M> = M[K] extends (...args: infer A) => unknown ? A : never;

/**
 * What `workers.call` returns for export `K`: a generator function's return value, an async
 * function's resolved value, a plain function's value.
 * @example
 * type Polled = WorkerResult<typeof import('./work.js'), 'poll'>; // number, not a generator
 */
export type WorkerResult<M, K extends keyof M> =
  M[K] extends (...args: never[]) => Generator<unknown, infer R, never> ? R
    : M[K] extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * A worker module URL that carries the module's type, made by `workerModule<typeof import('./work.js')>(url)`.
 * `withWorkers` and `runInWorker` infer the export types from it.
 * @example
 * const work: WorkerModule<typeof import('./work.js')> = workerModule(new URL('./work.js', import.meta.url));
 */
export interface WorkerModule<M> {
  /** The worker module: a URL (`new URL('./work.js', import.meta.url)`), or a path in Node. */
  readonly url: string | URL;
  /** Type-level only: never set. */
  readonly __exports?: M;
}

/**
 * Memory limits for each worker (Node's `worker_threads` `resourceLimits`; ignored by Web Workers).
 * @example
 * yield* withWorkers(url, { resourceLimits: { maxOldGenerationSizeMb: 64 } }, body);
 */
export interface WorkerResourceLimits {
  /** Most MB of the main heap (V8 old generation) before the worker is terminated. */
  maxOldGenerationSizeMb?: number;
  /** Most MB of the heap for newly created objects. */
  maxYoungGenerationSizeMb?: number;
  /** MB reserved for generated code. */
  codeRangeSizeMb?: number;
  /** The thread's stack size in MB (Node's default: 4). */
  stackSizeMb?: number;
}

/**
 * Options of `withWorkers`.
 * @example
 * yield* withWorkers(url, { size: 4, name: 'hash', graceMs: 250 }, body);
 */
export interface WorkerPoolOptions {
  /** How many workers (default: the machine's available parallelism). */
  size?: number;
  /** Name of the pool: workers are called `name#1`, `name#2`, … (default: `'giambio-worker'`). */
  name?: string;
  /**
   * How long (ms, real time) a cancelled call's worker gets to stop before it is terminated and
   * replaced (default 100). A generator export stops at its next checkpoint; a busy plain function
   * never does, so it is terminated after this grace.
   */
  graceMs?: number;
  /** Memory limits per worker (Node only); a worker that exceeds them dies and is replaced. */
  resourceLimits?: WorkerResourceLimits;
}

/**
 * Options of `workers.callWith`.
 * @example
 * const bytes = new Uint8Array(1 << 20);
 * const digest = yield* workers.callWith({ transfer: [bytes.buffer] }, 'sha256', bytes);
 */
export interface WorkerCallOptions {
  /**
   * `ArrayBuffer`s and `MessagePort`s (anything transferable) to transfer, not copy, to the worker;
   * they are detached here. (Typed as objects: the DOM's `Transferable` is not in every consumer's lib.)
   */
  transfer?: readonly object[];
}

/**
 * A snapshot of a worker pool, from `workers.statistics()`.
 * @example
 * const { busy, queued } = workers.statistics();
 */
export interface WorkerPoolStatistics {
  /** Workers in the pool. */
  size: number;
  /** Workers running a call. */
  busy: number;
  /** Workers started and waiting for a call. */
  idle: number;
  /** Calls waiting for a worker. */
  queued: number;
  /** Calls handed to a worker so far. */
  started: number;
  /** Workers terminated and replaced so far (crashed, or busy when their call was cancelled). */
  replaced: number;
}

/**
 * The pool a `withWorkers` body receives. `M` is the worker module's type.
 * @example
 * yield* withWorkers(url, { size: 2 }, function* (workers) {
 *   yield* createPool(function* (pool) {
 *     for (const n of [30, 31, 32]) pool.spawn(function* () { console.log(yield* workers.call('fib', n)); });
 *   });
 * });
 */
export interface WorkerPool<M = AnyWorkerModule> {
  /** The pool's name (see `WorkerPoolOptions.name`). */
  readonly name: string;
  /** The number of workers. */
  readonly size: number;
  /**
   * Runs export `name` in an idle worker (calls beyond `size` wait, first come first served) and
   * returns its result, a structured clone. Cancelling the calling task cancels the work, and the
   * call returns only once the work has stopped.
   * @throws {TypeError} for an unknown export or arguments that cannot be cloned (nothing is sent).
   * @throws {ResourceBroken} if the worker died during the call (it is replaced).
   * @throws {ResourceClosed} if the pool has exited.
   */
  call<K extends WorkerExportName<M>>(name: K, ...args: WorkerArgs<M, K>): Operation<WorkerResult<M, K>>;
  /** `call` with options: `transfer` lists what to transfer instead of copying. */
  callWith<K extends WorkerExportName<M>>(options: WorkerCallOptions, name: K, ...args: WorkerArgs<M, K>): Operation<WorkerResult<M, K>>;
  /** Counts of workers and calls right now. */
  statistics(): WorkerPoolStatistics;
  /**
   * Terminates every worker now, without waiting: calls in flight and queued fail with
   * `ResourceClosed`. Idempotent. `withWorkers` does this (and waits) on exit anyway.
   */
  closeNow(): void;
  /** `closeNow()`, for `using`. */
  [Symbol.dispose](): void;
}
