/**
 * What the kernel owns, and the synchronous operations everything else performs on it: the tasks by
 * core slot, the scope timers, which task is current; parking and waking, delivering cancellation,
 * entering and leaving cancel scopes. The stepping half (running tasks, the trap table) is
 * `Kernel` in kernel.ts, which extends this class; nothing outside the kernel steps tasks.
 *
 * The one park/wake mechanism: a task parks by yielding `parkWith(abort, reason)`; anything may later
 * `wake` it (once) with a value or `wakeThrow` it with an error. Cancellation calls `abort` to
 * withdraw a parked task before throwing `CancelledError` into it. Primitives are built on this alone.
 * @internal
 */
import { Core, type CoreBuild } from './core.js';
import { OK, RESERVED_SLOTS, STATE_PARKED } from './core-constants.js';
import type { InternalError } from './errors.js';
import { CancelScope } from './scope.js';
import type { TaskImpl } from './task.js';
import { RETURN, throwing } from './task-outcome.js';
import { RESUMED, type AbortFn } from './trap.js';
import type { TaskPool } from './pool.js';
import { WaitQueue } from './wait-queue.js';
import type { Clock } from './clock.js';
import type { Debugger } from './debugger.js';
import type { Kernel } from './kernel.js';
import { noteDebugLoop } from './undriven.js';

export interface KernelOptions {
  clock: Clock;
  debugger?: Debugger | null;
  core?: CoreBuild;
  debug?: boolean;
}

