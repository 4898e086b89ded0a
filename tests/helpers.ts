// Shared test helpers: run on a virtual clock and check that nothing leaked.
import { expect } from 'vitest';
import { EventLoop, type EventLoopOptions } from '../src/loop.js';
import { MockClock } from '../src/testing.js';
import type { Operation } from '../src/task.js';
import { DEBUG_CORE } from '../src/core-debug.js';

/** Asserts the loop's core is empty: no live tasks, timers, scope timers or host waits. */
export function expectCoreEmpty(loop: EventLoop): void {
  const stats = loop.statistics();
  expect(stats.tasks.total, 'live tasks').toBe(0);
  expect(stats.timers, 'armed timers').toBe(0);
  expect(stats.scopeTimers, 'scope timers').toBe(0);
  expect(stats.hostWaits, 'host waits').toBe(0);
  expect(loop.kernel.core.raw.liveTasks(), 'core live tasks').toBe(0);
  expect(loop.kernel.core.raw.readyCount(), 'core run queue').toBe(0);
  expect(loop.kernel.blockedWaiters.length, 'blocked waiters').toBe(0);
}

/** A loop on an autojumping virtual clock at 0, with the debug core (asserts on). */
export function virtualLoop(options: EventLoopOptions = {}): { loop: EventLoop; clock: MockClock } {
  const clock = new MockClock({ autojump: true });
  const loop = new EventLoop({ clock, core: DEBUG_CORE, ...options });
  return { loop, clock };
}

/** Runs `main` on a virtual loop, checks the core is empty afterwards, returns the outcome. */
export async function runChecked<T>(main: () => Operation<T>, options: EventLoopOptions = {}): Promise<T> {
  const { loop } = virtualLoop(options);
  try {
    return await loop.run(main);
  } finally {
    expectCoreEmpty(loop);
  }
}

/**
 * The rejection helper every suite uses: resolves with the reason `promise` rejects with, and fails
 * the test (rejects) if it resolves instead.
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => { throw new Error(`expected a rejection, but it resolved with ${String(value)}`); },
    (error: unknown) => error,
  );
}

/** What `fn()` throws; fails the test if it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Inside a task: what `op` raises (returned, not rethrown); fails the test if it completes. */
export function* raisedBy(op: Operation<unknown>): Operation<unknown> {
  try {
    yield* op;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to raise');
}

/** Like runChecked, but resolves with the rejection reason (and fails if it resolved). */
export function runCheckedRejects(main: () => Operation<unknown>, options: EventLoopOptions = {}): Promise<unknown> {
  return rejectionOf(runChecked(main, options));
}
