/**
 * Tasks. `TaskImpl` is the loop's record of one generator; users see it through the `Task` interface.
 * Its scheduling state lives in the wasm core (by `slot`); everything else lives here.
 */
import type { Kernel } from './kernel.js';
import { checkString } from './check.js';
import type { CancelScope, TaskPlace } from './scope.js';
import type { TaskPool } from './pool.js';
import { WaitNode, type WaitQueue } from './wait-queue.js';
import type { ResourceSet } from './resource.js';
import type { ContextValues } from './context.js';
import { STATE_READY, STATE_RUNNING, STATE_PARKED, SLOT_LIMIT } from './core-constants.js';
import { joinTask, taskPromise } from './join.js';
import { RESUMED, type AbortFn } from './trap.js';
import { START, LIVE, FINISHED, FAILED, CANCELLED, Ended, type Outcome } from './task-outcome.js';
import type { Operation, Task, TaskState } from './types.js';
import { debugOperation } from './undriven.js';

/** Re-exported for the modules that import them from here; their home is types.ts. */
export type { Operation, Task, TaskState } from './types.js';

const SLOT_MASK = SLOT_LIMIT - 1;

/**
 * Rarely used per-task state, allocated on first use (and held by the task's WaitNode, made then if
 * it has none) so an idle task stays small. @internal
 */
export class TaskExtra {
  rootScope: CancelScope | null = null;
  joiners: WaitQueue | null = null;
  exitHooks: Array<(task: TaskImpl) => void> | null = null;
  spawnSite: string | undefined = undefined;
  /** Clock time the current sleep began (debugger's afterSleep), NaN when not sleeping. */
  sleepStart = NaN;
  /** Resources tied to this task's own lifetime (it called `resource()` outside any pool of its own). */
  resources: ResourceSet | null = null;
  /** Set on a resource's task: the set it belongs to, which learns of its end instead of a pool. */
  resourceOf: ResourceSet | null = null;
}

/** A sleeper is withdrawn by waking it: the core disarms its timer then. @internal */
export const abortSleep: AbortFn = () => true;
abortSleep.reason = 'sleep';

/**
 * The loop's record of one task (not exported: users see `Task`).
 * Discussion: a suspended task costs its generator plus this record, so the record is kept to 5
 * fields (Node has 8-byte fields: 64 bytes). One field holds what the task's state needs and
 * nothing else (`value`: the parked task's abort, the next resume, or how it ended); the scope,
 * name and context are one `TaskPlace` shared by the siblings a spawner starts alike; what can be
 * derived is derived (`slot` from `id`, `kernel` and `pool` from the scope tree); the wait-queue
 * links and wait value live in a node made on the first wait (`waitNode`), which also holds the
 * rare state (`extra`, made on first use, with the node if the task never waited), and the
 * scope-member links in the kernel's typed array by slot (scope.ts).
 */
export class TaskImpl<T = unknown> implements Task<T> {
  /** The generator; null once the task ended (so it can be collected). */
  gen: Operation<T> | null;
  /** Its scope, name and context (shared, immutable: replaced when one of them changes). */
  place: TaskPlace;
  /**
   * By state. Parked: how to withdraw it (its AbortFn; RESUMED for a sleeper, which also is what
   * it resumes with when its timer fires). Ready or running: what the next resume brings — a
   * plain value for `next(value)`, or a `Resumption` (start, throw, return). Ended (`gen` null):
   * its `Ended` record.
   */
  value: unknown = START;
  /**
   * Its place in wait queues and the value it waits with, made on the first wait (wait-queue.ts),
   * or with the rare state if that comes first.
   */
  waitNode: WaitNode | null = null;

  constructor(
    readonly id: number,
    gen: Operation<T>,
    place: TaskPlace,
  ) {
    this.gen = gen;
    this.place = place;
  }

