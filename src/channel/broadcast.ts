/**
 * Broadcast: one sender side, any number of subscriptions; every subscription receives every value
 * sent after it subscribed, in order.
 *
 * Discussion: each subscription is an in-memory channel core of its own (channel-core.ts) with
 * `buffer` slots, so receiving, cloning, closing and `for await` are the ordinary ReceiveChannel.
 * A send is all-or-nothing, which is what keeps it cancel-safe: with overflow 'wait' it completes
 * only when every subscription has room, and then the value goes into all of them in the same step
 * (a parked sender is completed by whoever makes the last room: a receive that frees a slot, or an
 * unsubscribe), so a cancelled send reached no subscriber. With a dropping policy a send never
 * waits and a slow subscription drops items instead (counted in its `statistics().dropped`).
 * `buffer` must be ≥ 1: with 0 a send would have to wait for every subscriber to be parked in
 * `receive` at once, which makes a broadcast a deadlock waiting to happen.
 */
import { ResourceClosed, WouldBlock } from '../errors.js';
import { checkCount, checkOptions } from '../check.js';
import type { Operation } from '../types.js';
import type { TaskImpl } from '../task.js';
import { parkWith } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { BlockingOperation, PARK, type BlockingKind } from '../sync/blocking-operation.js';
import { debugOperation } from '../undriven.js';
import { withdrawer } from '../sync/waiting.js';
import { ChannelCore, type Handle } from './channel-core.js';
import type { Overflow, ReceiveChannel } from './channel-types.js';
import { checkOverflow, MemoryReceiveChannel } from './open-memory-channel.js';
import { disposeSymbol } from '../disposable.js';

const abortSend = withdrawer();
const broadcastSend: BlockingKind<Broadcast<unknown>, unknown, void> = {
  what: 'Broadcast.send()',
  attempt: (broadcast, me, value) => broadcast.attemptSend(me, value),
  park: () => parkWith(abortSend, 'Broadcast.send'),
};

/** Options of `createBroadcast`. */
export interface BroadcastOptions {
  /** Slots per subscription (default 16, ≥ 1, Infinity = unbounded). */
  buffer?: number;
  /**
   * When a subscription is full (default `'wait'`): `'wait'` makes `send` wait until every
   * subscription has room (the slowest reader sets the pace); `'dropOldest'` / `'dropNewest'` make
   * a slow subscription lose its oldest / the new item, and never hold the sender back.
   */
  overflow?: Overflow;
}

/** What `Broadcast.statistics()` reports. */
export interface BroadcastStatistics {
  /** Open subscriptions. */
  subscribers: number;
  /** Tasks parked in `send()` (their values reached no subscriber yet). */
  tasksWaitingSend: number;
  /** Slots per subscription. */
  buffer: number;
  /** The overflow policy of every subscription. */
  overflow: Overflow;
  /** `close()` has been called. */
  closed: boolean;
}

/**
 * One-to-many channel: `yield* send(value)` delivers to every subscription.
 * @example
 * import { createBroadcast, createPool, run } from 'giambio';
 * await run(function* () {
 *   const news = createBroadcast<string>({ buffer: 4 });
 *   const a = news.subscribe();
 *   const b = news.subscribe();
 *   yield* news.send('hello');
 *   news.close();
 *   yield* createPool(function* (pool) {
 *     pool.spawn(function* () { yield* a.each(function* (m) { console.log('a got', m); }); });
 *     pool.spawn(function* () { yield* b.each(function* (m) { console.log('b got', m); }); });
 *   });
 * });
 */
export class Broadcast<T> {
  readonly #buffer: number;
  readonly #overflow: Overflow;
  /** Each open subscription's core, with the handle that stands for this broadcast's send side in it. */
  readonly #subscriptions = new Map<ChannelCore<T>, Handle>();
  /** Parked senders; each one's `waitValue` is its value. Invariant: non-empty ⇒ overflow is 'wait' and some subscription is full. */
  readonly #senders = new WaitQueue();
  #closed = false;

  /** @internal Use `createBroadcast`. */
  constructor(buffer: number, overflow: Overflow) {
    this.#buffer = buffer;
    this.#overflow = overflow;
  }

  /** Open subscriptions. */
  get subscribers(): number {
    return this.#subscriptions.size;
  }

  /** `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends `value` to every subscription; with overflow `'wait'` it waits until every one has room.
   * Always a checkpoint. If cancelled while waiting, no subscription received it.
   * @throws {ResourceClosed} the broadcast is closed (before or while waiting).
   */
  send(value: T): Operation<void> {
    return debugOperation(new BlockingOperation(broadcastSend as BlockingKind<Broadcast<T>, T, void>, this, value), 'Broadcast.send()');
  }

