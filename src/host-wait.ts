/**
 * The one way an operation waits for a host callback: park the current task until the callback
 * settles it. `until`/`call` (Promises) and everything in giambio/browser (fetch, WebSocket,
 * events, frames) is a `waitForHost` with a start function that registers the callback and
 * returns how to undo it. (giambio/node keeps a reusable `HostWait` per socket instead.)
 *
 * While the task is parked here the kernel counts it in `hostWaits` (the park is a `parkOnHost`), so
 * a virtual clock never jumps past real I/O.
 * @internal
 */
import { runningKernel } from './run-context.js';
import { parkOnHost, scheduleTrap } from './trap.js';
import type { Operation, TaskImpl } from './task.js';
import { guardOperations } from './operation-guard.js';
import { throwIfCancelled } from './cancel-point.js';

/** Ends a host wait. Only the first call of either takes effect; later calls are ignored. */
export interface HostSettle<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * Starts the host operation and returns its undo (remove the listener, abort the request, …),
 * called if cancellation reaches the task first. It may settle synchronously.
 */
export type HostStart<T> = (settle: HostSettle<T>, task: TaskImpl) => () => void;

const WAITING = 0;   // started, not settled, task not parked yet
const PARKED = 1;    // task parked (the kernel counts it in hostWaits)
const SETTLED = 2;   // the callback came (or the wait was aborted): later calls are ignored

/**
 * Starts `start` and parks the calling task until it settles. Always a checkpoint: a cancelled
 * task raises `CancelledError` before anything starts.
 * @param what The public name, for the error outside a task ("fetch()").
 * @param reason What the task waits on, for task dumps ("fetch https://…").
 */
export function* waitForHost<T>(what: string, reason: string, start: HostStart<T>): Operation<T> {
  const kernel = runningKernel(what);
  const me = kernel.current!;
  throwIfCancelled(me);
  let state = WAITING;
  let ok = true;
  let early: unknown;
  const finish = (success: boolean, value: unknown): void => {
    if (state === SETTLED) return;
    const wasParked = state === PARKED;
    state = SETTLED;
    if (!wasParked) { ok = success; early = value; return; }
    if (kernel.failure !== null) return; // the loop died meanwhile: nobody to wake
    if (success) kernel.wake(me, value); else kernel.wakeThrow(me, value);
  };
  const undo = start({ resolve: (value) => finish(true, value), reject: (error) => finish(false, error) }, me);
  if (state === SETTLED) {
    // Settled synchronously: still a schedule point, and the outcome is never lost to a cancel.
    yield scheduleTrap;
    if (!ok) throw early;
    return early as T;
  }
  state = PARKED;
  const abort = (): boolean => {
    if (state !== PARKED) return false;
    state = SETTLED;
    undo();
    return true;
  };
  return (yield parkOnHost(abort, reason)) as T;
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(waitForHost);
