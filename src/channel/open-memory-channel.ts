/**
 * openMemoryChannel: trio's in-memory channel as a pair of halves, each cloneable and closable per
 * handle, with an overflow policy for full buffers. The shared state and its hand-over rules are
 * in channel-core.ts; this file holds the two handle classes and the factory.
 *
 * Discussion: `close()` is synchronous here (as `MemoryChannel.close()`): closing a memory handle
 * never waits, so there is nothing to `yield*`. `closeNow()` and `[Symbol.dispose]` are the same.
 */
import { WouldBlock } from '../errors.js';
import { checkBody, checkCount, checkOptions, rangeError, typeError } from '../check.js';
import type { Operation, TaskImpl } from '../task.js';
import { parkWith } from '../trap.js';
import { type BlockingOperation, blockingOperation, type BlockingKind, type PARK } from '../sync/blocking-operation.js';
import { debugOperation } from '../undriven.js';
import { withdrawer } from '../sync/waiting.js';
import { ChannelCore, NOTHING, closedReceiver } from './channel-core.js';
import type { ChannelStatistics, Overflow, ReceiveChannel, SendChannel } from './channel-types.js';
import { receiveEach } from './each.js';
import { disposeSymbol } from '../disposable.js';


const abortSend = withdrawer();
const abortReceive = withdrawer();
/** send() and receive() as BlockingOperations (see sync/blocking-operation.ts). */
const sendKind: BlockingKind<MemorySendChannel<unknown>, unknown, void> = {
  what: 'SendChannel.send()',
  attempt: (handle, me, value) => handle.attemptSend(me, value),
  park: () => parkWith(abortSend, 'SendChannel.send'),
};
const receiveKind: BlockingKind<MemoryReceiveChannel<unknown>, undefined, unknown> = {
  what: 'ReceiveChannel.receive()',
  attempt: (handle, me) => handle.attemptReceive(me),
  park: () => parkWith(abortReceive, 'ReceiveChannel.receive'),
};

/** Options of `openMemoryChannel`. */
export interface MemoryChannelOptions {
  /**
   * What a send to a full buffer does (default `'wait'`): `'dropNewest'` discards the new item,
   * `'dropOldest'` the oldest buffered one; with either, `send` never waits and `maxsize` must be ≥ 1.
   */
  overflow?: Overflow;
}

/** @internal A send handle of an in-memory channel. */
export class MemorySendChannel<T> implements SendChannel<T> {
  closed = false;
  /** The last send() operation, reused once finished (blocking-operation.ts). */
  #spare: BlockingOperation<MemorySendChannel<T>, T, void> | null = null;
  /** @internal */
  constructor(readonly core: ChannelCore<T>) {}

  send(value: T): Operation<void> {
    return debugOperation(this.#spare = blockingOperation(this.#spare, sendKind as BlockingKind<MemorySendChannel<T>, T, void>, this, value), 'SendChannel.send()');
  }

  /** @internal send() after its cancel point. */
  attemptSend(me: TaskImpl, value: T): void | typeof PARK {
    return this.core.attemptSend(this, me, value, 'SendChannel.send()');
  }

  sendNowait(value: T): void {
    this.core.checkSend(this, 'SendChannel.sendNowait()');
    if (!this.core.offer(value)) throw new WouldBlock(`SendChannel.sendNowait(): the channel is full (maxsize ${this.core.maxsize})`);
  }

  clone(): SendChannel<T> {
    this.core.checkSend(this, 'SendChannel.clone()');
    this.core.openSend++;
    return new MemorySendChannel(this.core);
  }

  close(): void {
    this.core.closeSender(this);
  }

  closeNow(): void {
    this.core.closeSender(this);
  }

  [disposeSymbol](): void {
    this.core.closeSender(this);
  }

  declare [Symbol.dispose]: () => void;

  statistics(): ChannelStatistics {
    return this.core.statistics();
  }

  toString(): string {
    return `SendChannel(${this.core.items.length}/${this.core.maxsize}${this.closed ? ', closed' : ''})`;
  }
}

/** @internal A receive handle of an in-memory channel (also a Broadcast subscription). */
export class MemoryReceiveChannel<T> implements ReceiveChannel<T> {
  closed = false;
  /** The last receive() operation, reused once finished (blocking-operation.ts). */
  #spare: BlockingOperation<MemoryReceiveChannel<T>, undefined, T> | null = null;
  /** @internal */
  constructor(readonly core: ChannelCore<T>) {}

