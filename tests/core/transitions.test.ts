// The task state machine. Legal transitions behave the same on both builds. An illegal one is a
// bug in the shell: the release build returns WRONG_STATE and changes nothing; the debug build
// aborts, which the Core wrapper turns into an InternalError that poisons the Core for good.
// Waking a task that is not PARKED is an expected outcome (WRONG_STATE), never an abort.
import { describe, expect, it } from 'vitest';
import { Core } from '../../src/core.js';
import { InternalError } from '../../src/errors.js';
import {
  OK, STALE, STATE_FREE, STATE_PARKED, STATE_READY, STATE_RUNNING, WRONG_STATE, slotOfHandle,
} from '../../src/core-constants.js';
import { thrownBy } from '../helpers.js';
import {
  BUILDS, STATE_OF, debugCore, drain, releaseCore, snapshot, spawnParked, spawnRunning, spawnSleeping,
  taskIn, takeAllExpired, type TaskStateName,
} from './helpers.js';


describe.each(BUILDS)('legal transitions ($build build)', ({ make }) => {
  it('taskSpawn: FREE -> READY at the back of the run queue', () => {
    const core = make();
    const first = core.taskSpawn();
    const handle = core.taskSpawn();
    expect(core.taskState(handle)).toBe(STATE_READY);
    expect(core.readyCount()).toBe(2);
    expect(core.liveTasks()).toBe(2);
    expect(drain(core)).toEqual([slotOfHandle(first), slotOfHandle(handle)]);
  });

  it('runNext: READY -> RUNNING, oldest first', () => {
    const core = make();
    const handle = core.taskSpawn();
    expect(core.runNext()).toBe(slotOfHandle(handle));
    expect(core.taskState(handle)).toBe(STATE_RUNNING);
    expect(core.readyCount()).toBe(0);
  });

  it('taskYield: RUNNING -> READY', () => {
    const core = make();
    const task = spawnRunning(core);
    expect(core.taskYield(task.slot)).toBe(OK);
    expect(core.taskState(task.handle)).toBe(STATE_READY);
    expect(core.readyCount()).toBe(1);
  });

  it('taskPark: RUNNING -> PARKED without a timer', () => {
    const core = make();
    const task = spawnRunning(core);
    expect(core.taskPark(task.slot)).toBe(OK);
    expect(core.taskState(task.handle)).toBe(STATE_PARKED);
    expect(core.readyCount()).toBe(0);
    expect(core.armedTimers()).toBe(0);
  });

  it('taskSleep: RUNNING -> PARKED with a timer at the deadline', () => {
    const core = make();
    const task = spawnRunning(core);
    expect(core.taskSleep(task.slot, 25)).toBe(OK);
    expect(core.taskState(task.handle)).toBe(STATE_PARKED);
    expect(core.armedTimers()).toBe(1);
    expect(core.nextDeadline()).toBe(25);
  });

  it('taskWake: PARKED -> READY', () => {
    const core = make();
    const task = spawnParked(core);
    expect(core.taskWake(task.handle)).toBe(OK);
    expect(core.taskState(task.handle)).toBe(STATE_READY);
    expect(drain(core)).toEqual([task.slot]);
  });

  it('taskWake on a sleeping task: PARKED -> READY and its timer is disarmed', () => {
    const core = make();
    const task = spawnSleeping(core, 25);
    expect(core.taskWake(task.handle)).toBe(OK);
    expect(core.taskState(task.handle)).toBe(STATE_READY);
    expect(core.armedTimers()).toBe(0);
    expect(core.nextDeadline()).toBe(Infinity);
  });

  it('a sleep timer: PARKED -> READY at advance', () => {
    const core = make();
    const task = spawnSleeping(core, 25);
    core.advance(25);
    expect(core.taskState(task.handle)).toBe(STATE_READY);
    expect(core.armedTimers()).toBe(0);
  });

  it('taskExit: RUNNING -> FREE', () => {
    const core = make();
    const task = spawnRunning(core);
    expect(core.taskExit(task.slot)).toBe(OK);
    expect(core.taskState(task.handle)).toBe(STATE_FREE);
    expect(core.liveTasks()).toBe(0);
    expect(core.readyCount()).toBe(0);
  });

  it('taskWake on a READY task returns WRONG_STATE and changes nothing', () => {
    const core = make();
    const other = core.taskSpawn();
    const handle = core.taskSpawn();
    const before = snapshot(core, [other, handle]);
    expect(core.taskWake(handle)).toBe(WRONG_STATE);
    expect(snapshot(core, [other, handle])).toEqual(before);
    expect(core.failure).toBeNull();
    expect(drain(core)).toEqual([slotOfHandle(other), slotOfHandle(handle)]);
  });

  it('taskWake on a RUNNING task returns WRONG_STATE and changes nothing', () => {
    const core = make();
    const task = spawnRunning(core);
    expect(core.taskWake(task.handle)).toBe(WRONG_STATE);
    expect(core.taskState(task.handle)).toBe(STATE_RUNNING);
    expect(core.readyCount()).toBe(0);
    expect(core.failure).toBeNull();
    expect(core.taskExit(task.slot)).toBe(OK);
  });

  it('taskWake on an exited task returns STALE', () => {
    const core = make();
    const task = taskIn(core, 'FREE');
    expect(core.taskWake(task.handle)).toBe(STALE);
    expect(core.failure).toBeNull();
  });

  it('a second taskWake of the same park returns WRONG_STATE: exactly one wake per park', () => {
    const core = make();
    const task = spawnParked(core);
    expect(core.taskWake(task.handle)).toBe(OK);
    expect(core.taskWake(task.handle)).toBe(WRONG_STATE);
    expect(core.readyCount()).toBe(1);
  });
});

