/**
 * Operations created but never driven. `server.close();` without `yield*` builds an operation and
 * drops it: nothing closes, nothing complains, and the program may hang with the listener open.
 * `trackOperation(op, what)` wraps an operation so that, when the task that created it ends and
 * nothing has driven it (`yield*`, or a task it was handed to), giambio warns once per call site,
 * naming the file and line.
 *
 * - Operations that open or release something (`close`, `sendEof`, `connect`, `listen`, …) are
 *   always tracked: they are not hot, and a missed one leaks. Other modules (workers, channels)
 *   use `trackOperation` for theirs.
 * - Every other operation (`sleep`, `checkpoint`, pools, `join`, …) goes through `debugOperation`,
 *   which tracks only while the running loop has `debug: true`; otherwise it costs one read of a
 *   module flag that stays false until a debug loop exists.
 *
 * Discussion: the check runs when the creating task ends, not from a FinalizationRegistry: a program
 * that hangs because its listener was never closed may never collect garbage again, so a warning
 * that waits for the collector might never come. The call site is read from a stack captured at
 * creation (V8 captures frames eagerly but formats them only when read, i.e. only to warn).
 * @internal
 */
import { maybeRunningKernel } from './run-context.js';
import { guardOperationClass } from './operation-guard.js';
import type { TaskImpl } from './task.js';
import type { Instruction, Operation } from './types.js';

/** Sends one warning: Node's process warnings (stderr, `--no-warnings`, 'warning' events), else console.warn. */
type WarningSink = (message: string, code: string) => void;

const defaultSink: WarningSink = (message, code) => {
  const proc = (globalThis as { process?: { emitWarning?: (message: string, options: object) => void } }).process;
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, { type: 'GiambioWarning', code });
  else console.warn(`GiambioWarning: ${message}`);
};
let sink: WarningSink = defaultSink;
/** Call sites already warned about: once each for the process's life. */
const warned = new Set<string>();

/** Replaces where warnings go (tests); returns a function that restores the previous sink. @internal */
export function setWarningSink(next: WarningSink): () => void {
  const previous = sink;
  sink = next;
  warned.clear();
  return () => { sink = previous; warned.clear(); };
}

/** Warns once for `key` (a call site); `code` names the kind ('GIAMBIO_UNDRIVEN', …). */
export function warnOnce(key: string, message: string, code = 'GIAMBIO_UNDRIVEN'): void {
  if (warned.has(key)) return;
  warned.add(key);
  sink(message, code);
}

/** Operations created by a task and not yet known to be driven, per task (checked when it ends). */
const pending = new WeakMap<TaskImpl, Array<TrackedOperation<unknown>>>();

/** An operation that records whether anything drove it; steps go straight to the wrapped one. */
class TrackedOperation<T> implements Operation<T> {
  driven = false;
  constructor(readonly inner: Operation<T>, readonly what: string, readonly created: Error | null, readonly depth: number) {}
  next(...value: [] | [unknown]): IteratorResult<Instruction, T> {
    this.driven = true;
    return this.inner.next(...value);
  }
  throw(error: unknown): IteratorResult<Instruction, T> {
    this.driven = true;
    return this.inner.throw(error);
  }
  return(value: T): IteratorResult<Instruction, T> {
    this.driven = true;
    return this.inner.return(value);
  }
  [Symbol.iterator](): Operation<T> {
    return this;
  }
}

/** The stack frame `depth` frames above `track` in `created`'s stack (V8's `at …` lines or Firefox's `fn@…`). */
function callSite(created: Error, depth: number): string {
  const lines = (created.stack ?? '').split('\n');
  const frames = lines.some((line) => /^\s+at /.test(line)) ? lines.filter((line) => /^\s+at /.test(line)) : lines.filter((line) => line !== '');
  const frame = (frames[depth] ?? frames[frames.length - 1] ?? 'an unknown place').trim();
  return frame.replace(/^at /, '');
}

function checkOnExit(task: TaskImpl): void {
  const ops = pending.get(task);
  if (ops === undefined) return;
  pending.delete(task);
  for (const op of ops) {
    if (op.driven) continue;
    const site = callSite(op.created!, op.depth);
    const closeNow = op.what.endsWith('.close()') ? ` (or ${op.what.slice(0, -'close()'.length)}closeNow(), which closes at once)` : '';
    warnOnce(site, `${op.what} at ${site} was never driven: an operation does nothing until a task runs it. Write \`yield* ${op.what}\`${closeNow}.`);
  }
}

/**
 * Tracks `op` (see the file comment): if the task creating it ends before anything drives it,
 * warns once for the call site. Call it directly from the public function that makes the operation,
 * with `what` as users write the call (`'server.close()'`); the site is the line that called that
 * function. Outside a task nothing is tracked. Awaiting the result rejects (operation-guard).
 * @example
 * close(): Operation<void> { return trackOperation(this.#close(), 'server.close()'); }
 */
export function trackOperation<T>(op: Operation<T>, what: string): Operation<T> {
  return track(op, what, 3);
}

/** `depth`: where the site is in the stack: [0] track, [1] trackOperation or debugOperation, [2] the public function, [3] its caller. */
function track<T>(op: Operation<T>, what: string, depth: number): Operation<T> {
  const task = maybeRunningKernel()?.current ?? null;
  // Outside a task nothing is checked, but the wrapper still refuses `await` (operation-guard).
  if (task === null) return new TrackedOperation(op, what, null, depth);
  const tracked = new TrackedOperation(op, what, new Error(), depth);
  let ops = pending.get(task);
  if (ops === undefined) {
    pending.set(task, ops = []);
    task.onExit(checkOnExit);
  } else if (ops.length >= 64) {
    // A long-lived task making many operations: forget the driven ones as it goes.
    ops = ops.filter((o) => !o.driven);
    pending.set(task, ops);
  }
  ops.push(tracked as TrackedOperation<unknown>);
  return tracked;
}

/** Set once a `debug: true` loop exists; until then `debugOperation` is one read of this flag. */
let debugLoopSeen = false;
/** Called by a `debug: true` kernel when it is created. @internal */
export function noteDebugLoop(): void {
  debugLoopSeen = true;
}

/** `trackOperation` when the running loop has `debug: true`; `op` itself otherwise. */
export function debugOperation<T>(op: Operation<T>, what: string): Operation<T> {
  if (!debugLoopSeen) return op;
  const kernel = maybeRunningKernel();
  return kernel !== null && kernel.debug ? track(op, what, 3) : op;
}

// Awaiting a tracked operation rejects like any other (operation-guard.ts), naming it as written.
guardOperationClass(TrackedOperation, (op: TrackedOperation<unknown>) => op.what);
