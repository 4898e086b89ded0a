// Posted wakes: how the shell wakes a parked task without a call across the door. It writes the
// task's slot into the next entry of this box and raises the count in the status block (@12); the
// core applies the posted wakes, oldest first, at the start of its next call, before that call does
// anything else. So the run queue receives them in the order they were posted, interleaved with
// the calls exactly as if each had been a `taskWake`, and every answer the core gives (readyCount,
// taskState, runNext) already includes them. When the box is full the shell calls the export
// `applyPostedWakes`, which does nothing else.
//
// A wake is the one transition a switch makes outside its own task's step (a message handed to a
// parked receiver), and a call costs more than the transition itself: posting saves one call per
// message. The shell posts only for a task it knows is live and parked; a posted slot that is not
// PARKED is a broken invariant, and the core aborts (the shell poisons the instance).

import { STATUS, STATUS_POSTED } from "./status";
import { wakePosted } from "./tasks";

/** Entries in the box; posting one more first applies the ones posted (a call). */
export const POSTED_CAPACITY: i32 = 1024;

/** Address of the box: POSTED_CAPACITY i32 slots (static data: it never moves). */
export const POSTED: usize = memory.data(POSTED_CAPACITY << 2, 4);

/** Applies the posted wakes, oldest first, and empties the box. Every export calls it first. */
// @ts-ignore: decorator
@inline export function applyPosted(): void {
  const count = load<i32>(STATUS, STATUS_POSTED);
  if (count != 0) applyBox(count);
}

function applyBox(count: i32): void {
  store<i32>(STATUS, 0, STATUS_POSTED);
  if (<u32>count > <u32>POSTED_CAPACITY) abort("posted wakes: the count is out of range");
  for (let i = 0; i < count; i++) wakePosted(load<i32>(POSTED + (<usize>i << 2)));
}
