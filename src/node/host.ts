/**
 * The Node host: how a loop waits in Node. A tick is a `setImmediate` (a macrotask that runs right
 * after libuv has polled for I/O, so socket callbacks always get their turn between batches) and a
 * deadline is one `setTimeout`. Neither outlives the run: the loop clears its timer when the root
 * task ends, and an immediate holds no handle, so nothing keeps the process alive afterwards.
 */
import type { Host } from '../host.js';

/**
 * The `Host` for Node. `main()` uses it; pass it to an `EventLoop` yourself with
 * `new EventLoop({ host: nodeHost })`.
 * @example
 * import { EventLoop } from 'giambio';
 * import { nodeHost } from 'giambio/node';
 * await new EventLoop({ host: nodeHost }).run(server);
 */
export const nodeHost: Host = {
  schedule(fn) { setImmediate(fn); },
  setTimer(fn, ms) { return setTimeout(fn, ms); },
  clearTimer(handle) { clearTimeout(handle as ReturnType<typeof setTimeout>); },
};
