/**
 * The two channel interfaces (trio's SendChannel / ReceiveChannel model): a channel is a pair of
 * halves, each half can be cloned, and closing every handle of one half is how the other side
 * learns that the conversation is over. `openMemoryChannel` makes the in-memory pair; `lines`,
 * `fromAsyncIterable` and `Broadcast.subscribe` return receive halves of their own.
 */
import type { Operation } from '../types.js';

/** What a send to a full buffer does: wait for room, discard the new item, or discard the oldest. */
export type Overflow = 'wait' | 'dropNewest' | 'dropOldest';

/** What `statistics()` reports on either half (trio's names, in camelCase). */
export interface ChannelStatistics {
  /** Items buffered (for a stream-backed channel such as `lines`: bytes buffered). */
  currentBufferUsed: number;
  /** Capacity of the buffer (Infinity = unbounded, 0 = rendezvous). */
  maxBufferSize: number;
  /** The overflow policy. */
  overflow: Overflow;
  /** Items discarded by a dropping overflow policy so far. */
  dropped: number;
  /** Send handles not closed yet (the original and its clones). */
  openSendChannels: number;
  /** Receive handles not closed yet. */
  openReceiveChannels: number;
  /** Tasks parked in `send()` (their items are not in the channel yet). */
  tasksWaitingSend: number;
  /** Tasks parked in `receive()`. */
  tasksWaitingReceive: number;
}

/**
 * The sending half of a channel. Close every clone when done: receivers then drain what is
 * buffered and get `EndOfChannel`.
 * @example
 * import { createPool, openMemoryChannel, run } from 'giambio';
 * await run(function* () {
 *   const [send, receive] = openMemoryChannel<number>(1);
 *   yield* createPool(function* (pool) {
 *     pool.spawn(function* () {
 *       try { for (let i = 0; i < 3; i++) yield* send.send(i); } finally { send.close(); }
 *     });
 *     yield* receive.each(function* (n) { console.log(n); }); // 0 1 2
 *   });
 * });
 */
export interface SendChannel<T> {
  /**
   * Sends `value`, waiting while the buffer is full (overflow `'wait'`). Always a checkpoint. If
   * cancelled while waiting, nothing was sent.
   * @throws {ResourceClosed} this handle was closed (before or while waiting).
   * @throws {ResourceBroken} every receive handle is closed (before or while waiting).
   */
  send(value: T): Operation<void>;
  /**
   * Sends `value` if that needs no waiting. Works outside tasks too (host callbacks).
   * @throws {WouldBlock} the buffer is full (never with a dropping overflow policy).
   * @throws {ResourceClosed | ResourceBroken} as `send`.
   */
  sendNowait(value: T): void;
  /**
   * A new handle on the same channel; the channel's send side stays open until every clone is closed.
   * @throws {ResourceClosed} this handle was closed.
   */
  clone(): SendChannel<T>;
  /** Closes this handle (idempotent, synchronous). A task parked in `send` on it gets `ResourceClosed`. */
  close(): void;
  /** The same as `close()` (every giambio resource has a synchronous `closeNow`). */
  closeNow(): void;
  /** `using send = …` closes the handle at the end of the block. */
  [Symbol.dispose](): void;
  /** `close()` has been called on this handle. */
  readonly closed: boolean;
  /** Counts for the whole channel (shared by every clone of both halves). */
  statistics(): ChannelStatistics;
}

/**
 * The receiving half of a channel: `yield* receive()` in a task, `yield* each(body)` to read to
 * the end, or `for await (const item of channel)` from plain async code.
 * @example
 * import { openMemoryChannel } from 'giambio';
 * const [send, receive] = openMemoryChannel<string>(Infinity);
 * send.sendNowait('a'); send.sendNowait('b'); send.close();
 * for await (const item of receive) console.log(item); // a b
 */
export interface ReceiveChannel<T> extends AsyncIterable<T> {
  /**
   * Receives the next item, waiting while there is none. Always a checkpoint. If cancelled while
   * waiting, nothing was taken.
   * @throws {EndOfChannel} every send handle is closed and every buffered item was received.
   * @throws {ResourceClosed} this handle was closed (before or while waiting).
   */
  receive(): Operation<T>;
  /**
   * Receives an item if one is available now. Works outside tasks too.
   * @throws {WouldBlock} none is. @throws {EndOfChannel | ResourceClosed} as `receive`.
   */
  receiveNowait(): T;
  /**
   * A new handle on the same channel; it stays open until every clone is closed.
   * @throws {ResourceClosed} this handle was closed.
   */
  clone(): ReceiveChannel<T>;
  /** Closes this handle (idempotent, synchronous). A task parked in `receive` on it gets `ResourceClosed`. */
  close(): void;
  /** The same as `close()`. */
  closeNow(): void;
  /** `using receive = …` closes the handle at the end of the block. */
  [Symbol.dispose](): void;
  /** `close()` has been called on this handle. */
  readonly closed: boolean;
  /** Counts for the whole channel (shared by every clone of both halves). */
  statistics(): ChannelStatistics;
  /**
   * Receives every item until `EndOfChannel`, running `body(item)` in the calling task for each.
   * `body` may return `false` to stop early (the handle stays open).
   */
  each(body: (item: T) => Operation<unknown>): Operation<void>;
}
