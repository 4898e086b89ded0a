/**
 * The kernel: owns the generators (keyed by core slot), resumes them, and dispatches what they yield
 * through the trap table. Scheduling decisions (which task runs next, which timers are due) are the
 * wasm core's; the kernel never keeps a queue or a heap of its own.
 *
 * The one park/wake mechanism: a task parks by yielding `parkWith(abort, reason)`; anything may later
 * `wake` it (once) with a value or `wakeThrow` it with an error. Cancellation calls `abort` to
 * withdraw a parked task before throwing `CancelledError` into it. Primitives are built on this alone.
 * @internal
 */
import { Core, type CoreBuild } from './core.js';
import { OK, STATE_PARKED, slotOfHandle } from './core-constants.js';
import { CancelledError, GiambioError, InternalError, newCancelledError } from './errors.js';
import { describe } from './describe.js';
import { addTaskTrace } from './task-trace.js';
import { isGenerator } from './spawnable.js';
import { CancelScope } from './scope.js';
import {
  TaskImpl, type Operation, RESUME_NEXT, RESUME_THROW, RESUME_RETURN, RESUME_START, LIVE, FINISHED, FAILED, CANCELLED,
} from './task.js';
import type { TaskPool } from './pool.js';
import { Trap, TRAP_CHECKPOINT, TRAP_SCHEDULE, TRAP_SLEEP, TRAP_PARK, sleepTrap, parkTrap, type AbortFn } from './trap.js';
import { WaitQueue } from './wait-queue.js';

/** Re-exported for the primitives, which raise it at their cancel points. */
export { newCancelledError };
import type { Clock } from './clock.js';
import type { Debugger } from './debugger.js';

/** The kernel whose task is executing right now (null between steps). */
let running: Kernel | null = null;

export function runningKernel(what: string): Kernel {
  if (running === null || running.current === null) {
    throw new GiambioError(`${what} must be called from inside a giambio task (no loop is running one now)`);
  }
  return running;
}

/** The running kernel, or null outside a task step. */
export function maybeRunningKernel(): Kernel | null {
  return running !== null && running.current !== null ? running : null;
}

/** A sleeping task is withdrawn by waking it: the core disarms its timer then. */
const abortSleep: AbortFn = () => true;
abortSleep.reason = 'sleep';
/** For `sleep(Infinity)` and other waits that only cancellation ends. */
export const abortAlways: AbortFn = () => true;


export interface KernelOptions {
  clock: Clock;
  debugger?: Debugger | null;
  core?: CoreBuild;
  debug?: boolean;
}

export class Kernel {
  readonly core: Core;
  readonly clock: Clock;
  readonly dbg: Debugger | null;
  readonly debug: boolean;
  /** Generators' owners by core slot. */
  readonly tasks: Array<TaskImpl | undefined> = [];
  /** Scopes by core timer id, while their deadline timer exists. */
  readonly scopeTimers: Array<CancelScope | undefined> = [];
  current: TaskImpl | null = null;
  root: TaskImpl | null = null;
  /** Tasks parked in waitAllTasksBlocked(). */
  readonly blockedWaiters = new WaitQueue();
  /** Parked tasks waiting on the host (promises, sockets, …): the clock must not jump past them. */
  hostWaits = 0;
  /** Tasks resumed so far. */
  steps = 0;
  /** Called when a task becomes ready from outside a step (host callbacks), to get the loop going. */
  onReady: (() => void) | null = null;
  /** Called when the root task ends. */
  onRootExit: ((task: TaskImpl, outcome: unknown) => void) | null = null;
  stepping = false;
  /** Shuffle the ready tasks before each batch (EventLoop's `seed` option). */
  shuffle = false;

  constructor(options: KernelOptions) {
    this.core = new Core(options.core);
    this.clock = options.clock;
    this.dbg = options.debugger ?? null;
    this.debug = options.debug ?? false;
  }

  get failure(): InternalError | null {
    return this.core.failure;
  }

  // ---- creating tasks ------------------------------------------------------------------------

