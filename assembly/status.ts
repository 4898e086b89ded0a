// The status block: a few numbers the core keeps up to date in its own memory, at a fixed address,
// so the shell can read them with a typed-array load instead of a call (each call across the door
// costs more than the read). The shell only reads it; only the core writes it.
//
// Invariant: after every export returns, the block equals what the matching exports would return:
//   @0  f64  the earliest armed deadline (nextDeadline()), +Infinity when nothing is armed;
//   @8  i32  the number of READY tasks (readyCount()).

/** Address of the block in linear memory (static data: it never moves, even when memory grows). */
export const STATUS: usize = memory.data(16, 8);

/** Byte offset of the earliest deadline (f64). */
export const STATUS_NEXT_DEADLINE: usize = 0;
/** Byte offset of the READY count (i32). */
export const STATUS_READY: usize = 8;

store<f64>(STATUS, Infinity, STATUS_NEXT_DEADLINE);
