// The run queue: a FIFO ring buffer of task slots that grows by doubling.
// Invariant: it holds exactly the slots in STATE_READY, each once.

import { grow } from "./growable";
import { STATUS, STATUS_READY } from "./status";

let buffer: usize = 0;  // i32 slots
let capacity: i32 = 0;  // entries; a power of two (or 0 before the first push)
let head: i32 = 0;      // index of the oldest entry
let count: i32 = 0;     // entries in the queue

export function queueLength(): i32 {
  return count;
}

export function queuePush(slot: i32): void {
  if (count == capacity) enlarge();
  const tail = (head + count) & (capacity - 1);
  store<i32>(buffer + (<usize>tail << 2), slot);
  count++;
  store<i32>(STATUS, count, STATUS_READY);
}

/** Pops the oldest slot; the caller checks queueLength() first. */
export function queuePop(): i32 {
  assert(count > 0, "run queue underflow");
  const slot = load<i32>(buffer + (<usize>head << 2));
  head = (head + 1) & (capacity - 1);
  count--;
  store<i32>(STATUS, count, STATUS_READY);
  return slot;
}

function enlarge(): void {
  const newCapacity = capacity == 0 ? 256 : capacity << 1;
  const fresh = grow(0, 0, <usize>newCapacity << 2);
  // Unwrap the ring into the new block so head becomes 0.
  for (let i = 0; i < count; i++) {
    store<i32>(fresh + (<usize>i << 2), load<i32>(buffer + (<usize>((head + i) & (capacity - 1)) << 2)));
  }
  buffer = fresh;
  capacity = newCapacity;
  head = 0;
}

let shuffleState: u32 = 0x9e3779b9; // xorshift32 state; never 0

/** Seeds the shuffle's PRNG (0 is replaced by a fixed non-zero constant). */
export function queueSeed(seed: u32): void {
  shuffleState = seed == 0 ? 0x9e3779b9 : seed;
}

/**
 * Shuffles the ready tasks in place (Fisher–Yates, xorshift32): the shell calls it before each batch
 * when a seed was given, to shake out dependence on the FIFO order. Deterministic for a seed.
 */
export function queueShuffle(): void {
  for (let i = count - 1; i > 0; i--) {
    let x = shuffleState;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    shuffleState = x;
    const j = <i32>(x % <u32>(i + 1));
    const pi = buffer + (<usize>((head + i) & (capacity - 1)) << 2);
    const pj = buffer + (<usize>((head + j) & (capacity - 1)) << 2);
    const t = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, t);
  }
}
