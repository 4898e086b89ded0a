// Task handles: generation * 2^24 + slot as an f64. Slots are recycled; the generation makes
// every handle of an ended task stale, so a recycled slot gets a handle never seen before.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  OK, SLOT_LIMIT, STALE, STATE_FREE, STATE_PARKED, STATE_READY, STATE_RUNNING, slotOfHandle,
} from '../../src/core-constants.js';
import { BUILDS, spawnExited, spawnParked, spawnRunning } from './helpers.js';

describe.each(BUILDS)('task handles ($build build)', ({ make }) => {
  it('fresh slots are numbered from 0 with generation 0, so their handles equal their slots', () => {
    const core = make();
    const handles = [0, 1, 2].map(() => core.taskSpawn());
    expect(handles).toEqual([0, 1, 2]);
    for (const h of handles) expect(core.raw.taskSlot(h)).toBe(h);
  });

  it('a handle is generation * SLOT_LIMIT + slot', () => {
    const core = make();
    spawnRunning(core); // keeps slot 0 busy, so the slot recycled below is 1
    const first = spawnRunning(core);
    expect(first).toEqual({ handle: 1, slot: 1 });
    let handle = first.handle;
    for (let generation = 1; generation <= 5; generation++) {
      expect(core.taskExit(slotOfHandle(handle))).toBe(OK);
      handle = core.taskSpawn();
      expect(handle).toBe(generation * SLOT_LIMIT + 1);
      expect(slotOfHandle(handle)).toBe(1);
      expect(core.raw.taskSlot(handle)).toBe(1);
      expect(core.runNext()).toBe(1);
    }
  });

  it('after taskExit the old handle is stale: taskWake returns STALE and taskState returns FREE', () => {
    const core = make();
    const task = spawnExited(core);
    expect(core.taskWake(task.handle)).toBe(STALE);
    expect(core.taskState(task.handle)).toBe(STATE_FREE);
    expect(core.raw.taskSlot(task.handle)).toBe(-1);
  });

  it('a recycled slot gets a different handle, and the old handle stays stale', () => {
    const core = make();
    const old = spawnExited(core);
    const fresh = spawnParked(core);
    expect(fresh.slot).toBe(old.slot);
    expect(fresh.handle).not.toBe(old.handle);
    expect(fresh.handle).toBe(old.handle + SLOT_LIMIT);
    expect(core.taskState(old.handle)).toBe(STATE_FREE);
    expect(core.taskState(fresh.handle)).toBe(STATE_PARKED);
    // The stale handle cannot wake the new occupant of its slot.
    expect(core.taskWake(old.handle)).toBe(STALE);
    expect(core.taskState(fresh.handle)).toBe(STATE_PARKED);
    expect(core.readyCount()).toBe(0);
    expect(core.taskWake(fresh.handle)).toBe(OK);
  });

  it('a slot recycled a thousand times has generation 1000', () => {
    const core = make();
    let task = spawnExited(core);
    for (let i = 1; i < 1000; i++) task = spawnExited(core);
    expect(task.handle).toBe(999 * SLOT_LIMIT + task.slot);
    const next = core.taskSpawn();
    expect(next).toBe(1000 * SLOT_LIMIT + task.slot);
    expect(core.liveTasks()).toBe(1);
  });

  it('the most recently freed slot is reused first', () => {
    const core = make();
    const handles = [0, 1, 2].map(() => core.taskSpawn());
    const slots = handles.map(slotOfHandle);
    for (let i = 0; i < 3; i++) expect(core.runNext()).toBe(slots[i]);
    expect(core.taskExit(slots[0]!)).toBe(OK);
    expect(core.taskExit(slots[2]!)).toBe(OK);
    expect(slotOfHandle(core.taskSpawn())).toBe(slots[2]);
    expect(slotOfHandle(core.taskSpawn())).toBe(slots[0]);
    expect(slotOfHandle(core.taskSpawn())).toBe(3);
  });

  it.each([
    ['NaN', NaN],
    ['negative', -1],
    ['-Infinity', -Infinity],
    ['Infinity', Infinity],
    ['fractional', 0.5],
    ['2^53 (one past the largest handle)', 2 ** 53],
    ['a slot never handed out', 7],
    ['a generation not reached yet', 3 * SLOT_LIMIT + 0],
  ])('a handle that names no task (%s) is stale', (_name, handle) => {
    const core = make();
    const live = core.taskSpawn(); // slot 0, generation 0
    expect(core.taskState(handle)).toBe(STATE_FREE);
    expect(core.taskWake(handle)).toBe(STALE);
    expect(core.raw.taskSlot(handle)).toBe(-1);
    expect(core.taskState(live)).toBe(STATE_READY);
    expect(core.readyCount()).toBe(1);
  });

  it('-0 is the handle of slot 0, generation 0', () => {
    const core = make();
    expect(core.taskSpawn()).toBe(0);
    expect(core.taskState(-0)).toBe(STATE_READY);
    expect(core.raw.taskSlot(-0)).toBe(0);
  });

  it('liveTasks counts spawned tasks until they exit, whatever their state', () => {
    const core = make();
    expect(core.liveTasks()).toBe(0);
    const a = spawnRunning(core);
    const b = spawnParked(core);
    core.taskSpawn();
    expect(core.liveTasks()).toBe(3);
    expect(core.taskYield(a.slot)).toBe(OK);
    expect(core.liveTasks()).toBe(3);
    expect(core.taskWake(b.handle)).toBe(OK);
    const running = [core.runNext(), core.runNext(), core.runNext()];
    expect(core.liveTasks()).toBe(3);
    for (const slot of running) expect(core.taskExit(slot)).toBe(OK);
    expect(core.liveTasks()).toBe(0);
    expect(core.readyCount()).toBe(0);
  });

  it('random spawn and exit sequences keep handles unique and liveTasks exact', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 400 }), (spawnOrExit) => {
        const core = make();
        const seen = new Set<number>();
        const live: { handle: number; slot: number }[] = [];
        const ended: number[] = [];
        for (const spawn of spawnOrExit) {
          if (spawn || live.length === 0) {
            const task = spawnRunning(core);
            expect(seen.has(task.handle)).toBe(false);
            seen.add(task.handle);
            live.push(task);
          } else {
            const task = live.splice(live.length >> 1, 1)[0]!;
            expect(core.taskExit(task.slot)).toBe(OK);
            ended.push(task.handle);
          }
          expect(core.liveTasks()).toBe(live.length);
        }
        for (const task of live) expect(core.taskState(task.handle)).toBe(STATE_RUNNING);
        for (const handle of ended) expect(core.taskState(handle)).toBe(STATE_FREE);
        // No two live tasks share a slot.
        expect(new Set(live.map((t) => t.slot)).size).toBe(live.length);
      }),
      { numRuns: 100 },
    );
  });
});
