// The timer heap through the door: order by (deadline, arming sequence), O(log n) removal,
// re-arming, and the edges of f64 deadlines. Scope timers report their firing order through
// timerTakeExpired(); sleeping tasks report it through the order they join the run queue.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Core } from '../../src/core.js';
import { OK, STATE_PARKED, STATE_READY } from '../../src/core-constants.js';
import { BUILDS, drain, spawnRunning, spawnSleeping, takeAllExpired } from './helpers.js';

/** A reference model of the heap: a plain list, sorted on demand by (deadline, arming order). */
class TimerModel {
  private armed = new Map<number, { deadline: number; seq: number }>();
  private seq = 0;

  arm(id: number, deadline: number): void {
    this.armed.delete(id);
    if (deadline !== Infinity) this.armed.set(id, { deadline, seq: this.seq++ });
  }

  disarm(id: number): boolean {
    return this.armed.delete(id);
  }

  get size(): number {
    return this.armed.size;
  }

  sorted(): { id: number; deadline: number }[] {
    return [...this.armed.entries()]
      .map(([id, e]) => ({ id, ...e }))
      .sort((a, b) => (a.deadline !== b.deadline ? (a.deadline < b.deadline ? -1 : 1) : a.seq - b.seq));
  }

  /** The deadline of the earliest entry, exactly as stored (so -0 and 0 stay apart), or Infinity. */
  nextDeadline(): number {
    const first = this.sorted()[0];
    return first === undefined ? Infinity : first.deadline;
  }

  /** Removes and returns the ids due at `now`, in firing order. */
  advance(now: number): number[] {
    const due = this.sorted().filter((e) => e.deadline <= now);
    for (const e of due) this.armed.delete(e.id);
    return due.map((e) => e.id);
  }
}

/** Deadlines with many ties (small integers), any f64 including ±0 and ±Infinity, and the extremes. */
const deadline = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 8 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e308, Number.MAX_VALUE, Infinity, -Infinity) },
);

function createTimers(core: Core, count: number): number[] {
  return Array.from({ length: count }, () => core.timerCreate());
}

