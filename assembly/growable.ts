// Unmanaged arrays that only grow (doubling). The core never frees: with the stub runtime
// a grown block is left behind, which bounds waste at under twice the peak size.

/** Returns a block of `newBytes` holding the first `usedBytes` of `ptr` (0 = none). */
export function grow(ptr: usize, usedBytes: usize, newBytes: usize): usize {
  const fresh = heap.alloc(newBytes);
  // Growth is rare (amortised O(1)); memory.copy is fine here, unlike in hot paths.
  if (usedBytes > 0) memory.copy(fresh, ptr, usedBytes);
  return fresh;
}
