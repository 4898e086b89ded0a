// Cancel-scope deadlines: timers that do not wake a task but are reported back to the shell.
// Ids are small integers recycled through a free list; expired ids wait in a FIFO until taken.

import { grow } from "./growable";
import { heapArm, heapDisarm, heapReserveTimerIds, heapLength, heapMinDeadline, heapPop, heapSetTimerAllocated, positionOf, FREED } from "./timer-heap";
import { wakeFromTimer } from "./tasks";

let allocated: i32 = 0;          // ids ever handed out
let inUse: i32 = 0;              // ids created and not freed
let freeIds: usize = 0;          // LIFO stack of freed ids (i32)
let freeCount: i32 = 0;
let freeCapacity: i32 = 0;

let expired: usize = 0;          // FIFO of expired timer ids, filled by advance
let expiredCapacity: i32 = 0;
let expiredHead: i32 = 0;
let expiredTail: i32 = 0;

export function timerCount(): i32 {
  return inUse;
}

export function create(): i32 {
  inUse++;
  let id: i32;
  if (freeCount > 0) {
    id = load<i32>(freeIds + (<usize>(--freeCount) << 2));
  } else {
    id = allocated++;
    heapReserveTimerIds(allocated);
  }
  heapSetTimerAllocated(id, true);
  return id;
}

/** Whether `id` names an allocated timer; the debug build aborts with `what` when it does not. */
function valid(id: i32, what: string): bool {
  const ok = id >= 0 && id < allocated && positionOf(~id) != FREED;
  assert(ok, what);
  return ok;
}

/** Arms (or moves) timer `id`; +Infinity disarms it. A NaN deadline is refused (debug: abort; release: ignored). */
export function arm(id: i32, deadline: f64): void {
  if (!valid(id, "timerArm: timer id is not allocated")) return;
  if (deadline != deadline) { assert(false, "timerArm: deadline is NaN"); return; }
  heapArm(~id, deadline);
}

export function disarm(id: i32): bool {
  if (!valid(id, "timerDisarm: timer id is not allocated")) return false;
  return heapDisarm(~id);
}

export function free(id: i32): void {
  if (!valid(id, "timerFree: timer id is not allocated")) return;
  heapDisarm(~id);
  heapSetTimerAllocated(id, false);
  inUse--;
  if (freeCount == freeCapacity) {
    const fresh = freeCapacity == 0 ? 64 : freeCapacity << 1;
    freeIds = grow(freeIds, <usize>freeCount << 2, <usize>fresh << 2);
    freeCapacity = fresh;
  }
  store<i32>(freeIds + (<usize>(freeCount++) << 2), id);
}

/**
 * Phase one of expiry (libuv's uv__run_timers): every timer due at `now` leaves the heap in
 * (deadline, sequence) order. Sleeping tasks go straight onto the run queue; scope timers are
 * queued for the shell. Returns how many scope timers expired. Timers armed later, even for a
 * time <= now, wait for the next call, so a re-armed timer cannot starve the loop.
 */
export function advance(now: f64): i32 {
  // Anything left from the previous call was taken by the shell; restart the FIFO.
  expiredHead = 0;
  expiredTail = 0;
  while (heapLength() > 0 && heapMinDeadline() <= now) {
    const owner = heapPop();
    if (owner >= 0) {
      wakeFromTimer(owner);
    } else {
      if (expiredTail == expiredCapacity) {
        const fresh = expiredCapacity == 0 ? 64 : expiredCapacity << 1;
        expired = grow(expired, <usize>expiredTail << 2, <usize>fresh << 2);
        expiredCapacity = fresh;
      }
      store<i32>(expired + (<usize>(expiredTail++) << 2), ~owner);
    }
  }
  return expiredTail - expiredHead;
}

/** Phase two: the next expired scope timer id, in firing order; -1 when all were taken. */
export function takeExpired(): i32 {
  if (expiredHead == expiredTail) return -1;
  return load<i32>(expired + (<usize>(expiredHead++) << 2));
}
