// Helpers for driving the wasm core directly: fresh cores of either build, tasks put into a
// given state, and snapshots of everything observable without changing it.
import { expect } from 'vitest';
import { Core } from '../../src/core.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { STATE_FREE, STATE_PARKED, STATE_READY, STATE_RUNNING, OK, slotOfHandle } from '../../src/core-constants.js';

/** Both builds, for `describe.each`: the release build (no asserts) and the debug build (asserts abort). */
export const BUILDS = [
  { build: 'release', make: (): Core => new Core() },
  { build: 'debug', make: (): Core => new Core(DEBUG_CORE) },
] as const;

export const releaseCore = (): Core => new Core();
export const debugCore = (): Core => new Core(DEBUG_CORE);

/** A fresh task taken off the run queue. The run queue must be empty, so runNext picks this one. */
export function spawnRunning(core: Core): { handle: number; slot: number } {
  expect(core.readyCount(), 'run queue must be empty before spawnRunning').toBe(0);
  const handle = core.taskSpawn();
  const slot = core.runNext();
  expect(slot).toBe(slotOfHandle(handle));
  return { handle, slot };
}

/** A fresh task parked without a timer. */
export function spawnParked(core: Core): { handle: number; slot: number } {
  const task = spawnRunning(core);
  expect(core.taskPark(task.slot)).toBe(OK);
  return task;
}

/** A fresh task parked on a sleep timer at `deadline`. */
export function spawnSleeping(core: Core, deadline: number): { handle: number; slot: number } {
  const task = spawnRunning(core);
  expect(core.taskSleep(task.slot, deadline)).toBe(OK);
  return task;
}

/** A task that ran and exited: its handle is stale and its slot is FREE. */
export function spawnExited(core: Core): { handle: number; slot: number } {
  const task = spawnRunning(core);
  expect(core.taskExit(task.slot)).toBe(OK);
  return task;
}

export type TaskStateName = 'FREE' | 'READY' | 'RUNNING' | 'PARKED' | 'SLEEPING';

/** A task in the named state (SLEEPING = PARKED with a timer at 100). The run queue must be empty. */
export function taskIn(core: Core, state: TaskStateName): { handle: number; slot: number } {
  switch (state) {
    case 'FREE': return spawnExited(core);
    case 'READY': {
      expect(core.readyCount()).toBe(0);
      const handle = core.taskSpawn();
      return { handle, slot: slotOfHandle(handle) };
    }
    case 'RUNNING': return spawnRunning(core);
    case 'PARKED': return spawnParked(core);
    case 'SLEEPING': return spawnSleeping(core, 100);
  }
}

export const STATE_OF: Record<TaskStateName, number> = {
  FREE: STATE_FREE, READY: STATE_READY, RUNNING: STATE_RUNNING, PARKED: STATE_PARKED, SLEEPING: STATE_PARKED,
};

/** Everything observable about a core without changing it (through raw, so a poisoned Core can still be read). */
export function snapshot(core: Core, handles: number[]): Record<string, unknown> {
  const raw = core.raw;
  return {
    states: handles.map((h) => raw.taskState(h)),
    readyCount: raw.readyCount(),
    liveTasks: raw.liveTasks(),
    armedTimers: raw.armedTimers(),
    scopeTimers: raw.scopeTimers(),
    nextDeadline: raw.nextDeadline(),
  };
}

/** Takes every READY task off the run queue (they become RUNNING); returns their slots in order. */
export function drain(core: Core): number[] {
  const slots: number[] = [];
  for (let slot = core.runNext(); slot >= 0; slot = core.runNext()) slots.push(slot);
  return slots;
}

/** Takes every expired scope timer id reported by the last advance, in firing order. */
export function takeAllExpired(core: Core): number[] {
  const ids: number[] = [];
  for (let id = core.timerTakeExpired(); id >= 0; id = core.timerTakeExpired()) ids.push(id);
  return ids;
}
