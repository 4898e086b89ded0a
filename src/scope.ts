/**
 * Cancel scopes: the tree that cancellation travels down. Every pool is a scope; `shield` and the
 * timeouts are scopes with flags. A task is a *member* of exactly one scope, its innermost.
 *
 * Cancellation is level-triggered (trio): a scope once cancelled stays cancelled, and a task is
 * cancelled while any scope between its innermost one and the nearest shield is. `cancel()`
 * walks the subtree once to withdraw parked members at once; running and ready members see it at
 * their next trap through `isCancelled`.
 *
 * Invariants: a scope's children and members are linked lists of live entries; a closed scope has
 * neither, is unlinked from its parent, and owns no core timer.
 * @internal
 */
import type { Kernel } from './kernel.js';
import { newCancelledError, type CancelledError } from './errors.js';
import type { TaskImpl } from './task.js';
import type { TaskPool } from './pool.js';
import type { ContextValues } from './context.js';
import { throwing, type Resumption } from './task-outcome.js';

/**
 * Where a task stands and who it is: its innermost scope, its name and its context values. Immutable
 * and shared: the tasks a spawner starts in one scope with one name (a spawn loop) share one, so a
 * task record spends one field on the three. A task that changes scope or context gets another from
 * `CancelScope.placeFor`.
 */
export class TaskPlace {
  constructor(
    readonly scope: CancelScope,
    readonly name: string,
    readonly context: ContextValues | null,
  ) {}
}

export class CancelScope {
  /** Set by cancel() (directly, by a deadline, or by a failing child). Never reset. */
  cancelCalled = false;
  /**
   * The CancelledError thrown into every task this cancellation reaches (one object for all of
   * them, made once: its message says why). Null until cancelled.
   */
  cancelError: CancelledError | null = null;
  /** The resume that throws `cancelError`, made with it (shared like it). */
  cancelThrow: Resumption | null = null;
  /**
   * The scope whose cancellation reaches this one: itself or the nearest cancelled ancestor up to a
   * shield, or null. A field kept by `deliver` (cancellation walks the subtree anyway), so the check
   * at every trap reads one object instead of walking up the tree: with hundreds of live tasks each
   * scope walked was a cache miss per switch (pingpong-pairs at 1M: 297 → 254 ms of CPU).
   * Invariant: equals that walk's answer for every open scope.
   */
  cancelledBy: CancelScope | null = null;
  /** The deadline fired while the scope was open. */
  timedOut = false;
  closed = false;
  /** Absolute deadline on the loop's clock (ms); Infinity = none. */
  private deadlineMs = Infinity;
  /** Core timer id while a finite deadline is armed, else -1. */
  timerId = -1;

  firstChild: CancelScope | null = null;
  lastChild: CancelScope | null = null;
  prevSibling: CancelScope | null = null;
  nextSibling: CancelScope | null = null;
  firstMember: TaskImpl | null = null;
  lastMember: TaskImpl | null = null;
  /** The place last handed out (placeFor): the next task spawned alike reuses it. */
  private lastPlace: TaskPlace | null = null;
  /** Run once when the scope is cancelled or closes (see onEnd); null when none. */
  endHooks: Array<(cancelled: boolean) => void> | null = null;
  /**
   * Scopes nested inside the owner's own root scope: 0 for a task's root scope, 1 for the first pool
   * it opens, … Each level is generator frames on the JS stack when the task resumes (pool.ts).
   */
  readonly depth: number;

  constructor(
    readonly kernel: Kernel,
    public parent: CancelScope | null,
    /** The task that opened the scope (its members may include others: a pool's children). */
    public owner: TaskImpl | null,
    /** Outer cancellation does not reach inside. */
    readonly shield: boolean,
    /** The pool this scope belongs to, if it is a pool's (or a task's root scope's pool). */
    readonly pool: TaskPool | null,
  ) {
    this.depth = parent !== null && owner !== null && parent.owner === owner ? parent.depth + 1 : 0;
    this.cancelledBy = parent === null || shield ? null : parent.cancelledBy;
    if (parent !== null) parent.addChild(this);
  }

  get deadline(): number {
    return this.deadlineMs;
  }

  set deadline(ms: number) {
    this.deadlineMs = ms;
    if (this.closed) return;
    this.kernel.armScopeDeadline(this, ms);
  }

  /** Cancelled itself, or through an ancestor up to the nearest shield. */
  get effectivelyCancelled(): boolean {
    return this.cancelledBy !== null;
  }

