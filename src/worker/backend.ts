/**
 * The one interface between a worker pool and its platform: start a worker, post to it, terminate
 * it. `node.ts` implements it with `worker_threads`, `web.ts` with Web Workers; the pool logic
 * (queueing, cancellation, replacement) is written once, in `pool.ts`.
 */
import type { WorkerResourceLimits } from './types.js';

export interface WorkerEvents {
  /** A message from the worker. */
  message(data: unknown): void;
  /** The worker is gone without being asked to (exit, uncaught error, out of memory). */
  died(cause: unknown): void;
}

export interface WorkerHandle {
  /** Posts a message; throws (a DataCloneError) if it cannot be cloned, before anything is sent. */
  post(message: unknown, transfer: readonly object[] | undefined): void;
  /** Stops the worker; resolves once it has stopped running code. Idempotent. */
  terminate(): Promise<void>;
  /** Whether an idle worker keeps the host process alive (Node, Bun); no-ops elsewhere. */
  ref(): void;
  unref(): void;
}

export interface WorkerBackend {
  spawn(url: string | URL, name: string, resourceLimits: WorkerResourceLimits | undefined, events: WorkerEvents): WorkerHandle;
  /** The default pool size: the machine's available parallelism. */
  parallelism(): number;
}
