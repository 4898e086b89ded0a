// The task table's state machine, over the records of records.ts (generation, state, links); the
// shell keeps everything else (generator, scope, values) keyed by slot. Transitions return an
// outcome code; an illegal one is a broken invariant of the shell, so the debug build aborts on it.
//
//   FREE --taskSpawn--> READY --runNext--> RUNNING --taskYield--> READY
//                                          RUNNING --taskPark/taskSleep--> PARKED --taskWake/timer--> READY
//                                          RUNNING --taskExit--> FREE (generation + 1)
//
// Invariant: STATE_READY slots are exactly the run queue's entries; a PARKED slot has at most one
// timer (its sleep), and only a PARKED slot has one.

import {
  STATE_FREE, STATE_READY, STATE_RUNNING, STATE_PARKED,
  OK, STALE, WRONG_STATE, SLOT_LIMIT, GENERATION_LIMIT, NO_NEXT, REFUSED,
} from "./constants";
import { generationOf, setGeneration, stateOf, setState, linkOf, setLink, reserveRecords, timerIndexOf } from "./records";
import { queuePush, queuePop, queueLength } from "./run-queue";
import { heapArm, heapDisarm } from "./timer-heap";

export { stateOf } from "./records";

let used: i32 = 0;              // slots ever handed out (slots >= used were never used)
let live: i32 = 0;              // slots not FREE
let freeTop: i32 = -1;          // LIFO stack of reusable slots, threaded through their records' links

@inline function handleOf(slot: i32): f64 {
  return <f64>generationOf(slot) * <f64>SLOT_LIMIT + <f64>slot;
}

/** The slot a handle names, or -1 if it names a task that has ended. */
export function slotOf(handle: f64): i32 {
  if (!(handle >= 0) || handle >= 9007199254740992.0 || handle != Math.floor(handle)) return -1;
  const whole = <u64>handle;
  const slot = <i32>(whole & <u64>(SLOT_LIMIT - 1));
  const generation = <u32>(whole >> <u64>24);
  if (slot >= used) return -1;
  if (generationOf(slot) != generation || stateOf(slot) == STATE_FREE) return -1;
  return slot;
}

export function liveTaskCount(): i32 {
  return live;
}

/** A new task, READY at the back of the run queue. Returns its handle. */
export function spawn(): f64 {
  let slot: i32;
  if (freeTop >= 0) {
    slot = freeTop;
    freeTop = linkOf(slot);
  } else {
    if (used == SLOT_LIMIT) abort("task table is full: 16,777,216 tasks are alive or retired");
    slot = used++;
    reserveRecords(used); // a fresh record is zero: generation 0
  }
  live++;
  setState(slot, STATE_READY);
  queuePush(slot);
  return handleOf(slot);
}

/** Takes the oldest READY task and makes it RUNNING; -1 if none is ready. */
export function runNext(): i32 {
  if (queueLength() == 0) return -1;
  const slot = queuePop();
  assert(stateOf(slot) == STATE_READY, "runNext: queued task is not READY");
  setState(slot, STATE_RUNNING);
  return slot;
}

export function yieldTask(slot: i32): i32 {
  if (!isRunning(slot)) return illegal("taskYield: task is not RUNNING");
  setState(slot, STATE_READY);
  queuePush(slot);
  return OK;
}

export function park(slot: i32): i32 {
  if (!isRunning(slot)) return illegal("taskPark: task is not RUNNING");
  setState(slot, STATE_PARKED);
  return OK;
}

/**
 * A step's end and the next one's start in one call: after the transition that returned `code`
 * (park or yield), takes the next READY task as runNext does if `more` is set. Returns its slot,
 * NO_NEXT if none was taken, or REFUSED if the transition was.
 */
export function thenNext(code: i32, more: i32): i32 {
  if (code != OK) return REFUSED;
  return more != 0 ? runNext() : NO_NEXT;
}

export function sleep(slot: i32, deadline: f64): i32 {
  if (!isRunning(slot)) return illegal("taskSleep: task is not RUNNING");
  if (deadline != deadline) return illegal("taskSleep: deadline is NaN");
  setState(slot, STATE_PARKED);
  heapArm(slot, deadline);
  return OK;
}

/** PARKED -> READY, disarming its sleep timer. Waking a live task that is not parked is WRONG_STATE. */
export function wake(handle: f64): i32 {
  const slot = slotOf(handle);
  if (slot < 0) return STALE;
  if (stateOf(slot) != STATE_PARKED) return WRONG_STATE;
  unparkSlot(slot);
  return OK;
}

/** A posted wake (posted-wakes.ts): PARKED -> READY, disarming its sleep timer if it has one. */
export function wakePosted(slot: i32): void {
  if (slot < 0 || slot >= used || stateOf(slot) != STATE_PARKED) abort("posted wake of a task that is not parked");
  unparkSlot(slot);
}

/** Called by the timer heap when a sleep expires. */
export function wakeFromTimer(slot: i32): void {
  assert(stateOf(slot) == STATE_PARKED, "timer fired for a task that is not PARKED");
  makeReady(slot);
}

export function exit(slot: i32): i32 {
  if (!isRunning(slot)) return illegal("taskExit: task is not RUNNING");
  heapDisarm(slot);
  setState(slot, STATE_FREE);
  live--;
  const next = generationOf(slot) + 1;
  setGeneration(slot, next);
  if (next < GENERATION_LIMIT) { // else retired: its handles can never repeat
    setLink(slot, freeTop);
    freeTop = slot;
  }
  return OK;
}

/** A PARKED slot to READY, disarming its sleep timer if it has one (both kinds of wake). */
@inline function unparkSlot(slot: i32): void {
  if (timerIndexOf(slot) >= 0) heapDisarm(slot);
  makeReady(slot);
}

@inline function makeReady(slot: i32): void {
  setState(slot, STATE_READY);
  queuePush(slot);
}

@inline function isRunning(slot: i32): bool {
  return slot >= 0 && slot < used && stateOf(slot) == STATE_RUNNING;
}

function illegal(message: string): i32 {
  assert(false, message); // debug build: abort with the message; release: the shell sees the code
  return WRONG_STATE;
}
