/**
 * MemoryChannel: a closable FIFO of items between tasks in one process, bounded by `maxsize`
 * (default unbounded; 0 = rendezvous: every write waits for a read). One shared pipe: any task may
 * write and any task may read.
 *
 * Discussion: the hand-over rules are Queue's (see sync/queue.ts): a write to a waiting reader gives
 * it the item directly, and a read that frees a slot moves the oldest waiting writer's item in. So
 * a woken task's operation has completed, a cancelled waiter's has not happened, and nothing is lost.
 * Closing adds an end: buffered items stay readable, then `read()` throws EndOfChannel; `write()`
 * throws ResourceClosed, and writers still waiting at close() are woken with ResourceClosed (their
 * items were never written).
 *
 * Iterating: in a task, `yield* channel.each(function* (item) { … })` reads until the end. Outside
 * the loop (plain async code), `for await (const item of channel)`: such a reader polls — it takes
 * an item that is available now, or waits for the next write or close and tries again — so tasks
 * reading at the same time are served first.
 */
import { asyncDisposeSymbol, disposeSymbol } from '../disposable.js';
import { EndOfChannel, ResourceClosed, WouldBlock } from '../errors.js';
import { startGenerator } from '../spawnable.js';
import type { Operation, TaskImpl } from '../task.js';
import { parkWith } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { Deque } from '../sync/deque.js';
import { BlockingOperation, blockingOperation, PARK, type BlockingKind } from '../sync/blocking-operation.js';
import { checkBody, checkCount } from '../check.js';
import { withdrawer } from '../sync/waiting.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';

const abortRead = withdrawer();
const abortWrite = withdrawer();
/** write() and read() as BlockingOperations (see sync/blocking-operation.ts). */
const channelWrite: BlockingKind<MemoryChannel<unknown>, unknown, void> = {
  what: 'MemoryChannel.write()',
  attempt: (channel, me, item) => channel.attemptWrite(me, item),
  park: () => parkWith(abortWrite, 'MemoryChannel.write'),
};
const channelRead: BlockingKind<MemoryChannel<unknown>, undefined, unknown> = {
  what: 'MemoryChannel.read()',
  attempt: (channel, me) => channel.attemptRead(me),
  park: () => parkWith(abortRead, 'MemoryChannel.read'),
};
/** Returned by #take when nothing can be read without waiting. */
const NOTHING: unique symbol = Symbol('nothing');

/** What `MemoryChannel.statistics()` reports. */
export interface MemoryChannelStatistics {
  /** Items buffered. */
  size: number;
  /** Capacity of the buffer (Infinity = unbounded, 0 = rendezvous). */
  maxsize: number;
  /** `close()` was called. */
  closed: boolean;
  /** Tasks parked in `read()`. */
  waitingReaders: number;
  /** Tasks parked in `write()` (their items are not in the channel yet). */
  waitingWriters: number;
}

/**
 * A closable in-memory channel.
 * @example
 * const channel = new MemoryChannel<string>(2);
 * yield* createPool(function* (pool) {
 *   pool.spawn(function* () {
 *     for (const word of ['a', 'b', 'c']) yield* channel.write(word);
 *     channel.close();
 *   });
 *   yield* channel.each(function* (word) { console.log(word); });
 * });
 * @throws {TypeError | RangeError} if `maxsize` is not an integer ≥ 0 or Infinity.
 */
export class MemoryChannel<T> implements AsyncIterable<T> {
  readonly #maxsize: number;
  readonly #items = new Deque<T>();
  /** Invariant: non-empty ⇒ no buffered items and no waiting writers. */
  readonly #readers = new WaitQueue();
  /** Each waiting writer's item is its `waitValue`. Invariant: non-empty ⇒ the buffer is full. */
  readonly #writers = new WaitQueue();
  /** The last write()/read() operations, reused once finished (blocking-operation.ts). */
  #spareWrite: BlockingOperation<MemoryChannel<T>, T, void> | null = null;
  #spareRead: BlockingOperation<MemoryChannel<T>, undefined, T> | null = null;
  #closed = false;
  /** Readers outside the loop (async iterators) waiting for the next write or close. */
  #watchers: Array<() => void> = [];

  constructor(maxsize = Infinity) {
    this.#maxsize = checkCount('maxsize', maxsize, 0, true);
  }

  /** Capacity (Infinity = unbounded, 0 = rendezvous). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Items buffered now. */
  get size(): number {
    return this.#items.length;
  }

  /** An item can be read now without waiting (buffered, or a writer waits to hand one over). */
  pending(): boolean {
    return this.#items.length > 0 || this.#writers.length > 0;
  }

