// The timer heap: a binary min-heap of (deadline f64 ms, arming sequence u32, owner i32).
// Ordering by (deadline, sequence) makes equal deadlines fire in arming order (libuv's timer_less_than).
// An owner >= 0 is a task slot (a sleep); an owner < 0 is ~timerId (a cancel-scope deadline).
// Each owner has at most one entry; its index is kept in a position table, so disarming is O(log n).
//
// Invariants:
//   - heap property: entry(i) <= entry(2i+1) and entry(i) <= entry(2i+2) for every i < length;
//   - positionOf(owner(i)) == i for every i < length, and -1 for an owner with no entry;
//   - +Infinity is never stored (it would never fire); -Infinity is (it fires at the next advance);
//   - a scope timer id's position is FREED (-2) between timerFree and the timerCreate that reuses it.

import { grow } from "./growable";
import { STATUS, STATUS_NEXT_DEADLINE } from "./status";

const ENTRY_SIZE: usize = 16;      // bytes: deadline f64 @0, sequence u32 @8, owner i32 @12

let entries: usize = 0;
let capacity: i32 = 0;             // entries
let length: i32 = 0;               // entries in use
let sequence: u32 = 0;             // next arming sequence; compared with wrap-around arithmetic

let taskPositions: usize = 0;      // i32 per task slot, -1 = no entry
let taskPositionsCapacity: i32 = 0;
let timerPositions: usize = 0;     // i32 per scope timer id, -1 = no entry
let timerPositionsCapacity: i32 = 0;

export function heapLength(): i32 {
  return length;
}

export function heapMinDeadline(): f64 {
  return length == 0 ? Infinity : load<f64>(entries);
}

/** Arms (or re-arms) the single timer of `owner` at `deadline`. An infinite deadline disarms. */
export function heapArm(owner: i32, deadline: f64): void {
  heapDisarm(owner);
  if (deadline == Infinity) return;
  if (length == capacity) enlarge();
  const index = length++;
  writeEntry(index, deadline, sequence++, owner);
  siftUp(index);
  publishMin();
}

/** Removes the timer of `owner` if it has one; returns whether it had one. */
export function heapDisarm(owner: i32): bool {
  const index = positionOf(owner);
  if (index < 0) return false;
  setPosition(owner, -1);
  const last = --length;
  if (index != last) {
    moveEntry(last, index);
    // The moved entry may belong above or below its new place.
    if (index > 0 && less(index, (index - 1) >> 1)) siftUp(index);
    else siftDown(index);
  }
  publishMin();
  return true;
}

/** Keeps the status block's earliest deadline equal to heapMinDeadline(). */
@inline function publishMin(): void {
  store<f64>(STATUS, length == 0 ? Infinity : load<f64>(entries), STATUS_NEXT_DEADLINE);
}

/** Removes the earliest timer; the caller checks heapLength() first. */
export function heapPop(): i32 {
  const owner = load<i32>(entries, 12);
  heapDisarm(owner);
  return owner;
}

/** Makes room for position entries of task slots < slots and timer ids < timers. */
export function heapReserveTaskSlots(slots: i32): void {
  if (slots <= taskPositionsCapacity) return;
  let fresh = taskPositionsCapacity == 0 ? 256 : taskPositionsCapacity;
  while (fresh < slots) fresh <<= 1;
  taskPositions = grow(taskPositions, <usize>taskPositionsCapacity << 2, <usize>fresh << 2);
  for (let i = taskPositionsCapacity; i < fresh; i++) store<i32>(taskPositions + (<usize>i << 2), -1);
  taskPositionsCapacity = fresh;
}

export function heapReserveTimerIds(ids: i32): void {
  if (ids <= timerPositionsCapacity) return;
  let fresh = timerPositionsCapacity == 0 ? 64 : timerPositionsCapacity;
  while (fresh < ids) fresh <<= 1;
  timerPositions = grow(timerPositions, <usize>timerPositionsCapacity << 2, <usize>fresh << 2);
  for (let i = timerPositionsCapacity; i < fresh; i++) store<i32>(timerPositions + (<usize>i << 2), FREED);
  timerPositionsCapacity = fresh;
}

/** Position marker of a scope timer id that is not allocated. */
export const FREED: i32 = -2;

/** Marks scope timer `id` allocated (and unarmed) or freed. */
export function heapSetTimerAllocated(id: i32, allocated: bool): void {
  store<i32>(timerPositions + (<usize>id << 2), allocated ? -1 : FREED);
}

export function positionOf(owner: i32): i32 {
  return owner >= 0
    ? load<i32>(taskPositions + (<usize>owner << 2))
    : load<i32>(timerPositions + (<usize>(~owner) << 2));
}

@inline function setPosition(owner: i32, index: i32): void {
  if (owner >= 0) store<i32>(taskPositions + (<usize>owner << 2), index);
  else store<i32>(timerPositions + (<usize>(~owner) << 2), index);
}

@inline function entryAt(index: i32): usize {
  return entries + (<usize>index << 4);
}

@inline function writeEntry(index: i32, deadline: f64, seq: u32, owner: i32): void {
  const at = entryAt(index);
  store<f64>(at, deadline);
  store<u32>(at, seq, 8);
  store<i32>(at, owner, 12);
  setPosition(owner, index);
}

/** Plain loads and stores: memory.copy of 16 bytes is slower in V8 (TOOLCHAIN.md §2). */
@inline function moveEntry(from: i32, to: i32): void {
  const src = entryAt(from);
  const dst = entryAt(to);
  store<f64>(dst, load<f64>(src));
  store<i64>(dst, load<i64>(src, 8), 8);
  setPosition(load<i32>(src, 12), to);
}

/** entry(a) < entry(b) by deadline, then by arming sequence (wrap-safe while fewer than 2^31 timers live). */
@inline function less(a: i32, b: i32): bool {
  const pa = entryAt(a);
  const pb = entryAt(b);
  const da = load<f64>(pa);
  const db = load<f64>(pb);
  if (da != db) return da < db;
  return <i32>(load<u32>(pa, 8) - load<u32>(pb, 8)) < 0;
}

function siftUp(index: i32): void {
  const at = entryAt(index);
  const deadline = load<f64>(at);
  const seq = load<u32>(at, 8);
  const owner = load<i32>(at, 12);
  while (index > 0) {
    const parent = (index - 1) >> 1;
    const pp = entryAt(parent);
    const pd = load<f64>(pp);
    if (pd < deadline || (pd == deadline && <i32>(load<u32>(pp, 8) - seq) < 0)) break;
    moveEntry(parent, index);
    index = parent;
  }
  writeEntry(index, deadline, seq, owner);
}

function siftDown(index: i32): void {
  const at = entryAt(index);
  const deadline = load<f64>(at);
  const seq = load<u32>(at, 8);
  const owner = load<i32>(at, 12);
  const half = length >> 1;
  while (index < half) {
    let child = 2 * index + 1;
    if (child + 1 < length && less(child + 1, child)) child++;
    const pc = entryAt(child);
    const cd = load<f64>(pc);
    if (deadline < cd || (deadline == cd && <i32>(seq - load<u32>(pc, 8)) < 0)) break;
    moveEntry(child, index);
    index = child;
  }
  writeEntry(index, deadline, seq, owner);
}

function enlarge(): void {
  const fresh = capacity == 0 ? 64 : capacity << 1;
  entries = grow(entries, <usize>length * ENTRY_SIZE, <usize>fresh * ENTRY_SIZE);
  capacity = fresh;
}