  /** The core slot (the low bits of the handle; `&` is exact for handles below 2^53). */
  get slot(): number { return this.id & SLOT_MASK; }
  get name(): string { return this.place.name; }
  /** Innermost cancel scope: the task is one of its members (set by CancelScope.addMember). */
  get scope(): CancelScope { return this.place.scope; }
  set scope(scope: CancelScope) {
    const place = this.place;
    if (place.scope !== scope) this.place = scope.placeFor(place.name, place.context);
  }
  /**
   * Task-local context values (context.ts): an immutable map shared with the spawner until either
   * side sets a value (copy-on-write), so a spawn copies one reference whatever the number of contexts.
   */
  get context(): ContextValues | null { return this.place.context; }
  set context(values: ContextValues | null) {
    const place = this.place;
    if (place.context !== values) this.place = place.scope.placeFor(place.name, values);
  }
  get kernel(): Kernel { return this.place.scope.kernel; }
  /** The pool the task belongs to: the first scope up the tree that another task opened. */
  get pool(): TaskPool | null {
    for (let s: CancelScope | null = this.scope; s !== null; s = s.parent) if (s.owner !== this) return s.pool;
    return null;
  }
  get outcome(): Outcome { return this.gen !== null ? LIVE : (this.value as Ended).outcome; }
  /** Parked in the core (a crossing: diagnostics and rare checks only). */
  get parked(): boolean { return this.gen !== null && this.kernel.stateOf(this) === STATE_PARKED; }
  /** While parked: how to withdraw the task. Null when not parked. */
  get abort(): AbortFn | null {
    return this.parked ? this.parkedAbort : null;
  }
  /** The abort of a task the core says is parked: its value (RESUMED stands for abortSleep). */
  get parkedAbort(): AbortFn {
    return this.value === RESUMED ? abortSleep : this.value as AbortFn;
  }
  /** What a parked task brings or receives through its wait (a put's item, a handed-over value). */
  get waitValue(): unknown { return this.waitNode === null ? undefined : this.waitNode.value; }
  set waitValue(value: unknown) {
    if (this.waitNode !== null) this.waitNode.value = value;
    else if (value !== undefined) (this.waitNode = new WaitNode(this)).value = value;
  }
  /** The WaitQueue the task waits in, or null. */
  get waitList(): WaitQueue | null { return this.waitNode === null ? null : this.waitNode.list; }
  /** What the task waits on, while parked: shown by task dumps and deadlock reports. */
  get waitReason(): string { const abort = this.abort; return abort === null ? '' : abort.reason ?? 'unknown'; }
  get started(): boolean { return this.gen === null || this.value !== START; }

  /** The rare state, or null if none was ever set. */
  get extra(): TaskExtra | null {
    const node = this.waitNode;
    return node === null ? null : node.extra;
  }

  private more(): TaskExtra {
    const node = this.waitNode ?? (this.waitNode = new WaitNode(this));
    return (node.extra ??= new TaskExtra());
  }

  /** The task's own scope, created when first needed (cancel(), or a nested scope). */
  get rootScope(): CancelScope | null { return this.extra?.rootScope ?? null; }
  set rootScope(scope: CancelScope | null) { this.more().rootScope = scope; }
  /** Tasks parked in join(), created on first join. */
  get joiners(): WaitQueue | null { return this.extra?.joiners ?? null; }
  set joiners(queue: WaitQueue | null) { this.more().joiners = queue; }
  /** Called once when the task ends (locks it holds, host resources). */
  get exitHooks(): Array<(task: TaskImpl) => void> | null { return this.extra?.exitHooks ?? null; }
  set exitHooks(hooks: Array<(task: TaskImpl) => void> | null) { this.more().exitHooks = hooks; }
  /** Where it was spawned, with `debug: true`. */
  get spawnSite(): string | undefined { return this.extra?.spawnSite; }
  set spawnSite(site: string | undefined) { this.more().spawnSite = site; }
  get resources(): ResourceSet | null { return this.extra?.resources ?? null; }
  set resources(set: ResourceSet | null) { this.more().resources = set; }
  get resourceOf(): ResourceSet | null { return this.extra?.resourceOf ?? null; }
  set resourceOf(set: ResourceSet | null) { this.more().resourceOf = set; }
  get sleepStart(): number { return this.extra?.sleepStart ?? NaN; }
  set sleepStart(ms: number) { if (ms === ms || this.extra !== null) this.more().sleepStart = ms; }
  get resultValue(): T | undefined { return this.outcome === FINISHED ? (this.value as Ended).value as T : undefined; }
  get errorValue(): unknown { return this.outcome === FAILED ? (this.value as Ended).value : undefined; }

  get state(): TaskState {
    switch (this.outcome) {
      case FINISHED: return 'finished';
      case FAILED: return 'failed';
      case CANCELLED: return 'cancelled';
    }
    switch (this.kernel.stateOf(this)) {
      case STATE_READY: return 'ready';
      case STATE_RUNNING: return 'running';
      case STATE_PARKED: return 'parked';
    }
    return 'finished';
  }

  get done(): boolean {
    return this.outcome !== LIVE;
  }

  get result(): T | undefined {
    return this.resultValue;
  }

  get error(): unknown {
    return this.errorValue;
  }

  cancel(reason?: string): void {
    if (reason !== undefined) checkString('reason', reason);
    if (this.outcome !== LIVE) return;
    this.kernel.cancelTask(this, reason === undefined ? undefined : `task ${this.name} was cancelled: ${reason}`);
  }

  join(): Operation<T> {
    return debugOperation(joinTask(this), 'task.join()');
  }

  toPromise(): Promise<T> {
    return taskPromise(this);
  }

  /** Runs `hook` when the task ends (at once if it has). */
  onExit(hook: (task: TaskImpl) => void): void {
    (this.exitHooks ??= []).push(hook);
  }

  toString(): string {
    return `Task(${this.name}#${this.id}, ${this.state})`;
  }
}
