// Every number that crosses the door between the core and the TypeScript shell.
// src/core-constants.ts mirrors these; tests/core/constants.test.ts checks that both agree.

/** Task states. Invariant: a slot is in exactly one state; READY slots are exactly the run queue's entries. */
export const STATE_FREE: i32 = 0;    // no task: the slot waits on the free list
export const STATE_READY: i32 = 1;   // in the run queue, waiting for its turn
export const STATE_RUNNING: i32 = 2; // taken by runNext, its generator is being resumed by the shell
export const STATE_PARKED: i32 = 3;  // waiting for a wake-up (host, primitive) or its sleep timer

/** Outcome codes of transition functions. The shell must handle every one. */
export const OK: i32 = 0;            // the transition happened
export const STALE: i32 = 1;         // the handle names a task that has ended (its slot is free or reused)
export const WRONG_STATE: i32 = 2;   // the task is live but not in the state the transition starts from

// What taskParkNext / taskYieldNext return besides the next task's slot (>= 0).
export const NO_NEXT: i32 = -1;      // the transition happened; no next task was taken (none ready, or none asked)
export const REFUSED: i32 = -2;      // the transition was refused (WRONG_STATE): nothing changed

/** A task handle is `generation * SLOT_LIMIT + slot`, carried as f64 so it never wraps in practice. */
export const SLOT_BITS: i32 = 24;
export const SLOT_LIMIT: i32 = 1 << SLOT_BITS; // at most 16,777,216 live tasks per core
/**
 * Task records reserved at once (records.ts): address space only, touched as slots are used. The
 * shell sizes its per-slot tables alike, so neither copies below this many tasks.
 */
export const RESERVED_SLOTS: i32 = 1 << 17;
/** A slot whose generation reaches this is retired instead of reused, so handles never repeat. */
export const GENERATION_LIMIT: u32 = 1 << 29;  // SLOT_LIMIT * GENERATION_LIMIT = 2^53, the largest exact f64 integer
