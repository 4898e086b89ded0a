/**
 * EventLoop: owns a kernel and its root task, and drives it either automatically on its host (`run`,
 * through the driver in driver.ts) or by hand (`start` + `step`). It also settles `run`'s promise,
 * turns a fault into a refusal to reuse the loop, and declares deadlocks.
 */
import { type Clock, systemClock } from './clock.js';
import type { CoreBuild } from './core.js';
import type { Debugger } from './debugger.js';
import { CancelledError, DeadlockError, GiambioError, InternalError } from './errors.js';
import { formatTaskTree, taskTree, type TaskNode } from './diagnostics.js';
import { DeadlockWatch, hostResources } from './deadlock.js';
import { checkOptions, typeError } from './check.js';
import { Driver } from './driver.js';
import { defaultHost, type Host } from './host.js';
import { Kernel } from './kernel.js';
import { maybeRunningKernel } from './run-context.js';
import { startGenerator } from './spawnable.js';
import type { Operation, Task, TaskImpl } from './task.js';
import { CANCELLED, FAILED, FINISHED, LIVE } from './task-outcome.js';

/** A loop cannot be started from inside a task: that task would block every other one. */
function refuseReentry(what: string): void {
  if (maybeRunningKernel() !== null) {
    throw new GiambioError(`${what}() called from inside a running task: start more tasks with createPool() and pool.spawn() instead`);
  }
}

/** Rounds of steps loop.close() lets cancelled tasks run before ending them with `return`. */
const CLOSE_PATIENCE = 100;

/** Options of `new EventLoop(options)`; all optional. */
export interface EventLoopOptions {
  /** Where time comes from (default: `performance.now()`); `MockClock` for virtual time. */
  clock?: Clock;
  /** Hooks into the loop's life. */
  debugger?: Debugger;
  /** Aborting it cancels the root task; `run` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How the loop waits for its environment (default: timers and setImmediate/MessageChannel). */
  host?: Host;
  /** Record spawn sites and add a logical task trace to errors (slower). */
  debug?: boolean;
  /**
   * Run ready tasks in a seeded pseudo-random order instead of FIFO, to shake out code that depends
   * on scheduling order. The same seed gives the same order.
   */
  seed?: number;
  /**
   * Fail the root with `DeadlockError` when every task is parked and nothing can ever wake one.
   * Default: on for virtual clocks (`Clock.idle`) and in Node (where it also requires that no other
   * host resource is alive, `process.getActiveResourcesInfo()`); off elsewhere, since a browser
   * cannot tell whether plain code may still wake a task. `true` forces it on.
   */
  detectDeadlocks?: boolean;
  /** @internal Which build of the wasm core to load (tests use the debug build). */
  core?: CoreBuild;
}

/** What `loop.statistics()` reports. */
export interface LoopStatistics {
  /** Tasks alive, by state. */
  tasks: {
    /** Ready to run at the next step. */
    ready: number;
    /** Running now (0 or 1; 1 when read from inside a task). */
    running: number;
    /** Waiting on something: a timer, a primitive, the host. */
    parked: number;
    /** All live tasks. */
    total: number;
  };
  /** Timers armed in the core (sleeps and scope deadlines). */
  timers: number;
  /** Cancel-scope timers allocated. */
  scopeTimers: number;
  /** Tasks resumed so far. */
  steps: number;
  /** Calls from JavaScript into the wasm core so far. */
  crossings: number;
  /** Parked tasks waiting on the host (promises, I/O). */
  hostWaits: number;
}

/**
 * A loop: runs one root task (and everything it spawns) on a clock and a host. `run(main)` is
 * `new EventLoop().run(main)`; make the loop yourself for options (a `MockClock`, a `Debugger`,
 * an `AbortSignal` that cancels the root, the Node or browser host), for manual stepping
 * (`start`/`step`, for game and frame loops), or to `close()` it from outside.
 * @example
 * import { EventLoop, sleep } from 'giambio';
 * const controller = new AbortController();
 * const loop = new EventLoop({ signal: controller.signal });
 * const result = await loop.run(function* main() { yield* sleep(10); return 1; }); // 1
 */
export class EventLoop {
  readonly #kernel: Kernel;
  readonly #driver: Driver;
  readonly #signal: AbortSignal | undefined;
  #root: TaskImpl | null = null;
  #closed = false;
  #settle: ((task: TaskImpl, outcome: unknown) => void) | null = null;
  #onAbort: (() => void) | null = null;
  /** Null when deadlock detection is off. */
  readonly #deadlockWatch: DeadlockWatch | null;
  /** Set when a deadlock was declared: the root is being cancelled, and run rejects with it. */
  #deadlock: DeadlockError | null = null;

