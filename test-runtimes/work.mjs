// The worker module of worker.test.mjs, as a user would write it: `giambio/worker` resolves by the
// package's export conditions (worker_threads under Node and Bun, Web Workers under Deno).
import { expose } from 'giambio/worker';
import { sleep } from 'giambio';

const identity = Math.random();

export function add(a, b) { return a + b; }
export async function addLater(a, b) { await new Promise((resolve) => setTimeout(resolve, 5)); return a + b; }
export function whoAmI() { return identity; }
export function spin(ms) { const end = Date.now() + ms; while (Date.now() < end) { /* busy */ } return 'spun'; }
export function spinForever() { for (;;) { /* never yields */ } }
export function* nap(ms) { yield* sleep(ms); return 'napped'; }
/** `flags[0]` = 1 once started, `flags[1]` = 1 when its finally block ran. */
export function* napForever(flags) {
  Atomics.store(flags, 0, 1);
  try { yield* sleep(Infinity); } finally { Atomics.store(flags, 1, 1); }
}
export function fail(message) { throw new RangeError(message, { cause: { code: 42 } }); }
export function byteLength(buffer) { return buffer.byteLength; }
/** Never settles; an uncaught error outside the call kills the worker. */
export function crash() {
  setTimeout(() => { throw new Error('boom outside a call'); }, 0);
  return new Promise(() => { /* never */ });
}

expose({ add, addLater, whoAmI, spin, spinForever, nap, napForever, fail, byteLength, crash });
