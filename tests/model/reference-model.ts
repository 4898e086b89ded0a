/**
 * The reference model: a small discrete-event simulator of the semantics README.md describes,
 * written without the kernel. No wasm, no linked lists, no lazily created scopes: tasks, scopes,
 * pools, timers, events and queues are plain objects and arrays, scanned linearly. It runs the same
 * interpreter (interpret.ts) as giambio and writes the same trace.
 *
 * The rules it encodes (README "Concepts", trio's semantics):
 * - The loop runs in batches: expire timers, then run each task that was ready at the batch's start,
 *   FIFO. When nothing is ready, virtual time jumps to the earliest timer.
 * - Timers fire in (deadline, arming order). Expiry has two phases: first every due sleep completes
 *   (its task becomes ready), then every due pool deadline cancels its pool. So a sleep that ends
 *   exactly at its pool's deadline keeps its result, like any wait already satisfied. A deadline
 *   set at or before the current time (`skipAfter(0, …)`, a deadline moved into the past) cancels
 *   its scope at once, so the very next checkpoint raises.
 * - A task is cancelled while any scope from its innermost one up to the nearest shield is
 *   (level-triggered). A cancelled task's checkpoint or sleep raises CancelledError at its next
 *   resume (it is requeued: the cancel point is also a schedule point); Event/Queue operations check
 *   before anything else and raise at once. Cancelling wakes every task parked under the scope, and
 *   a task cancelled before its first step never runs its body.
 * - A spawned child is queued at once (it runs at the spawner's next scheduling point).
 * - A pool runs its body, then waits for every child (that wait cannot be cancelled). A failing
 *   child, or a body raising anything but CancelledError, records the error and cancels the pool.
 *   On exit: recorded errors are raised (one as itself, several as ErrorStack, in order); else outer
 *   cancellation goes on outward (not from a shield) if the body or a child raised CancelledError —
 *   a pool is never the source of a cancellation, its exit is a schedule point only; else an expired deadline raises TooSlowError
 *   (withTimeout) or returns undefined (skipAfter); else the body's value, or undefined if the pool's
 *   own cancellation cut the body short. Until the owner has left, other tasks may still spawn into
 *   the pool, even after its body is done and its last child has ended: the pool waits for that
 *   late child too ("a pool never exits before its children"); once it has exited, spawn throws.
 * - When a task ends: its joiners wake (in the order they joined), then its pool hears of it.
 * - Event.trigger wakes waiters in the order they waited; Queue hands items over FIFO (a put to a
 *   waiting getter hands the item over; a get that frees a slot moves the oldest waiting put's item
 *   in), so a woken waiter's operation has completed.
 *
 * One order is unspecified: the order in which one cancellation wakes several parked tasks. The
 * model takes it from the giambio run it is compared with (`oracle`): it looks up, in giambio's
 * sequence of resumed tasks, which of the woken tasks ran first. Which tasks are woken, and
 * everything else, is the model's own.
 */
import { CancelledError, ErrorStack, GiambioError, TaskCancelledError, TooSlowError } from '../../src/errors.js';
import { EVENTS, type PoolKind, type Program } from './program.js';
import { Interpreter, type Op, type Runtime, type Trace } from './interpret.js';
import { CHECKPOINT, MPool, MScope, MTask, ModelScheduler, Request, SCHEDULE, remove } from './model-scheduler.js';

class MEvent { set = false; value: unknown = undefined; waiters: MTask[] = []; }
class MQueue {
  items: unknown[] = [];
  getters: MTask[] = [];
  putters: Array<{ task: MTask; item: unknown }> = [];
  constructor(readonly max: number) {}
}

export interface ModelRun {
  trace: Trace;
  outcome: string;
  /** Something the model itself found impossible (a bug in the model or a program it cannot run). */
  errors: string[];
  /** Spawns into a pool whose body was done and whose children had all ended (it must wait again). */
  lateSpawns: number;
}

export class ReferenceModel extends ModelScheduler implements Runtime<MPool, MTask> {
  private readonly events: MEvent[] = Array.from({ length: EVENTS }, () => new MEvent());
  private readonly queues: MQueue[];
  lateSpawns = 0;

  /** @param oracle see ModelScheduler. */
  constructor(readonly program: Program, oracle: string[] | null) {
    super(oracle);
    this.queues = program.queues.map((max) => new MQueue(max));
  }

  run(): ModelRun {
    const interpreter = new Interpreter<MPool, MTask>(this, this.trace, this.program);
    const outcome = this.runRoot(interpreter.root());
    return { trace: this.trace, outcome, errors: this.errors, lateSpawns: this.lateSpawns };
  }

  // ---- the runtime the interpreter calls --------------------------------------------------------

  *sleep(ms: number): Op<void> {
    yield new Request('sleep', ms);
  }

  *checkpoint(): Op<void> {
    yield CHECKPOINT;
  }

  *foreign(): Op<void> {
    yield 5;
  }

