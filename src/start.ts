/**
 * `pool.start`: run a task and wait until it says it is ready (trio's `nursery.start`).
 *
 * The new task first runs in a hidden pool opened in the *caller*, so until it calls
 * `status.started()` the caller's cancellation reaches it and its error comes out of `start`; the
 * target pool does not see it. `started()` moves the task (its own scope subtree, or the task itself
 * if it has none) from the hidden pool into the target pool, which from then on owns it.
 *
 * Discussion: a pending start keeps the target pool open (a reservation in its `live` count, as
 * trio's `_pending_starts`), so the pool cannot close between `start` and `started`. If the caller
 * is already cancelled when `started()` is called, the task stays where it is and is cancelled
 * there (trio: "quietly quit now"), and `start` raises the caller's cancellation.
 * @internal
 */
import { GiambioError } from './errors.js';
import type { Kernel } from './kernel.js';
import { runningKernel } from './run-context.js';
import type { TaskPool } from './pool.js';
import { startGenerator } from './spawnable.js';
import type { Operation, TaskImpl } from './task.js';
import { guardOperations } from './operation-guard.js';

/**
 * What a start-able function receives first: it calls `started(value)` once it is ready, and
 * `pool.start` returns `value`.
 * @example
 * function* worker(status: TaskStatus<string>) {
 *   status.started('ready');
 *   yield* sleep(Infinity);
 * }
 * const word = yield* pool.start(worker); // 'ready'
 */
export interface TaskStatus<V = void> {
  /**
   * Reports that the task is ready: it moves into the target pool and `start` returns `value`.
   * @throws {GiambioError} when called a second time.
   */
  started(value?: V): void;
}

/**
 * A `TaskStatus` whose `started` does nothing, to call a start-able function directly, without
 * `pool.start` (trio's `TASK_STATUS_IGNORED`).
 * @example
 * yield* serveTcp(STATUS_IGNORED, 8080, handler); // runs until cancelled
 */
export const STATUS_IGNORED: TaskStatus<never> = Object.freeze({ started(): void { /* nobody waits */ } });

const WAITING = 0;  // the task runs in the hidden pool
const STARTED = 1;  // started() was called
const OVER = 2;     // start() has returned or raised: started() is too late

class StartStatus<V> implements TaskStatus<V> {
  state = WAITING;
  value: V | undefined = undefined;
  task: TaskImpl | null = null;
  /** The target still counts this start in its `live` (released on move or on failure). */
  reserved = true;
  hidden: TaskPool | null = null;

  constructor(readonly name: string, readonly target: TaskPool) {}

  started(value?: V): void {
    if (this.state === STARTED) throw new GiambioError(`status.started() called twice by ${this.name}`);
    if (this.state === OVER) throw new GiambioError(`status.started() called by ${this.name} after its start() had ended`);
    this.state = STARTED;
    this.value = value;
    if (this.hidden!.scope.effectivelyCancelled) return; // it stays, and is cancelled with the caller
    move(this.task!, this.hidden!, this.target);
    this.reserved = false;
  }
}

/** Moves a running task from `from` into `to`; the reservation in `to` becomes the task. */
function move(task: TaskImpl, from: TaskPool, to: TaskPool): void {
  const top = task.rootScope;
  if (top !== null) {
    from.scope.removeChild(top);
    top.parent = to.scope;
    to.scope.addChild(top);
  } else {
    from.scope.removeMember(task);
    to.scope.addMember(task);
  }
  from.leave();
  // Moving into a cancelled pool cancels it there: parked tasks below it are withdrawn now.
  if (to.scope.effectivelyCancelled) {
    if (top !== null) top.inheritCancel(); else task.kernel.deliverCancel(task);
  }
}

/** The body of pool.start and pool.startWith. */
export function* startTask<V>(
  target: TaskPool, name: string | undefined, fn: unknown, args: unknown[],
  /** Opens the hidden pool in the caller (passed in: this module does not import pool.ts at run time). */
  openPool: (kernel: Kernel, owner: TaskImpl) => TaskPool,
): Operation<V> {
  const kernel = runningKernel('pool.start()');
  if (target.closed) throw new GiambioError('cannot start a task in a pool that has exited');
  if (kernel !== target.kernel) throw new GiambioError('cannot start a task in a pool of another loop');
  if (kernel.failure !== null) throw kernel.failure;
  const taskName = name ?? ((fn as { name?: string } | null)?.name || 'anonymous');
  const status = new StartStatus<V>(taskName, target);
  const gen = startGenerator<unknown>('pool.start', fn, [status, ...args]);
  const hidden = openPool(kernel, kernel.current!);
  status.hidden = hidden;
  target.live++;
  try {
    status.task = hidden.spawnGenerator(gen, taskName);
    yield* hidden.run('pool.start', nothing, 0);
  } finally {
    if (status.state === WAITING) status.state = OVER;
    if (status.reserved) { status.reserved = false; target.leave(); }
  }
  if (status.state !== STARTED) {
    throw new GiambioError(`${taskName} returned without calling status.started()`);
  }
  return status.value as V;
}

function* nothing(): Operation<void> { /* the hidden pool's body: it only waits for the task */ }

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(startTask);
