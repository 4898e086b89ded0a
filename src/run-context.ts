/**
 * The run context: which kernel is stepping a task right now (trio's `_run_context.py`). Operations,
 * primitives and host code find their loop here, so they depend on this leaf and never on the kernel
 * module itself; only the kernel sets it (around each batch of steps, see `Kernel.runBatches`).
 *
 * Discussion: one module-level variable, not a stack or an AsyncLocalStorage: a loop runs its tasks
 * synchronously inside one call, and a task cannot start another loop (`run` refuses re-entry), so the
 * innermost entry is the only one that can be observed. The previous value is restored on exit anyway,
 * so a loop stepped by hand from a host callback of another loop still sees itself.
 * @internal
 */
import { GiambioError } from './errors.js';
import type { Kernel } from './kernel.js';

/** The kernel whose task is executing right now (null between steps). */
let running: Kernel | null = null;

/** Makes `kernel` the running one (null: none); returns the previous one, to restore afterwards. */
export function enterKernel(kernel: Kernel | null): Kernel | null {
  const previous = running;
  running = kernel;
  return previous;
}

/**
 * The kernel running the current task.
 * @throws {GiambioError} outside a task step (`what` names the caller in the message).
 */
export function runningKernel(what: string): Kernel {
  const kernel = running;
  if (kernel === null || kernel.current === null) notInTask(what);
  return kernel!;
}

/** The cold path of runningKernel, kept out of it so that it stays small enough to inline. */
function notInTask(what: string): never {
  throw new GiambioError(`${what} must be called from inside a giambio task (no loop is running one now)`);
}

/** The running kernel, or null outside a task step. */
export function maybeRunningKernel(): Kernel | null {
  return running !== null && running.current !== null ? running : null;
}
