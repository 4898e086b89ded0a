/**
 * Misuse that was not refused before 231849c, checked beyond the table row (misuse.test.ts): that
 * every loop involved keeps working afterwards. And one misuse that is deliberately not an error.
 */
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../src/loop.js';
import { MockClock } from '../../src/testing.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { checkpoint, sleep } from '../../src/operations.js';
import { GiambioError } from '../../src/errors.js';
import { expectCoreEmpty } from '../helpers.js';

describe('misuse refused since 231849c', () => {
  // Kernel.join compared the joined task's kernel with itself, so the check never fired: the
  // joiner (loop B) was registered in loop A, and when the target ended A woke B's task handle
  // through A's core — "core transition refused with code 1", an InternalError poisoning A (or a
  // wrong task woken, had the handle been live in A) — while B's joiner waited forever.
  it('joining a task of another loop throws GiambioError and both loops keep working', () => {
    const clockA = new MockClock();
    const a = new EventLoop({ clock: clockA, core: DEBUG_CORE });
    const target = a.start(function* target() { yield* sleep(10); return 'A'; });
    a.step();
    const b = new EventLoop({ clock: new MockClock(), core: DEBUG_CORE });
    let caught: unknown = null;
    b.start(function* joiner() { try { yield* target.join(); } catch (error) { caught = error; } });
    b.runUntilIdle();
    expect(caught).toBeInstanceOf(GiambioError);
    expect((caught as Error).message).toMatch(/cannot join Task\(target#\d+, parked\) from another loop/);
    expect(b.done).toBe(true);
    clockA.jump(10);
    expect(() => a.runUntilIdle()).not.toThrow();
    expect(target.result).toBe('A');
    expectCoreEmpty(a);
    expectCoreEmpty(b);
  });

  // close() had no re-entrancy check: from a task of its own loop it ran 10,000 nested rounds of
  // runReady inside the running step, stopped the driver and returned; the task's next checkpoint
  // requeued it, nothing ever ran it again, its finally never ran and run() never settled.
  it('loop.close() from inside a task of that loop is refused and the loop finishes normally', () => {
    const clock = new MockClock();
    const loop = new EventLoop({ clock, core: DEBUG_CORE });
    let refused: unknown = null;
    let cleaned = false;
    const root = loop.start(function* main() {
      try {
        try { loop.close(); } catch (error) { refused = error; }
        yield* sleep(1);
        return 'after';
      } finally { cleaned = true; }
    });
    loop.step();
    expect(refused).toBeInstanceOf(GiambioError);
    clock.jump(1);
    loop.runUntilIdle();
    expect([root.result, cleaned, loop.done]).toEqual(['after', true, true]);
    expectCoreEmpty(loop);
  });
});

describe('operations iterated by hand from plain code', () => {
  // Before issue 11, sleep() and checkpoint() (built without looking for a loop, as the hot path)
  // yielded the loop's internal trap object to plain code that drove them by hand. Now every
  // operation refuses at its first step outside a task (see tests/structure/operation-guard.test.ts).
  it('sleep(1).next() and checkpoint().next() throw GiambioError instead of handing out the internal trap', () => {
    expect(() => sleep(1).next()).toThrow(GiambioError);
    expect(() => checkpoint().next()).toThrow(/checkpoint\(\) was driven outside a task/);
  });
});
