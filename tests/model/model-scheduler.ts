/**
 * The reference model's scheduler: tasks, cancel scopes, timers and the loop, as plain objects and
 * arrays scanned linearly (see reference-model.ts for the rules and the runtime on top of it).
 * Nothing here is shared with the kernel.
 */
import { CancelledError } from '../../src/errors.js';
import { Trace, desc, type Op } from './interpret.js';

/** What a model task yields to the model scheduler. Anything else is a foreign value. */
export class Request {
  constructor(
    readonly kind: 'checkpoint' | 'schedule' | 'sleep' | 'park',
    readonly ms = 0,
    /** For 'park': withdraws the task when cancellation reaches it; null = cannot be withdrawn. */
    readonly abort: (() => void) | null = null,
  ) {}
}
export const CHECKPOINT = new Request('checkpoint');
export const SCHEDULE = new Request('schedule');

export class MScope {
  cancelCalled = false;
  timedOut = false;
  closed = false;
  deadline = Infinity;
  timer: MTimer | null = null;
  constructor(readonly parent: MScope | null, readonly shield: boolean) {}

  get cancelled(): boolean {
    for (let s: MScope | null = this; s !== null; s = s.parent) {
      if (s.cancelCalled) return true;
      if (s.shield) return false;
    }
    return false;
  }
}

export interface MTimer { deadline: number; seq: number; task: MTask | null; scope: MScope | null }

export class MPool {
  live = 0;
  /** A child ended cancelled (it raised CancelledError, or never started). */
  childCancelled = false;
  errors: unknown[] = [];
  waiter: MTask | null = null;
  bodyDone = false;
  /** The owner has left the pool (giambio's `closed`): no more spawns. */
  exited = false;
  /** The expired deadline cut something short (a child ended cancelled after it, or the body). */
  deadlineCut = false;
  constructor(readonly scope: MScope, readonly owner: MTask) {}
}

export type TaskState = 'ready' | 'running' | 'parked' | 'ended';

export class MTask {
  state: TaskState = 'ready';
  started = false;
  resumeThrow = false;
  resumeValue: unknown = undefined;
  /** While parked: how to withdraw it (null: it cannot be). */
  abort: (() => void) | null = null;
  abortable = false;
  timer: MTimer | null = null;
  joiners: MTask[] = [];
  outcome: 'finished' | 'failed' | 'cancelled' | null = null;
  value: unknown = undefined;
  scope: MScope;
  constructor(readonly name: string, readonly gen: Op<unknown>, readonly rootScope: MScope, readonly pool: MPool | null) {
    this.scope = rootScope;
  }
}

export function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

export class ModelScheduler {
  now = (): number => this.time;
  protected time = 0;
  protected seq = 0;
  protected readonly ready: MTask[] = [];
  protected readonly timers: MTimer[] = [];
  protected readonly tasks: MTask[] = [];
  protected current: MTask | null = null;
  protected resumes = 0;
  readonly trace = new Trace();
  readonly errors: string[] = [];

  /**
   * @param oracle giambio's sequence of resumed task names (the order of one cancellation's
   *   wake-ups is read there), or null to wake in spawn order.
   */
  constructor(private readonly oracle: string[] | null) {}

  taskName(): string {
    return this.me().name;
  }

  protected me(): MTask {
    if (this.current === null) throw new Error('model: no task is running');
    return this.current;
  }

  /** Runs `gen` as the root task until it ends; returns its outcome. */
  protected runRoot(gen: Op<unknown>): string {
    const root = new MTask('root', gen, new MScope(null, false), null);
    this.tasks.push(root);
    this.ready.push(root);
    for (let guard = 0; ; guard++) {
      if (guard > 1_000_000) { this.errors.push('model: runaway loop'); break; }
      this.expire();
      for (let n = this.ready.length; n > 0; n--) this.resume(this.ready.shift()!);
      if (root.state === 'ended') break;
      if (this.ready.length > 0) continue;
      if (this.timers.length === 0) { this.errors.push(`model: deadlock at ${this.time} ms`); break; }
      const next = Math.min(...this.timers.map((t) => t.deadline));
      if (next > this.time) this.time = next;
    }
    for (const t of this.tasks) if (t.state !== 'ended') this.errors.push(`model: ${t.name} never ended`);
    return root.outcome === null ? 'hung' : `${root.outcome} ${desc(root.value)}`;
  }

  protected expire(): void {
    const due = this.timers.filter((t) => t.deadline <= this.time).sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
    for (const timer of due) remove(this.timers, timer);
    for (const timer of due) {
      if (timer.task === null) continue;
      const task = timer.task;
      task.timer = null;
      this.makeReady(task, false, undefined);
    }
    for (const timer of due) {
      if (timer.scope === null) continue;
      timer.scope.timer = null;
      if (timer.scope.closed) continue;
      timer.scope.timedOut = true;
      this.cancelScope(timer.scope);
    }
  }

