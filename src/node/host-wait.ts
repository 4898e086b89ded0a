/**
 * The bridge between Node's callbacks and the kernel's park/wake: one task parked until a Node
 * event wakes it. Every I/O operation of giambio/node parks through one of these.
 *
 * While a task is parked here the kernel counts it in `hostWaits` (a `parkOnHost`: a virtual clock
 * never jumps past I/O in flight). The wake comes from a Node callback, outside any task step; the kernel then asks
 * the loop for a tick. Exactly one wake per park: `wake`/`wakeThrow` do nothing (and return false)
 * when no task is parked, so a late or duplicate Node event can never wake the wrong wait.
 *
 * Discussion: most waits are *abandonable* — cancellation withdraws the task at once and runs
 * `onCancel` (destroy a half-made connection, abort a request); whatever arrives later is kept for
 * the next call or dropped, per operation. A few are not (waiting for a closed handle to be
 * released, reaping a killed child): `onCancel` starts the undo, the task stays parked until Node
 * reports it done, and the operation then raises `CancelledError` itself.
 * @internal
 */
import type { Kernel } from '../kernel.js';
import { runningKernel } from '../run-context.js';

import type { Operation, TaskImpl } from '../task.js';
import { parkOnHost, type AbortFn } from '../trap.js';
import { guardOperations } from '../operation-guard.js';
import { cancelErrorOf } from '../cancel-point.js';

export class HostWait {
  #task: TaskImpl | null = null;
  #kernel: Kernel | null = null;
  /** The cancellation of the parked task has been requested (non-abandonable waits only). */
  #cancelled = false;
  readonly #abort: AbortFn;

  /**
   * @param onCancel runs when cancellation reaches the parked task (possibly more than once for a
   *   non-abandonable wait: it must be idempotent).
   * @param abandonable false: the task stays parked after `onCancel` until woken.
   */
  constructor(onCancel: (() => void) | null = null, readonly abandonable = true) {
    this.#abort = () => {
      if (!this.abandonable) {
        this.#cancelled = true;
        onCancel?.();
        return false;
      }
      this.#release();
      onCancel?.();
      return true;
    };
  }

  /** A task is parked here. */
  get waiting(): boolean {
    return this.#task !== null;
  }

  /**
   * Parks the running task until `wake`/`wakeThrow`; returns the woken value. `reason` shows in
   * task dumps. For a non-abandonable wait that was cancelled, raises `CancelledError` after the
   * wake (the undo has finished by then).
   */
  *wait(reason: string): Operation<unknown> {
    const kernel = runningKernel(reason);
    const me = kernel.current!;
    this.#task = me;
    this.#kernel = kernel;
    this.#cancelled = false;
    const value = yield parkOnHost(this.#abort, reason);
    if (this.#cancelled) {
      this.#cancelled = false;
      throw cancelErrorOf(me, `${reason} was cancelled`);
    }
    return value;
  }

  /** Wakes the parked task with `value`; false if none is parked. */
  wake(value?: unknown): boolean {
    const task = this.#task;
    if (task === null) return false;
    const kernel = this.#release();
    kernel.wake(task, value);
    return true;
  }

  /** Wakes the parked task by throwing `error` into it; false if none is parked. */
  wakeThrow(error: unknown): boolean {
    const task = this.#task;
    if (task === null) return false;
    const kernel = this.#release();
    if (this.#cancelled) { kernel.wake(task, undefined); return true; } // CancelledError wins
    kernel.wakeThrow(task, error);
    return true;
  }

  /** `wakeThrow(make())`, building the error only if a task is parked (errors cost a stack capture). */
  wakeThrowWith(make: () => unknown): boolean {
    return this.#task !== null && this.wakeThrow(make());
  }

  #release(): Kernel {
    const kernel = this.#kernel!;
    this.#task = null;
    this.#kernel = null;
    return kernel;
  }
}

/**
 * One turn of the host's event loop (Node polls for I/O in between), as a checkpoint.
 * @internal
 */
export function* hostTurn(reason: string): Operation<void> {
  let immediate: ReturnType<typeof setImmediate> | null = null;
  const wait = new HostWait(() => { if (immediate !== null) clearImmediate(immediate); });
  immediate = setImmediate(() => { immediate = null; wait.wake(); });
  yield* wait.wait(reason);
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(hostTurn);
