// The task records: one 16-byte record per slot, the core's only memory per task.
//
//   @0  u32  generation   grows by one at every exit of the slot (handles: tasks.ts)
//   @4  u32  state        STATE_FREE / READY / RUNNING / PARKED
//   @8  i32  link         the next slot in the run queue (READY) or the free-slot stack (FREE),
//                         -1 at the end
//   @12 i32  timer        the slot's timer-heap index + 1, 0 = no timer (only a PARKED slot has one)
//
// The run queue and the free stack thread through `link` (a slot is in at most one of them), and the
// heap keeps a sleeper's index in `timer`: a task touches one 16-byte record, not four arrays.
//
// Discussion: first touching a page of fresh memory is what a large spawn pays most for in the
// core (a minor page fault: ~15 µs per 4 KiB page on a virtualised host, more than everything else
// the core does for the 256 tasks whose records share the page). So the table is reserved for
// RESERVED_SLOTS slots at once instead of grown from 256 by doubling: reserving only makes address
// space usable, a page is touched when a slot on it is first used, and no record is ever copied
// below that size. Zeroed memory is a valid record (generation 0, FREE, no timer), so nothing is
// initialised ahead.

import { RESERVED_SLOTS } from "./constants";
import { grow } from "./growable";

export const RECORD_SIZE: usize = 16; // RESERVED_SLOTS records: 2 MiB of address space

let records: usize = 0;
let capacity: i32 = 0;

@inline export function recordAt(slot: i32): usize {
  return records + (<usize>slot << 4);
}

@inline export function generationOf(slot: i32): u32 {
  return load<u32>(recordAt(slot));
}

@inline export function setGeneration(slot: i32, generation: u32): void {
  store<u32>(recordAt(slot), generation);
}

@inline export function stateOf(slot: i32): i32 {
  return load<u32>(recordAt(slot), 4);
}

@inline export function setState(slot: i32, state: i32): void {
  store<u32>(recordAt(slot), state, 4);
}

@inline export function linkOf(slot: i32): i32 {
  return load<i32>(recordAt(slot), 8);
}

@inline export function setLink(slot: i32, next: i32): void {
  store<i32>(recordAt(slot), next, 8);
}

/** The slot's timer-heap index, or -1 if it has no timer. */
@inline export function timerIndexOf(slot: i32): i32 {
  return load<i32>(recordAt(slot), 12) - 1;
}

/** Sets the slot's timer-heap index (-1: none). */
@inline export function setTimerIndex(slot: i32, index: i32): void {
  store<i32>(recordAt(slot), index + 1, 12);
}

/** Makes room for slots below `slots`: the first call reserves RESERVED_SLOTS, later ones double. */
export function reserveRecords(slots: i32): void {
  if (slots <= capacity) return;
  let fresh = capacity == 0 ? RESERVED_SLOTS : capacity << 1;
  while (fresh < slots) fresh <<= 1;
  // grow() hands out fresh memory, which is zero: the new records are FREE, with no timer.
  records = grow(records, <usize>capacity * RECORD_SIZE, <usize>fresh * RECORD_SIZE);
  capacity = fresh;
}
