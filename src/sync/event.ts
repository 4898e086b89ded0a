/**
 * Event: a one-shot flag with a value. Tasks wait until it is triggered; `trigger` is synchronous
 * and can be called from anywhere (a task, a host callback), which makes an Event the simplest
 * bridge from callbacks into tasks.
 *
 * Discussion: there is no `clear()` (trio dropped it too): an event that can be reset races with
 * its waiters. Make a new Event instead.
 */
import { GiambioError } from '../errors.js';
import type { Operation, TaskImpl } from '../task.js';
import { parkWith } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { BlockingOperation, PARK, type BlockingKind } from './blocking-operation.js';
import { debugOperation } from '../undriven.js';
import { withdrawer } from './waiting.js';

const abortWait = withdrawer();
/** wait() as a BlockingOperation (see blocking-operation.ts): a parked waiter holds only ~64 bytes. */
const eventWait: BlockingKind<Event<unknown>, undefined, unknown> = {
  what: 'Event.wait()',
  attempt: (event, me) => event.attemptWait(me),
  park: () => parkWith(abortWait, 'Event.wait'),
};

/** What `Event.statistics()` reports. */
export interface EventStatistics {
  /** The event was triggered. */
  isSet: boolean;
  /** Tasks parked in `wait()`. */
  waiting: number;
}

/**
 * A one-shot event carrying a value of type `T`.
 * @example
 * const ready = new Event<string>();
 * yield* createPool(function* (pool) {
 *   pool.spawn(function* () { console.log(yield* ready.wait()); }); // "go"
 *   yield* sleep(10);
 *   ready.trigger('go');
 * });
 */
export class Event<T = void> {
  #set = false;
  #value: T | undefined = undefined;
  /** Invariant: empty once the event is set. */
  readonly #waiters = new WaitQueue();

  /** `trigger()` has been called. */
  get isSet(): boolean {
    return this.#set;
  }

  /** The value given to `trigger()`; `undefined` until then. */
  get value(): T | undefined {
    return this.#value;
  }

  /**
   * Sets the event and makes every waiting task ready, in the order they started waiting; each
   * receives `value`. Synchronous: the waiters run at the caller's next scheduling point.
   * @throws {GiambioError} if the event was already triggered.
   */
  trigger(value?: T): void {
    if (this.#set) throw new GiambioError('Event.trigger(): the event has already been triggered (an Event fires once)');
    this.#set = true;
    this.#value = value;
    for (let t = this.#waiters.shift(); t !== null; t = this.#waiters.shift()) t.kernel.wake(t, value);
  }

  /**
   * Waits until the event is triggered and returns the trigger value (at once if it already was).
   * Always a checkpoint.
   */
  wait(): Operation<T> {
    return debugOperation(new BlockingOperation(eventWait as BlockingKind<Event<T>, undefined, T>, this, undefined), 'Event.wait()');
  }

  /** @internal wait() after its cancel point: the value if set, or registers `me` to wait. */
  attemptWait(me: TaskImpl): T | typeof PARK {
    if (this.#set) return this.#value as T;
    this.#waiters.push(me);
    return PARK;
  }

  /** Whether it is set, and how many tasks wait. */
  statistics(): EventStatistics {
    return { isSet: this.#set, waiting: this.#waiters.length };
  }
}
