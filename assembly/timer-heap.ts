// The timer heap: a binary min-heap of (deadline f64 ms, arming sequence u32, owner i32).
// Ordering by (deadline, sequence) makes equal deadlines fire in arming order (libuv's timer_less_than).
// An owner >= 0 is a task slot (a sleep); an owner < 0 is ~timerId (a cancel-scope deadline).
// Each owner has at most one entry; its index is kept (a task's in its record, a scope timer's in a
// position table), so disarming is O(log n).
//
// Invariants:
//   - heap property: entry(i) <= entry(2i+1) and entry(i) <= entry(2i+2) for every i < length;
//   - positionOf(owner(i)) == i for every i < length, and -1 for an owner with no entry;
//   - the entries array is reserved for RESERVED_TIMERS entries at once (records.ts says why:
//     pages are touched only when used), and doubles beyond;
//   - +Infinity is never stored (it would never fire); -Infinity is (it fires at the next advance);
//   - a scope timer id's position is FREED (-2) between timerFree and the timerCreate that reuses it;
//   - outside a deferral (heapDefer .. heapFlush) no entry is DEAD; inside one, a DEAD entry's owner
//     has position -1 (or FREED), and every operation but a disarm flushes the dead entries first.
//
// Deferred disarms: cancelling a scope wakes every sleeper below it, and each wake disarms a timer.
// One by one that is O(log n) each (siftDown through a large heap: 12% of cancelling 100,000
// sleepers); inside a deferral a disarm only marks its entry DEAD, and the flush drops every dead
// entry and re-heapifies in one O(n) pass.

import { RESERVED_SLOTS } from "./constants";
import { grow } from "./growable";
import { timerIndexOf, setTimerIndex } from "./records";
import { STATUS, STATUS_NEXT_DEADLINE } from "./status";

const ENTRY_SIZE: usize = 16;      // bytes: deadline f64 @0, sequence u32 @8, owner i32 @12
/** Entries reserved by the first allocation: one sleep per reserved task record (2 MiB of address space). */
export const RESERVED_TIMERS: i32 = RESERVED_SLOTS;

let entries: usize = 0;
let capacity: i32 = 0;             // entries
let length: i32 = 0;               // entries in use
let sequence: u32 = 0;             // next arming sequence; compared with wrap-around arithmetic

/** Owner of an entry disarmed during a deferral, left in place until the flush. */
const DEAD: i32 = i32.MIN_VALUE;
let deferDepth: i32 = 0;           // heapDefer calls not yet matched by heapFlush
let dead: i32 = 0;                 // DEAD entries among the first `length`

let timerPositions: usize = 0;     // i32 per scope timer id, -1 = no entry
let timerPositionsCapacity: i32 = 0;

/** Armed timers (dead entries awaiting a flush are not counted). */
export function heapLength(): i32 {
  return length - dead;
}

export function heapMinDeadline(): f64 {
  flushDead();
  return length == 0 ? Infinity : load<f64>(entries);
}

/** Starts (or nests) a deferral: disarms until the matching heapFlush only mark their entries. */
export function heapDefer(): void {
  deferDepth++;
}

/** Ends a deferral; the outermost one drops the dead entries and publishes the earliest deadline. */
export function heapFlush(): void {
  if (deferDepth > 0) deferDepth--;
  if (deferDepth == 0) flushDead();
}

/** Drops every DEAD entry and restores the heap property (Floyd's heapify): O(length). */
function flushDead(): void {
  if (dead == 0) return;
  let kept = 0;
  for (let i = 0; i < length; i++) {
    if (load<i32>(entryAt(i), 12) == DEAD) continue;
    if (i != kept) moveEntry(i, kept);
    kept++;
  }
  length = kept;
  dead = 0;
  for (let i = (length >> 1) - 1; i >= 0; i--) siftDown(i);
  publishMin();
}

/** Arms (or re-arms) the single timer of `owner` at `deadline`. An infinite deadline disarms. */
export function heapArm(owner: i32, deadline: f64): void {
  flushDead();
  removeNow(owner);
  if (deadline == Infinity) return;
  if (length == capacity) enlarge();
  const index = length++;
  writeEntry(index, deadline, sequence++, owner);
  siftUp(index);
  publishMin();
}

/**
 * Removes the timer of `owner` if it has one; returns whether it had one. Inside a deferral the
 * entry is only marked DEAD (the flush drops it).
 */
export function heapDisarm(owner: i32): bool {
  if (deferDepth == 0) return removeNow(owner);
  const index = positionOf(owner);
  if (index < 0) return false;
  setPosition(owner, -1);
  store<i32>(entryAt(index), DEAD, 12);
  dead++;
  return true;
}

/** Removes the entry of `owner` at once (O(log n)); no DEAD entry may be present. */
function removeNow(owner: i32): bool {
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
  flushDead();
  const owner = load<i32>(entries, 12);
  removeNow(owner);
  return owner;
}

/** Makes room for position entries of timer ids < ids. */
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
  return owner >= 0 ? timerIndexOf(owner) : load<i32>(timerPositions + (<usize>(~owner) << 2));
}

@inline function setPosition(owner: i32, index: i32): void {
  if (owner >= 0) setTimerIndex(owner, index);
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
  const fresh = capacity == 0 ? RESERVED_TIMERS : capacity << 1;
  entries = grow(entries, <usize>length * ENTRY_SIZE, <usize>fresh * ENTRY_SIZE);
  capacity = fresh;
}
