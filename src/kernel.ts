/**
 * The kernel: owns the generators (keyed by core slot), resumes them, and dispatches what they yield
 * through the trap table. Scheduling decisions (which task runs next, which timers are due) are the
 * wasm core's; the kernel never keeps a queue or a heap of its own. What the kernel owns and the
 * park/wake and scope operations others call on it are in kernel-state.ts; this file is the stepping:
 * running tasks, the trap table, ending tasks.
 *
 * Only the loop (loop.ts) imports this module: everything else finds the running kernel through
 * run-context.ts and knows it by type only.
 * @internal
 */
import { NO_NEXT, REFUSED, WRONG_STATE, slotOfHandle } from './core-constants.js';
import { CancelledError, InternalError } from './errors.js';
import { describe, isGenerator } from './check.js';
import { addTaskTrace } from './task-trace.js';
import { CancelScope } from './scope.js';
import { enterKernel } from './run-context.js';
import { KernelState } from './kernel-state.js';
import { handOverUndriven } from './undriven.js';
import { TaskImpl, type Operation } from './task.js';
import { RESUME_THROW, RESUME_START, LIVE, FINISHED, FAILED, CANCELLED, Resumption, endRecord, throwing, type EndedOutcome } from './task-outcome.js';
import type { TaskPool } from './pool.js';
import { Trap, TRAP_CHECKPOINT, TRAP_SCHEDULE, TRAP_SLEEP, TRAP_PARK, RESUMED, sleepTrap, parkTrap } from './trap.js';
import type { Debugger } from './debugger.js';

export type { KernelOptions } from './kernel-state.js';

/** The end of the trap table: every TrapKind has a case above, so `kind` is `never` here. */
function unhandledTrap(kind: never): never {
  throw new InternalError(`trap kind ${String(kind)} has no handler`);
}

export class Kernel extends KernelState {

  // ---- creating tasks ------------------------------------------------------------------------

