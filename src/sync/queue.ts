/**
 * Queue: a FIFO of items between tasks, bounded by `maxsize` (default unbounded; 0 = rendezvous,
 * every put waits for a get).
 *
 * Discussion: items are handed over, never re-offered. A put that finds a waiting getter gives the
 * item to that getter directly (it is woken with it), and a get that frees a slot moves the oldest
 * waiting putter's item into the buffer before waking it. So once a task is woken its operation has
 * completed, and cancelling a waiter only ever withdraws a task whose operation has not happened:
 * no item is lost or duplicated, and `maxsize` is never exceeded. Invariants (between steps):
 * waiting getters ⇒ no buffered items and no waiting putters; waiting putters ⇒ the buffer is full.
 */
import { WouldBlock } from '../errors.js';
import type { Operation, TaskImpl } from '../task.js';
import { parkWith } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { BlockingOperation, blockingOperation, PARK, type BlockingKind } from './blocking-operation.js';
import { debugOperation } from '../undriven.js';
import { Deque } from './deque.js';
import { checkCount } from '../check.js';
import { withdrawer } from './waiting.js';

const abortGet = withdrawer();
const abortPut = withdrawer();
/** put() and get() as BlockingOperations (see blocking-operation.ts); the logic is in attemptPut/attemptGet. */
const queuePut: BlockingKind<Queue<unknown>, unknown, void> = {
  what: 'Queue.put()',
  attempt: (queue, me, item) => queue.attemptPut(me, item),
  park: () => parkWith(abortPut, 'Queue.put'),
};
const queueGet: BlockingKind<Queue<unknown>, undefined, unknown> = {
  what: 'Queue.get()',
  attempt: (queue, me) => queue.attemptGet(me),
  park: () => parkWith(abortGet, 'Queue.get'),
};

/** What `Queue.statistics()` reports (trio's names, in camelCase). */
export interface QueueStatistics {
  /** Items buffered. */
  size: number;
  /** Capacity of the buffer (Infinity = unbounded, 0 = rendezvous). */
  maxsize: number;
  /** Tasks parked in `get()`. */
  waitingGetters: number;
  /** Tasks parked in `put()` (their items are not in the queue yet). */
  waitingPutters: number;
}

/**
 * A FIFO queue between tasks. `get` waits while it is empty, `put` waits while it is full; waiting
 * getters and waiting putters are each served first come, first served.
 * @example
 * const queue = new Queue<number>(2);
 * yield* createPool(function* (pool) {
 *   pool.spawn(function* () { for (let i = 0; i < 5; i++) yield* queue.put(i); });
 *   for (let i = 0; i < 5; i++) console.log(yield* queue.get());
 * });
 * @throws {TypeError | RangeError} if `maxsize` is not an integer ≥ 0 or Infinity.
 */
export class Queue<T> {
  readonly #maxsize: number;
  readonly #items = new Deque<T>();
  readonly #getters = new WaitQueue();
  /** Each waiting putter's item is its `waitValue`. */
  readonly #putters = new WaitQueue();
  /** The last put()/get() operations, reused once finished (blocking-operation.ts). */
  #sparePut: BlockingOperation<Queue<T>, T, void> | null = null;
  #spareGet: BlockingOperation<Queue<T>, undefined, T> | null = null;

  constructor(maxsize = Infinity) {
    this.#maxsize = checkCount('maxsize', maxsize, 0, true);
  }

  /** Capacity (Infinity = unbounded, 0 = rendezvous). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Items buffered now. */
  get size(): number {
    return this.#items.length;
  }

  /**
   * Appends `item`, waiting while the queue is full. Always a checkpoint. If cancelled while
   * waiting, the item was not added.
   */
  put(item: T): Operation<void> {
    return debugOperation(this.#sparePut = blockingOperation(this.#sparePut, queuePut as BlockingKind<Queue<T>, T, void>, this, item), 'Queue.put()');
  }

  /**
   * Removes and returns the oldest item, waiting while the queue is empty. Always a checkpoint. If
   * cancelled while waiting, no item was taken.
   */
  get(): Operation<T> {
    return debugOperation(this.#spareGet = blockingOperation(this.#spareGet, queueGet as BlockingKind<Queue<T>, undefined, T>, this, undefined), 'Queue.get()');
  }

  /** @internal put() after its cancel point: adds the item at once, or registers `me` to wait. */
  attemptPut(me: TaskImpl, item: T): void | typeof PARK {
    if (this.#offer(item)) return;
    this.#putters.push(me, item);
    return PARK;
  }

  /** @internal get() after its cancel point: takes an item at once, or registers `me` to wait. */
  attemptGet(me: TaskImpl): T | typeof PARK {
    if (this.#items.length > 0 || this.#putters.length > 0) return this.#take();
    this.#getters.push(me);
    return PARK;
  }

  /**
   * Appends `item` if that needs no waiting. Works outside tasks too (host callbacks).
   * @throws {WouldBlock} if the queue is full.
   */
  putNowait(item: T): void {
    if (!this.#offer(item)) throw new WouldBlock(`Queue.putNowait(): the queue is full (maxsize ${this.#maxsize})`);
  }

  /**
   * Removes and returns the oldest item if there is one. Works outside tasks too.
   * @throws {WouldBlock} if the queue is empty.
   */
  getNowait(): T {
    if (this.#items.length === 0 && this.#putters.length === 0) throw new WouldBlock('Queue.getNowait(): the queue is empty');
    return this.#take();
  }

  /** Items held, the bound, and the tasks waiting to get and to put. */
  statistics(): QueueStatistics {
    return {
      size: this.#items.length, maxsize: this.#maxsize,
      waitingGetters: this.#getters.length, waitingPutters: this.#putters.length,
    };
  }

  /** The buffered items, oldest first (a copy). */
  toArray(): T[] {
    return this.#items.toArray();
  }

  /** `Queue(item, item, …)`: the items held, for logs. */
  toString(): string {
    return `Queue(${this.#items.toArray().map(String).join(', ')})`;
  }

  /** Hands `item` to the oldest waiting getter or buffers it; false if it would have to wait. */
  #offer(item: T): boolean {
    const getter = this.#getters.shift();
    if (getter !== null) {
      getter.kernel.wake(getter, item);
      return true;
    }
    if (this.#items.length < this.#maxsize) {
      this.#items.push(item);
      return true;
    }
    return false;
  }

  /** Takes the oldest item (buffered, or a waiting putter's when rendezvous); the caller checked there is one. */
  #take(): T {
    const putter = this.#putters.shift();
    let item: T;
    if (this.#items.length > 0) {
      item = this.#items.shift();
      // A slot is free: the oldest waiting putter's item moves in, and its put has happened.
      if (putter !== null) this.#items.push(putter.waitValue as T);
    } else {
      item = putter!.waitValue as T;
    }
    if (putter !== null) putter.kernel.wake(putter, undefined);
    return item;
  }
}