  /** @internal send() after its cancel point. */
  attemptSend(me: TaskImpl, value: T): void | typeof PARK {
    if (this.#closed) throw new ResourceClosed('Broadcast.send(): the broadcast is closed');
    if (this.#senders.length === 0 && this.#deliverable()) {
      this.#deliver(value);
      return;
    }
    this.#senders.push(me, value);
    return PARK;
  }

  /**
   * Sends `value` if no subscription would make it wait. Works outside tasks too.
   * @throws {WouldBlock} a subscription is full (overflow 'wait'). @throws {ResourceClosed} the broadcast is closed.
   */
  sendNowait(value: T): void {
    if (this.#closed) throw new ResourceClosed('Broadcast.sendNowait(): the broadcast is closed');
    if (this.#senders.length > 0 || !this.#deliverable()) throw new WouldBlock('Broadcast.sendNowait(): a subscription is full');
    this.#deliver(value);
  }

  /**
   * A new subscription: it receives every value sent from now on, in order. Closing it (every
   * clone) unsubscribes. After `close()`, the subscription is already at its end.
   * @example
   * const inbox = room.subscribe();
   * try { yield* inbox.each(function* (line) { yield* sock.sendAll(line); }); } finally { inbox.close(); }
   */
  subscribe(): ReceiveChannel<T> {
    const core = new ChannelCore<T>(this.#buffer, this.#overflow);
    const handle: Handle = { closed: false };
    if (this.#closed) {
      core.closeSender(handle);
    } else {
      core.owner = this;
      this.#subscriptions.set(core, handle);
    }
    return new MemoryReceiveChannel(core);
  }

  /**
   * Closes the broadcast (idempotent, synchronous): subscriptions drain what they hold and then
   * get EndOfChannel; parked senders get ResourceClosed.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (let t = this.#senders.shift(); t !== null; t = this.#senders.shift()) {
      t.waitValue = undefined;
      t.kernel.wakeThrow(t, new ResourceClosed('Broadcast.send(): the broadcast was closed while sending'));
    }
    const subscriptions = [...this.#subscriptions];
    this.#subscriptions.clear();
    for (const [core, handle] of subscriptions) {
      core.owner = null;
      core.closeSender(handle);
    }
  }

  /** The same as `close()`. */
  closeNow(): void {
    this.close();
  }

  /** `using news = createBroadcast()` closes it at the end of the block. */
  [disposeSymbol](): void {
    this.close();
  }

  /** Subscriptions, parked senders and settings, now. */
  statistics(): BroadcastStatistics {
    return {
      subscribers: this.#subscriptions.size, tasksWaitingSend: this.#senders.length,
      buffer: this.#buffer, overflow: this.#overflow, closed: this.#closed,
    };
  }

  /** @internal A subscription made room: complete parked sends while every subscription has room. */
  room(): void {
    while (this.#senders.length > 0 && this.#deliverable()) {
      const sender = this.#senders.shift()!;
      const value = sender.waitValue as T;
      this.#deliver(value);
      sender.kernel.wake(sender, undefined);
    }
  }

  /** @internal Every handle of a subscription was closed: unsubscribe it. */
  receiversGone(core: ChannelCore<unknown>): void {
    if (!this.#subscriptions.delete(core as ChannelCore<T>)) return;
    core.owner = null;
    this.room();
  }

  #deliverable(): boolean {
    if (this.#overflow !== 'wait') return true;
    for (const core of this.#subscriptions.keys()) if (!core.hasRoom()) return false;
    return true;
  }

  #deliver(value: T): void {
    for (const core of this.#subscriptions.keys()) core.offer(value);
  }
}

/**
 * Creates a Broadcast: one sender side, a ReceiveChannel per subscriber.
 * @example
 * import { createBroadcast, createPool, run, sleep } from 'giambio';
 * const got = await run(function* () {
 *   const ticks = createBroadcast<number>({ buffer: 1, overflow: 'dropOldest' });
 *   const slow = ticks.subscribe();
 *   for (let i = 0; i < 5; i++) yield* ticks.send(i); // never waits for the slow reader
 *   ticks.close();
 *   const got: number[] = [];
 *   yield* slow.each(function* (n) { got.push(n); });
 *   return got;
 * });
 * console.log(got); // [4]: the slow subscriber kept only the newest
 * @throws {TypeError | RangeError} `buffer` is not an integer ≥ 1 or Infinity; `overflow` is not a policy.
 */
export function createBroadcast<T>(options: BroadcastOptions = {}): Broadcast<T> {
  checkOptions('options', options);
  const buffer = checkCount('options.buffer', options.buffer ?? 16, 1, true);
  const overflow = checkOverflow('options.overflow', options.overflow ?? 'wait', buffer, 'options.buffer');
  return new Broadcast<T>(buffer, overflow);
}
