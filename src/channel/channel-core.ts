/**
 * The state one in-memory channel shares between all its send and receive handles: the buffer,
 * the parked senders and receivers, and how many handles of each half are still open.
 *
 * Discussion: the hand-over rules are Queue's (see sync/queue.ts). A send that finds a parked
 * receiver gives it the item directly (it is woken with it); a receive that frees a slot moves the
 * oldest parked sender's item into the buffer before waking that sender. So a woken task's
 * operation has completed, and cancelling a parked task only ever withdraws an operation that has
 * not happened: a cancelled send sent nothing, a cancelled receive took nothing. Invariants
 * (between steps): parked receivers ⇒ nothing buffered and no parked senders; parked senders ⇒ the
 * buffer is full and the overflow policy is 'wait'.
 *
 * Closing is per handle (trio): a handle knows only its own `closed` flag; the core counts open
 * handles. A parked task is registered with its handle (a receiver's `waitValue` is its handle, a
 * sender's is a `PendingSend`), so closing one handle wakes exactly the tasks parked on it.
 * @internal
 */
import { EndOfChannel, ResourceBroken, ResourceClosed } from '../errors.js';
import type { TaskImpl } from '../task.js';
import { WaitQueue } from '../wait-queue.js';
import { Deque } from '../sync/deque.js';
import { PARK } from '../sync/blocking-operation.js';
import type { ChannelStatistics, Overflow } from './channel-types.js';

/** Returned by `take` when nothing can be received without waiting. */
export const NOTHING: unique symbol = Symbol('nothing');

/** What a handle is to the core: something with a `closed` flag. */
export interface Handle {
  closed: boolean;
}

/** A parked sender's item and the handle it sends through (its `waitValue`). */
interface PendingSend<T> {
  value: T;
  handle: Handle;
}

/** Told by a core it belongs to (a Broadcast's subscription) when a slot frees or the receivers are gone. */
export interface CoreOwner {
  room(): void;
  receiversGone(core: ChannelCore<unknown>): void;
}

export class ChannelCore<T> {
  readonly items = new Deque<T>();
  /** Parked receivers; each one's `waitValue` is its handle. */
  readonly receivers = new WaitQueue();
  /** Parked senders; each one's `waitValue` is a PendingSend. */
  readonly senders = new WaitQueue();
  openSend = 1;
  openReceive = 1;
  dropped = 0;
  /** Receivers outside the loop (async iterators) waiting for an item or a close. */
  watchers: Array<() => void> = [];
  /** The Broadcast this core is a subscription of (or the fromAsyncIterable reader feeding it), if any. */
  owner: CoreOwner | null = null;
  /** Set by `fail`: what receivers get instead of EndOfChannel once the send side is closed and drained. */
  failure: { error: unknown } | null = null;

  constructor(
    /** Capacity (Infinity = unbounded, 0 = rendezvous). */
    readonly maxsize: number,
    readonly overflow: Overflow,
  ) {}

  /** send() after its cancel point: sends at once, or registers `me` to wait. */
  attemptSend(handle: Handle, me: TaskImpl, value: T, what: string): void | typeof PARK {
    this.checkSend(handle, what);
    if (this.offer(value)) return;
    const pending: PendingSend<T> = { value, handle };
    this.senders.push(me, pending);
    if (this.watchers.length > 0) this.notifyWatchers(); // a rendezvous item is on offer
    return PARK;
  }

  /** receive() after its cancel point: takes an item at once, or registers `me` to wait. */
  attemptReceive(handle: Handle, me: TaskImpl, what: string): T | typeof PARK {
    if (handle.closed) throw closedReceiver(what);
    const item = this.take();
    if (item !== NOTHING) return item;
    if (this.openSend === 0) throw this.ended(what);
    this.receivers.push(me, handle);
    return PARK;
  }

  checkSend(handle: Handle, what: string): void {
    if (handle.closed) throw new ResourceClosed(`${what}: this send handle is closed`);
    if (this.openReceive === 0) throw new ResourceBroken(`${what}: every receive handle of the channel is closed`);
  }

  /**
   * Hands `value` to the oldest parked receiver, buffers it, or applies the dropping policy;
   * false if the sender would have to wait.
   */
  offer(value: T): boolean {
    const receiver = this.receivers.shift();
    if (receiver !== null) {
      receiver.kernel.wake(receiver, value);
      return true;
    }
    if (this.items.length < this.maxsize) {
      this.items.push(value);
    } else if (this.overflow === 'wait') {
      return false;
    } else {
      this.dropped++;
      if (this.overflow === 'dropNewest') return true;
      this.items.shift(); // dropOldest: a sliding window
      this.items.push(value);
    }
    if (this.watchers.length > 0) this.notifyWatchers();
    return true;
  }

