// The whole door into the scheduler core. Only numbers cross it: task slots (i32), task handles
// (f64: generation * 2^24 + slot), deadlines (f64 ms on the shell's clock), timer ids and codes (i32).
// The core never reads a clock: `now` is always an argument. assembly/README.md documents each export.

import * as tasks from "./tasks";
import * as timers from "./timers";
import { queueLength, queueSeed, queueShuffle } from "./run-queue";
import { heapDefer, heapFlush, heapLength, heapMinDeadline } from "./timer-heap";
import { STATUS, crossed } from "./status";
import { POSTED, applyPosted } from "./posted-wakes";

export {
  STATE_FREE, STATE_READY, STATE_RUNNING, STATE_PARKED,
  OK, STALE, WRONG_STATE, NO_NEXT, REFUSED, SLOT_BITS, SLOT_LIMIT, GENERATION_LIMIT, RESERVED_SLOTS,
} from "./constants";
export { POSTED_CAPACITY } from "./posted-wakes";

export function taskSpawn(): f64 { enter(); return tasks.spawn(); }
export function taskSlot(handle: f64): i32 { enter(); return tasks.slotOf(handle); }
export function taskState(handle: f64): i32 {
  enter();
  const slot = tasks.slotOf(handle);
  return slot < 0 ? 0 : tasks.stateOf(slot);
}
export function runNext(): i32 { enter(); return tasks.runNext(); }
export function taskYield(slot: i32): i32 { enter(); return tasks.yieldTask(slot); }
export function taskPark(slot: i32): i32 { enter(); return tasks.park(slot); }
export function taskParkNext(slot: i32, more: i32): i32 { enter(); return tasks.thenNext(tasks.park(slot), more); }
export function taskYieldNext(slot: i32, more: i32): i32 { enter(); return tasks.thenNext(tasks.yieldTask(slot), more); }
export function taskSleep(slot: i32, deadline: f64): i32 { enter(); return tasks.sleep(slot, deadline); }
export function taskWake(handle: f64): i32 { enter(); return tasks.wake(handle); }
export function taskExit(slot: i32): i32 { enter(); return tasks.exit(slot); }

export function timerCreate(): i32 { enter(); return timers.create(); }
export function timerArm(id: i32, deadline: f64): void { enter(); timers.arm(id, deadline); }
export function timerDisarm(id: i32): bool { enter(); return timers.disarm(id); }
export function timerFree(id: i32): void { enter(); timers.free(id); }
export function advance(now: f64): i32 { enter(); return timers.advance(now); }
export function timerTakeExpired(): i32 { enter(); return timers.takeExpired(); }
export function nextDeadline(): f64 { enter(); return heapMinDeadline(); }
export function timersDefer(): void { enter(); heapDefer(); }
export function timersFlush(): void { enter(); heapFlush(); }

export function readyCount(): i32 { enter(); return queueLength(); }
export function readySeed(seed: u32): void { enter(); queueSeed(seed); }
export function readyShuffle(): void { enter(); queueShuffle(); }
export function liveTasks(): i32 { enter(); return tasks.liveTaskCount(); }
export function armedTimers(): i32 { enter(); return heapLength(); }
export function scopeTimers(): i32 { enter(); return timers.timerCount(); }
export function statusAddress(): usize { return STATUS; }
export function postedAddress(): usize { return POSTED; }
/** Applies the posted wakes (the shell calls it when the box is full); every other export does too. */
export function applyPostedWakes(): void { enter(); }

/** The first statement of every export but the two addresses: count the call, apply posted wakes. */
// @ts-ignore: decorator
@inline function enter(): void {
  crossed();
  applyPosted();
}
