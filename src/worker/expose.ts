/**
 * The worker's side: `expose({ name: fn, … })` answers the pool's calls, one at a time. A plain
 * function (sync or async) is called and its value (awaited) sent back. A generator function runs
 * as the root task of a fresh giambio loop in the worker, so it can sleep, use primitives and I/O;
 * a `cancel` from the caller aborts that loop's signal, which cancels the task where it waits (its
 * `finally` blocks run here), and the worker confirms with `cancelled`.
 */
import { expectsError, typeError } from '../check.js';
import { CancelledError, GiambioError } from '../errors.js';
import { EventLoop } from '../loop.js';
import type { Operation } from '../types.js';
import { serializeError, type FromWorker, type ToWorker } from './protocol.js';
import type { WorkerFunction } from './types.js';

/** How a worker talks to its pool: `parentPort` in Node, the worker's global scope on the web. @internal */
export interface WorkerPort {
  post(message: FromWorker): void;
  listen(handler: (message: ToWorker) => void): void;
}

const GeneratorFunction = Object.getPrototypeOf(function* () { /* a generator function */ }).constructor;

let exposed = false;

/** `expose` over one port (node.ts and web.ts bind it). @internal */
export function exposeOn<T extends Record<string, WorkerFunction>>(port: WorkerPort | null, functions: T): T {
  if (port === null) {
    throw new GiambioError('expose() must run inside a worker started by withWorkers() or runInWorker(), not on the main thread');
  }
  if (typeof functions !== 'object' || functions === null) {
    throw expectsError('expose()', 'an object of functions', functions);
  }
  for (const [name, fn] of Object.entries(functions)) {
    if (typeof fn !== 'function') throw typeError(`export \`${name}\``, 'a function', fn);
  }
  if (exposed) throw new GiambioError('expose() may be called only once per worker');
  exposed = true;
  const names = Object.keys(functions);
  const table = new Map<string, WorkerFunction>(Object.entries(functions));
  /** The generator call in progress, and how to cancel it. */
  let current: { id: number; controller: AbortController } | null = null;

  const reply = (message: FromWorker): void => {
    try {
      port.post(message);
    } catch (error) {
      // The value could not be cloned: the caller gets a TypeError instead.
      if (message.t !== 'ok') throw error;
      const name = error instanceof Error ? error.message : String(error);
      port.post({ t: 'err', i: message.i, e: serializeError(new TypeError(`The result of the worker call cannot be cloned: ${name}`)) });
    }
  };

  port.listen((message) => {
    if (message.t === 'cancel') {
      if (current !== null && current.id === message.i) current.controller.abort(cancelReason);
      return;
    }
    const id = message.i;
    const fn = table.get(message.n);
    if (fn === undefined) {
      reply({ t: 'err', i: id, e: serializeError(new TypeError(
        `Worker module has no export \`${message.n}\`; it exposes ${names.map((n) => `\`${n}\``).join(', ') || '(none)'}`)) });
      return;
    }
    if (fn instanceof GeneratorFunction) {
      const controller = new AbortController();
      current = { id, controller };
      new EventLoop({ signal: controller.signal }).run(fn as (...args: unknown[]) => Operation<unknown>, ...message.a).then(
        (value) => { current = null; reply({ t: 'ok', i: id, v: value }); },
        (error) => {
          current = null;
          if (error === cancelReason) reply({ t: 'cancelled', i: id });
          else reply({ t: 'err', i: id, e: serializeError(error) });
        });
      return;
    }
    let value: unknown;
    try {
      value = fn(...message.a);
    } catch (error) {
      reply({ t: 'err', i: id, e: serializeError(error) });
      return;
    }
    if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') {
      (value as PromiseLike<unknown>).then(
        (v) => reply({ t: 'ok', i: id, v }),
        (error) => reply({ t: 'err', i: id, e: serializeError(error) }));
    } else {
      reply({ t: 'ok', i: id, v: value });
    }
  });
  port.post({ t: 'ready', n: names });
  return functions;
}

/** The reason the worker's loop is aborted with when the caller cancels (recognised by identity). */
const cancelReason = new CancelledError('the caller cancelled the worker call');