  *pool<T>(kind: PoolKind, ms: number, body: (pool: MPool) => Op<T>): Op<T | undefined> {
    const me = this.me();
    const scope = new MScope(me.scope, kind === 'shield');
    const pool = new MPool(scope, me);
    me.scope = scope;
    if (kind === 'timeout' || kind === 'skip') this.setScopeDeadline(scope, this.time + ms);
    let value: T | undefined;
    let cutShort = false;
    try {
      value = yield* body(pool);
    } catch (error) {
      if (error instanceof CancelledError) {
        cutShort = true;
        if (scope.timedOut) pool.deadlineCut = true;
      }
      else { pool.errors.push(error); this.cancelScope(scope); }
    }
    pool.bodyDone = true;
    // Always a schedule point; then wait (not cancellable) until no child is left, again if a late
    // child arrived meanwhile.
    if (pool.live === 0) yield SCHEDULE;
    while (pool.live > 0) {
      pool.waiter = me;
      yield new Request('park');
    }
    pool.exited = true;
    me.scope = scope.parent!;
    scope.closed = true;
    if (scope.timer !== null) { remove(this.timers, scope.timer); scope.timer = null; }
    if (pool.errors.length === 1) throw pool.errors[0];
    if (pool.errors.length > 1) throw new ErrorStack(pool.errors.slice());
    // A pool is never the source of a cancellation: only what its body or children raised goes on.
    if (!scope.shield && scope.parent!.cancelled && (cutShort || pool.childCancelled)) throw new CancelledError();
    // trio's rule: only a deadline that cut something short counts.
    if (pool.deadlineCut && kind === 'timeout') throw new TooSlowError();
    if (pool.deadlineCut && kind === 'skip') return undefined;
    return cutShort ? undefined : value;
  }

  spawn(pool: MPool, name: string, body: () => Op<unknown>): MTask {
    if (pool.exited) throw new GiambioError('cannot spawn into a pool that has exited');
    if (pool.bodyDone && pool.live === 0) this.lateSpawns++;
    const task = new MTask(name, body(), new MScope(pool.scope, false), pool);
    pool.live++;
    this.tasks.push(task);
    this.ready.push(task);
    return task;
  }

  cancelTask(task: MTask): void {
    if (task.state !== 'ended') this.cancelScope(task.rootScope);
  }

  cancelPool(pool: MPool): void {
    this.cancelScope(pool.scope);
  }

  setDeadline(pool: MPool, at: number): void {
    if (pool.exited) throw new GiambioError('cannot move the deadline of a pool that has exited');
    this.setScopeDeadline(pool.scope, at);
  }

  poolFlags(pool: MPool): string {
    return `${pool.scope.timedOut ? ' timedOut' : ''}${pool.scope.cancelCalled ? ' cancelled' : ''}`;
  }

  *join(task: MTask): Op<unknown> {
    const me = this.me();
    if (task === me) throw new GiambioError('a task cannot join itself');
    if (task.state !== 'ended') {
      task.joiners.push(me);
      yield new Request('park', 0, () => remove(task.joiners, me));
    } else {
      yield CHECKPOINT;
    }
    if (task.outcome === 'finished') return task.value;
    if (task.outcome === 'failed') throw task.value;
    throw new TaskCancelledError();
  }

  *wait(ev: number): Op<unknown> {
    const me = this.me();
    const event = this.events[ev]!;
    if (me.scope.cancelled) throw new CancelledError();
    if (event.set) {
      yield SCHEDULE;
      return event.value;
    }
    event.waiters.push(me);
    return yield new Request('park', 0, () => remove(event.waiters, me));
  }

  trigger(ev: number, value: unknown): void {
    const event = this.events[ev]!;
    if (event.set) throw new GiambioError('the event was already triggered');
    event.set = true;
    event.value = value;
    for (const waiter of event.waiters.splice(0)) this.makeReady(waiter, false, value);
  }

  *put(q: number, item: unknown): Op<void> {
    const me = this.me();
    const queue = this.queues[q]!;
    if (me.scope.cancelled) throw new CancelledError();
    if (queue.getters.length > 0) {
      this.makeReady(queue.getters.shift()!, false, item);
      yield SCHEDULE;
      return;
    }
    if (queue.items.length < queue.max) {
      queue.items.push(item);
      yield SCHEDULE;
      return;
    }
    const entry = { task: me, item };
    queue.putters.push(entry);
    yield new Request('park', 0, () => remove(queue.putters, entry));
  }

  *get(q: number): Op<unknown> {
    const me = this.me();
    const queue = this.queues[q]!;
    if (me.scope.cancelled) throw new CancelledError();
    if (queue.items.length === 0 && queue.putters.length === 0) {
      queue.getters.push(me);
      return yield new Request('park', 0, () => remove(queue.getters, me));
    }
    const putter = queue.putters.shift();
    let item: unknown;
    if (queue.items.length > 0) {
      item = queue.items.shift();
      if (putter !== undefined) queue.items.push(putter.item);
    } else {
      item = putter!.item;
    }
    if (putter !== undefined) this.makeReady(putter.task, false, undefined);
    yield SCHEDULE;
    return item;
  }
}

/** Runs `program` on the reference model. */
export function runOnModel(program: Program, oracle: string[] | null): ModelRun {
  return new ReferenceModel(program, oracle).run();
}
