/**
 * Signals: `openSignalReceiver('SIGINT', 'SIGTERM')` listens for signals; `yield* receiver` (or
 * `receiver.receive()`) waits for the next one. While a receiver is open, Node's default action
 * for its signals (for SIGINT/SIGTERM: exit) does not happen — the program decides.
 *
 * A receiver belongs to the task that opened it: it is closed (its listeners removed, Node's
 * default restored if no other listener remains) when `close()` is called, when a `using`
 * block around it ends, or at the latest when that task ends. Signals that arrive while nobody
 * waits are kept, once each, in arrival order (trio's rule: a burst of one signal is one event).
 */
import * as os from 'node:os';
import { ResourceBusy, ResourceClosed } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation } from '../task.js';
import { scheduleTrap } from '../trap.js';
import { typeError } from '../check.js';
import { HostWait } from './host-wait.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';

/** Open receivers per signal: `main()` leaves a signal alone while the program has one open for it. */
const receivers = new Map<NodeJS.Signals, number>();

/** Whether an open receiver listens for `signal` (then `main()` does not act on it). @internal */
export function receiverListens(signal: NodeJS.Signals): boolean {
  return (receivers.get(signal) ?? 0) > 0;
}

/** Signals a program cannot catch. */
const UNCATCHABLE = new Set(['SIGKILL', 'SIGSTOP']);

/**
 * Starts listening for `signals`; must be called from a task.
 * @example
 * const signals = openSignalReceiver('SIGHUP');
 * try {
 *   for (;;) { yield* signals; yield* reloadConfig(); }
 * } finally { signals.close(); }
 * @throws {TypeError | RangeError} no signal, an unknown name, or SIGKILL/SIGSTOP.
 */
export function openSignalReceiver(...signals: NodeJS.Signals[]): SignalReceiver {
  if (signals.length === 0) throw typeError('signals', "one signal name or more, like openSignalReceiver('SIGINT')", signals, 'none');
  for (const signal of signals) {
    if (typeof signal !== 'string' || !(signal in os.constants.signals)) {
      throw typeError('signal', "a signal name like 'SIGINT'", signal);
    }
    if (UNCATCHABLE.has(signal)) throw new RangeError(`${signal} cannot be caught`);
  }
  const kernel = runningKernel('openSignalReceiver()');
  const receiver = new SignalReceiver([...new Set(signals)]);
  kernel.current!.onExit(() => receiver.close());
  return receiver;
}

/** Receives the signals given to `openSignalReceiver`: `yield* receiver` (or `receiver.receive()`)
 * waits for the next one. Closed by `close()`, or when the task that opened it ends.
 * @example
 * const receiver = openSignalReceiver('SIGHUP');
 * try {
 *   for (;;) { const signal = yield* receiver; console.log('got', signal); }
 * } finally { receiver.close(); } */
export class SignalReceiver {
  /** The signals it listens for. */
  readonly signals: readonly NodeJS.Signals[];
  /** Arrived, not yet received: each signal once, in arrival order. */
  readonly #pending = new Set<NodeJS.Signals>();
  readonly #waiter = new HostWait();
  #closed = false;

  /** @internal Use `openSignalReceiver()`. */
  constructor(signals: NodeJS.Signals[]) {
    this.signals = signals;
    for (const signal of signals) {
      process.on(signal, this.#onSignal);
      receivers.set(signal, (receivers.get(signal) ?? 0) + 1);
    }
  }

  /** `close()` was called, or the task that opened it ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Waits for the next signal and returns its name. A checkpoint; cancellable.
   * @throws {ResourceClosed} the receiver was closed. @throws {ResourceBusy} another task waits on it.
   */
  *receive(): Operation<NodeJS.Signals> {
    const me = runningKernel('SignalReceiver.receive()').current!;
    if (this.#closed) throw new ResourceClosed('receive() on a closed signal receiver');
    if (this.#waiter.waiting) throw new ResourceBusy('another task is already waiting on this signal receiver');
    if (this.#pending.size === 0) return (yield* this.#waiter.wait(`signal ${this.signals.join('/')}`)) as NodeJS.Signals;
    throwIfCancelled(me);
    const signal = this.#pending.values().next().value as NodeJS.Signals;
    this.#pending.delete(signal);
    yield scheduleTrap;
    return signal;
  }

  /** `yield* receiver` is `yield* receiver.receive()`. */
  [Symbol.iterator](): Operation<NodeJS.Signals> {
    return this.receive();
  }

  /** Stops listening (idempotent); a task waiting on the receiver gets `ResourceClosed`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const signal of this.signals) {
      process.off(signal, this.#onSignal);
      receivers.set(signal, receivers.get(signal)! - 1);
    }
    this.#pending.clear();
    this.#waiter.wakeThrowWith(() => new ResourceClosed('the signal receiver was closed'));
  }

  /** The same as `close()` (already synchronous), under the name every resource has. */
  closeNow(): void {
    this.close();
  }

  /** `close()`, for `using receiver = …`. */
  [Symbol.dispose](): void {
    this.close();
  }

  readonly #onSignal = (signal: NodeJS.Signals): void => {
    if (!this.#waiter.wake(signal)) this.#pending.add(signal);
  };
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(SignalReceiver);