  spawn<T>(gen: Operation<T>, name: string, pool: TaskPool | null, scope: CancelScope | null): TaskImpl<T> {
    const handle = this.core.taskSpawn();
    const root = scope === null;
    if (root) scope = new CancelScope(this, null, null, false, null);
    const task = new TaskImpl<T>(handle, name, gen, scope!);
    this.tasks[slotOfHandle(handle)] = task as TaskImpl;
    scope!.addMember(task as TaskImpl);
    if (root) {
      // The root task's own scope is the top of the tree.
      scope!.owner = task as TaskImpl;
      task.rootScope = scope;
      this.root = task as TaskImpl;
    }
    if (this.debug) task.spawnSite = new Error('spawned here').stack?.split('\n').slice(1).join('\n');
    this.dbg?.onTaskSpawn?.(task);
    this.readied();
    return task;
  }

  // ---- running tasks -------------------------------------------------------------------------

  /** Moves due timers to the run queue and fires expired scope deadlines. */
  expire(now: number): void {
    let expired = this.core.advance(now);
    while (expired-- > 0) {
      const scope = this.scopeTimers[this.core.timerExpired()];
      if (scope !== undefined && !scope.closed) {
        scope.timedOut = true;
        scope.cancel(`the deadline at ${scope.deadline} ms expired`);
      }
    }
  }

  /** Runs each task that is ready now once; returns how many ran. */
  runReady(): number {
    return this.runBatches(NaN, 0);
  }

  /**
   * Runs batches — expire timers at `now`, then run each task ready at that moment once — until no
   * task is ready or at least `limit` tasks ran (limit 0: one batch, without expiring timers).
   * Returns how many ran. One entry per call, so a busy loop pays the bookkeeping once per call.
   */
  runBatches(now: number, limit: number): number {
    const previous = running;
    running = this;
    this.stepping = true;
    try {
      const core = this.core;
      let ran = 0;
      do {
        if (limit > 0) this.expire(now);
        if (this.shuffle) core.readyShuffle();
        let n = core.readyCount();
        if (n === 0) break;
        ran += n;
        while (n-- > 0) this.resume(this.tasks[core.runNext()]!);
        if (this.root === null || this.root.outcome !== LIVE) break; // the loop is done
      } while (ran < limit);
      return ran;
    } finally {
      this.stepping = false;
      this.current = null;
      running = previous;
    }
  }

  private resume(task: TaskImpl): void {
    this.current = task;
    this.steps++;
    task.abort = null;
    const dbg = this.dbg;
    if (dbg !== null) this.beforeStep(task, dbg);
    let mode = task.resumeMode;
    let value = task.resumeValue;
    task.resumeMode = RESUME_NEXT;
    task.resumeValue = undefined;
    if (mode === RESUME_START) {
      // Cancelled before its first step: it never runs its body.
      const by = task.scope.cancelledBy;
      mode = by !== null ? RESUME_THROW : RESUME_NEXT;
      if (by !== null) value = by.cancelError;
    }
    if (mode === RESUME_THROW && value instanceof CancelledError) dbg?.beforeCancel?.(task);
    const gen = task.gen!;
    let result: IteratorResult<unknown, unknown>;
    try {
      result = mode === RESUME_NEXT ? gen.next(value) : mode === RESUME_THROW ? gen.throw(value) : gen.return(value as never);
    } catch (error) {
      dbg?.afterTaskStep?.(task);
      this.ended(task, error instanceof CancelledError ? CANCELLED : FAILED, error);
      return;
    }
    if (result.done === true) {
      dbg?.afterTaskStep?.(task);
      this.ended(task, FINISHED, result.value);
      return;
    }
    this.dispatch(task, result.value);
    dbg?.afterTaskStep?.(task);
  }

  private beforeStep(task: TaskImpl, dbg: Debugger): void {
    if (task.sleepStart === task.sleepStart) { // not NaN: this resume ends a sleep
      const slept = this.clock.now() - task.sleepStart;
      task.sleepStart = NaN;
      if (task.resumeMode === RESUME_NEXT) dbg.afterSleep?.(task, slept);
    }
    dbg.beforeTaskStep?.(task);
  }

