// The whole door into the scheduler core. Only numbers cross it: task slots (i32), task handles
// (f64: generation * 2^24 + slot), deadlines (f64 ms on the shell's clock), timer ids and codes (i32).
// The core never reads a clock: `now` is always an argument. assembly/README.md documents each export.

import * as tasks from "./tasks";
import * as timers from "./timers";
import { queueLength, queueSeed, queueShuffle } from "./run-queue";
import { heapDefer, heapFlush, heapLength, heapMinDeadline } from "./timer-heap";
import { STATUS, crossed } from "./status";

export {
  STATE_FREE, STATE_READY, STATE_RUNNING, STATE_PARKED,
  OK, STALE, WRONG_STATE, SLOT_BITS, SLOT_LIMIT, GENERATION_LIMIT, RESERVED_SLOTS,
} from "./constants";

export function taskSpawn(): f64 { crossed(); return tasks.spawn(); }
export function taskSlot(handle: f64): i32 { crossed(); return tasks.slotOf(handle); }
export function taskState(handle: f64): i32 {
  crossed();
  const slot = tasks.slotOf(handle);
  return slot < 0 ? 0 : tasks.stateOf(slot);
}
export function runNext(): i32 { crossed(); return tasks.runNext(); }
export function taskYield(slot: i32): i32 { crossed(); return tasks.yieldTask(slot); }
export function taskPark(slot: i32): i32 { crossed(); return tasks.park(slot); }
export function taskSleep(slot: i32, deadline: f64): i32 { crossed(); return tasks.sleep(slot, deadline); }
export function taskWake(handle: f64): i32 { crossed(); return tasks.wake(handle); }
export function taskExit(slot: i32): i32 { crossed(); return tasks.exit(slot); }

export function timerCreate(): i32 { crossed(); return timers.create(); }
export function timerArm(id: i32, deadline: f64): void { crossed(); timers.arm(id, deadline); }
export function timerDisarm(id: i32): bool { crossed(); return timers.disarm(id); }
export function timerFree(id: i32): void { crossed(); timers.free(id); }
export function advance(now: f64): i32 { crossed(); return timers.advance(now); }
export function timerTakeExpired(): i32 { crossed(); return timers.takeExpired(); }
export function nextDeadline(): f64 { crossed(); return heapMinDeadline(); }
export function timersDefer(): void { crossed(); heapDefer(); }
export function timersFlush(): void { crossed(); heapFlush(); }

export function readyCount(): i32 { crossed(); return queueLength(); }
export function readySeed(seed: u32): void { crossed(); queueSeed(seed); }
export function readyShuffle(): void { crossed(); queueShuffle(); }
export function liveTasks(): i32 { crossed(); return tasks.liveTaskCount(); }
export function armedTimers(): i32 { crossed(); return heapLength(); }
export function scopeTimers(): i32 { crossed(); return timers.timerCount(); }
export function statusAddress(): usize { return STATUS; }
