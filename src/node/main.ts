/**
 * `main(fn)`: the entry point of a Node program written with giambio. Runs `fn` as the root task
 * on a loop with the Node host; the first SIGINT or SIGTERM cancels the root (everything unwinds
 * through its `finally` blocks), a second one exits at once. While the program has a receiver open
 * for a signal (`openSignalReceiver('SIGINT')`), `main` leaves that signal to the receiver. Sets `process.exitCode`: 0 on
 * success, 1 on an error (printed to stderr), 128 + the signal number after a signal (130 for
 * SIGINT, 143 for SIGTERM). The process then exits by itself once the loop is done: giambio leaves
 * no handle open.
 */
import * as os from 'node:os';
import { CancelledError } from '../errors.js';
import { EventLoop } from '../loop.js';
import type { Operation } from '../task.js';
import { nodeHost } from './host.js';
import { receiverListens } from './signal.js';

/** Options of `mainWith(options, fn, ...args)`. */
export interface MainOptions {
  /** Signals that cancel the root (default: SIGINT and SIGTERM). */
  signals?: NodeJS.Signals[];
  /** Where errors are reported (default: console.error). */
  report?: (error: unknown) => void;
}

/**
 * Runs `fn(...args)` as the program's root task (see the file comment). Resolves, never rejects,
 * with the root's value, or undefined after an error or a signal.
 * @example
 * import { main, listen } from 'giambio/node';
 * main(function* () { const server = yield* listen(8000); … });
 */
export function main<T, A extends unknown[]>(fn: (...args: A) => Operation<T>, ...args: A): Promise<T | undefined> {
  return mainWith({}, fn, ...args);
}

/** `main` with options. */
export async function mainWith<T, A extends unknown[]>(options: MainOptions, fn: (...args: A) => Operation<T>, ...args: A): Promise<T | undefined> {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const report = options.report ?? ((error: unknown) => console.error(error));
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const codeOf = (signal: NodeJS.Signals): number => 128 + (os.constants.signals[signal] ?? 0);
  const onSignal = (signal: NodeJS.Signals): void => {
    // A receiver the program opened for this signal takes precedence: the program decides.
    if (receiverListens(signal)) return;
    if (received !== null) process.exit(codeOf(signal));
    received = signal;
    controller.abort(new CancelledError(`interrupted by ${signal}`));
  };
  for (const signal of signals) process.on(signal, onSignal);
  try {
    return await new EventLoop({ host: nodeHost, signal: controller.signal }).run(fn, ...args);
  } catch (error) {
    if (received !== null && error === controller.signal.reason) {
      process.exitCode = codeOf(received);
    } else {
      report(error);
      process.exitCode = 1;
    }
    return undefined;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}