  /** The trap table: one handler per kind of suspension. */
  private dispatch(task: TaskImpl, value: unknown): void {
    if (!(value instanceof Trap)) return this.foreign(task, value);
    switch (value.kind) {
      case TRAP_CHECKPOINT: {
        const by = task.scope.cancelledBy;
        if (by !== null) this.throwAtTrap(task, by.cancelError);
        else this.check(this.core.taskYield(task.slot));
        return;
      }
      case TRAP_SCHEDULE:
        this.check(this.core.taskYield(task.slot));
        return;
      case TRAP_SLEEP:
        return this.sleep(task, sleepTrap.ms);
      case TRAP_PARK: {
        const abort = parkTrap.abort!;
        parkTrap.abort = null;
        const by = task.scope.cancelledBy;
        if (by !== null && abort(task)) return this.throwAtTrap(task, by.cancelError);
        task.abort = abort;
        this.check(this.core.taskPark(task.slot));
        return;
      }
    }
  }

  private sleep(task: TaskImpl, ms: number): void {
    const by = task.scope.cancelledBy;
    if (by !== null) return this.throwAtTrap(task, by.cancelError);
    if (ms === 0) { this.check(this.core.taskYield(task.slot)); return; }
    task.abort = abortSleep;
    const now = this.clock.now();
    if (this.dbg !== null) { this.dbg.beforeSleep?.(task, ms); task.sleepStart = now; }
    this.check(this.core.taskSleep(task.slot, now + ms));
  }

  private foreign(task: TaskImpl, value: unknown): void {
    const what = isGenerator(value) ? 'an operation (a generator)' : describe(value);
    this.throwAtTrap(task, new TypeError(
      `Task ${task.name} yielded ${what} to the loop; tasks must \`yield*\` operations ` +
      '(for example `yield* sleep(10)`), never `yield` them or a value'));
  }

  /** The task stays runnable and receives `error` at the trap it just made. */
  private throwAtTrap(task: TaskImpl, error: unknown): void {
    task.resumeMode = RESUME_THROW;
    task.resumeValue = error;
    this.check(this.core.taskYield(task.slot));
  }

  private check(code: number): void {
    if (code !== OK) throw this.core.fail(new Error(`core transition refused with code ${code}`));
  }

  private ended(task: TaskImpl, outcome: number, value: unknown): void {
    this.check(this.core.taskExit(task.slot));
    this.tasks[task.slot] = undefined;
    task.outcome = outcome;
    task.gen = null;
    task.value = outcome === CANCELLED ? undefined : value;
    // Close the scopes the task still owns (normally just its root scope; more if it was killed).
    const scope = task.scope;
    scope.removeMember(task);
    for (let s: CancelScope | null = scope; s !== null && s.owner === task; s = s.parent) s.close();
    if (outcome === FAILED && this.debug) addTaskTrace(task, value);
    if (outcome === CANCELLED) this.dbg?.afterCancel?.(task);
    else if (outcome === FAILED) this.dbg?.onExceptionRaised?.(task, value);
    this.dbg?.onTaskExit?.(task);
    const hooks = task.exitHooks;
    if (hooks !== null) { task.exitHooks = null; for (const hook of hooks) hook(task); }
    const joiners = task.joiners;
    const pool = task.pool; // read while the task is still in the scope tree
    if (joiners !== null) for (let j = joiners.shift(); j !== null; j = joiners.shift()) this.wake(j, undefined);
    if (pool !== null) pool.childEnded(task);
    else this.onRootExit?.(task, value);
  }

  // ---- parking and waking ---------------------------------------------------------------------

  /** Makes a parked task ready; it resumes with `value`. Exactly one wake per park. */
  wake(task: TaskImpl, value: unknown): void {
    this.resumeParked(task, RESUME_NEXT, value);
  }

