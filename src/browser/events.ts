/**
 * Events of any EventTarget (DOM elements, window, AbortSignal, WebSocket, …) as Operations:
 * `once` waits for one event; `on` opens a stream that buffers events until a task takes them.
 *
 * Discussion: a stream's listener is added when `on` is called, not at the first `next()`, so no
 * event between the two is missed. It is removed by `close()`, and at the latest when the task that
 * opened it ends — however it ends — so a cancelled scope never leaves a listener behind.
 */
import { typeError } from '../check.js';
import { EndOfChannel } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation, TaskImpl } from '../task.js';
import { scheduleTrap, parkOnHost } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { waitForHost } from '../host-wait.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { debugOperation } from '../undriven.js';

/** Options of `once` and `on`. */
export interface EventOptions {
  /** Call `preventDefault()` on each event inside the listener (afterwards it would be too late). */
  preventDefault?: boolean;
  /** Listen in the capture phase. */
  capture?: boolean;
}

function checkTarget(what: string, target: unknown, type: unknown): void {
  if (typeof target !== 'object' || target === null || typeof (target as EventTarget).addEventListener !== 'function') {
    throw typeError(`${what}'s \`target\``, 'an EventTarget', target);
  }
  if (typeof type !== 'string') throw typeError(`${what}'s \`type\``, 'an event type string', type);
}

/**
 * Waits for the next `type` event on `target` and returns it. The listener is removed when the
 * event comes or the task is cancelled.
 * @example
 * import { once } from 'giambio/browser';
 * const click = yield* once(button, 'click');
 */
export function once<E extends Event = Event>(target: EventTarget, type: string, options: EventOptions = {}): Operation<E> {
  return debugOperation(onceOperation(target, type, options), 'once()');
}

/** The operation once returns (named so that awaiting it says `once()`). */
const onceOperation = function* once<E extends Event = Event>(target: EventTarget, type: string, options: EventOptions = {}): Operation<E> {
  checkTarget('once()', target, type);
  const capture = options.capture ?? false;
  return yield* waitForHost<E>('once()', `event ${type}`, (settle) => {
    const listener = (event: Event): void => {
      if (options.preventDefault === true) event.preventDefault();
      target.removeEventListener(type, listener, capture);
      settle.resolve(event as E);
    };
    target.addEventListener(type, listener, capture);
    return () => target.removeEventListener(type, listener, capture);
  });
};

/** The events of one type on one target, in arrival order. Made by `on()`. */
export interface EventStream<E extends Event = Event> {
  /**
   * Returns the oldest event not yet taken, waiting for one if there is none. Always a checkpoint.
   * @throws {EndOfChannel} once the stream is closed and its buffered events are taken.
   */
  next(): Operation<E>;
  /**
   * Removes the listener. Buffered events can still be taken; then `next()` raises `EndOfChannel`,
   * as it does at once for tasks waiting now. Safe to call twice.
   */
  close(): void;
  /** Events received and not yet taken. */
  readonly buffered: number;
  /** `close()` was called, or the task that opened the stream ended. */
  readonly closed: boolean;
}

/** Streams opened by each task, closed when it ends. */
const openedBy = new WeakMap<TaskImpl, Set<Stream<Event>>>();

function closeAll(task: TaskImpl): void {
  const streams = openedBy.get(task);
  if (streams === undefined) return;
  openedBy.delete(task);
  for (const stream of streams) stream.close();
}

class Stream<E extends Event> implements EventStream<E> {
  readonly #target: EventTarget;
  readonly #type: string;
  readonly #capture: boolean;
  readonly #preventDefault: boolean;
  readonly #owner: TaskImpl;
  /** Events that came while no task was waiting. */
  readonly #buffer: E[] = [];
  /** Tasks parked in next(), oldest first (parked on the host: the kernel counts them). */
  readonly #waiters = new WaitQueue();
  #closed = false;

  constructor(owner: TaskImpl, target: EventTarget, type: string, options: EventOptions) {
    this.#owner = owner;
    this.#target = target;
    this.#type = type;
    this.#capture = options.capture ?? false;
    this.#preventDefault = options.preventDefault ?? false;
    target.addEventListener(type, this.#listener, this.#capture);
  }

  readonly #listener = (event: Event): void => {
    if (this.#preventDefault) event.preventDefault();
    const waiter = this.#waiters.shift();
    if (waiter === null) { this.#buffer.push(event as E); return; }
    if (waiter.kernel.failure === null) waiter.kernel.wake(waiter, event);
  };

  readonly #abortNext = (task: TaskImpl): boolean => {
    return this.#waiters.remove(task);
  };

  *next(): Operation<E> {
    const kernel = runningKernel('EventStream.next()');
    const me = kernel.current!;
    throwIfCancelled(me);
    if (this.#buffer.length > 0) {
      const event = this.#buffer.shift()!;
      yield scheduleTrap;
      return event;
    }
    if (this.#closed) throw new EndOfChannel(`the ${this.#type} event stream is closed`);
    this.#waiters.push(me);
    return (yield parkOnHost(this.#abortNext, `event ${this.#type}`)) as E;
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#target.removeEventListener(this.#type, this.#listener, this.#capture);
    openedBy.get(this.#owner)?.delete(this as unknown as Stream<Event>);
    for (let t = this.#waiters.shift(); t !== null; t = this.#waiters.shift()) {
      if (t.kernel.failure === null) t.kernel.wakeThrow(t, new EndOfChannel(`the ${this.#type} event stream was closed`));
    }
  }
}

/**
 * Starts listening for `type` events on `target`; take them with `yield* stream.next()`. The
 * listener is removed by `stream.close()`, or when the calling task ends.
 * @example
 * import { on } from 'giambio/browser';
 * const clicks = on(button, 'click');
 * try {
 *   for (;;) handle(yield* clicks.next());
 * } finally {
 *   clicks.close();
 * }
 */
export function on<E extends Event = Event>(target: EventTarget, type: string, options: EventOptions = {}): EventStream<E> {
  checkTarget('on()', target, type);
  const owner = runningKernel('on()').current!;
  const stream = new Stream<E>(owner, target, type, options);
  let streams = openedBy.get(owner);
  if (streams === undefined) {
    streams = new Set();
    openedBy.set(owner, streams);
    owner.onExit(closeAll);
  }
  streams.add(stream as unknown as Stream<Event>);
  return stream;
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(onceOperation, Stream);
