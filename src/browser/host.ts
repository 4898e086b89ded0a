/**
 * browserHost: how a loop waits in a browser. Wake-ups go through one MessageChannel, a macrotask
 * without setTimeout's clamp (after five nested zero-delay timeouts, browsers wait at least 4 ms
 * each, so a chain of loop ticks would crawl at 250 per second). Timers with a delay use
 * setTimeout; a zero-delay timer rides the channel too, so it is not clamped either.
 *
 * Discussion: one channel serves every loop on the page. Each `schedule` posts one message and each
 * message runs one callback, in order, so other macrotasks (input, network, rendering) interleave
 * with the loop. The channel is created on first use: importing this module has no side effects.
 * Outside browsers (Node, Deno, Bun) a MessagePort with a listener keeps the process alive, so the
 * port is ref'd only while callbacks are queued.
 */
import type { Host } from '../host.js';

/** The parts of a MessagePort used here; ref/unref exist only outside browsers. */
interface Port {
  onmessage: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
  ref?(): void;
  unref?(): void;
}

/** Callbacks waiting for their message, oldest first. */
const queue: Array<() => void> = [];
/** The channel's two ends, once created. */
let receiver: Port | null = null;
let sender: Port | null = null;

function post(fn: () => void): void {
  if (sender === null) openChannel();
  if (queue.length === 0) receiver!.ref?.();
  queue.push(fn);
  sender!.postMessage(null);
}

function openChannel(): void {
  if (typeof MessageChannel !== 'function') {
    throw new TypeError('giambio/browser needs MessageChannel (browsers, Node, Deno and Bun all have it)');
  }
  const channel = new MessageChannel();
  const port = channel.port1 as unknown as Port;
  port.onmessage = () => {
    const fn = queue.shift();
    if (queue.length === 0) port.unref?.();
    if (fn !== undefined) fn();
  };
  port.unref?.();
  receiver = port;
  sender = channel.port2 as unknown as Port;
}

/** A zero-delay timer on the channel; `clearTimer` marks it so the queued callback does nothing. */
class ZeroTimer {
  cleared = false;
  constructor(readonly fn: () => void) {}
  readonly fire = (): void => {
    if (!this.cleared) this.fn();
  };
}

/**
 * The host for browsers (and any environment with MessageChannel and setTimeout). Pass it to a
 * loop: `new EventLoop({ host: browserHost })`.
 * @example
 * import { EventLoop } from 'giambio';
 * import { browserHost } from 'giambio/browser';
 * const loop = new EventLoop({ host: browserHost });
 * await loop.run(main);
 */
export const browserHost: Host = {
  schedule(fn) {
    post(fn);
  },
  setTimer(fn, ms) {
    if (ms > 0) return setTimeout(fn, ms);
    const timer = new ZeroTimer(fn);
    post(timer.fire);
    return timer;
  },
  clearTimer(handle) {
    if (handle instanceof ZeroTimer) handle.cleared = true;
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
