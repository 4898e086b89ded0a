/**
 * Operations created but never driven. `server.close();` without `yield*` builds an operation and
 * drops it: nothing closes, nothing complains, and the program may hang with the listener open.
 * A tracked operation records whether anything drove it; when the last task that could have driven
 * it ends and nothing did, giambio warns once per call site, naming the file and line.
 *
 * - Operations that open or release something (`close`, `sendEof`, `connect`, `listen`, …) are
 *   always tracked (`trackOperation`): they are not hot, and a missed one leaks.
 * - Every other public operation is tracked only while the running loop has `debug: true`
 *   (`debugOperation`, and the generator methods that `guardOperations` registers, see
 *   `trackMethodsInDebug`). Until a debug loop exists this costs one read of a module flag.
 *
 * Who could have driven it: the task that made it, and every task spawned by such a task after it
 * was made (an operation handed to a child, by closure or as an argument, is driven there). The
 * operation is excused, not warned about, when one of those tasks was cancelled or failed before
 * driving it (a child cancelled before its first step), or when the scope it was made in was
 * cancelled afterwards (a body cut short mid-way by a timeout): it was abandoned, not forgotten.
 * One exception: an operation its creator made after a cancellation had reached it (in cleanup
 * code, `finally { server.close(); }`) is still warned about (see `abandoned`).
 *
 * Discussion: the check runs when those tasks end, not from a FinalizationRegistry: a program
 * that hangs because its listener was never closed may never collect garbage again, so a warning
 * that waits for the collector might never come. The call site is read from a stack captured at
 * creation (V8 captures frames eagerly but formats them only when read, i.e. only to warn).
 * @internal
 */
import { maybeRunningKernel } from './run-context.js';
import { CANCELLED, FAILED } from './task-outcome.js';
import type { CancelScope } from './scope.js';
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