  constructor(options: EventLoopOptions = {}) {
    checkOptions('EventLoop options', options);
    const clock = options.clock ?? systemClock;
    if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
      throw typeError('clock', 'an object with a now() method', clock);
    }
    if (options.signal !== undefined && !(typeof options.signal === 'object' && options.signal !== null && 'aborted' in options.signal)) {
      throw typeError('signal', 'an AbortSignal', options.signal);
    }
    this.#kernel = new Kernel({ clock, debugger: options.debugger ?? null, core: options.core, debug: options.debug });
    if (options.seed !== undefined) {
      if (typeof options.seed !== 'number' || !Number.isInteger(options.seed)) {
        throw typeError('seed', 'an integer', options.seed);
      }
      this.#kernel.shuffle = true;
      this.#kernel.core.readySeed(options.seed >>> 0);
    }
    const detect = options.detectDeadlocks ?? (clock.idle !== undefined || hostResources() !== null);
    this.#driver = new Driver(this.#kernel, options.host ?? defaultHost, {
      fault: (error) => this.#poison(error),
      idleForever: () => this.#deadlockWatch?.suspect(),
    });
    this.#deadlockWatch = !detect ? null : new DeadlockWatch(this.#kernel,
      options.detectDeadlocks === undefined && clock.idle === undefined,
      () => this.#driver.waiting, options.signal, () => this.#declareDeadlock());
    this.#signal = options.signal;
    this.#kernel.onRootExit = (task, outcome) => this.#rootExited(task, outcome);
  }

  /** @internal */
  get kernel(): Kernel {
    return this.#kernel;
  }

  /**
   * Runs `main(...args)` as the root task; resolves with its return value, or rejects with its
   * error (the original object) once every task has ended.
   */
  run<T, A extends unknown[]>(main: (...args: A) => Operation<T>, ...args: A): Promise<T> {
    refuseReentry('run');
    return new Promise<T>((resolve, reject) => {
      const root = this.#startRoot('run', main, args);
      this.#settle = (task, outcome) => {
        const reason = this.#signal?.aborted ? this.#signal.reason : undefined;
        if (this.#deadlock !== null && !(task.errorValue instanceof InternalError)) reject(this.#deadlock);
        else if (task.outcome === FAILED) reject(task.errorValue);
        else if (this.#signal?.aborted) reject(reason);
        else if (task.outcome === FINISHED) resolve(task.resultValue as T);
        else reject(outcome instanceof CancelledError ? outcome : new CancelledError('the root task was cancelled'));
      };
      this.#driver.start();
      if (this.#kernel.failure === null && root.outcome === LIVE) this.#driver.schedule();
    });
  }

  /** Queues `main(...args)` as the root task without running it: drive it with `step()`. */
  start<T, A extends unknown[]>(main: (...args: A) => Operation<T>, ...args: A): Task<T> {
    return this.#startRoot('loop.start', main, args) as Task<T>;
  }

  /** Advances timers to the clock's now and runs each ready task once. Returns how many ran. */
  step(): number {
    return this.#step('step');
  }

  #step(what: string): number {
    this.#checkUsable(what);
    if (this.#driver.busy || this.#kernel.stepping) throw new GiambioError(`loop.${what}() called while the loop is already stepping`);
    const kernel = this.#kernel;
    try {
      const clock = kernel.clock;
      const now = clock.now();
      kernel.expire(now);
      const ran = kernel.runReady();
      if (kernel.core.readyNow() === 0) {
        // Time passed during the step (a jump, real time): timers now due run before
        // waitAllTasksBlocked() returns.
        const later = clock.now();
        if (later !== now) kernel.expire(later);
        if (kernel.core.readyNow() === 0) kernel.wakeBlockedWaiters();
      }
      return ran;
    } catch (error) {
      throw this.#poison(error);
    }
  }

  /** Steps until no task is ready (without waiting for timers or I/O). */
  runUntilIdle(): void {
    while (this.#step('runUntilIdle') > 0 || this.#kernel.core.readyNow() > 0) { /* keep stepping */ }
  }

  /** The earliest timer deadline on the loop's clock (ms), `Infinity` if none. */
  nextDeadline(): number {
    this.#checkUsable('nextDeadline');
    return this.#kernel.core.nextDeadline();
  }

  /** The root task has ended (or none was started). */
  get done(): boolean {
    return this.#root === null || this.#root.outcome !== LIVE;
  }

  /**
   * Cancels whatever is left and runs it to the end, `finally` blocks included; tasks that ignore
   * the cancellation are ended with `return`. The loop cannot be used afterwards.
   * @throws {InternalError} if the scheduler fails meanwhile (the loop is closed all the same).
   */
  close(): void {
    if (this.#closed) return;
    if (this.#driver.busy || this.#kernel.stepping) {
      throw new GiambioError('loop.close() called from inside a task of this loop: cancel the root task or a pool instead');
    }
    const kernel = this.#kernel;
    const root = this.#root;
    try {
      if (root !== null && root.outcome === LIVE && kernel.failure === null) {
        root.cancel();
        // Cooperative tasks end within a few rounds; after CLOSE_PATIENCE rounds the rest are killed.
        for (let round = 0; root.outcome === LIVE && round < 10_000; round++) {
          kernel.expire(kernel.clock.now());
          const ran = kernel.runReady();
          if ((ran === 0 && !kernel.wakeBlockedWaiters()) || round >= CLOSE_PATIENCE) kernel.killAll();
        }
      }
    } catch (error) {
      // Only an internal fault gets here (a task's own errors end the task): the loop is closed
      // all the same, poisoned, and the fault is thrown.
      throw this.#poison(error);
    } finally {
      this.#closed = true;
      this.#stopDriver();
    }
  }

  /** Live tasks by state, armed timers, scope timers, steps, wasm crossings and host waits. */
  statistics(): LoopStatistics {
    const core = this.#kernel.core;
    let ready = 0, running = 0, parked = 0;
    for (const task of this.#kernel.tasks) {
      if (task === undefined) continue;
      const state = task.state;
      if (state === 'ready') ready++; else if (state === 'running') running++; else if (state === 'parked') parked++;
    }
    return {
      tasks: { ready, running, parked, total: ready + running + parked },
      timers: core.armedTimers(), scopeTimers: core.scopeTimers(),
      steps: this.#kernel.steps, crossings: core.crossings, hostWaits: this.#kernel.hostWaits,
    };
  }

  #checkUsable(what: string): void {
    if (this.#closed) throw new GiambioError(`loop.${what}() called on a closed loop`);
    if (this.#kernel.failure !== null) throw this.#kernel.failure;
  }

  #startRoot(what: string, main: unknown, args: unknown[]): TaskImpl {
    this.#checkUsable(what === 'run' ? 'run' : 'start');
    refuseReentry(what);
    if (this.#root !== null && this.#root.outcome === LIVE) throw new GiambioError('this loop is already running a root task');
    const gen = startGenerator(what, main, args);
    const name = (main as { name?: string }).name || 'main';
    this.#kernel.dbg?.onStart?.();
    const root = this.#kernel.spawn(gen, name, null, null);
    this.#root = root;
    const signal = this.#signal;
    if (signal !== undefined) {
      if (signal.aborted) this.#kernel.cancelTask(root, "the loop's signal was aborted");
      else {
        this.#onAbort = () => this.#kernel.cancelTask(root, "the loop's signal was aborted");
        signal.addEventListener('abort', this.#onAbort, { once: true });
      }
    }
    this.#driver.watchClock();
    return root;
  }

  #rootExited(task: TaskImpl, outcome: unknown): void {
    this.#stopDriver();
    this.#kernel.dbg?.onExit?.();
    const settle = this.#settle;
    this.#settle = null;
    settle?.(task, task.outcome === CANCELLED ? outcome : undefined);
  }

  #stopDriver(): void {
    this.#driver.stop();
    this.#deadlockWatch?.stop();
    if (this.#onAbort !== null) { this.#signal!.removeEventListener('abort', this.#onAbort); this.#onAbort = null; }
  }

  #poison(error: unknown): InternalError {
    const failure = this.#kernel.core.fail(error); // the first fault is the failure from now on
    const settle = this.#settle;
    this.#settle = null;
    this.#stopDriver();
    if (settle !== null) settle({ outcome: FAILED, errorValue: failure } as unknown as TaskImpl, undefined);
    return failure;
  }

  #declareDeadlock(): void {
    const root = this.#root;
    if (root === null || root.outcome !== LIVE) return;
    if (this.#deadlock === null) {
      this.#deadlock = new DeadlockError(formatTaskTree(taskTree(this.#kernel)));
      root.cancel();
    } else {
      // Still stuck after cancelling everything: end the tasks that cannot be woken.
      this.#kernel.killAll();
    }
    this.#driver.schedule();
  }

  /** The live tree of pools and tasks: state and what each waits on. */
  dumpTasks(): TaskNode | null {
    return taskTree(this.#kernel);
  }
}

/**
 * Runs `main(...args)` as the root task of a new loop. Resolves with its return value; rejects with
 * its error, the original object, never wrapped.
 * @example
 * import { run, sleep } from 'giambio';
 * const value = await run(function* () { yield* sleep(10); return 42; });
 */
export function run<T, A extends unknown[]>(main: (...args: A) => Operation<T>, ...args: A): Promise<T> {
  refuseReentry('run');
  try {
    return new EventLoop().run(main, ...args);
  } catch (error) {
    return Promise.reject(error);
  }
}
