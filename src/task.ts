/**
 * Tasks. `TaskImpl` is the loop's record of one generator; users see it through the `Task` interface.
 * Its scheduling state lives in the wasm core (by `slot`); everything else lives here.
 */
import type { Kernel } from './kernel.js';
import { checkString } from './check.js';
import type { CancelScope } from './scope.js';
import type { TaskPool } from './pool.js';
import type { WaitNode, WaitQueue } from './wait-queue.js';
import type { AbortFn } from './trap.js';
import type { ResourceSet } from './resource.js';
import type { ContextValues } from './context.js';
import { STATE_READY, STATE_RUNNING, STATE_PARKED, SLOT_LIMIT } from './core-constants.js';
import { joinTask, taskPromise } from './join.js';
import { RESUME_START, LIVE, FINISHED, FAILED, CANCELLED, type EndedOutcome, type Outcome, type ResumeMode } from './task-outcome.js';
import type { Operation, Task, TaskState } from './types.js';
import { debugOperation } from './undriven.js';

/** Re-exported for the modules that import them from here; their home is types.ts. */
export type { Operation, Task, TaskState } from './types.js';

/** `mode` values at or above this mean the task ended with outcome `mode - ENDED_BASE`. */
const ENDED_BASE = 8;
const SLOT_MASK = SLOT_LIMIT - 1;

/** Rarely used per-task state, allocated on first use so an idle task stays small. @internal */
class TaskExtra {
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

/**
 * The loop's record of one task (not exported: users see `Task`).
 * Discussion: a suspended task costs its generator plus this record, so the record is kept to 10
 * fields (Node has 8-byte fields: ~104 bytes). Fields that are never needed at the same time share
 * a slot (`mode`: resume mode while alive, outcome once ended; `value`: the value a wait brings or
 * the resume value while alive, the result or error once ended); what can be derived is derived
 * (`slot` from `id`, `kernel` and `pool` from the scope tree); rare state lives in `extra`, the
 * wait-queue links in a node made on the first wait (`waitNode`), and the scope-member links in the
 * kernel's typed array by slot (scope.ts).
 */
export class TaskImpl<T = unknown> implements Task<T> {
  /** The generator; null once the task ended (so it can be collected). */
  gen: Operation<T> | null;
  /** Innermost cancel scope: the task is one of its members. */
  scope: CancelScope;
  /** RESUME_* while alive (RESUME_START before the first step); ENDED_BASE + outcome once ended. */
  mode = RESUME_START;
  /** See the class comment: wait value / resume value while alive, result or error once ended. */
  value: unknown = undefined;
  /** Set while parked: how to withdraw the task. Null when not parked. */
  abort: AbortFn | null = null;
  /** Its place in wait queues, made on the first wait (wait-queue.ts). */
  waitNode: WaitNode | null = null;
  extra: TaskExtra | null = null;
  /**
   * Task-local context values (context.ts): an immutable map shared with the spawner until either
   * side sets a value (copy-on-write), so a spawn copies one reference whatever the number of contexts.
   */
  context: ContextValues | null = null;

  constructor(
    readonly id: number,
    readonly name: string,
    gen: Operation<T>,
    /** The scope the task starts in (its pool's, or its own for a root task). */
    scope: CancelScope,
  ) {
    this.gen = gen;
    this.scope = scope;
  }

  /** The core slot (the low bits of the handle; `&` is exact for handles below 2^53). */
  get slot(): number { return this.id & SLOT_MASK; }
  get kernel(): Kernel { return this.scope.kernel; }
  /** The pool the task belongs to: the first scope up the tree that another task opened. */
  get pool(): TaskPool | null {
    for (let s: CancelScope | null = this.scope; s !== null; s = s.parent) if (s.owner !== this) return s.pool;
    return null;
  }
  get outcome(): Outcome { return this.mode >= ENDED_BASE ? (this.mode - ENDED_BASE) as EndedOutcome : LIVE; }
  set outcome(outcome: EndedOutcome) { this.mode = ENDED_BASE + outcome; }
  get resumeMode(): ResumeMode { return this.mode as ResumeMode; }
  set resumeMode(mode: ResumeMode) { this.mode = mode; }
  get resumeValue(): unknown { return this.value; }
  set resumeValue(value: unknown) { this.value = value; }
  /** What a parked task brings or receives through its wait (a put's item, a handed-over value). */
  get waitValue(): unknown { return this.value; }
  set waitValue(value: unknown) { this.value = value; }
  /** The WaitQueue the task waits in, or null. */
  get waitList(): WaitQueue | null { return this.waitNode === null ? null : this.waitNode.list; }
  /** What the task waits on, while parked: shown by task dumps and deadlock reports. */
  get waitReason(): string { return this.abort === null ? '' : this.abort.reason ?? 'unknown'; }
  get started(): boolean { return this.mode !== RESUME_START; }

  private more(): TaskExtra {
    return (this.extra ??= new TaskExtra());
  }

  /** The task's own scope, created when first needed (cancel(), or a nested scope). */
  get rootScope(): CancelScope | null { return this.extra === null ? null : this.extra.rootScope; }
  set rootScope(scope: CancelScope | null) { this.more().rootScope = scope; }
  /** Tasks parked in join(), created on first join. */
  get joiners(): WaitQueue | null { return this.extra === null ? null : this.extra.joiners; }
  set joiners(queue: WaitQueue | null) { this.more().joiners = queue; }
  /** Called once when the task ends (locks it holds, host resources). */
  get exitHooks(): Array<(task: TaskImpl) => void> | null { return this.extra === null ? null : this.extra.exitHooks; }
  set exitHooks(hooks: Array<(task: TaskImpl) => void> | null) { this.more().exitHooks = hooks; }
  /** Where it was spawned, with `debug: true`. */
  get spawnSite(): string | undefined { return this.extra?.spawnSite; }
  set spawnSite(site: string | undefined) { this.more().spawnSite = site; }
  get resources(): ResourceSet | null { return this.extra === null ? null : this.extra.resources; }
  set resources(set: ResourceSet | null) { this.more().resources = set; }
  get resourceOf(): ResourceSet | null { return this.extra === null ? null : this.extra.resourceOf; }
  set resourceOf(set: ResourceSet | null) { this.more().resourceOf = set; }
  get sleepStart(): number { return this.extra === null ? NaN : this.extra.sleepStart; }
  set sleepStart(ms: number) { if (this.extra !== null || ms === ms) this.more().sleepStart = ms; }
  get resultValue(): T | undefined { return this.outcome === FINISHED ? this.value as T : undefined; }
  get errorValue(): unknown { return this.outcome === FAILED ? this.value : undefined; }

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
