// An abort inside the wasm core (forced here through the debug build, by breaking the state
// machine behind the kernel's back) surfaces as InternalError with the core's message; the loop is
// poisoned and fails fast afterwards; no promise is left pending.
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../src/loop.js';
import { checkpoint, currentTask, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { InternalError } from '../../src/errors.js';
import { MockClock } from '../../src/testing.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import type { TaskImpl } from '../../src/task.js';
import { Trap, type TrapKind } from '../../src/trap.js';

describe('internal faults', () => {
  it('an abort in the core rejects run() with InternalError carrying the core message, and poisons the loop', async () => {
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }), core: DEBUG_CORE });
    let finallyRan = false;
    const outcome = loop.run(function* main() {
      yield* createPool(function* (pool) {
        pool.spawn(function* victim() {
          try {
            // Free this task's slot in the core while it runs: the kernel's next transition on it aborts.
            loop.kernel.core.taskExit((currentTask() as TaskImpl).slot);
            yield* checkpoint();
          } finally { finallyRan = true; }
        });
        yield* sleep(10);
      });
    }).then(() => null, (e: unknown) => e);
    const error = await outcome;
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toMatch(/the scheduler core failed: abort: taskYield: task is not RUNNING/);
    expect(finallyRan).toBe(false); // the loop stops at once: nothing runs on a broken core
    expect(() => loop.step()).toThrow(error as Error);
    expect(() => loop.nextDeadline()).toThrow(InternalError);
    await expect(loop.run(function* () { yield* checkpoint(); })).rejects.toBe(error);
  });

  it('an InternalError the kernel raises itself poisons the loop like a core abort', async () => {
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }), core: DEBUG_CORE });
    const error = await loop.run(function* main() {
      yield new Trap(99 as TrapKind); // no handler: the trap table's exhaustiveness check throws
    }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe('trap kind 99 has no handler');
    expect(loop.kernel.failure).toBe(error);
    expect(() => loop.step()).toThrow(error as Error);
    await expect(loop.run(function* () { yield* checkpoint(); })).rejects.toBe(error);
  });

  it('other loops keep working after one is poisoned', async () => {
    const healthy = new EventLoop({ clock: new MockClock({ autojump: true }), core: DEBUG_CORE });
    expect(await healthy.run(function* () { yield* sleep(5); return 'fine'; })).toBe('fine');
  });
});