export abstract class KernelState {
  readonly core: Core;
  readonly clock: Clock;
  readonly dbg: Debugger | null;
  readonly debug: boolean;
  /** Generators' owners by core slot. */
  readonly tasks: Array<TaskImpl | undefined> = [];
  /**
   * Scope-member links by core slot (scope.ts): [2·slot] the previous member's slot, [2·slot + 1] the
   * next one's, -1 for none. Off the JS heap, and two fewer fields in every task record. Sized for
   * RESERVED_SLOTS slots at once, as the core's records are: a zeroed buffer this large is mapped
   * lazily, so a page costs only when a slot on it is first used, and nothing is copied below that.
   */
  memberLinks = new Int32Array(2 * RESERVED_SLOTS);
  /** Scopes by core timer id, while their deadline timer exists. */
  readonly scopeTimers: Array<CancelScope | undefined> = [];
  current: TaskImpl | null = null;
  root: TaskImpl | null = null;
  /** Tasks parked in waitAllTasksBlocked(). */
  readonly blockedWaiters = new WaitQueue();
  /**
   * Parked tasks waiting on the host (promises, sockets, …): the clock must not jump past them.
   * Invariant: equals the number of parked tasks whose abort has `host` set (parkOnHost); kept here
   * only, at the park (Kernel.dispatch) and the wake (unpark, also for killAll).
   */
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
    if (this.debug) noteDebugLoop();
  }

  /** `memberLinks`, grown (doubling) to hold `slot`. */
  linksFor(slot: number): Int32Array {
    let links = this.memberLinks;
    if (2 * slot + 1 >= links.length) {
      let size = links.length;
      while (2 * slot + 1 >= size) size *= 2;
      const grown = new Int32Array(size);
      grown.set(links);
      this.memberLinks = links = grown;
    }
    return links;
  }

  /** This state as the kernel it is (the only subclass): scopes keep a reference to their kernel. */
  protected get kernel(): Kernel {
    return this as KernelState as Kernel;
  }

  get failure(): InternalError | null {
    return this.core.failure;
  }

  /** A refused core transition is a broken invariant: the core instance is not reused. */
  protected check(code: number): void {
    if (code !== OK) throw this.core.fail(new Error(`core transition refused with code ${code}`));
  }

  // ---- parking and waking ---------------------------------------------------------------------

  /** Makes a parked task ready; it resumes with `value`. Exactly one wake per park. */
  wake(task: TaskImpl, value: unknown): void {
    this.unpark(task);
    task.value = value;
    this.readied();
  }

  /** Makes a parked task ready; it resumes by throwing `error`. */
  wakeThrow(task: TaskImpl, error: unknown): void {
    this.unpark(task);
    const by = task.scope.cancelledBy;
    task.value = by !== null && error === by.cancelError ? by.cancelThrow : throwing(error);
    this.readied();
  }

  /**
   * PARKED → READY in the core, keeping the host-wait count. The caller then sets what the resume
   * brings. A wake is posted (no call, Core.postWake): the core applies it at its next call and
   * aborts there if the task was not parked (a second wake), which poisons the loop; a task that
   * ended is refused here.
   */
  private unpark(task: TaskImpl): void {
    if (task.gen === null) throw this.core.fail(new Error(`wake of task ${task.name} that has ended`));
    this.core.postWake(task.slot);
    const abort = task.value; // a parked task's value is its abort (task.ts)
    if (abort !== RESUMED && (abort as AbortFn).host === true) this.hostWaits--;
  }

  /** Called by CancelScope.cancel for each member: withdraws it if it is parked and now cancelled. */
  deliverCancel(task: TaskImpl): void {
    const by = task.scope.cancelledBy;
    if (task.gen === null || by === null) return;
    if (task.value === RESUMED) {
      // Asleep, or ready after a checkpoint or a fired timer (then it keeps its result: trio's
      // rule). The core wakes only a sleeper, so one crossing both asks and wakes.
      if (this.core.taskWake(task.id) !== OK) return;
    } else {
      if (this.core.taskState(task.id) !== STATE_PARKED || !(task.value as AbortFn)(task)) return;
      this.unpark(task);
    }
    task.value = by.cancelThrow;
    this.readied();
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
      if (task === undefined || task.gen === null) continue;
      if (this.core.taskState(task.id) === STATE_PARKED) {
        task.parkedAbort(task);
        task.waitList?.remove(task); // even where the wait refused to be abandoned
        this.unpark(task);
      }
      task.value = RETURN;
    }
  }

  stateOf(task: TaskImpl): number {
    return this.core.taskState(task.id);
  }

  // ---- the scope tree ---------------------------------------------------------------------------

  cancelTask(task: TaskImpl, reason = `task ${task.name} was cancelled`): void {
    this.ensureRootScope(task).cancel(reason);
  }

  /** A child task gets its own scope the first time it needs one (cancel() or a nested scope). */
  ensureRootScope(task: TaskImpl): CancelScope {
    if (task.rootScope !== null) return task.rootScope;
    const outer = task.scope;
    const scope = new CancelScope(this.kernel, outer, task, false, outer.pool);
    outer.removeMember(task);
    scope.addMember(task);
    task.rootScope = scope;
    return scope;
  }

  /** Opens a nested scope in `task` (which must be running). */
  enterScope(task: TaskImpl, shield: boolean, pool: TaskPool | null): CancelScope {
    this.ensureRootScope(task);
    const outer = task.scope;
    const scope = new CancelScope(this.kernel, outer, task, shield, pool);
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

  /** Moves due timers to the run queue and fires expired scope deadlines. */
  expire(now: number): void {
    // Nothing is due (or now is NaN): skip the call, advance would change nothing.
    if (!(this.core.nextDeadlineNow() <= now)) return;
    let expired = this.core.advance(now);
    while (expired-- > 0) {
      const scope = this.scopeTimers[this.core.timerTakeExpired()];
      if (scope !== undefined) this.deadlineDue(scope);
    }
  }

  /** A scope's deadline is due: the scope times out, cancelled with the deadline as its reason. */
  private deadlineDue(scope: CancelScope): void {
    if (scope.closed) return;
    scope.timedOut = true;
    scope.cancel(`the deadline at ${scope.deadline} ms expired`);
  }

  /**
   * Sets a scope's deadline. One already due at the clock's time fires at once, without a timer, so
   * the very next checkpoint sees it (`withTimeout(0, …)`, a deadline set in the past).
   */
  armScopeDeadline(scope: CancelScope, deadline: number): void {
    if (deadline <= this.clock.now()) {
      if (scope.timerId >= 0) this.core.timerDisarm(scope.timerId);
      this.deadlineDue(scope);
      return;
    }
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
}
