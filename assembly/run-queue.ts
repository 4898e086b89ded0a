// The run queue: a FIFO of READY slots, linked through their records (records.ts), so a push or a
// pop touches only the record of the task it moves and the queue needs no memory of its own.
// Invariant: it holds exactly the slots in STATE_READY, each once; `tail`'s link is -1.

import { grow } from "./growable";
import { linkOf, setLink } from "./records";
import { STATUS, STATUS_READY } from "./status";

let head: i32 = -1;     // the oldest READY slot, -1 when empty
let tail: i32 = -1;     // the newest
let count: i32 = 0;     // entries in the queue

export function queueLength(): i32 {
  return count;
}

export function queuePush(slot: i32): void {
  setLink(slot, -1);
  if (tail < 0) head = slot;
  else setLink(tail, slot);
  tail = slot;
  count++;
  store<i32>(STATUS, count, STATUS_READY);
}

/** Pops the oldest slot; the caller checks queueLength() first. */
export function queuePop(): i32 {
  assert(count > 0, "run queue underflow");
  const slot = head;
  head = linkOf(slot);
  if (head < 0) tail = -1;
  count--;
  store<i32>(STATUS, count, STATUS_READY);
  return slot;
}

let shuffleState: u32 = 0x9e3779b9; // xorshift32 state; never 0

/** Seeds the shuffle's PRNG (0 is replaced by a fixed non-zero constant). */
export function queueSeed(seed: u32): void {
  shuffleState = seed == 0 ? 0x9e3779b9 : seed;
}

let scratch: usize = 0;          // i32 slots: the queue laid out in order while it is shuffled
let scratchCapacity: i32 = 0;

/**
 * Shuffles the ready tasks (Fisher–Yates from the back over their queue positions, xorshift32): the
 * shell calls it before each batch when a seed was given, to shake out dependence on the FIFO order.
 * Deterministic for a seed. The queue is laid out in a scratch array, permuted there and relinked.
 */
export function queueShuffle(): void {
  if (count < 2) return;
  if (count > scratchCapacity) {
    let fresh = scratchCapacity == 0 ? 256 : scratchCapacity;
    while (fresh < count) fresh <<= 1;
    scratch = grow(scratch, 0, <usize>fresh << 2);
    scratchCapacity = fresh;
  }
  let slot = head;
  for (let i = 0; i < count; i++) {
    store<i32>(scratch + (<usize>i << 2), slot);
    slot = linkOf(slot);
  }
  for (let i = count - 1; i > 0; i--) {
    let x = shuffleState;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    shuffleState = x;
    const j = <i32>(x % <u32>(i + 1));
    const pi = scratch + (<usize>i << 2);
    const pj = scratch + (<usize>j << 2);
    const t = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, t);
  }
  head = load<i32>(scratch);
  let previous = head;
  for (let i = 1; i < count; i++) {
    const slot = load<i32>(scratch + (<usize>i << 2));
    setLink(previous, slot);
    previous = slot;
  }
  tail = previous;
  setLink(tail, -1);
}