  receive(): Operation<T> {
    return debugOperation(this.#spare = blockingOperation(this.#spare, receiveKind as BlockingKind<MemoryReceiveChannel<T>, undefined, T>, this, undefined), 'ReceiveChannel.receive()');
  }

  /** @internal receive() after its cancel point. */
  attemptReceive(me: TaskImpl): T | typeof PARK {
    return this.core.attemptReceive(this, me, 'ReceiveChannel.receive()');
  }

  receiveNowait(): T {
    if (this.closed) throw closedReceiver('ReceiveChannel.receiveNowait()');
    const item = this.core.take();
    if (item !== NOTHING) return item;
    if (this.core.openSend === 0) throw this.core.ended('ReceiveChannel.receiveNowait()');
    throw new WouldBlock('ReceiveChannel.receiveNowait(): the channel is empty');
  }

  clone(): ReceiveChannel<T> {
    if (this.closed) throw closedReceiver('ReceiveChannel.clone()');
    this.core.openReceive++;
    return new MemoryReceiveChannel(this.core);
  }

  close(): void {
    this.core.closeReceiver(this);
  }

  closeNow(): void {
    this.core.closeReceiver(this);
  }

  [disposeSymbol](): void {
    this.core.closeReceiver(this);
  }

  declare [Symbol.dispose]: () => void;

  statistics(): ChannelStatistics {
    return this.core.statistics();
  }

  each(body: (item: T) => Operation<unknown>): Operation<void> {
    checkBody('ReceiveChannel.each', body);
    return debugOperation(receiveEach('ReceiveChannel.each', () => this.receive(), body), 'ReceiveChannel.each()');
  }

  /**
   * `for await (const item of channel)` outside the loop: ends at EndOfChannel. Such a reader polls
   * (it takes an item available now, or waits for the next send or close and tries again), so
   * tasks receiving at the same time are served first. Breaking out does not close the handle.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.core.nextForHost(this, 'ReceiveChannel[Symbol.asyncIterator]'),
      return: () => Promise.resolve({ done: true, value: undefined }),
    };
  }

  toString(): string {
    return `ReceiveChannel(${this.core.items.length}/${this.core.maxsize}${this.closed ? ', closed' : ''})`;
  }
}

const OVERFLOWS: readonly Overflow[] = ['wait', 'dropNewest', 'dropOldest'];

/** @internal Checks `overflow` and that a dropping policy has a buffer to drop from. */
export function checkOverflow(name: string, overflow: unknown, size: number, sizeName: string): Overflow {
  if (!OVERFLOWS.includes(overflow as Overflow)) {
    throw typeError(name, `'wait', 'dropNewest' or 'dropOldest'`, overflow);
  }
  if (overflow !== 'wait' && size < 1) {
    throw rangeError(sizeName, `≥ 1 with overflow '${overflow as string}' (a dropping policy needs a buffer)`, size);
  }
  return overflow as Overflow;
}

/**
 * Opens an in-memory channel and returns its two halves. `maxsize` 0 (the default) is a
 * rendezvous: every send waits for a receive. `Infinity` is unbounded.
 * @example
 * import { createPool, openMemoryChannel, run } from 'giambio';
 * const total = await run(function* () {
 *   const [send, receive] = openMemoryChannel<number>();
 *   let sum = 0;
 *   yield* createPool(function* (pool) {
 *     for (let w = 0; w < 3; w++) {
 *       const mine = send.clone(); // fan-in: each worker closes its own clone
 *       pool.spawn(function* () { try { yield* mine.send(w); } finally { mine.close(); } });
 *     }
 *     send.close();
 *     yield* receive.each(function* (n) { sum += n; });
 *   });
 *   return sum;
 * });
 * console.log(total); // 3
 * @throws {TypeError | RangeError} `maxsize` is not an integer ≥ 0 or Infinity; `overflow` is not
 * one of the policies, or is a dropping one with `maxsize` 0.
 */
export function openMemoryChannel<T>(maxsize = 0, options: MemoryChannelOptions = {}): [SendChannel<T>, ReceiveChannel<T>] {
  checkCount('maxsize', maxsize, 0, true);
  checkOptions('options', options);
  const overflow = checkOverflow('options.overflow', options.overflow ?? 'wait', maxsize, 'maxsize');
  const core = new ChannelCore<T>(maxsize, overflow);
  return [new MemorySendChannel(core), new MemoryReceiveChannel(core)];
}
