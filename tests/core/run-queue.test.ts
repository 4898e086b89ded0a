// The run queue: FIFO of READY slots, linked through the task records (assembly/records.ts), whose
// link field the free-slot stack shares.
import { describe, expect, it } from 'vitest';
import { OK, RESERVED_SLOTS, STATE_READY, STATE_RUNNING, slotOfHandle } from '../../src/core-constants.js';
import { BUILDS, drain, spawnRunning } from './helpers.js';

describe.each(BUILDS)('the run queue ($build build)', ({ make }) => {
  it('runNext on an empty queue returns -1', () => {
    const core = make();
    expect(core.readyCount()).toBe(0);
    expect(core.runNext()).toBe(-1);
  });

  it('spawned tasks run in spawn order', () => {
    const core = make();
    const handles = [0, 1, 2, 3, 4].map(() => core.taskSpawn());
    expect(core.readyCount()).toBe(5);
    expect(drain(core)).toEqual(handles.map(slotOfHandle));
    expect(core.readyCount()).toBe(0);
    for (const h of handles) expect(core.taskState(h)).toBe(STATE_RUNNING);
  });

  it('a yielding task goes to the back of the queue', () => {
    const core = make();
    const [a, b, c] = [core.taskSpawn(), core.taskSpawn(), core.taskSpawn()].map(slotOfHandle) as [number, number, number];
    expect(core.runNext()).toBe(a);
    expect(core.taskYield(a)).toBe(OK);
    expect(drain(core)).toEqual([b, c, a]);
  });

  it('woken tasks queue in wake order behind tasks already READY', () => {
    const core = make();
    const parked = [0, 1, 2].map(() => {
      const task = spawnRunning(core);
      expect(core.taskPark(task.slot)).toBe(OK);
      return task;
    });
    const ready = slotOfHandle(core.taskSpawn());
    expect(core.taskWake(parked[2]!.handle)).toBe(OK);
    expect(core.taskWake(parked[0]!.handle)).toBe(OK);
    expect(drain(core)).toEqual([ready, parked[2]!.slot, parked[0]!.slot]);
    expect(core.taskState(parked[1]!.handle)).not.toBe(STATE_READY);
  });

  it('10,000 tasks run in FIFO order', () => {
    const core = make();
    const handles = Array.from({ length: 10_000 }, () => core.taskSpawn());
    expect(core.readyCount()).toBe(10_000);
    expect(core.liveTasks()).toBe(10_000);
    expect(drain(core)).toEqual(handles.map(slotOfHandle));
  });

  it('more tasks than the reserved records (131,072) grow the table and keep FIFO order and handles', () => {
    const core = make();
    const count = RESERVED_SLOTS + 5_000;
    const handles = Array.from({ length: count }, () => core.taskSpawn());
    expect(core.readyCount()).toBe(count);
    expect(new Set(handles).size).toBe(count);
    // Records copied by the growth keep their state: every handle still names its READY task.
    for (const handle of [handles[0]!, handles[70_000]!, handles[RESERVED_SLOTS - 1]!, handles[count - 1]!]) {
      expect(core.taskState(handle)).toBe(STATE_READY);
    }
    expect(drain(core)).toEqual(handles.map(slotOfHandle));
  });

  it('slots freed and reused while others wait keep the queue in FIFO order', () => {
    const core = make();
    // The free-slot stack and the queue share each record's link: a slot leaves one for the other.
    const first = Array.from({ length: 200 }, () => slotOfHandle(core.taskSpawn()));
    const exited = first.slice(0, 100);
    for (const slot of exited) {
      expect(core.runNext()).toBe(slot);
      expect(core.taskExit(slot)).toBe(OK);
    }
    const more = Array.from({ length: 300 }, () => slotOfHandle(core.taskSpawn()));
    // The 100 freed slots come back first, the slot freed last first of all (LIFO).
    expect(more.slice(0, 100)).toEqual([...exited].reverse());
    expect(core.readyCount()).toBe(400);
    expect(drain(core)).toEqual([...first.slice(100), ...more]);
  });

  it('a task cycling through yield many times keeps its place relative to the others', () => {
    const core = make();
    const slots = [0, 1, 2].map(() => slotOfHandle(core.taskSpawn()));
    const order: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const slot = core.runNext();
      order.push(slot);
      expect(core.taskYield(slot)).toBe(OK);
    }
    expect(order).toEqual(Array.from({ length: 3000 }, (_, i) => slots[i % 3]));
    expect(core.readyCount()).toBe(3);
  });
});