  /** Cancels the scope; `why` becomes the message of the CancelledError its tasks receive. */
  cancel(why = 'the scope was cancelled'): void {
    if (this.cancelCalled || this.closed) return;
    this.cancelCalled = true;
    this.cancelError = newCancelledError(why);
    this.cancelThrow = throwing(this.cancelError);
    // Every sleeper this reaches is woken, which disarms its timer: the core defers those disarms
    // and drops them in one pass at the flush (assembly/timer-heap.ts).
    const core = this.kernel.core;
    core.timersDefer();
    try {
      this.deliver(this);
    } finally {
      core.timersFlush();
    }
  }

  /** A place in this scope: the last one handed out if it matches, so a spawn loop allocates one. */
  placeFor(name: string, context: ContextValues | null): TaskPlace {
    const last = this.lastPlace;
    if (last !== null && last.name === name && last.context === context) return last;
    return (this.lastPlace = new TaskPlace(this, name, context));
  }

  /**
   * Runs `hook(cancelled)` once, when the scope becomes cancelled (itself, or from outside but not
   * through a shield: `true`) or closes (`false`), whichever comes first. The caller checks
   * `effectivelyCancelled` first. Used by useAbortSignal (interop.ts).
   */
  onEnd(hook: (cancelled: boolean) => void): void {
    (this.endHooks ??= []).push(hook);
  }

  private runEndHooks(cancelled: boolean): void {
    const hooks = this.endHooks;
    this.endHooks = null;
    if (hooks !== null) for (const hook of hooks) hook(cancelled);
  }

  /** Delivers an ancestor's cancellation to this subtree, after it moved under a cancelled scope (pool.start). */
  inheritCancel(): void {
    if (!this.shield && !this.cancelCalled && this.parent !== null && this.parent.cancelledBy !== null) this.deliver(this.parent.cancelledBy);
  }

  /**
   * `by`'s cancellation reaches this scope: records it, then withdraws every parked task below (not
   * past shields, nor into scopes cancelled themselves, which keep their own) and throws
   * CancelledError into it.
   */
  private deliver(by: CancelScope): void {
    this.cancelledBy = by;
    if (this.endHooks !== null) this.runEndHooks(true);
    for (let t = this.firstMember; t !== null;) {
      const next = this.nextMember(t); // the member may move when it is woken
      this.kernel.deliverCancel(t);
      t = next;
    }
    for (let c = this.firstChild; c !== null; c = c.nextSibling) {
      if (!c.shield && !c.cancelCalled) c.deliver(by);
    }
  }

  // Children and members are kept oldest first (appended at the tail), so cancellation reaches
  // parked tasks in the order they joined the scope.

  addChild(child: CancelScope): void {
    child.nextSibling = null;
    child.prevSibling = this.lastChild;
    if (this.lastChild === null) this.firstChild = child; else this.lastChild.nextSibling = child;
    this.lastChild = child;
  }

  removeChild(child: CancelScope): void {
    if (child.prevSibling === null) this.firstChild = child.nextSibling; else child.prevSibling.nextSibling = child.nextSibling;
    if (child.nextSibling === null) this.lastChild = child.prevSibling; else child.nextSibling.prevSibling = child.prevSibling;
    child.prevSibling = child.nextSibling = null;
  }

  // Member links live in the kernel's `memberLinks`, by core slot (two i32 per slot: previous and
  // next member's slot, -1 for none), not in the task records: two fewer fields per task.

  addMember(task: TaskImpl): void {
    const kernel = this.kernel;
    const slot = task.slot;
    const links = kernel.linksFor(slot);
    const last = this.lastMember;
    links[2 * slot] = last === null ? -1 : last.slot;
    links[2 * slot + 1] = -1;
    if (last === null) this.firstMember = task; else links[2 * last.slot + 1] = slot;
    this.lastMember = task;
    task.scope = this;
  }

  removeMember(task: TaskImpl): void {
    const kernel = this.kernel;
    const links = kernel.memberLinks;
    const slot = task.slot;
    const prev = links[2 * slot]!;
    const next = links[2 * slot + 1]!;
    if (prev < 0) this.firstMember = next < 0 ? null : kernel.tasks[next]!; else links[2 * prev + 1] = next;
    if (next < 0) this.lastMember = prev < 0 ? null : kernel.tasks[prev]!; else links[2 * next] = prev;
    links[2 * slot] = links[2 * slot + 1] = -1;
  }

  /** The member after `task` (a member of this scope), or null. */
  nextMember(task: TaskImpl): TaskImpl | null {
    const next = this.kernel.memberLinks[2 * task.slot + 1]!;
    return next < 0 ? null : this.kernel.tasks[next]!;
  }

  /** Ends the scope: unlinks it, releases its timer. Its members must have left already. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.endHooks !== null) this.runEndHooks(false);
    if (this.timerId >= 0) this.kernel.releaseScopeTimer(this);
    if (this.parent !== null) this.parent.removeChild(this);
  }
}
