/**
 * The deadlock detector's verdict. The loop calls `suspect()` whenever it goes idle with no timer
 * armed; plain code may still wake a task from a microtask or a host callback, so the verdict waits
 * one macrotask and then requires that no task ran meanwhile, that no task waits on the host, no
 * timer is armed, no live AbortSignal was given to the loop, and (in Node, by default) that no
 * other host resource is alive. Only then does it call `declare`.
 * @internal
 */
import type { Kernel } from './kernel.js';

/** Node's list of live host resources (handles, requests), or null outside Node. */
export function hostResources(): string[] | null {
  const p = (globalThis as { process?: { getActiveResourcesInfo?: () => string[] } }).process;
  return typeof p?.getActiveResourcesInfo === 'function' ? p.getActiveResourcesInfo() : null;
}

export class DeadlockWatch {
  #pending: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly kernel: Kernel,
    /** Also require that Node has no other live resource (real clock, detection not forced). */
    private readonly checkHost: boolean,
    /** Whether the loop is still idle and driven by the host (not stopped, no tick scheduled). */
    private readonly idle: () => boolean,
    private readonly signal: AbortSignal | undefined,
    private readonly declare: () => void,
  ) {}

  suspect(): void {
    if (this.#pending !== null) return;
    const kernel = this.kernel;
    const steps = kernel.steps;
    this.#pending = setTimeout(() => {
      this.#pending = null;
      if (!this.idle() || kernel.steps !== steps || kernel.core.readyCount() > 0) return;
      if (kernel.hostWaits > 0 || kernel.core.nextDeadline() !== Infinity) return;
      if (this.signal !== undefined && !this.signal.aborted) return;
      // Node lists this very timeout while it runs: anything beyond it keeps the host alive.
      if (this.checkHost && (hostResources() ?? []).length > 1) return;
      this.declare();
    }, 0);
  }

  stop(): void {
    if (this.#pending !== null) { clearTimeout(this.#pending); this.#pending = null; }
  }
}