// Every transition that takes a slot starts only from RUNNING.
type SlotCall = { name: string; call: (core: Core, slot: number) => number };
const SLOT_CALLS: SlotCall[] = [
  { name: 'taskYield', call: (core, slot) => core.taskYield(slot) },
  { name: 'taskPark', call: (core, slot) => core.taskPark(slot) },
  { name: 'taskSleep', call: (core, slot) => core.taskSleep(slot, 75) },
  { name: 'taskExit', call: (core, slot) => core.taskExit(slot) },
];
const NOT_RUNNING: (TaskStateName | 'never used' | 'negative')[] = ['FREE', 'READY', 'PARKED', 'SLEEPING', 'never used', 'negative'];
const ILLEGAL = SLOT_CALLS.flatMap((c) => NOT_RUNNING.map((from) => ({ ...c, from })));

/**
 * A core with bystanders (a task sleeping until 50, a scope timer at 60, a READY task) and a target
 * task in `from`. Returns what a release-build illegal call must leave untouched.
 */
function scene(core: Core, from: (typeof NOT_RUNNING)[number]) {
  const sleeper = spawnSleeping(core, 50);
  const timer = core.timerCreate();
  core.timerArm(timer, 60);
  const target =
    from === 'never used' ? { handle: NaN, slot: 9999 }
    : from === 'negative' ? { handle: NaN, slot: -1 }
    : taskIn(core, from);
  const ready = core.taskSpawn();
  const handles = [sleeper.handle, ready, ...(Number.isNaN(target.handle) ? [] : [target.handle])];
  return { sleeper, timer, target, ready, handles };
}

describe('illegal transitions on the release build', () => {
  it.each(ILLEGAL)('$name from $from returns WRONG_STATE and changes nothing', ({ call, from }) => {
    const core = releaseCore();
    const s = scene(core, from);
    const before = snapshot(core, s.handles);
    if (from !== 'never used' && from !== 'negative') expect(core.taskState(s.target.handle)).toBe(STATE_OF[from]);
    expect(call(core, s.target.slot)).toBe(WRONG_STATE);
    expect(snapshot(core, s.handles)).toEqual(before);
    expect(core.failure).toBeNull();
    // The run queue and the timer heap are intact, in order.
    expect(drain(core)).toEqual(from === 'READY' ? [s.target.slot, slotOfHandle(s.ready)] : [slotOfHandle(s.ready)]);
    expect(core.advance(Infinity)).toBe(1);
    expect(takeAllExpired(core)).toEqual([s.timer]);
    expect(drain(core)).toEqual(from === 'SLEEPING' ? [s.sleeper.slot, s.target.slot] : [s.sleeper.slot]);
  });

  it('taskSleep with a NaN deadline returns WRONG_STATE and leaves the task RUNNING without a timer', () => {
    const core = releaseCore();
    const task = spawnRunning(core);
    expect(core.taskSleep(task.slot, NaN)).toBe(WRONG_STATE);
    expect(core.taskState(task.handle)).toBe(STATE_RUNNING);
    expect(core.armedTimers()).toBe(0);
    expect(core.failure).toBeNull();
    expect(core.taskExit(task.slot)).toBe(OK);
  });
});

