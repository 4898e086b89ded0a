// TypeScript mirrors of assembly/constants.ts. tests/core/constants.test.ts checks each against the wasm.

export const STATE_FREE = 0;
export const STATE_READY = 1;
export const STATE_RUNNING = 2;
export const STATE_PARKED = 3;

export const OK = 0;
export const STALE = 1;
export const WRONG_STATE = 2;

/** What taskParkNext / taskYieldNext return besides the next task's slot (≥ 0). */
export const NO_NEXT = -1;
export const REFUSED = -2;

export const SLOT_BITS = 24;
export const SLOT_LIMIT = 2 ** SLOT_BITS;
export const GENERATION_LIMIT = 2 ** 29;
/** Task records the core reserves at once; the kernel sizes its per-slot tables alike. */
export const RESERVED_SLOTS = 2 ** 17;
/** Entries in the core's box of posted wakes (assembly/posted-wakes.ts). */
export const POSTED_CAPACITY = 1024;

/** The slot of a task handle (`generation * SLOT_LIMIT + slot`). */
export function slotOfHandle(handle: number): number {
  return handle % SLOT_LIMIT;
}