  /** Makes a parked task ready; it resumes by throwing `error`. */
  wakeThrow(task: TaskImpl, error: unknown): void {
    this.resumeParked(task, RESUME_THROW, error);
  }

  private resumeParked(task: TaskImpl, mode: number, value: unknown): void {
    if (task.abort === null || task.outcome !== LIVE) {
      throw this.core.fail(new Error(`wake of task ${task.name} that is not parked`));
    }
    this.check(this.core.taskWake(task.id));
    task.abort = null;
    task.resumeMode = mode;
    task.resumeValue = value;
    this.readied();
  }

  /** Called by CancelScope.cancel for each member: withdraws it if it is parked and now cancelled. */
  deliverCancel(task: TaskImpl): void {
    const abort = task.abort;
    if (abort === null || task.outcome !== LIVE) return;
    // A sleeper whose timer already fired is READY in the core: it keeps its result (trio's rule).
    if (this.core.taskState(task.id) !== STATE_PARKED) return;
    const by = task.scope.cancelledBy;
    if (by === null || !abort(task)) return;
    this.wakeThrow(task, by.cancelError);
  }

  cancelTask(task: TaskImpl, reason = `task ${task.name} was cancelled`): void {
    this.ensureRootScope(task).cancel(reason);
  }

  /** A child task gets its own scope the first time it needs one (cancel() or a nested scope). */
  ensureRootScope(task: TaskImpl): CancelScope {
    if (task.rootScope !== null) return task.rootScope;
    const outer = task.scope;
    const scope = new CancelScope(this, outer, task, false, outer.pool);
    outer.removeMember(task);
    scope.addMember(task);
    task.rootScope = scope;
    return scope;
  }

  /** Opens a nested scope in `task` (which must be running). */
  enterScope(task: TaskImpl, shield: boolean, pool: TaskPool | null): CancelScope {
    this.ensureRootScope(task);
    const outer = task.scope;
    const scope = new CancelScope(this, outer, task, shield, pool);
    outer.removeMember(task);
    scope.addMember(task);
    return scope;
  }

  exitScope(task: TaskImpl, scope: CancelScope): void {
    if (task.scope !== scope) throw this.core.fail(new Error('scopes exited out of order'));
    scope.removeMember(task);
    scope.parent!.addMember(task);
    scope.close();
  }

  armScopeDeadline(scope: CancelScope, deadline: number): void {
    if (scope.timerId < 0) {
      if (deadline === Infinity) return;
      scope.timerId = this.core.timerCreate();
      this.scopeTimers[scope.timerId] = scope;
    }
    this.core.timerArm(scope.timerId, deadline);
    this.readied();
  }

  releaseScopeTimer(scope: CancelScope): void {
    this.core.timerFree(scope.timerId);
    this.scopeTimers[scope.timerId] = undefined;
    scope.timerId = -1;
  }

  /** Something became ready or a deadline moved: make sure the driver looks again. */
  readied(): void {
    if (!this.stepping) this.onReady?.();
  }

  /** Wakes every task parked in waitAllTasksBlocked(); returns whether there was one. */
  wakeBlockedWaiters(): boolean {
    if (this.blockedWaiters.length === 0) return false;
    for (let t = this.blockedWaiters.shift(); t !== null; t = this.blockedWaiters.shift()) this.wake(t, undefined);
    return true;
  }

  /**
   * Ends every live task without its cooperation (loop.close() after cancellation was ignored):
   * each is resumed with `return`, so its `finally` blocks run.
   */
  killAll(): void {
    for (const task of this.tasks) {
      if (task === undefined || task.outcome !== LIVE) continue;
      if (task.abort !== null && this.core.taskState(task.id) === STATE_PARKED) {
        task.abort(task);
        task.waitList?.remove(task); // even where the wait refused to be abandoned
        this.check(this.core.taskWake(task.id));
        task.abort = null;
      }
      task.resumeMode = RESUME_RETURN;
      task.resumeValue = undefined;
    }
  }

  stateOf(task: TaskImpl): number {
    return this.core.taskState(task.id);
  }
}