/** An operation that records whether anything drove it; steps go straight to the wrapped one. */
export class TrackedOperation<T> implements Operation<T> {
  driven = false;
  /** Set when a task that could have driven it was cancelled or failed first: never warned about. */
  excused = false;
  /** How many tasks that could still drive it are alive (its creator and the tasks it was handed to). */
  holders = 1;
  constructor(
    readonly inner: Operation<T>,
    /** As users write the call (`'server.close()'`); a forwarding public function renames it. */
    public what: string,
    /** Captured where it was made (null outside a task: nothing is checked then). */
    public created: Error | null,
    /** Which frame of `created` is the call site (see `track`). */
    public depth: number,
    readonly creator: TaskImpl | null,
    /** The creator's innermost scope when it was made: if that is cancelled later, the operation may have been cut off. */
    readonly scope: CancelScope | null,
    /** Whether a cancellation had already reached its creator (cleanup code): that does not excuse it. */
    readonly madeWhileCancelled: boolean,
  ) {}
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

/** The operations each task holds that were not yet driven when last looked at (checked when it ends). */
const held = new WeakMap<TaskImpl, Array<TrackedOperation<unknown>>>();
/** Set once anything was tracked in a task; until then a spawn costs one read of it. */
let anyHeld = false;

/** The stack frame `depth` frames above `track` in `created`'s stack (V8's `at …` lines or Firefox's `fn@…`). */
function callSite(created: Error, depth: number): string {
  const lines = (created.stack ?? '').split('\n');
  const frames = lines.some((line) => /^\s+at /.test(line)) ? lines.filter((line) => /^\s+at /.test(line)) : lines.filter((line) => line !== '');
  const frame = (frames[depth] ?? frames[frames.length - 1] ?? 'an unknown place').trim();
  return frame.replace(/^at /, '');
}

function hold(task: TaskImpl, op: TrackedOperation<unknown>): void {
  let ops = held.get(task);
  if (ops === undefined) {
    held.set(task, ops = []);
    task.onExit(release);
  } else if (ops.length >= 64) {
    // A long-lived task making many operations: forget the driven ones as it goes.
    ops = ops.filter((o) => !o.driven);
    held.set(task, ops);
  }
  ops.push(op);
}

/**
 * Whether `op` may have been cut off rather than forgotten, now that `holder` ended: the holder was
 * cancelled or failed, or the scope the op was made in was cancelled after it was made (a timeout
 * or `pool.cancel()` inside the task: the task goes on, but the body that would have driven the op
 * did not). An op its creator made while already cancelled (cleanup code) is excused only by another
 * holder's end. Discussion: giambio cannot tell whether a cancellation interrupted the code that
 * would have driven the op or came after it forgot it; it stays silent in both cases.
 */
function abandoned(op: TrackedOperation<unknown>, holder: TaskImpl, endedEarly: boolean): boolean {
  if (op.madeWhileCancelled) return endedEarly && holder !== op.creator;
  return endedEarly || op.scope!.cancelledBy !== null;
}

/** `task` ended: it can no longer drive what it holds; warn for what nobody else can drive either. */
function release(task: TaskImpl): void {
  const ops = held.get(task);
  if (ops === undefined) return;
  held.delete(task);
  const endedEarly = task.outcome === CANCELLED || task.outcome === FAILED;
  for (const op of ops) {
    if (op.driven) continue;
    if (abandoned(op, task, endedEarly)) op.excused = true;
    if (--op.holders > 0 || op.excused) continue;
    const site = callSite(op.created!, op.depth);
    const closeNow = op.what.endsWith('.close()') ? ` (or ${op.what.slice(0, -'close()'.length)}closeNow(), which closes at once)` : '';
    warnOnce(site, `${op.what} at ${site} was never driven: an operation does nothing until a task runs it. Write \`yield* ${op.what}\`${closeNow}.`);
  }
}

/**
 * Called by the kernel for every spawn: the new task may have been handed any operation its spawner
 * holds and has not driven yet (by closure or as an argument), so it holds them too.
 * Invariant: an operation's `holders` counts the live tasks whose held list contains it.
 */
export function handOverUndriven(spawner: TaskImpl, child: TaskImpl): void {
  if (!anyHeld) return;
  const ops = held.get(spawner);
  if (ops === undefined) return;
  for (const op of ops) {
    if (op.driven || op.excused) continue;
    op.holders++;
    hold(child, op);
  }
}

/**
 * Tracks `op` (see the file comment): if the task creating it ends before anything drives it,
 * warns once for the call site. Call it directly from the public function that makes the operation,
 * with `what` as users write the call (`'server.close()'`); the site is the line that called that
 * function. Outside a task nothing is tracked. Awaiting the result rejects (operation-guard).
 * A public function that returns another one's operation (a forwarding method) calls it again:
 * the operation is then named and placed at the outer call.
 * @example
 * close(): Operation<void> { return trackOperation(this.#close(), 'server.close()'); }
 */
export function trackOperation<T>(op: Operation<T>, what: string): Operation<T> {
  return track(op, what, 3);
}

/**
 * `depth`: where the call site is in the stack captured here: [0] track, [1] its caller (trackOperation,
 * debugOperation or a method wrapper), then the public function and its caller, plus `via` frames.
 */
function track<T>(op: Operation<T>, what: string, depth: number): Operation<T> {
  if (op instanceof TrackedOperation) {
    // Made by another public function for this one: report it where this one was called.
    op.what = what;
    if (op.created !== null) { op.created = new Error(); op.depth = depth; }
    return op;
  }
  const task = maybeRunningKernel()?.current ?? null;
  // Outside a task nothing is checked, but the wrapper still refuses `await` (operation-guard).
  if (task === null) return new TrackedOperation(op, what, null, depth, null, null, false);
  const scope = task.scope;
  const tracked = new TrackedOperation(op, what, new Error(), depth, task, scope, scope.cancelledBy !== null);
  anyHeld = true;
  hold(task, tracked as TrackedOperation<unknown>);
  return tracked;
}

/** Set once a `debug: true` loop exists; until then `debugOperation` is one read of this flag. */
let debugLoopSeen = false;

/** Called by a `debug: true` kernel when it is created. @internal */
export function noteDebugLoop(): void {
  if (debugLoopSeen) return;
  debugLoopSeen = true;
  for (const [holder, key, what] of debugMethods) wrapForDebug(holder, key, what);
  debugMethods.length = 0;
}

/**
 * `trackOperation` when the running loop has `debug: true`; `op` itself otherwise. `via`: how many
 * frames of giambio's own lie between the public function and this call (a shared helper).
 */
export function debugOperation<T>(op: Operation<T>, what: string, via = 0): Operation<T> {
  if (!debugLoopSeen) return op;
  const kernel = maybeRunningKernel();
  return kernel !== null && kernel.debug ? track(op, what, 3 + via) : op;
}

/** Generator methods waiting for the first debug loop: [prototype or class, method name, name in warnings]. */
const debugMethods: Array<[Record<string, unknown>, string, string]> = [];

/**
 * Makes the generator method `holder[key]` track its operations in debug mode, as `debugOperation`
 * does for the functions that call it: `guardOperations` registers every generator method of the
 * classes it is given. The method is replaced by a tracking wrapper only when the first debug loop
 * is created, so programs that never use `debug: true` keep calling the method itself.
 */
export function trackMethodsInDebug(holder: Record<string, unknown>, key: string, what: string): void {
  if (debugLoopSeen) wrapForDebug(holder, key, what);
  else debugMethods.push([holder, key, what]);
}

function wrapForDebug(holder: Record<string, unknown>, key: string, what: string): void {
  const method = holder[key] as (...args: unknown[]) => Operation<unknown>;
  const wrapper = function (this: unknown, ...args: unknown[]): Operation<unknown> {
    const op = method.apply(this, args);
    const kernel = maybeRunningKernel();
    // [0] track, [1] this wrapper, [2] the caller.
    return kernel !== null && kernel.debug ? track(op, what, 2) : op;
  };
  Object.defineProperty(wrapper, 'name', { value: key });
  Object.defineProperty(holder, key, { value: wrapper, writable: true, configurable: true, enumerable: false });
}
