// Posted wakes (assembly/posted-wakes.ts) and the fused step ends (taskParkNext, taskYieldNext):
// a posted wake makes no call, and the core applies the box, oldest first, at the start of its next
// call, so the run queue and every answer already count it, in the order a taskWake would have
// given. A post for a task that is not parked is a bug in the shell: the next call aborts (both
// builds), which poisons the Core.
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../src/errors.js';
import {
  NO_NEXT, OK, POSTED_CAPACITY, REFUSED, STATE_PARKED, STATE_READY, STATE_RUNNING,
} from '../../src/core-constants.js';
import { thrownBy } from '../helpers.js';
import { BUILDS, drain, releaseCore, spawnParked, spawnRunning, spawnSleeping } from './helpers.js';

describe.each(BUILDS)('posted wakes ($build build)', ({ make }) => {
  it('make no call, and the next call applies them in the order they were posted', () => {
    const core = make();
    const [a, b, c] = [spawnParked(core), spawnParked(core), spawnParked(core)];
    const before = core.crossings;
    core.postWake(c.slot);
    core.postWake(a.slot);
    core.postWake(b.slot);
    expect(core.crossings).toBe(before);
    expect(core.readyNow()).toBe(3); // the READY count read from memory includes the posts
    expect(core.taskState(a.handle)).toBe(STATE_READY); // a call: applied first
    expect(core.readyCount()).toBe(3);
    expect(drain(core)).toEqual([c.slot, a.slot, b.slot]);
  });

  it('keep their place among the calls made after them (a yield queues behind an earlier post)', () => {
    const core = make();
    const parked = spawnParked(core);
    const running = spawnRunning(core);
    core.postWake(parked.slot);
    expect(core.taskYield(running.slot)).toBe(OK);
    expect(drain(core)).toEqual([parked.slot, running.slot]);
  });

  it('disarm the sleep timer of a sleeping task they wake', () => {
    const core = make();
    const sleeper = spawnSleeping(core, 500);
    expect(core.armedTimers()).toBe(1);
    core.postWake(sleeper.slot);
    expect(core.armedTimers()).toBe(0);
    expect(core.nextDeadline()).toBe(Infinity);
    expect(drain(core)).toEqual([sleeper.slot]);
  });

  it('beyond the box capacity, apply the full box first and keep every wake in order', () => {
    const core = make();
    const count = POSTED_CAPACITY + 300;
    const tasks = Array.from({ length: count }, () => spawnParked(core));
    const before = core.crossings;
    for (const task of tasks) core.postWake(task.slot);
    expect(core.crossings - before).toBe(1); // the one applyPostedWakes when the box was full
    expect(core.readyNow()).toBe(count);
    expect(drain(core)).toEqual(tasks.map((task) => task.slot));
  });

  it('of a task that is not parked abort the next call and poison the core', () => {
    const core = make();
    const running = spawnRunning(core);
    core.postWake(running.slot);
    const error = thrownBy(() => core.readyCount());
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toContain('posted wake of a task that is not parked');
    expect(thrownBy(() => core.postWake(running.slot))).toBe(error);
    expect(thrownBy(() => core.runNext())).toBe(error);
  });

  it('a second post of the same park is refused the same way: exactly one wake per park', () => {
    const core = make();
    const parked = spawnParked(core);
    core.postWake(parked.slot);
    core.postWake(parked.slot);
    expect(thrownBy(() => core.runNext())).toBeInstanceOf(InternalError);
  });
});

describe.each(BUILDS)('taskParkNext and taskYieldNext ($build build)', ({ make }) => {
  it('park, then take the next READY task when asked', () => {
    const core = make();
    const running = spawnRunning(core);
    const next = core.taskSpawn();
    const slot = core.taskParkNext(running.slot, 1);
    expect(slot).toBe(next % 2 ** 24);
    expect(core.taskState(next)).toBe(STATE_RUNNING);
    expect(core.taskState(running.handle)).toBe(STATE_PARKED);
  });

  it('take none when not asked, or when none is ready', () => {
    const core = make();
    const first = spawnRunning(core);
    const waiting = core.taskSpawn();
    expect(core.taskParkNext(first.slot, 0)).toBe(NO_NEXT);
    expect(core.taskState(waiting)).toBe(STATE_READY);
    const second = core.runNext();
    expect(core.taskParkNext(second, 1)).toBe(NO_NEXT);
  });

  it('a yield goes to the back before the next is taken: alone, it is taken itself', () => {
    const core = make();
    const running = spawnRunning(core);
    expect(core.taskYieldNext(running.slot, 1)).toBe(running.slot);
    expect(core.taskState(running.handle)).toBe(STATE_RUNNING);
    const other = core.taskSpawn();
    expect(core.taskYieldNext(running.slot, 1)).toBe(other % 2 ** 24);
    expect(drain(core)).toEqual([running.slot]);
  });
});

describe('taskParkNext on a task that is not RUNNING (release build)', () => {
  it('is REFUSED and changes nothing (the debug build aborts, as for taskPark)', () => {
    const core = releaseCore();
    const parked = spawnParked(core);
    const ready = core.taskSpawn();
    expect(core.taskParkNext(parked.slot, 1)).toBe(REFUSED);
    expect(core.taskYieldNext(parked.slot, 1)).toBe(REFUSED);
    expect(core.taskState(ready)).toBe(STATE_READY);
    expect(core.readyCount()).toBe(1);
  });
});
