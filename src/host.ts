/**
 * How a loop waits for its host. The core entry uses `defaultHost`, which needs only timers;
 * giambio/node and giambio/browser supply hosts with cheaper wake-ups.
 */
export interface Host {
  /** Runs `fn` in a later macrotask (after pending I/O and timers get a turn). */
  schedule(fn: () => void): void;
  /** Runs `fn` after `ms`; returns a handle for `clearTimer`. */
  setTimer(fn: () => void, ms: number): unknown;
  /** Cancels a timer from `setTimer` that has not fired yet. */
  clearTimer(handle: unknown): void;
}

type Scheduler = (fn: () => void) => void;

function pickScheduler(): Scheduler {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return (fn) => { setImmediate(fn); };
  }
  if (typeof g.MessageChannel === 'function') {
    // A MessageChannel post is a macrotask without setTimeout's 4 ms clamp on nested zero delays.
    const queue: Array<() => void> = [];
    const channel = new g.MessageChannel();
    channel.port1.onmessage = () => { const fn = queue.shift(); if (fn) fn(); };
    return (fn) => { queue.push(fn); channel.port2.postMessage(null); };
  }
  return (fn) => { setTimeout(fn, 0); };
}

let scheduler: Scheduler | undefined;

export const defaultHost: Host = {
  schedule(fn) { (scheduler ??= pickScheduler())(fn); },
  setTimer(fn, ms) { return setTimeout(fn, ms); },
  clearTimer(handle) { clearTimeout(handle as ReturnType<typeof setTimeout>); },
};
