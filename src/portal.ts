/**
 * The portal: calling into a running loop from plain async code (anyio's `BlockingPortal`,
 * Effection's `scope.run`). `openPortal()` is a resource of the calling task's innermost pool (see
 * resource.ts) that owns a pool of its own; `portal.run(fn, ...args)` spawns `fn(...args)` into that
 * pool from outside any task and returns a Promise of its outcome.
 *
 * Discussion: a call's error belongs to whoever called `run`, not to the service: the call's task
 * catches it, rejects the promise and ends normally, so one failing request never cancels the
 * portal's pool (unlike `pool.spawn`). A `CancelledError` is never swallowed: a call cancelled
 * because the portal closed rejects with `ResourceClosed`, one cancelled by its `signal` rejects with
 * the signal's reason, and in both cases the task still ends cancelled.
 * @internal
 */
import { CancelledError, GiambioError, ResourceClosed } from './errors.js';
import { checkOptions, checkString, typeError } from './check.js';
import { maybeRunningKernel, runningKernel } from './run-context.js';
import { createPool, type TaskPool } from './pool.js';
import { resource } from './resource.js';
import { startGenerator } from './spawnable.js';
import { checkpointTrap } from './trap.js';
import { guardOperations } from './operation-guard.js';
import { debugOperation } from './undriven.js';
import type { Operation, Task } from './task.js';

/** Options of `portal.runWith`. */
export interface PortalRunOptions {
  /** Aborting it cancels that call's task; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The task's name in dumps and errors (default: the function's name). */
  name?: string;
}

/**
 * A door into a running loop for plain (non-task) code: `run` starts an operation as a task in the
 * portal's pool and returns a Promise of its outcome. Get one with `openPortal()`.
 * @example
 * const portal = yield* openPortal();
 * http.createServer(async (req, res) => {
 *   res.end(await portal.run(lookup, req.url)); // lookup is a giambio operation
 * }).listen(8080);
 */
export class Portal {
  #pool: TaskPool;
  #closed = false;
  /** Calls still running: cancelled (and rejected with ResourceClosed) when the portal closes. */
  readonly #running = new Set<Task<unknown>>();

  /** @internal Use `openPortal()`. */
  constructor(pool: TaskPool) {
    this.#pool = pool;
  }

  /** The portal is closed: its pool exited or `closeNow()` was called. `run` rejects at once. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `fn(...args)` as a task in the portal's pool and settles with its result or error. Its
   * error rejects the promise and does not cancel the pool. Callable from plain code at any time.
   * @example
   * const user = await portal.run(fetchUser, 42);
   * @throws {GiambioError} when called from inside a giambio task (use `pool.spawn` there).
   */
  run<T, A extends unknown[]>(fn: (...args: A) => Operation<T>, ...args: A): Promise<T> {
    return this.#run(undefined, undefined, fn, args);
  }

  /**
   * `run` with options: a `signal` whose abort cancels the call (the promise rejects with the
   * signal's reason), and a task `name`.
   * @example
   * const controller = new AbortController();
   * const reply = portal.runWith({ signal: controller.signal, name: 'slow-query' }, query, sql);
   * controller.abort(new Error('client went away'));
   * @throws {GiambioError} when called from inside a giambio task. {TypeError} for bad options.
   */
  runWith<T, A extends unknown[]>(options: PortalRunOptions, fn: (...args: A) => Operation<T>, ...args: A): Promise<T> {
    checkOptions('portal run options', options);
    const { signal, name } = options;
    if (signal !== undefined && !(typeof signal === 'object' && signal !== null && typeof signal.addEventListener === 'function' && 'aborted' in signal)) {
      throw typeError('signal', 'an AbortSignal', signal);
    }
    if (name !== undefined) checkString('name', name);
    return this.#run(signal, name, fn, args);
  }

  #run<T, A extends unknown[]>(signal: AbortSignal | undefined, name: string | undefined, fn: (...args: A) => Operation<T>, args: A): Promise<T> {
    if (maybeRunningKernel() !== null) {
      throw new GiambioError('portal.run() called from inside a giambio task: spawn the work with pool.spawn() instead (a task waiting for a Promise of its own loop would block it)');
    }
    if (this.#closed || this.#pool.closed || this.#pool.cancelled) {
      this.#closed = true;
      return Promise.reject(new ResourceClosed('portal.run() on a closed portal'));
    }
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    let gen: Operation<T>;
    try {
      gen = startGenerator<T>('portal.run', fn, args);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      const portal = this;
      let onAbort: (() => void) | null = null;
      const task = this.#pool.spawnWith({ name: name ?? (fn.name || 'portal call') }, function* portalCall(): Operation<void> {
        try {
          resolve(yield* gen);
        } catch (error) {
          if (!(error instanceof CancelledError)) { reject(error); return; } // the caller's error, not the pool's
          // Only its signal, closeNow() or the portal's pool going away can cancel a call.
          if (signal?.aborted === true) reject(signal.reason);
          else reject(new ResourceClosed('the portal closed while the call was running'));
          throw error;
        } finally {
          portal.#running.delete(task);
          if (onAbort !== null) signal!.removeEventListener('abort', onAbort);
        }
      });
      this.#running.add(task);
      if (signal !== undefined) {
        onAbort = () => task.cancel('its signal was aborted');
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /**
   * Closes the portal at once: running calls are cancelled (their promises reject with
   * `ResourceClosed`) and later `run` calls reject at once. Idempotent. The portal also closes
   * when the pool that owns it exits.
   * @example
   * portal.closeNow();
   */
  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#running) task.cancel('the portal was closed');
  }

  /**
   * `closeNow()`, then a checkpoint (inside a task).
   * @example
   * yield* portal.close();
   */
  *close(): Operation<void> {
    runningKernel('Portal.close()');
    this.closeNow();
    yield checkpointTrap;
  }

  /** `closeNow()`, for `using portal = …`. */
  [Symbol.dispose](): void {
    this.closeNow();
  }
}

/**
 * Opens a portal: a resource of the calling task's innermost pool (see `resource`), through which
 * plain async code can run operations in this loop with `portal.run(fn, ...args)`. When that pool
 * exits, the portal closes: running calls are cancelled (their promises reject with
 * `ResourceClosed`) and later calls reject at once with `ResourceClosed`.
 * @example
 * import { run, createPool, openPortal, sleep } from 'giambio';
 * await run(function* () {
 *   yield* createPool(function* () {
 *     const portal = yield* openPortal();
 *     setTimeout(async () => console.log(await portal.run(function* () { yield* sleep(10); return 'hi'; })), 0);
 *     yield* sleep(50);
 *   });
 * });
 */
export function openPortal(): Operation<Portal> {
  return debugOperation(resource<Portal>(function* portal(provide) {
    yield* createPool(function* (pool) {
      const portal = new Portal(pool);
      try {
        yield* provide(portal);
      } finally {
        portal.closeNow();
      }
    });
  }), 'openPortal()');
}

// Awaiting the operations these make rejects (operation-guard.ts).
guardOperations(Portal);