describe('illegal transitions on the debug build', () => {
  it.each(ILLEGAL)('$name from $from aborts, raising InternalError with the assert text', ({ name, call, from }) => {
    const core = debugCore();
    const s = scene(core, from);
    const error = thrownBy(() => call(core, s.target.slot));
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toContain(`${name}: task is not RUNNING`);
    expect(core.failure).toBe(error);
    const cause = (error as Error).cause as Error;
    expect(cause).toBeInstanceOf(Error);
    expect(cause).not.toBeInstanceOf(InternalError);
    expect(cause.message).toMatch(new RegExp(`^abort: ${name}: task is not RUNNING at assembly/tasks\\.ts:\\d+:\\d+$`));
  });

  it('the abort poisons the Core: every later call throws the same InternalError', () => {
    const core = debugCore();
    const task = spawnParked(core);
    const error = thrownBy(() => core.taskYield(task.slot));
    expect(error).toBeInstanceOf(InternalError);
    expect(thrownBy(() => core.readyCount())).toBe(error);
    expect(thrownBy(() => core.taskSpawn())).toBe(error);
    expect(thrownBy(() => core.taskWake(task.handle))).toBe(error);
  });

  it('taskSleep with a NaN deadline aborts with "taskSleep: deadline is NaN"', () => {
    const core = debugCore();
    const task = spawnRunning(core);
    const error = thrownBy(() => core.taskSleep(task.slot, NaN));
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toContain('taskSleep: deadline is NaN');
  });

  it.each([
    ['timerArm with an id never created', (core: Core) => core.timerArm(3, 10), 'timerArm: timer id is not allocated'],
    ['timerArm with a negative id', (core: Core) => core.timerArm(-1, 10), 'timerArm: timer id is not allocated'],
    ['timerArm with a NaN deadline', (core: Core) => core.timerArm(0, NaN), 'timerArm: deadline is NaN'],
    ['timerDisarm with an id never created', (core: Core) => core.timerDisarm(3), 'timerDisarm: timer id is not allocated'],
    ['timerFree with an id never created', (core: Core) => core.timerFree(3), 'timerFree: timer id is not allocated'],
  ] as const)('%s aborts with its assert text', (_name, call, text) => {
    const core = debugCore();
    expect(core.timerCreate()).toBe(0);
    const error = thrownBy(() => call(core));
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toContain(text);
    expect(thrownBy(() => core.timerCreate())).toBe(error);
  });

  it('through core.raw the abort is the loader\'s plain Error and the Core is not poisoned', () => {
    const core = debugCore();
    const task = spawnParked(core);
    const error = thrownBy(() => core.raw.taskExit(task.slot));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InternalError);
    expect((error as Error).message).toMatch(/^abort: taskExit: task is not RUNNING at assembly\/tasks\.ts:\d+:\d+$/);
    expect(core.failure).toBeNull();
  });
});

describe('Core.fail and poisoning', () => {
  it('fail converts an Error into an InternalError that names the core and keeps the cause', () => {
    const core = releaseCore();
    const cause = new Error('boom');
    const error = core.fail(cause);
    expect(error).toBeInstanceOf(InternalError);
    expect(error.message).toBe('the scheduler core failed: boom');
    expect(error.cause).toBe(cause);
    expect(core.failure).toBe(error);
  });

  it('fail converts a non-Error with String()', () => {
    const core = releaseCore();
    expect(core.fail(42).message).toBe('the scheduler core failed: 42');
  });

  it('fail keeps the first failure: later failures return it unchanged', () => {
    const core = releaseCore();
    const first = core.fail(new Error('first'));
    expect(core.fail(new Error('second'))).toBe(first);
    expect(core.failure!.message).toContain('first');
  });

  it('a poisoned Core throws its failure from every method without calling into the wasm', () => {
    const core = releaseCore();
    const failure = core.fail(new Error('poison'));
    const crossings = core.crossings;
    const methods = Object.getOwnPropertyNames(Core.prototype).filter(
      (name) => name !== 'constructor' && name !== 'fail' && name !== 'check' && name !== 'crossings',
    );
    expect(methods.length).toBeGreaterThanOrEqual(19);
    for (const name of methods) {
      const method = (core as unknown as Record<string, (...args: number[]) => unknown>)[name]!;
      expect(thrownBy(() => method.call(core, 0, 0)), name).toBe(failure);
    }
    expect(core.crossings).toBe(crossings);
    expect(core.raw.liveTasks()).toBe(0);
  });

  it('each Core method is exactly one crossing into the wasm', () => {
    const core = releaseCore();
    const before = core.crossings;
    const task = spawnRunning(core); // readyCount, taskSpawn, runNext
    core.taskSleep(task.slot, 1);
    core.advance(1);
    core.timerTakeExpired();
    expect(core.crossings - before).toBe(6);
  });

  it('an illegal call on the release build does not poison the Core', () => {
    const core = releaseCore();
    const task = spawnParked(core);
    expect(core.taskExit(task.slot)).toBe(WRONG_STATE);
    expect(core.failure).toBeNull();
    expect(core.taskWake(task.handle)).toBe(OK);
  });
});
