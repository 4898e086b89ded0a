/**
 * Regression tests for a bug the leak tests found (fixed in 231849c): ending tasks without their
 * cooperation (`Kernel.killAll`, used by `loop.close()` after CLOSE_PATIENCE rounds and by the
 * deadlock detector's second stage) woke a pool owner parked waiting for its children but left it
 * registered as the pool's `waiter`; when the last child then ended, `TaskPool.childEnded` woke the
 * owner a second time: "wake of task … that is not parked", an InternalError that poisoned the loop.
 * childEnded now wakes the owner only while it is still parked.
 */
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../src/loop.js';
import { MockClock } from '../../src/testing.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { checkpoint, sleep } from '../../src/operations.js';
import { createPool, shield } from '../../src/pool.js';
import { DeadlockError } from '../../src/errors.js';
import { Event } from '../../src/sync/event.js';
import { expectCoreEmpty } from '../helpers.js';

describe('ending tasks that ignore cancellation', () => {
  // Before the fix: close() threw InternalError("the scheduler core failed: wake of task main that
  // is not parked") from TaskPool.childEnded, and the loop was poisoned.
  it('loop.close() ends a child that ignores cancellation while its pool owner waits for it', () => {
    const loop = new EventLoop({ clock: new MockClock(), core: DEBUG_CORE });
    let cleaned = false;
    loop.start(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* stubborn() {
          try {
            for (;;) { try { yield* sleep(1); } catch { /* ignores cancellation */ } }
          } finally { cleaned = true; }
        });
        yield* sleep(Infinity);
      });
    });
    loop.runUntilIdle();
    expect(() => loop.close()).not.toThrow();
    expect(cleaned).toBe(true);
    expectCoreEmpty(loop);
  });

  // Before the fix: the run rejected with DeadlockError as it should, but the second stage's killAll
  // had woken `owner` (slot 2), and its child `stuck` (slot 1, recycled from `early`) ran first:
  // childEnded woke `owner` again and the core was poisoned (statistics() threw InternalError).
  it('the deadlock detector ends a child stuck in a shield while its pool owner waits for it', async () => {
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }), core: DEBUG_CORE });
    const error = await loop.run(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* early() { /* ends at once, freeing slot 1 */ });
        pool.spawn(function* owner() {
          yield* checkpoint();
          yield* createPool(function* (inner) {
            inner.spawn(function* stuck() { yield* shield(function* () { yield* new Event().wait(); }); });
          });
        });
      });
    }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    expectCoreEmpty(loop);
  });
});