  /**
   * Sends `item`, waiting while the channel is full. Always a checkpoint. If cancelled while
   * waiting, the item was not written.
   * @throws {ResourceClosed} if the channel is closed, or is closed while waiting.
   */
  write(item: T): Operation<void> {
    return debugOperation(this.#spareWrite = blockingOperation(this.#spareWrite, channelWrite as BlockingKind<MemoryChannel<T>, T, void>, this, item), 'MemoryChannel.write()');
  }

  /**
   * Receives the oldest item, waiting while the channel is empty. Always a checkpoint. If cancelled
   * while waiting, no item was taken.
   * @throws {EndOfChannel} once the channel is closed and every item has been read.
   */
  read(): Operation<T> {
    return debugOperation(this.#spareRead = blockingOperation(this.#spareRead, channelRead as BlockingKind<MemoryChannel<T>, undefined, T>, this, undefined), 'MemoryChannel.read()');
  }

  /** @internal write() after its cancel point: writes at once, or registers `me` to wait. */
  attemptWrite(me: TaskImpl, item: T): void | typeof PARK {
    if (this.#closed) throw closedError('write');
    if (this.#offer(item)) return;
    this.#writers.push(me, item);
    if (this.#watchers.length > 0) this.#notifyWatchers(); // a rendezvous item is on offer
    return PARK;
  }

  /** @internal read() after its cancel point: takes an item at once, or registers `me` to wait. */
  attemptRead(me: TaskImpl): T | typeof PARK {
    const item = this.#take();
    if (item !== NOTHING) return item;
    if (this.#closed) throw endError();
    this.#readers.push(me);
    return PARK;
  }

  /**
   * Sends `item` if that needs no waiting. Works outside tasks too (host callbacks).
   * @throws {WouldBlock} if the channel is full. @throws {ResourceClosed} if it is closed.
   */
  writeNowait(item: T): void {
    if (this.#closed) throw closedError('writeNowait');
    if (!this.#offer(item)) throw new WouldBlock(`MemoryChannel.writeNowait(): the channel is full (maxsize ${this.#maxsize})`);
  }

  /**
   * Receives the oldest item if one is available. Works outside tasks too.
   * @throws {WouldBlock} if none is. @throws {EndOfChannel} once closed and drained.
   */
  readNowait(): T {
    const item = this.#take();
    if (item !== NOTHING) return item;
    if (this.#closed) throw endError();
    throw new WouldBlock('MemoryChannel.readNowait(): the channel is empty');
  }

  /**
   * Closes the channel (idempotent). Buffered items stay readable; waiting readers get
   * EndOfChannel (they are waiting, so nothing is buffered) and waiting writers ResourceClosed.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (let t = this.#readers.shift(); t !== null; t = this.#readers.shift()) t.kernel.wakeThrow(t, endError());
    for (let t = this.#writers.shift(); t !== null; t = this.#writers.shift()) {
      t.waitValue = undefined;
      t.kernel.wakeThrow(t, closedError('write'));
    }
    if (this.#watchers.length > 0) this.#notifyWatchers();
  }

  /** `close()` (already synchronous and idempotent), under the name every resource has. */
  closeNow(): void {
    this.close();
  }

  /**
   * Reads every item until the channel is closed and drained, running `body(item)` for each in
   * the calling task. `body` may return `false` to stop early (the channel stays open).
   * @example
   * yield* channel.each(function* (line) { yield* socket.sendAll(line); });
   */
  *each(body: (item: T) => Operation<unknown>): Operation<void> {
    checkBody('MemoryChannel.each', body);
    for (;;) {
      let item: T;
      try {
        item = yield* this.read();
      } catch (error) {
        if (error instanceof EndOfChannel) return;
        throw error;
      }
      if ((yield* startGenerator<unknown>('MemoryChannel.each', body, [item])) === false) return;
    }
  }

  /**
   * Iterates from outside the loop (async code): `for await (const item of channel)`. Ends when
   * the channel is closed and drained. Breaking out does not close the channel.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.#nextForHost(),
      return: () => Promise.resolve({ done: true, value: undefined }),
    };
  }

  /** `using channel = new MemoryChannel()` closes it at the end of the block. */
  [disposeSymbol](): void {
    this.close();
  }

  /** `await using channel = …` closes it at the end of the block. */
  [asyncDisposeSymbol](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  /** What the channel holds now, for dashboards and tests. */
  statistics(): MemoryChannelStatistics {
    return {
      size: this.#items.length, maxsize: this.#maxsize, closed: this.#closed,
      waitingReaders: this.#readers.length, waitingWriters: this.#writers.length,
    };
  }

  /** Hands `item` to the oldest waiting reader or buffers it; false if it would have to wait. */
  #offer(item: T): boolean {
    const reader = this.#readers.shift();
    if (reader !== null) {
      reader.kernel.wake(reader, item);
      return true;
    }
    if (this.#items.length < this.#maxsize) {
      this.#items.push(item);
      if (this.#watchers.length > 0) this.#notifyWatchers();
      return true;
    }
    return false;
  }

  /** Takes the oldest item (buffered, or a waiting writer's), or NOTHING. */
  #take(): T | typeof NOTHING {
    const writer = this.#writers.shift();
    let item: T;
    if (this.#items.length > 0) {
      item = this.#items.shift();
      // A slot is free: the oldest waiting writer's item moves in, and its write has happened.
      if (writer !== null) this.#items.push(writer.waitValue as T);
    } else if (writer !== null) {
      item = writer.waitValue as T;
    } else {
      return NOTHING;
    }
    if (writer !== null) writer.kernel.wake(writer, undefined);
    return item;
  }

  #nextForHost(): Promise<IteratorResult<T, undefined>> {
    const item = this.#take();
    if (item !== NOTHING) return Promise.resolve({ done: false, value: item });
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    // Retried in a microtask, after the loop's current step: a writer that notified is parked by then.
    return new Promise<void>((resolve) => { this.#watchers.push(resolve); }).then(() => this.#nextForHost());
  }

  #notifyWatchers(): void {
    const watchers = this.#watchers;
    this.#watchers = [];
    for (const watch of watchers) watch();
  }
}

function closedError(what: string): ResourceClosed {
  return new ResourceClosed(`MemoryChannel.${what}(): the channel is closed`);
}

function endError(): EndOfChannel {
  return new EndOfChannel('MemoryChannel.read(): the channel is closed and every item has been read');
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(MemoryChannel);