  /** There is room for one more item without waiting (a parked receiver or a free slot). */
  hasRoom(): boolean {
    return this.receivers.length > 0 || this.items.length < this.maxsize;
  }

  /** Takes the oldest item (buffered, or a parked sender's), or NOTHING. */
  take(): T | typeof NOTHING {
    const sender = this.senders.shift();
    let item: T;
    if (this.items.length > 0) {
      item = this.items.shift();
      // A slot is free: the oldest parked sender's item moves in, and its send has happened.
      if (sender !== null) this.items.push((sender.waitValue as PendingSend<T>).value);
    } else if (sender !== null) {
      item = (sender.waitValue as PendingSend<T>).value;
    } else {
      return NOTHING;
    }
    if (sender !== null) sender.kernel.wake(sender, undefined);
    else if (this.owner !== null) this.owner.room();
    return item;
  }

  /** Closes one send handle: its parked senders get ResourceClosed; the last one ends the channel. */
  closeSender(handle: Handle): void {
    if (handle.closed) return;
    handle.closed = true;
    for (const t of this.senders.toArray()) {
      if ((t.waitValue as PendingSend<T>).handle !== handle) continue;
      this.senders.remove(t);
      t.waitValue = undefined;
      t.kernel.wakeThrow(t, new ResourceClosed('SendChannel.send(): the send handle was closed while sending'));
    }
    if (--this.openSend === 0) {
      // Parked receivers mean nothing is buffered: they are at the end.
      for (let t = this.receivers.shift(); t !== null; t = this.receivers.shift()) t.kernel.wakeThrow(t, this.ended('ReceiveChannel.receive()'));
    }
    if (this.watchers.length > 0) this.notifyWatchers();
  }

  /** Closes one receive handle; the last one breaks the channel (parked and later sends fail, the buffer is dropped). */
  closeReceiver(handle: Handle): void {
    if (handle.closed) return;
    handle.closed = true;
    for (const t of this.receivers.toArray()) {
      if (t.waitValue !== handle) continue;
      this.receivers.remove(t);
      t.kernel.wakeThrow(t, new ResourceClosed('ReceiveChannel.receive(): the receive handle was closed while receiving'));
    }
    if (--this.openReceive === 0) {
      while (this.items.length > 0) this.items.shift();
      for (let t = this.senders.shift(); t !== null; t = this.senders.shift()) {
        t.waitValue = undefined;
        t.kernel.wakeThrow(t, new ResourceBroken('SendChannel.send(): every receive handle of the channel was closed while sending'));
      }
      if (this.owner !== null) this.owner.receiversGone(this as ChannelCore<unknown>);
    }
    if (this.watchers.length > 0) this.notifyWatchers();
  }

  /** For `for await` outside the loop: the next item, or done once the channel has ended. */
  nextForHost(handle: Handle, what: string): Promise<IteratorResult<T, undefined>> {
    if (handle.closed) return Promise.reject(closedReceiver(what));
    const item = this.take();
    if (item !== NOTHING) return Promise.resolve({ done: false, value: item });
    if (this.openSend === 0) return this.failure === null ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(this.failure.error);
    // Retried in a microtask, after the loop's current step: a sender that notified is parked by then.
    return new Promise<void>((resolve) => { this.watchers.push(resolve); }).then(() => this.nextForHost(handle, what));
  }

  /**
   * Makes `error` what receivers get, after the buffered items, instead of EndOfChannel once the
   * send side is closed (fromAsyncIterable: the source failed). Call before closing the last sender.
   */
  fail(error: unknown): void {
    this.failure = { error };
  }

  /** What a receive raises once the send side is closed and drained. */
  ended(what: string): unknown {
    return this.failure === null ? endOfChannel(what) : this.failure.error;
  }

  notifyWatchers(): void {
    const watchers = this.watchers;
    this.watchers = [];
    for (const watch of watchers) watch();
  }

  statistics(): ChannelStatistics {
    return {
      currentBufferUsed: this.items.length, maxBufferSize: this.maxsize, overflow: this.overflow,
      dropped: this.dropped, openSendChannels: this.openSend, openReceiveChannels: this.openReceive,
      tasksWaitingSend: this.senders.length, tasksWaitingReceive: this.receivers.length,
    };
  }
}

export function closedReceiver(what: string): ResourceClosed {
  return new ResourceClosed(`${what}: this receive handle is closed`);
}

export function endOfChannel(what: string): EndOfChannel {
  return new EndOfChannel(`${what}: every send handle is closed and every item has been received`);
}
