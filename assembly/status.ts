// The status block: a few numbers the core keeps up to date in its own memory, at a fixed address,
// so the shell can read them with a typed-array load instead of a call (each call across the door
// costs more than the read). The shell only reads it, but for one field: the count of posted wakes
// (posted-wakes.ts), which the shell raises as it posts and the core zeroes as it applies them.
//
// Invariant: after every export returns, the block equals what the matching exports would return:
//   @0  f64  the earliest armed deadline (nextDeadline()), +Infinity when nothing is armed;
//   @8  i32  the number of READY tasks (readyCount()), not counting posted wakes;
//   @12 i32  wakes posted since the last call (0 when an export returns; the shell then adds);
//   @16 f64  calls into the core so far (every export but statusAddress counts itself): the shell's
//            crossing count, kept by the core so the shell's wrappers carry no counter of their own.

/** Address of the block in linear memory (static data: it never moves, even when memory grows). */
export const STATUS: usize = memory.data(24, 8);

/** Byte offset of the earliest deadline (f64). */
export const STATUS_NEXT_DEADLINE: usize = 0;
/** Byte offset of the READY count (i32). */
export const STATUS_READY: usize = 8;
/** Byte offset of the posted-wake count (i32), the one field the shell writes. */
export const STATUS_POSTED: usize = 12;
/** Byte offset of the crossing count (f64: exact up to 2^53 calls). */
export const STATUS_CROSSINGS: usize = 16;

/** Counts one call into the core: the first statement of every export. */
// @ts-ignore: decorator
@inline export function crossed(): void {
  store<f64>(STATUS, load<f64>(STATUS, STATUS_CROSSINGS) + 1, STATUS_CROSSINGS);
}

store<f64>(STATUS, Infinity, STATUS_NEXT_DEADLINE);
