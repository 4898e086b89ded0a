/**
 * Worker pools, the caller's side: `withWorkers`, `runInWorker` and the pool they hand out. A call
 * is a park like any other: the calling task waits (a `parkOnHost`: the kernel counts it in `hostWaits`, so a virtual
 * clock never jumps past work a worker is doing, and the deadlock detector knows a wake may come),
 * and the message from the worker wakes it.
 *
 * Discussion: cancellation of a running call is a wait that cannot be abandoned. The abort sends a
 * `cancel` to the worker and returns false, so the task stays parked until the worker confirms that
 * the work stopped (a generator export is cancelled in the worker's own loop; its `finally` blocks
 * run there). A plain function cannot hear the message while it is busy, so a real-time timer of
 * `graceMs` terminates the worker, waits until it is gone, replaces it, and only then wakes the
 * caller with the CancelledError. A queued call is simply withdrawn: it never started.
 *
 * Idle workers are `unref`'d (Node, Bun): a pool whose workers have nothing to do does not keep the
 * process alive, and the deadlock detector's "nothing else alive in the host" stays true. A worker
 * with a call (or starting, or terminating) is ref'd.
 */
import { checkCount, checkMilliseconds, checkOptions, checkString, typeError } from '../check.js';
import { disposeSymbol } from '../disposable.js';
import { ResourceBroken, ResourceClosed, newCancelledError } from '../errors.js';
import type { Kernel } from '../kernel.js';
import { runningKernel } from '../run-context.js';
import { startGenerator } from '../spawnable.js';
import { throwIfCancelled } from '../cancel-point.js';
import { guardOperationClass } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';
import type { TaskImpl } from '../task.js';
import type { Operation } from '../types.js';
import { scheduleTrap, type AbortFn, parkOnHost } from '../trap.js';
import type { WorkerBackend, WorkerHandle } from './backend.js';
import { deserializeError, type FromWorker } from './protocol.js';
import type { AnyWorkerModule, WorkerCallOptions, WorkerPool, WorkerPoolOptions, WorkerPoolStatistics } from './types.js';

const QUEUED = 0;     // waiting for an idle worker
const RUNNING = 1;    // posted to a worker
const CANCELLING = 2; // cancel sent; waiting for the worker to confirm, or for the grace to end
const DONE = 3;       // the caller has been woken (or withdrawn)

/** One call, from `call` until its caller is woken. */
class PendingCall {
  state = QUEUED;
  worker: WorkerSlot | null = null;
  grace: ReturnType<typeof setTimeout> | null = null;
  /** The park's abort (one per call: it knows which call to withdraw). */
  readonly abort: AbortFn;
  constructor(
    readonly pool: Pool, readonly id: number, readonly name: string, readonly args: unknown[],
    readonly transfer: readonly object[] | undefined, readonly task: TaskImpl, readonly kernel: Kernel,
  ) {
    this.abort = () => pool.abortCall(this);
  }
}

/** One worker of a pool. Replaced by a new slot (same index) when it dies or is terminated. */
class WorkerSlot {
  handle!: WorkerHandle;
  ready = false;
  /** Terminated or died: its late events are ignored. */
  gone = false;
  call: PendingCall | null = null;
  constructor(readonly index: number, readonly label: string) {}
}

/** The pool behind the `WorkerPool` interface. */
class Pool implements WorkerPool<AnyWorkerModule> {
  readonly size: number;
  readonly name: string;
  readonly #backend: WorkerBackend;
  readonly #url: string | URL;
  readonly #options: WorkerPoolOptions;
  readonly #graceMs: number;
  readonly #workers: WorkerSlot[] = [];
  /** Calls waiting for a worker, oldest first (`#head` is the next one). */
  #queue: PendingCall[] = [];
  #head = 0;
  #nextId = 1;
  #started = 0;
  #replaced = 0;
  #closed = false;
  /** The export names, once a worker has reported them. */
  #exports: Set<string> | null = null;
  #exportList = '';
  /** A worker failed before it became ready: the module cannot start, every call fails with this. */
  #broken: ResourceBroken | null = null;
  /** Terminations in flight, awaited by `close`. */
  readonly #terminating = new Set<Promise<void>>();

