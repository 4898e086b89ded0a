// The task table and its state machine. A slot holds (generation u32, state u32); the shell keeps
// everything else (generator, scope, values) keyed by slot. Transitions return an outcome code;
// an illegal one is a broken invariant of the shell, so the debug build aborts on it.
//
//   FREE --taskSpawn--> READY --runNext--> RUNNING --taskYield--> READY
//                                          RUNNING --taskPark/taskSleep--> PARKED --taskWake/timer--> READY
//                                          RUNNING --taskExit--> FREE (generation + 1)
//
// Invariant: STATE_READY slots are exactly the run queue's entries; a PARKED slot has at most one
// timer (its sleep), and only a PARKED slot has one.

import {
  STATE_FREE, STATE_READY, STATE_RUNNING, STATE_PARKED,
  OK, STALE, WRONG_STATE, SLOT_LIMIT, GENERATION_LIMIT,
} from "./constants";
import { grow } from "./growable";
import { queuePush, queuePop, queueLength } from "./run-queue";
import { heapArm, heapDisarm, heapReserveTaskSlots } from "./timer-heap";

const RECORD_SIZE: usize = 8;   // bytes: generation u32 @0, state u32 @4

let records: usize = 0;
let capacity: i32 = 0;          // slots allocated in `records`
let used: i32 = 0;              // slots ever handed out (slots >= used were never used)
let live: i32 = 0;              // slots not FREE

let freeSlots: usize = 0;       // LIFO stack of reusable slots (i32)
let freeCount: i32 = 0;
let freeCapacity: i32 = 0;

@inline function recordAt(slot: i32): usize {
  return records + (<usize>slot << 3);
}

@inline export function stateOf(slot: i32): i32 {
  return load<u32>(recordAt(slot), 4);
}

@inline function setState(slot: i32, state: i32): void {
  store<u32>(recordAt(slot), state, 4);
}

@inline function handleOf(slot: i32): f64 {
  return <f64>load<u32>(recordAt(slot)) * <f64>SLOT_LIMIT + <f64>slot;
}

/** The slot a handle names, or -1 if it names a task that has ended. */
export function slotOf(handle: f64): i32 {
  if (!(handle >= 0) || handle >= 9007199254740992.0 || handle != Math.floor(handle)) return -1;
  const whole = <u64>handle;
  const slot = <i32>(whole & <u64>(SLOT_LIMIT - 1));
  const generation = <u32>(whole >> <u64>24);
  if (slot >= used) return -1;
  if (load<u32>(recordAt(slot)) != generation || stateOf(slot) == STATE_FREE) return -1;
  return slot;
}

export function liveTaskCount(): i32 {
  return live;
}

/** A new task, READY at the back of the run queue. Returns its handle. */
export function spawn(): f64 {
  let slot: i32;
  if (freeCount > 0) {
    slot = load<i32>(freeSlots + (<usize>(--freeCount) << 2));
  } else {
    if (used == SLOT_LIMIT) abort("task table is full: 16,777,216 tasks are alive or retired");
    slot = used++;
    if (slot == capacity) enlarge();
    store<u32>(recordAt(slot), 0);
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
  heapDisarm(slot);
  makeReady(slot);
  return OK;
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
  const next = load<u32>(recordAt(slot)) + 1;
  store<u32>(recordAt(slot), next);
  if (next < GENERATION_LIMIT) pushFree(slot); // else retired: its handles can never repeat
  return OK;
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

function pushFree(slot: i32): void {
  if (freeCount == freeCapacity) {
    const fresh = freeCapacity == 0 ? 256 : freeCapacity << 1;
    freeSlots = grow(freeSlots, <usize>freeCount << 2, <usize>fresh << 2);
    freeCapacity = fresh;
  }
  store<i32>(freeSlots + (<usize>(freeCount++) << 2), slot);
}

function enlarge(): void {
  const fresh = capacity == 0 ? 256 : capacity << 1;
  records = grow(records, <usize>capacity * RECORD_SIZE, <usize>fresh * RECORD_SIZE);
  capacity = fresh;
  heapReserveTaskSlots(fresh);
}
