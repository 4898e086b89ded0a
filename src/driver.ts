/**
 * The automatic driver: runs a kernel on its host for `EventLoop.run`. (`loop.step()` drives by hand
 * and does not use it.)
 *
 * Discussion: ready tasks run in batches (each batch: expire timers, then run every task that was
 * ready at its start), and the host gets a macrotask turn at least every SLICE_MS, so a task looping
 * on checkpoint() cannot starve timers or I/O. When nothing is ready the driver arms one host timer
 * for the earliest deadline, or none, and waits for a host callback to wake a task. A virtual clock
 * (`Clock.idle`) is jumped to the next deadline instead, and one that moves by itself (`Clock.watch`)
 * wakes the driver when it does.
 * @internal
 */
import type { Host } from './host.js';
import type { Kernel } from './kernel.js';

/** Task resumes between two looks at the time slice while tasks keep running (see tick). */
const SLICE_CHECK_EVERY = 64;

/** Longest stretch (real ms) the automatic driver runs tasks before giving the host a turn. */
const SLICE_MS = 8;

export interface DriverEvents {
  /** Something threw out of the kernel: an internal fault. The driver has stopped. */
  fault(error: unknown): void;
  /** The loop went idle with no timer armed: maybe a deadlock. */
  idleForever(): void;
}

export class Driver {
  /** Running: the root task is alive and `run` drives it. */
  #auto = false;
  #tickScheduled = false;
  #inTick = false;
  #hostTimer: unknown = null;
  #hostTimerDeadline = Infinity;
  /** Clock time the driver started waiting on the host (for the debugger's afterIo), or NaN. */
  #waitingSince = NaN;
  #unwatch: (() => void) | null = null;
  /** A virtual clock moves by jump() (which wakes the driver through watch), not with real time. */
  readonly #watchesClock: boolean;

  constructor(
    private readonly kernel: Kernel,
    private readonly host: Host,
    private readonly events: DriverEvents,
  ) {
    this.#watchesClock = typeof kernel.clock.watch === 'function';
  }

  /** Inside a tick (a task or the driver itself is executing). */
  get busy(): boolean {
    return this.#inTick;
  }

  /** Driving, and waiting on the host: no tick is scheduled. */
  get waiting(): boolean {
    return this.#auto && !this.#tickScheduled;
  }

  /** Subscribes to a clock that moves by itself (the loop does this once it has a root task). */
  watchClock(): void {
    if (this.#watchesClock && this.#unwatch === null) this.#unwatch = this.kernel.clock.watch!(this.#clockMoved);
  }

  /**
   * The clock jumped. From inside a task step, due timers and deadlines are expired at once, so the
   * running task's next checkpoint, and the next batch, see the new time; otherwise the loop
   * looks again in a tick.
   */
  readonly #clockMoved = (): void => {
    const kernel = this.kernel;
    if (kernel.stepping && kernel.failure === null) kernel.expire(kernel.clock.now());
    else this.schedule();
  };

  /** Starts driving: from now on whatever becomes ready gets a tick. */
  start(): void {
    this.#auto = true;
    this.kernel.onReady = () => this.schedule();
  }

  stop(): void {
    this.#auto = false;
    this.kernel.onReady = null;
    this.#clearHostTimer();
    if (this.#unwatch !== null) { this.#unwatch(); this.#unwatch = null; }
  }

  schedule(): void {
    if (!this.#auto || this.#tickScheduled || this.#inTick) return;
    this.#tickScheduled = true;
    this.host.schedule(this.#enter);
  }

  /**
   * Host callbacks run the tick in a microtask: V8 runs microtasks under its own quiet try-catch,
   * so an exception thrown inside a task (a CancelledError at every cancelled trap, any error a
   * task catches) is not given the message object with a source location that V8 builds for a
   * throw in a plain macrotask callback. Measured: 20,000 throws into parked generators,
   * 39.7 ms from setImmediate → 16.6 ms in a microtask.
   */
  readonly #enter = (): void => {
    queueMicrotask(this.#tick);
  };

  readonly #tick = (): void => {
    this.#tickScheduled = false;
    if (!this.#auto) return;
    const kernel = this.kernel;
    const dbg = kernel.dbg;
    if (this.#waitingSince === this.#waitingSince) {
      if (dbg !== null) dbg.afterIo?.(kernel.clock.now() - this.#waitingSince);
      this.#waitingSince = NaN;
    }
    this.#inTick = true;
    try {
      const sliceEnd = performance.now() + SLICE_MS;
      const core = kernel.core;
      const clock = kernel.clock;
      for (;;) {
        // Each batch starts by expiring timers at a fresh reading of the clock (runBatches).
        const ran = kernel.runBatches(SLICE_CHECK_EVERY);
        if (!this.#auto) return; // the root ended
        if (ran >= SLICE_CHECK_EVERY) {
          if (performance.now() < sliceEnd) continue;
          this.#inTick = false;
          this.schedule();
          return;
        }
        // Nothing is ready, though timers were just expired at the clock's time.
        if (kernel.wakeBlockedWaiters()) continue;
        const deadline = core.nextDeadlineNow();
        if (kernel.hostWaits === 0 && clock.idle !== undefined && clock.idle(deadline)) continue;
        if (deadline <= clock.now()) continue;
        this.#waitForHost(deadline);
        if (deadline === Infinity) this.events.idleForever();
        return;
      }
    } catch (error) {
      this.events.fault(error);
    } finally {
      this.#inTick = false;
    }
  };

  #waitForHost(deadline: number): void {
    const now = this.kernel.clock.now();
    if (this.kernel.dbg !== null) {
      this.kernel.dbg.beforeIo?.(deadline - now);
      this.#waitingSince = now;
    }
    if (deadline === this.#hostTimerDeadline) return;
    this.#clearHostTimer();
    if (deadline === Infinity || this.#watchesClock) return;
    this.#hostTimerDeadline = deadline;
    this.#hostTimer = this.host.setTimer(this.#onHostTimer, Math.max(0, Math.ceil(deadline - now)));
  }

  readonly #onHostTimer = (): void => {
    this.#hostTimer = null;
    this.#hostTimerDeadline = Infinity;
    this.#enter();
  };

  #clearHostTimer(): void {
    if (this.#hostTimer !== null) {
      this.host.clearTimer(this.#hostTimer);
      this.#hostTimer = null;
      this.#hostTimerDeadline = Infinity;
    }
  }
}