  constructor(backend: WorkerBackend, url: string | URL, options: WorkerPoolOptions, graceMs: number, size: number) {
    this.#backend = backend;
    this.#url = url;
    this.#options = options;
    this.#graceMs = graceMs;
    this.size = size;
    this.name = options.name ?? 'giambio-worker';
    try {
      for (let i = 0; i < size; i++) this.#spawn(i);
    } catch (error) {
      this.closeNow(); // the workers started before the failure (a bad URL fails the first one)
      throw error;
    }
  }

  // ---- workers ----------------------------------------------------------------------------------

  #spawn(index: number): void {
    const slot = new WorkerSlot(index, `${this.name}#${index + 1}`);
    this.#workers[index] = slot;
    slot.handle = this.#backend.spawn(this.#url, slot.label, this.#options.resourceLimits, {
      message: (data) => { if (!slot.gone) this.#onMessage(slot, data as FromWorker); },
      died: (cause) => { if (!slot.gone) this.#onDied(slot, cause); },
    });
  }

  #onMessage(slot: WorkerSlot, message: FromWorker): void {
    if (message.t === 'ready') {
      slot.ready = true;
      if (this.#exports === null) {
        this.#exports = new Set(message.n);
        this.#exportList = message.n.length === 0 ? '(none)' : message.n.map((n) => `\`${n}\``).join(', ');
      }
      this.#idle(slot);
      return;
    }
    const call = slot.call;
    if (call === null || call.id !== message.i) return; // a reply to a call that was settled already
    slot.call = null;
    if (message.t === 'ok') {
      if (call.state === CANCELLING) this.#settle(call, false, cancelErrorOf(call));
      else this.#settle(call, true, message.v);
    } else if (message.t === 'err') {
      this.#settle(call, false, deserializeError(message.e, slot.label));
    } else {
      this.#settle(call, false, cancelErrorOf(call));
    }
    this.#idle(slot);
  }

  #onDied(slot: WorkerSlot, cause: unknown): void {
    slot.gone = true;
    const call = slot.call;
    slot.call = null;
    if (!slot.ready) {
      // It never started: the module itself is broken (a bad URL, a syntax error, no expose()).
      // Replacing it would fail the same way, so the pool stops starting workers.
      this.#broken ??= new ResourceBroken(`worker ${slot.label} failed to start`, { cause });
      this.#failQueued(this.#broken);
      if (call !== null) this.#settle(call, false, this.#broken);
      return;
    }
    if (call !== null) {
      this.#settle(call, false, call.state === CANCELLING ? cancelErrorOf(call)
        : new ResourceBroken(`worker ${slot.label} died while running \`${call.name}\``, { cause }));
    }
    if (!this.#closed) { this.#replaced++; this.#spawn(slot.index); }
  }

  /** Hands `slot` the next queued call, or lets it idle. */
  #idle(slot: WorkerSlot): void {
    if (this.#closed || slot.gone) return;
    while (this.#head < this.#queue.length) {
      const call = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined!;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) { this.#queue = this.#queue.slice(this.#head); this.#head = 0; }
      if (call.state !== QUEUED) continue;
      const error = this.#post(slot, call);
      if (error === null) return;
      this.#settle(call, false, error); // its arguments could not be cloned after all
    }
    slot.handle.unref();
  }

  /** Sends `call` to `slot`; returns the TypeError if it cannot be cloned (nothing was sent). */
  #post(slot: WorkerSlot, call: PendingCall): TypeError | null {
    try {
      slot.handle.post({ t: 'call', i: call.id, n: call.name, a: call.args }, call.transfer);
    } catch (error) {
      return cloneError(call.name, error);
    }
    slot.handle.ref();
    slot.call = call;
    call.worker = slot;
    call.state = RUNNING;
    this.#started++;
    return null;
  }

  /** Terminates `slot` (ref'd until it is gone); then `after` runs, and a replacement starts. */
  #terminate(slot: WorkerSlot, after: () => void, replace: boolean): void {
    slot.gone = true;
    slot.handle.ref();
    const done = slot.handle.terminate().then(() => undefined, () => undefined).then(() => {
      this.#terminating.delete(done);
      after();
      if (replace && !this.#closed) { this.#replaced++; this.#spawn(slot.index); }
    });
    this.#terminating.add(done);
  }

  // ---- calls --------------------------------------------------------------------------------------

  // Bound (arrow) methods: `pool.spawn(workers.call, 'name', arg)` works.
  readonly call = (name: string, ...args: unknown[]): Operation<unknown> =>
    debugOperation(this.operation('workers.call()', name, args, undefined), 'workers.call()');

  readonly callWith = (options: WorkerCallOptions, name: string, ...args: unknown[]): Operation<unknown> => {
    checkOptions('callWith options', options);
    const transfer = options.transfer;
    if (transfer !== undefined && !Array.isArray(transfer)) {
      throw typeError('transfer', 'an array of ArrayBuffers and MessagePorts', transfer);
    }
    return debugOperation(this.operation('workers.callWith()', name, args, transfer), 'workers.callWith()');
  };

  /** @internal The call operation (guarded below: awaiting it rejects). */
  *operation(what: string, name: string, args: unknown[], transfer: readonly object[] | undefined): Operation<unknown> {
    const kernel = runningKernel(what);
    const me = kernel.current!;
    checkString('the export name', name);
    if (this.#exports !== null && !this.#exports.has(name)) throw this.#unknownExport(name);
    throwIfCancelled(me);
    if (this.#closed) throw new ResourceClosed(`${what} on worker pool ${this.name}, which has exited`);
    if (this.#broken !== null) throw this.#broken;
    const call = new PendingCall(this, this.#nextId++, name, args, transfer, me, kernel);
    const idle = this.#idleWorker();
    if (idle !== null) {
      const error = this.#post(idle, call);
      if (error !== null) throw error;
    } else {
      // It has to wait: check now that it can be sent at all, so the TypeError comes at the call.
      if (transfer === undefined || transfer.length === 0) {
        try { structuredClone(args); } catch (error) { throw cloneError(name, error); }
      }
      this.#queue.push(call);
    }
    const value = yield parkOnHost(call.abort, `worker call \`${name}\``);
    return value;
  }

  #idleWorker(): WorkerSlot | null {
    for (const slot of this.#workers) if (slot.ready && !slot.gone && slot.call === null) return slot;
    return null;
  }

  #unknownExport(name: string): TypeError {
    return new TypeError(`Worker module ${String(this.#url)} has no export \`${name}\`; it exposes ${this.#exportList}`);
  }

  /** Wakes the caller of `call` once (outside any step: from a worker's message or exit). */
  #settle(call: PendingCall, ok: boolean, value: unknown): void {
    if (call.state === DONE) return;
    call.state = DONE;
    if (call.grace !== null) { clearTimeout(call.grace); call.grace = null; }
    const kernel = call.kernel;
    // The task may have been ended without its cooperation (loop.close()), or the loop died.
    if (kernel.failure !== null || call.task.abort !== call.abort) return;
    // An unknown export is reported by the worker (if no worker had reported its exports yet).
    if (ok) kernel.wake(call.task, value); else kernel.wakeThrow(call.task, value);
  }

  /** The park's abort: cancellation reached the caller of `call`. */
  abortCall(call: PendingCall): boolean {
    if (call.state === QUEUED) {
      call.state = DONE; // withdrawn: #idle skips it, it never starts
      return true;
    }
    if (call.state !== RUNNING) return false; // cancelling already, or settled (never parked)
    call.state = CANCELLING;
    const slot = call.worker!;
    try { slot.handle.post({ t: 'cancel', i: call.id }, undefined); } catch { /* it is going away anyway */ }
    call.grace = setTimeout(() => {
      call.grace = null;
      if (call.state !== CANCELLING || slot.call !== call) return;
      // Still busy after the grace: stop it for good, then wake the caller.
      slot.call = null;
      this.#terminate(slot, () => this.#settle(call, false, cancelErrorOf(call)), true);
    }, this.#graceMs);
    return false;
  }

  #failQueued(error: unknown): void {
    for (let i = this.#head; i < this.#queue.length; i++) {
      const call = this.#queue[i]!;
      if (call.state === QUEUED) this.#settle(call, false, error);
    }
    this.#queue = [];
    this.#head = 0;
  }

  // ---- the pool's life ----------------------------------------------------------------------------

  statistics(): WorkerPoolStatistics {
    let busy = 0, idle = 0, queued = 0;
    for (const slot of this.#workers) {
      if (slot.gone) continue;
      if (slot.call !== null) busy++;
      else if (slot.ready) idle++;
    }
    for (let i = this.#head; i < this.#queue.length; i++) if (this.#queue[i]!.state === QUEUED) queued++;
    return { size: this.size, busy, idle, queued, started: this.#started, replaced: this.#replaced };
  }

  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new ResourceClosed(`worker pool ${this.name} was closed`);
    this.#failQueued(closed);
    for (const slot of this.#workers) {
      if (slot.gone) continue;
      const call = slot.call;
      slot.call = null;
      this.#terminate(slot, () => { if (call !== null) this.#settle(call, false, call.state === CANCELLING ? cancelErrorOf(call) : closed); }, false);
    }
  }

  /** `closeNow()`, for `using` (under the registry key where a runtime lacks `Symbol.dispose`). */
  [disposeSymbol](): void {
    this.closeNow();
  }

  declare [Symbol.dispose]: () => void;

  /** Terminates every worker and waits until all are gone; cancellation cannot cut this short. */
  *close(): Operation<void> {
    this.closeNow();
    if (this.#terminating.size === 0) { yield scheduleTrap; return; }
    yield* waitUninterruptibly(Promise.all(this.#terminating), `worker pool ${this.name} terminating`);
  }
}

/** Never abandons the wait: the task stays parked until the promise settles. */
const abortNever: AbortFn = () => false;

function* waitUninterruptibly(promise: Promise<unknown>, reason: string): Operation<void> {
  const kernel = runningKernel(reason);
  const me = kernel.current!;
  let settled = false;
  const wake = (): void => {
    if (settled) return;
    settled = true;
    if (kernel.failure === null && me.abort === abortNever) kernel.wake(me, undefined);
  };
  promise.then(wake, wake);
  yield parkOnHost(abortNever, reason);
}

function cancelErrorOf(call: PendingCall): unknown {
  return call.task.scope.cancelledBy?.cancelError ?? newCancelledError(`worker call \`${call.name}\` was cancelled`);
}

function cloneError(name: string, error: unknown): TypeError {
  const detail = error instanceof Error ? error.message : String(error);
  return new TypeError(`The arguments of worker call \`${name}\` cannot be cloned (nothing was sent): ${detail}`, { cause: error });
}

/** Checks `withWorkers`' options; returns the grace and size. */
function checkPoolOptions(options: unknown, backend: WorkerBackend): { graceMs: number; size: number } {
  checkOptions('withWorkers options', options);
  const { size, name, graceMs = 100, resourceLimits } = options as WorkerPoolOptions;
  if (size !== undefined) checkCount('size', size, 1, false);
  if (name !== undefined) checkString('name', name);
  checkMilliseconds('graceMs', graceMs, false);
  if (resourceLimits !== undefined && (typeof resourceLimits !== 'object' || resourceLimits === null)) {
    throw typeError('resourceLimits', 'an object', resourceLimits);
  }
  return { graceMs, size: size ?? Math.max(1, backend.parallelism()) };
}

function moduleUrlOf(module: unknown): string | URL {
  if (typeof module === 'string' || module instanceof URL) return module;
  if (typeof module === 'object' && module !== null && 'url' in module) return moduleUrlOf((module as { url: unknown }).url);
  throw typeError('the worker module', 'a URL or a string', module);
}

/** `withWorkers` for one backend (node.ts and web.ts bind it). @internal */
export function* withWorkersOn<T>(
  backend: WorkerBackend, module: unknown, options: WorkerPoolOptions, body: (workers: WorkerPool<AnyWorkerModule>) => Operation<T>,
): Operation<T> {
  const kernel = runningKernel('withWorkers()');
  throwIfCancelled(kernel.current!);
  const url = moduleUrlOf(module);
  const { graceMs, size } = checkPoolOptions(options, backend);
  const pool = new Pool(backend, url, options, graceMs, size);
  try {
    return yield* startGenerator<T>('withWorkers', body, [pool]);
  } finally {
    yield* pool.close();
  }
}

/** `runInWorker` for one backend. @internal */
export function* runInWorkerOn(backend: WorkerBackend, module: unknown, name: string, args: unknown[]): Operation<unknown> {
  return yield* withWorkersOn(backend, module, { size: 1, name: `runInWorker(${typeof name === 'string' ? name : '?'})` },
    function* (workers) { return yield* workers.call(name, ...args); });
}

// Awaiting any operation these make rejects (operation-guard.ts), naming it as users write it.
guardOperationClass(Pool.prototype.operation, 'workers.call()');
guardOperationClass(withWorkersOn, 'withWorkers()');
guardOperationClass(runInWorkerOn, 'runInWorker()');
