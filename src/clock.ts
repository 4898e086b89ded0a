/** A source of time for a loop, in milliseconds. Only differences matter. */
export interface Clock {
  /** The current time in ms, monotonic. */
  now(): number;
  /**
   * Called by the loop when every task is blocked and the earliest timer is at `deadline` (ms,
   * possibly `Infinity`). A virtual clock may move itself there and return true; a real one omits it.
   */
  idle?(deadline: number): boolean;
  /**
   * A virtual clock moves without real time passing, so the loop arms no host timer for it; instead
   * it subscribes here and the clock calls `wake` whenever it moves. Returns an unsubscribe function.
   */
  watch?(wake: () => void): () => void;
}

/** The default clock: `performance.now()` (monotonic, sub-millisecond). */
export const systemClock: Clock = {
  now: () => performance.now(),
};