describe.each(BUILDS)('the timer heap ($build build)', ({ make }) => {
  it('scope timers with random deadlines fire sorted by (deadline, arming order)', () => {
    fc.assert(
      fc.property(fc.array(deadline, { maxLength: 200 }), (deadlines) => {
        const core = make();
        const model = new TimerModel();
        const ids = createTimers(core, deadlines.length);
        deadlines.forEach((d, i) => {
          core.timerArm(ids[i]!, d);
          model.arm(ids[i]!, d);
        });
        expect(core.armedTimers()).toBe(model.size);
        expect(core.nextDeadline()).toBe(model.nextDeadline());
        const expected = model.advance(Infinity);
        expect(core.advance(Infinity)).toBe(expected.length);
        expect(takeAllExpired(core)).toEqual(expected);
        expect(core.armedTimers()).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('sleeping tasks with random deadlines become READY sorted by (deadline, sleep order)', () => {
    fc.assert(
      fc.property(fc.array(deadline, { maxLength: 150 }), (deadlines) => {
        const core = make();
        const model = new TimerModel();
        for (const d of deadlines) {
          const { slot } = spawnSleeping(core, d);
          model.arm(slot, d);
        }
        expect(core.armedTimers()).toBe(model.size);
        const expected = model.advance(Infinity);
        // Sleeping tasks are not scope timers: none is reported through timerTakeExpired.
        expect(core.advance(Infinity)).toBe(0);
        expect(core.timerTakeExpired()).toBe(-1);
        expect(drain(core)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('popping one deadline at a time with advance(nextDeadline()) yields the same sorted order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 100 }), (deadlines) => {
        const core = make();
        const model = new TimerModel();
        const ids = createTimers(core, deadlines.length);
        deadlines.forEach((d, i) => {
          core.timerArm(ids[i]!, d);
          model.arm(ids[i]!, d);
        });
        const fired: number[] = [];
        let previous = -Infinity;
        while (core.nextDeadline() !== Infinity) {
          const next = core.nextDeadline();
          expect(next).toBeGreaterThan(previous);
          previous = next;
          const count = core.advance(next);
          const batch = takeAllExpired(core);
          expect(batch.length).toBe(count);
          expect(count).toBeGreaterThan(0);
          fired.push(...batch);
        }
        expect(fired).toEqual(model.advance(Infinity));
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary arms, re-arms, disarms, advances and deferrals keep the order of a sorted-list model', () => {
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('arm' as const), id: fc.nat(31), deadline }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('disarm' as const), id: fc.nat(31) }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('advance' as const), now: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.double({ noNaN: true })) }),
      },
      // Deferred disarms (timersDefer .. timersFlush, nested): only marked until the outermost
      // flush, yet every answer of the door is the model's meanwhile.
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('defer' as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const core = make();
        const model = new TimerModel();
        const ids = createTimers(core, 32);
        let depth = 0;
        for (const o of ops) {
          if (o.kind === 'defer') {
            core.timersDefer();
            depth++;
          } else if (o.kind === 'flush') {
            core.timersFlush();
            if (depth > 0) depth--;
          } else if (o.kind === 'arm') {
            core.timerArm(ids[o.id]!, o.deadline);
            model.arm(ids[o.id]!, o.deadline);
          } else if (o.kind === 'disarm') {
            expect(core.timerDisarm(ids[o.id]!)).toBe(model.disarm(ids[o.id]!));
          } else {
            const expected = model.advance(o.now);
            expect(core.advance(o.now)).toBe(expected.length);
            expect(takeAllExpired(core)).toEqual(expected);
          }
          expect(core.armedTimers()).toBe(model.size);
          if (depth === 0) expect(core.nextDeadlineNow()).toBe(model.nextDeadline()); // the status block
          expect(core.nextDeadline()).toBe(model.nextDeadline());
        }
        for (; depth > 0; depth--) core.timersFlush();
        expect(core.nextDeadlineNow()).toBe(model.nextDeadline());
        const rest = model.advance(Infinity);
        expect(core.advance(Infinity)).toBe(rest.length);
        expect(takeAllExpired(core)).toEqual(rest);
      }),
      { numRuns: 300 },
    );
  });

  it('cancelling many sleepers in one deferral wakes each once and keeps the other timers in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ deadline: fc.integer({ min: 0, max: 50 }), wake: fc.boolean() }), { minLength: 1, maxLength: 300 }),
        (plan) => {
          const core = make();
          const handles = plan.map((p) => spawnSleeping(core, p.deadline));
          core.timersDefer();
          for (let i = 0; i < plan.length; i++) if (plan[i]!.wake) expect(core.taskWake(handles[i]!.handle)).toBe(OK);
          core.timersFlush();
          const woken = plan.filter((p) => p.wake).length;
          expect(core.armedTimers()).toBe(plan.length - woken);
          const left = plan.map((p, i) => ({ ...p, i })).filter((p) => !p.wake);
          const first = Math.min(...left.map((p) => p.deadline));
          expect(core.nextDeadlineNow()).toBe(left.length === 0 ? Infinity : first);
          drain(core); // the woken ones, READY
          core.advance(Infinity);
          expect(core.readyNow()).toBe(left.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('waking sleeping tasks early removes their timers and keeps the others in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ deadline: fc.integer({ min: 0, max: 10 }), wakeEarly: fc.boolean() }), { maxLength: 100 }),
        (plan) => {
          const core = make();
          const model = new TimerModel();
          const tasks = plan.map(({ deadline: d }) => {
            const task = spawnSleeping(core, d);
            model.arm(task.slot, d);
            return task;
          });
          const woken: number[] = [];
          plan.forEach(({ wakeEarly }, i) => {
            if (!wakeEarly) return;
            expect(core.taskWake(tasks[i]!.handle)).toBe(OK);
            model.disarm(tasks[i]!.slot);
            woken.push(tasks[i]!.slot);
          });
          expect(core.armedTimers()).toBe(model.size);
          expect(drain(core)).toEqual(woken);
          core.advance(Infinity);
          expect(drain(core)).toEqual(model.advance(Infinity));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('disarming any subset of timers leaves the rest firing in sorted order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ deadline: fc.integer({ min: 0, max: 1000 }), disarm: fc.boolean() }), { minLength: 1, maxLength: 200 }),
        (plan) => {
          const core = make();
          const model = new TimerModel();
          const ids = createTimers(core, plan.length);
          plan.forEach(({ deadline: d }, i) => {
            core.timerArm(ids[i]!, d);
            model.arm(ids[i]!, d);
          });
          plan.forEach(({ disarm }, i) => {
            if (disarm) expect(core.timerDisarm(ids[i]!)).toBe(model.disarm(ids[i]!));
          });
          expect(core.nextDeadline()).toBe(model.nextDeadline());
          const expected = model.advance(Infinity);
          expect(core.advance(Infinity)).toBe(expected.length);
          expect(takeAllExpired(core)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('disarming a timer whose replacement belongs higher in the heap keeps the order', () => {
    // Armed in this order the heap array is [2a, 4, 2b, 14, 7, 10, 2c]. Removing 14 moves the last
    // entry (2c) under 4, so it must sift up, not down, or it would fire after 4.
    const core = make();
    const deadlines = [7, 2, 2, 14, 4, 10, 2];
    const ids = createTimers(core, deadlines.length);
    deadlines.forEach((d, i) => core.timerArm(ids[i]!, d));
    expect(core.timerDisarm(ids[3]!)).toBe(true);
    expect(core.advance(Infinity)).toBe(6);
    expect(takeAllExpired(core)).toEqual([1, 2, 6, 4, 0, 5].map((i) => ids[i]));
  });

  it('equal deadlines fire in arming order', () => {
    const core = make();
    const ids = createTimers(core, 5);
    for (const id of [3, 1, 4, 0, 2]) core.timerArm(ids[id]!, 10);
    expect(core.advance(10)).toBe(5);
    expect(takeAllExpired(core)).toEqual([3, 1, 4, 0, 2].map((i) => ids[i]));
  });

  it('sleeps with equal deadlines wake in the order the tasks went to sleep', () => {
    const core = make();
    const slots = [0, 1, 2, 3].map(() => spawnSleeping(core, 5).slot);
    core.advance(5);
    expect(drain(core)).toEqual(slots);
  });

  it('re-arming a timer at a later deadline moves it behind the others', () => {
    const core = make();
    const [a, b, c] = createTimers(core, 3) as [number, number, number];
    core.timerArm(a, 1);
    core.timerArm(b, 2);
    core.timerArm(c, 3);
    core.timerArm(a, 4);
    expect(core.armedTimers()).toBe(3);
    expect(core.nextDeadline()).toBe(2);
    core.advance(10);
    expect(takeAllExpired(core)).toEqual([b, c, a]);
  });

  it('re-arming a timer at an earlier deadline moves it to the front', () => {
    const core = make();
    const [a, b, c] = createTimers(core, 3) as [number, number, number];
    core.timerArm(a, 10);
    core.timerArm(b, 20);
    core.timerArm(c, 30);
    core.timerArm(c, 5);
    expect(core.nextDeadline()).toBe(5);
    expect(core.advance(9)).toBe(1);
    expect(takeAllExpired(core)).toEqual([c]);
    expect(core.armedTimers()).toBe(2);
  });

  it('re-arming at the same deadline counts as a new arming and goes behind equal deadlines', () => {
    const core = make();
    const [a, b] = createTimers(core, 2) as [number, number];
    core.timerArm(a, 7);
    core.timerArm(b, 7);
    core.timerArm(a, 7);
    core.advance(7);
    expect(takeAllExpired(core)).toEqual([b, a]);
  });

  it('a deadline of 0 fires at advance(0)', () => {
    const core = make();
    const [id] = createTimers(core, 1) as [number];
    core.timerArm(id, 0);
    expect(core.nextDeadline()).toBe(0);
    expect(core.advance(0)).toBe(1);
    expect(takeAllExpired(core)).toEqual([id]);
  });

  it('huge finite deadlines (1e308, Number.MAX_VALUE) are armed, ordered and fire only when reached', () => {
    const core = make();
    const [max, huge, zero] = createTimers(core, 3) as [number, number, number];
    core.timerArm(max, Number.MAX_VALUE);
    core.timerArm(huge, 1e308);
    core.timerArm(zero, 0);
    expect(core.armedTimers()).toBe(3);
    expect(core.advance(1e307)).toBe(1);
    expect(takeAllExpired(core)).toEqual([zero]);
    expect(core.nextDeadline()).toBe(1e308);
    expect(core.advance(1e308)).toBe(1);
    expect(takeAllExpired(core)).toEqual([huge]);
    expect(core.nextDeadline()).toBe(Number.MAX_VALUE);
    expect(core.advance(Number.MAX_VALUE)).toBe(1);
    expect(takeAllExpired(core)).toEqual([max]);
    expect(core.nextDeadline()).toBe(Infinity);
  });

  it('a huge sleep deadline wakes the task only at advance(Number.MAX_VALUE) or later', () => {
    const core = make();
    const task = spawnSleeping(core, Number.MAX_VALUE);
    core.advance(1e308);
    expect(core.taskState(task.handle)).toBe(STATE_PARKED);
    core.advance(Infinity);
    expect(core.taskState(task.handle)).toBe(STATE_READY);
  });

  it('arming at an Infinity deadline arms nothing', () => {
    const core = make();
    const [id] = createTimers(core, 1) as [number];
    core.timerArm(id, Infinity);
    expect(core.armedTimers()).toBe(0);
    expect(core.nextDeadline()).toBe(Infinity);
    expect(core.timerDisarm(id)).toBe(false);
    expect(core.advance(Infinity)).toBe(0);
  });

  it('re-arming an armed timer at Infinity disarms it', () => {
    const core = make();
    const [id] = createTimers(core, 1) as [number];
    core.timerArm(id, 3);
    core.timerArm(id, Infinity);
    expect(core.armedTimers()).toBe(0);
    expect(core.advance(Infinity)).toBe(0);
  });

  it('sleeping until Infinity parks the task without a timer: only taskWake resumes it', () => {
    const core = make();
    const task = spawnSleeping(core, Infinity);
    expect(core.armedTimers()).toBe(0);
    core.advance(Infinity);
    expect(core.taskState(task.handle)).toBe(STATE_PARKED);
    expect(core.taskWake(task.handle)).toBe(OK);
    expect(core.taskState(task.handle)).toBe(STATE_READY);
  });

  it('negative and -Infinity deadlines are due at any advance', () => {
    const core = make();
    const [a, b] = createTimers(core, 2) as [number, number];
    core.timerArm(a, -5);
    core.timerArm(b, -Infinity);
    expect(core.nextDeadline()).toBe(-Infinity);
    expect(core.advance(-1)).toBe(2);
    expect(takeAllExpired(core)).toEqual([b, a]);
  });

  it('advance(NaN) fires nothing', () => {
    const core = make();
    const [id] = createTimers(core, 1) as [number];
    core.timerArm(id, 0);
    expect(core.advance(NaN)).toBe(0);
    expect(core.armedTimers()).toBe(1);
  });

  it('timerDisarm reports whether the timer was armed', () => {
    const core = make();
    const [id] = createTimers(core, 1) as [number];
    expect(core.timerDisarm(id)).toBe(false);
    core.timerArm(id, 1);
    expect(core.timerDisarm(id)).toBe(true);
    expect(core.timerDisarm(id)).toBe(false);
    expect(core.advance(Infinity)).toBe(0);
  });

  it('timerFree disarms the timer and its id is handed out again', () => {
    const core = make();
    const [a, b] = createTimers(core, 2) as [number, number];
    expect(a).not.toBe(b);
    expect(core.scopeTimers()).toBe(2);
    core.timerArm(a, 1);
    core.timerFree(a);
    expect(core.armedTimers()).toBe(0);
    expect(core.scopeTimers()).toBe(1);
    expect(core.timerCreate()).toBe(a);
    expect(core.scopeTimers()).toBe(2);
    expect(core.advance(Infinity)).toBe(0);
  });

  it('thousands of timers grow the heap and still fire in order', () => {
    const core = make();
    const count = 5000;
    const ids = createTimers(core, count);
    // Deadlines count-1 .. 0, armed in reverse: the heap must reorder all of them.
    ids.forEach((id, i) => core.timerArm(id, count - 1 - i));
    expect(core.armedTimers()).toBe(count);
    expect(core.advance(Infinity)).toBe(count);
    expect(takeAllExpired(core)).toEqual([...ids].reverse());
  });

  it('more timers than the reserved entries (131,072) grow the heap and still fire in order', () => {
    const core = make();
    const count = (1 << 17) + 3_000;
    const ids = createTimers(core, count);
    ids.forEach((id, i) => core.timerArm(id, count - 1 - i));
    expect(core.armedTimers()).toBe(count);
    expect(core.advance(Infinity)).toBe(count);
    expect(takeAllExpired(core)).toEqual([...ids].reverse());
  });

  it('a sleeping task and a scope timer share one heap and one ordering', () => {
    const core = make();
    const [id] = createTimers(core, 1) as [number];
    const task = spawnSleeping(core, 5);
    core.timerArm(id, 3);
    expect(core.armedTimers()).toBe(2);
    expect(core.nextDeadline()).toBe(3);
    expect(core.advance(4)).toBe(1);
    expect(takeAllExpired(core)).toEqual([id]);
    expect(core.taskState(task.handle)).toBe(STATE_PARKED);
    expect(core.nextDeadline()).toBe(5);
    expect(core.advance(5)).toBe(0);
    expect(drain(core)).toEqual([task.slot]);
  });

  it('a running task has no timer until it sleeps', () => {
    const core = make();
    spawnRunning(core);
    expect(core.armedTimers()).toBe(0);
  });
});