  spawn<T>(gen: Operation<T>, name: string, pool: TaskPool | null, scope: CancelScope | null): TaskImpl<T> {
    const handle = this.core.taskSpawn();
    const root = scope === null;
    if (root) scope = new CancelScope(this, null, null, false, null);
    const spawner = this.current;
    // Context values are inherited at spawn time (context.ts).
    const task = new TaskImpl<T>(handle, gen, scope!.placeFor(name, spawner === null ? null : spawner.context));
    if (spawner !== null) handOverUndriven(spawner, task as TaskImpl); // it may drive what its spawner made (undriven.ts)
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

  /** Runs each task that is ready now once; returns how many ran. */
  runReady(): number {
    return this.runBatches(0);
  }

  /**
   * Runs batches — expire timers at the clock's time, then run each task ready at that moment once —
   * until no task is ready or at least `limit` tasks ran (limit 0: one batch, without expiring
   * timers). Returns how many ran. One entry per call, so a busy loop pays the bookkeeping once per
   * call. The clock is read before every batch (not per task), so a clock that moved, by real time
   * or a jump, is seen before the next scheduling decision; a return below `limit` means nothing
   * is ready even after timers were expired at a fresh reading.
   */
  runBatches(limit: number): number {
    const previous = enterKernel(this);
    this.stepping = true;
    try {
      const core = this.core;
      const clock = this.clock;
      let ran = 0;
      do {
        // With no timer armed nothing can be due, so the clock is not read (pingpong, spawn).
        if (limit > 0 && core.nextDeadlineNow() !== Infinity) this.expire(clock.now());
        if (this.shuffle) core.readyShuffle();
        const n = core.readyNow();
        if (n === 0) break;
        ran += n;
        // A step's last call into the core also takes the batch's next task when it can (taskParkNext,
        // taskYieldNext: one call instead of two); without a debugger only, so that its hooks see
        // one task running at a time.
        const fuse = this.dbg === null;
        let slot = NO_NEXT;
        for (let left = n - 1; left >= 0; left--) {
          if (slot === NO_NEXT) slot = core.runNext();
          slot = this.resume(this.tasks[slot]!, fuse && left > 0 ? 1 : 0);
        }
        if (this.root === null || this.root.outcome !== LIVE) break; // the loop is done
      } while (ran < limit);
      return ran;
    } finally {
      this.stepping = false;
      this.current = null;
      enterKernel(previous);
    }
  }

  /**
   * Runs one step of `task`. With `more` set, the call into the core that ends the step may also
   * take the batch's next task: its slot is returned (the task is RUNNING), else NO_NEXT.
   */
  private resume(task: TaskImpl, more: number): number {
    this.current = task;
    this.steps++;
    const dbg = this.dbg;
    if (dbg !== null) this.beforeStep(task, dbg);
    const value = task.value;
    task.value = undefined;
    const gen = task.gen!;
    let result: IteratorResult<unknown, unknown>;
    try {
      result = value instanceof Resumption ? this.resumeWith(task, gen, value) : gen.next(value);
    } catch (error) {
      dbg?.afterTaskStep?.(task);
      this.ended(task, error instanceof CancelledError ? CANCELLED : FAILED, error);
      return NO_NEXT;
    }
    if (result.done === true) {
      dbg?.afterTaskStep?.(task);
      this.ended(task, FINISHED, result.value);
      return NO_NEXT;
    }
    const next = this.dispatch(task, result.value, more);
    dbg?.afterTaskStep?.(task);
    return next;
  }

  /** A resume that is not `next(value)`: the first step, a throw, a return. */
  private resumeWith(task: TaskImpl, gen: Operation<unknown>, how: Resumption): IteratorResult<unknown, unknown> {
    let error = how.error;
    switch (how.kind) {
      case RESUME_START: {
        // Cancelled before its first step: it never runs its body.
        const by = task.scope.cancelledBy;
        if (by === null) return gen.next();
        error = by.cancelError;
        break;
      }
      case RESUME_THROW:
        break;
      default:
        return gen.return(undefined as never);
    }
    if (error instanceof CancelledError) this.dbg?.beforeCancel?.(task);
    return gen.throw(error);
  }

  private beforeStep(task: TaskImpl, dbg: Debugger): void {
    if (task.sleepStart === task.sleepStart) { // not NaN: this resume ends a sleep
      const slept = this.clock.now() - task.sleepStart;
      task.sleepStart = NaN;
      if (!(task.value instanceof Resumption)) dbg.afterSleep?.(task, slept);
    }
    dbg.beforeTaskStep?.(task);
  }

  /**
   * The trap table: one handler per kind of suspension. Each ends in the one call into the core
   * that suspends the task, and returns what `resume` returns (the next task's slot, or NO_NEXT).
   */
  private dispatch(task: TaskImpl, value: unknown, more: number): number {
    if (!(value instanceof Trap)) return this.foreign(task, value, more);
    switch (value.kind) {
      case TRAP_CHECKPOINT: {
        const by = task.scope.cancelledBy;
        if (by !== null) return this.throwAtTrap(task, by.cancelThrow!, more);
        task.value = RESUMED;
        return this.yieldNext(task, more);
      }
      case TRAP_SCHEDULE:
        task.value = RESUMED;
        return this.yieldNext(task, more);
      case TRAP_SLEEP:
        return this.sleep(task, sleepTrap.ms, more);
      case TRAP_PARK: {
        const abort = parkTrap.abort!;
        parkTrap.abort = null;
        const by = task.scope.cancelledBy;
        if (by !== null && abort(task)) return this.throwAtTrap(task, by.cancelThrow!, more);
        task.value = abort; // a parked task's value is its abort (task.ts)
        if (abort.host === true) this.hostWaits++;
        const next = this.core.taskParkNext(task.slot, more);
        if (next === REFUSED) this.check(WRONG_STATE); // throws: a refused park is a broken invariant
        return next;
      }
      default:
        return unhandledTrap(value.kind);
    }
  }

  private sleep(task: TaskImpl, ms: number, more: number): number {
    const by = task.scope.cancelledBy;
    if (by !== null) return this.throwAtTrap(task, by.cancelThrow!, more);
    // Brought by the resume, whether the timer fires or sleep(0) yields; while the task sleeps it
    // also stands for its abort, abortSleep (task.ts).
    task.value = RESUMED;
    if (ms === 0) return this.yieldNext(task, more);
    const now = this.clock.now();
    if (this.dbg !== null) { this.dbg.beforeSleep?.(task, ms); task.sleepStart = now; }
    this.check(this.core.taskSleep(task.slot, now + ms));
    return NO_NEXT;
  }

  private foreign(task: TaskImpl, value: unknown, more: number): number {
    const what = isGenerator(value) ? 'an operation (a generator)' : describe(value);
    return this.throwAtTrap(task, throwing(new TypeError(
      `Task ${task.name} yielded ${what} to the loop; tasks must \`yield*\` operations ` +
      '(for example `yield* sleep(10)`), never `yield` them or a value')), more);
  }

  /** The task stays runnable and receives the throw at the trap it just made. */
  private throwAtTrap(task: TaskImpl, how: Resumption, more: number): number {
    task.value = how;
    return this.yieldNext(task, more);
  }

  /** The step's task goes to the back of the run queue; with `more`, the next one is taken. */
  private yieldNext(task: TaskImpl, more: number): number {
    const next = this.core.taskYieldNext(task.slot, more);
    if (next === REFUSED) this.check(WRONG_STATE); // throws, as for a refused park
    return next;
  }

  private ended(task: TaskImpl, outcome: EndedOutcome, value: unknown): void {
    // A task with resources of its own does not end yet: it tears them down first (resource.ts).
    const extra = task.extra;
    if (extra !== null && extra.resources !== null && extra.resources.mustLinger()) {
      task.gen = extra.resources.linger(outcome, value);
      task.value = undefined;
      this.check(this.core.taskYield(task.slot));
      return;
    }
    this.check(this.core.taskExit(task.slot));
    this.tasks[task.slot] = undefined;
    task.gen = null;
    task.value = endRecord(outcome, value);
    // Close the scopes the task still owns (normally just its root scope; more if it was killed).
    const scope = task.scope;
    scope.removeMember(task);
    for (let s: CancelScope | null = scope; s !== null && s.owner === task; s = s.parent) s.close();
    if (outcome === FAILED && this.debug) addTaskTrace(task, value);
    if (outcome === CANCELLED) this.dbg?.afterCancel?.(task);
    else if (outcome === FAILED) this.dbg?.onExceptionRaised?.(task, value);
    this.dbg?.onTaskExit?.(task);
    const rare = task.extra; // read again: closing its scopes may have made it
    const hooks = rare === null ? null : rare.exitHooks;
    if (hooks !== null) { rare!.exitHooks = null; for (const hook of hooks) hook(task); }
    const joiners = rare === null ? null : rare.joiners;
    const pool = task.pool; // read while the task is still in the scope tree
    if (joiners !== null) for (let j = joiners.shift(); j !== null; j = joiners.shift()) this.wake(j, undefined);
    const resources = rare === null ? null : rare.resourceOf;
    if (resources !== null) resources.ended(task);
    else if (pool !== null) pool.childEnded(task);
    else this.onRootExit?.(task, value);
  }
}
