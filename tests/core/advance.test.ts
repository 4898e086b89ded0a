// Two-phase expiry: advance(now) takes every due timer off the heap at once (sleeping tasks go
// straight onto the run queue, scope timers into a FIFO), then timerTakeExpired() hands the scope
// timers to the shell one by one. Anything armed afterwards waits for the next advance.
import { describe, expect, it } from 'vitest';
import { OK, STATE_PARKED, STATE_READY, slotOfHandle } from '../../src/core-constants.js';
import { BUILDS, drain, spawnSleeping, takeAllExpired } from './helpers.js';

describe.each(BUILDS)('advance and timerTakeExpired ($build build)', ({ make }) => {
  it('advance(now) moves every due sleep onto the run queue in one call', () => {
    const core = make();
    const due = [30, 10, 20].map((d) => spawnSleeping(core, d));
    const later = spawnSleeping(core, 40);
    expect(core.advance(30)).toBe(0);
    expect(core.readyCount()).toBe(3);
    for (const task of due) expect(core.taskState(task.handle)).toBe(STATE_READY);
    expect(core.taskState(later.handle)).toBe(STATE_PARKED);
    expect(drain(core)).toEqual([due[1]!.slot, due[2]!.slot, due[0]!.slot]);
    expect(core.armedTimers()).toBe(1);
    expect(core.nextDeadline()).toBe(40);
  });

  it('tasks woken by advance queue behind tasks that were already READY', () => {
    const core = make();
    const sleeper = spawnSleeping(core, 1);
    const ready = core.taskSpawn();
    core.advance(1);
    expect(drain(core)).toEqual([slotOfHandle(ready), sleeper.slot]);
  });

  it('advance returns how many scope timers expired and timerTakeExpired yields them in firing order', () => {
    const core = make();
    const ids = [0, 1, 2, 3].map(() => core.timerCreate());
    core.timerArm(ids[0]!, 30);
    core.timerArm(ids[1]!, 10);
    core.timerArm(ids[2]!, 20);
    core.timerArm(ids[3]!, 99);
    expect(core.advance(30)).toBe(3);
    expect(core.timerTakeExpired()).toBe(ids[1]);
    expect(core.timerTakeExpired()).toBe(ids[2]);
    expect(core.timerTakeExpired()).toBe(ids[0]);
    expect(core.timerTakeExpired()).toBe(-1);
    expect(core.timerTakeExpired()).toBe(-1);
  });

  it('one advance handles due sleeps and due scope timers together, each in firing order', () => {
    const core = make();
    const t1 = spawnSleeping(core, 2);
    const s1 = core.timerCreate();
    core.timerArm(s1, 1);
    const t2 = spawnSleeping(core, 1);
    const s2 = core.timerCreate();
    core.timerArm(s2, 2);
    expect(core.advance(2)).toBe(2);
    expect(takeAllExpired(core)).toEqual([s1, s2]);
    expect(drain(core)).toEqual([t2.slot, t1.slot]);
    expect(core.armedTimers()).toBe(0);
  });

  it('timerTakeExpired returns -1 before any advance', () => {
    const core = make();
    expect(core.timerTakeExpired()).toBe(-1);
  });

  it('advance with nothing due changes nothing', () => {
    const core = make();
    const task = spawnSleeping(core, 10);
    const id = core.timerCreate();
    core.timerArm(id, 10);
    expect(core.advance(9.999)).toBe(0);
    expect(core.readyCount()).toBe(0);
    expect(core.armedTimers()).toBe(2);
    expect(core.taskState(task.handle)).toBe(STATE_PARKED);
  });

  it('a deadline equal to now is due', () => {
    const core = make();
    const task = spawnSleeping(core, 12.5);
    core.advance(12.5);
    expect(core.taskState(task.handle)).toBe(STATE_READY);
  });

  it('a scope timer armed for a time <= now after advance waits for the next advance', () => {
    const core = make();
    const id = core.timerCreate();
    expect(core.advance(100)).toBe(0);
    core.timerArm(id, 50);
    expect(core.timerTakeExpired()).toBe(-1);
    expect(core.armedTimers()).toBe(1);
    expect(core.nextDeadline()).toBe(50);
    expect(core.advance(100)).toBe(1);
    expect(takeAllExpired(core)).toEqual([id]);
  });

  it('a scope timer re-armed for <= now while expired ids are being taken fires only at the next advance', () => {
    const core = make();
    const [a, b] = [core.timerCreate(), core.timerCreate()];
    core.timerArm(a, 1);
    core.timerArm(b, 2);
    expect(core.advance(5)).toBe(2);
    expect(core.timerTakeExpired()).toBe(a);
    core.timerArm(a, 3); // the shell re-arms in the past while handling a
    expect(core.timerTakeExpired()).toBe(b);
    expect(core.timerTakeExpired()).toBe(-1);
    expect(core.advance(5)).toBe(1);
    expect(takeAllExpired(core)).toEqual([a]);
  });

  it('a task that sleeps until a time <= now after advance stays PARKED until the next advance', () => {
    const core = make();
    core.advance(100);
    const task = spawnSleeping(core, 50);
    expect(core.readyCount()).toBe(0);
    expect(core.taskState(task.handle)).toBe(STATE_PARKED);
    core.advance(100);
    expect(core.taskState(task.handle)).toBe(STATE_READY);
  });

  it('a task that keeps sleeping until the past runs once per advance, so it cannot starve the loop', () => {
    const core = make();
    const task = spawnSleeping(core, 0);
    for (let round = 1; round <= 3; round++) {
      core.advance(10);
      expect(drain(core)).toEqual([task.slot]);
      expect(core.taskSleep(task.slot, 0)).toBe(OK);
      expect(core.readyCount()).toBe(0);
    }
  });

  it('waking a sleeping task early disarms its timer, so a later advance does not wake it again', () => {
    const core = make();
    const task = spawnSleeping(core, 10);
    expect(core.taskWake(task.handle)).toBe(OK);
    expect(core.armedTimers()).toBe(0);
    expect(drain(core)).toEqual([task.slot]);
    expect(core.taskPark(task.slot)).toBe(OK);
    core.advance(10);
    expect(core.taskState(task.handle)).toBe(STATE_PARKED);
    expect(core.readyCount()).toBe(0);
  });

  it('a task exiting after sleep-and-wake leaves no timer behind', () => {
    const core = make();
    const task = spawnSleeping(core, 10);
    core.advance(10);
    expect(drain(core)).toEqual([task.slot]);
    expect(core.taskExit(task.slot)).toBe(OK);
    expect(core.armedTimers()).toBe(0);
    expect(core.liveTasks()).toBe(0);
  });

  it('many expired scope timers grow the expired FIFO in one advance', () => {
    const core = make();
    const ids = Array.from({ length: 1000 }, () => core.timerCreate());
    ids.forEach((id) => core.timerArm(id, 7));
    expect(core.advance(7)).toBe(1000);
    expect(takeAllExpired(core)).toEqual(ids);
  });
});
