// Helpers for the browser suites: loops on the browser host with the debug core, leak checks, and
// an EventTarget that counts its listeners (so a test can see that cancellation removed one).
import { EventLoop } from '../../src/loop.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { browserHost } from '../../src/browser/host.js';
import type { Operation } from '../../src/task.js';
import { expectCoreEmpty, rejectionOf } from '../helpers.js';

/** A real-time loop on browserHost with the debug core (asserts on). */
export function browserLoop(): EventLoop {
  return new EventLoop({ host: browserHost, core: DEBUG_CORE });
}

/** Runs `main` on a real-time browser loop and checks that nothing leaked (host waits included). */
export async function runInBrowser<T>(main: () => Operation<T>): Promise<T> {
  const loop = browserLoop();
  try {
    return await loop.run(main);
  } finally {
    expectCoreEmpty(loop);
  }
}

/** Like runInBrowser, but resolves with the rejection reason (and fails if it resolved). */
export function runInBrowserRejects(main: () => Operation<unknown>): Promise<unknown> {
  return rejectionOf(runInBrowser(main));
}

/** An EventTarget that counts the listeners currently added, by type. */
export class CountingTarget extends EventTarget {
  readonly listeners = new Map<string, number>();

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    this.listeners.set(type, (this.listeners.get(type) ?? 0) + 1);
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    this.listeners.set(type, (this.listeners.get(type) ?? 0) - 1);
    super.removeEventListener(type, listener, options);
  }

  count(type: string): number {
    return this.listeners.get(type) ?? 0;
  }
}

/** Reads what the test server saw for requests tagged `tag`. */
export async function serverStats(tag: string): Promise<{ started: number; finished: number; aborted: number }> {
  const response = await globalThis.fetch(`/__giambio/stats?tag=${encodeURIComponent(tag)}`);
  return response.json() as Promise<{ started: number; finished: number; aborted: number }>;
}

/** Polls `check` until it passes (server-side effects of an abort arrive a moment later). */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 5000): Promise<void> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (performance.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** A unique tag per test, so server counts from different tests and browsers never mix. */
export function uniqueTag(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2)}`;
}