  protected resume(task: MTask): void {
    if (task.state !== 'ready') { this.errors.push(`model: resumed ${task.name} in state ${task.state}`); return; }
    task.state = 'running';
    this.current = task;
    this.resumes++;
    this.trace.push(`${this.time} ${task.name} step`);
    let throwing = task.resumeThrow;
    let value = task.resumeValue;
    task.resumeThrow = false;
    task.resumeValue = undefined;
    if (!task.started) {
      task.started = true;
      if (task.scope.cancelled) { throwing = true; value = new CancelledError('cancelled before its first step'); }
    }
    let result: IteratorResult<unknown, unknown>;
    try {
      result = throwing ? task.gen.throw(value) : task.gen.next(value);
    } catch (error) {
      this.end(task, error instanceof CancelledError ? 'cancelled' : 'failed', error);
      return;
    } finally {
      this.current = null;
    }
    if (result.done === true) { this.end(task, 'finished', result.value); return; }
    this.trap(task, result.value);
  }

  /** What a task's yield does. */
  protected trap(task: MTask, request: unknown): void {
    if (!(request instanceof Request)) return this.requeue(task, true, new TypeError('yielded a value'));
    switch (request.kind) {
      case 'checkpoint':
        return task.scope.cancelled ? this.requeue(task, true, new CancelledError()) : this.requeue(task, false, undefined);
      case 'schedule':
        return this.requeue(task, false, undefined);
      case 'sleep':
        if (task.scope.cancelled) return this.requeue(task, true, new CancelledError());
        if (request.ms === 0) return this.requeue(task, false, undefined);
        task.state = 'parked';
        task.abortable = true;
        task.abort = () => { /* the wake removes the timer */ };
        if (request.ms === Infinity) return; // only cancellation ends it: no timer
        task.timer = { deadline: this.time + request.ms, seq: this.seq++, task, scope: null };
        this.timers.push(task.timer);
        return;
      case 'park':
        if (request.abort !== null && task.scope.cancelled) {
          request.abort();
          return this.requeue(task, true, new CancelledError());
        }
        task.state = 'parked';
        task.abortable = request.abort !== null;
        task.abort = request.abort;
        return;
    }
  }

  protected requeue(task: MTask, throwing: boolean, value: unknown): void {
    task.state = 'ready';
    task.resumeThrow = throwing;
    task.resumeValue = value;
    this.ready.push(task);
  }

  protected makeReady(task: MTask, throwing: boolean, value: unknown): void {
    if (task.state !== 'parked') { this.errors.push(`model: woke ${task.name} in state ${task.state}`); return; }
    if (task.timer !== null) { remove(this.timers, task.timer); task.timer = null; }
    task.abort = null;
    task.abortable = false;
    this.requeue(task, throwing, value);
  }

  protected end(task: MTask, outcome: 'finished' | 'failed' | 'cancelled', value: unknown): void {
    task.state = 'ended';
    task.outcome = outcome;
    task.value = outcome === 'cancelled' ? undefined : value;
    task.rootScope.closed = true;
    const shown = outcome === 'cancelled' ? '' : ` ${desc(value)}`;
    this.trace.push(`${this.time} ${task.name} end ${outcome}${shown}`);
    for (const joiner of task.joiners.splice(0)) this.makeReady(joiner, false, undefined);
    const pool = task.pool;
    if (pool === null) return;
    pool.live--;
    if (outcome === 'cancelled') pool.childCancelled = true;
    if (outcome === 'cancelled' && pool.scope.timedOut) pool.deadlineCut = true;
    if (outcome === 'failed') {
      pool.errors.push(value);
      this.cancelScope(pool.scope);
    }
    if (pool.live === 0 && pool.waiter !== null) {
      const waiter = pool.waiter;
      pool.waiter = null;
      this.makeReady(waiter, false, undefined);
    }
  }

  /** Cancels `scope`: wakes, with CancelledError, every parked task that is now cancelled and can be withdrawn. */
  protected cancelScope(scope: MScope): void {
    if (scope.cancelCalled || scope.closed) return;
    scope.cancelCalled = true;
    const woken = this.tasks.filter((t) => t.state === 'parked' && t.abortable && t.scope.cancelled);
    for (const task of this.wakeOrder(woken)) {
      task.abort!();
      this.makeReady(task, true, new CancelledError());
    }
  }

  /** The order one cancellation's wake-ups run in: unspecified, so taken from giambio's run. */
  protected wakeOrder(tasks: MTask[]): MTask[] {
    if (this.oracle === null || tasks.length < 2) return tasks;
    const from = this.resumes;
    const at = new Map(tasks.map((t) => {
      const i = this.oracle!.indexOf(t.name, from);
      return [t, i < 0 ? Infinity : i] as const;
    }));
    return [...tasks].sort((a, b) => at.get(a)! - at.get(b)!);
  }

  protected setScopeDeadline(scope: MScope, at: number): void {
    scope.deadline = at;
    if (scope.closed) return;
    if (scope.timer !== null) { remove(this.timers, scope.timer); scope.timer = null; }
    if (at === Infinity) return;
    // A deadline already due fires at once, with no timer: the next checkpoint sees it.
    if (at <= this.time) { scope.timedOut = true; this.cancelScope(scope); return; }
    scope.timer = { deadline: at, seq: this.seq++, task: null, scope };
    this.timers.push(scope.timer);
  }
}
