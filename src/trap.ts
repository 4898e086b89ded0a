/**
 * The trap table: every way a task can hand control to the loop. A task suspends by yielding one of
 * these singletons (from the bottom of an `Operation`); the loop dispatches it in `Kernel.dispatch`,
 * one handler per kind. Arguments travel in the trap's fields, written immediately before the
 * `yield`: nothing else can run between the write and the loop's read, and no object is allocated.
 * @internal
 */
import type { TaskImpl } from './task.js';
import type { Instruction } from './types.js';

/**
 * Withdraws a parked task from whatever it waits on, when cancellation reaches it. Returns true if
 * the task was withdrawn (it then receives `CancelledError`), false if the wait cannot be abandoned
 * (the task stays parked until woken, and sees the cancellation at its next checkpoint).
 */
export type AbortFn = ((task: TaskImpl) => boolean) & {
  /** What a task parked with this abort waits on (set by parkWith): for dumps and deadlock reports. */
  reason?: string;
  /**
   * The wait is on the host (a callback, I/O): set by `parkOnHost`. The kernel counts such a parked
   * task in `hostWaits` from the park to its wake or withdrawal, so a virtual clock never jumps past
   * I/O in flight; nothing else keeps that count.
   */
  host?: boolean;
};

export const TRAP_CHECKPOINT = 0; // cancel point + schedule point
export const TRAP_SCHEDULE = 1;   // schedule point only (after an operation that already happened)
export const TRAP_SLEEP = 2;      // park until `clock() + ms`
export const TRAP_PARK = 3;       // park until woken; `abort` undoes the park

/**
 * The closed set of trap kinds. `Kernel.dispatch` switches over it and ends in an exhaustiveness
 * check, so a kind added here without a handler there does not compile.
 */
export type TrapKind = typeof TRAP_CHECKPOINT | typeof TRAP_SCHEDULE | typeof TRAP_SLEEP | typeof TRAP_PARK;

/** A trap is the loop's `Instruction` (the brand exists only in the types). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Trap extends Instruction {}
export class Trap {
  /** Milliseconds, for TRAP_SLEEP. */
  ms = 0;
  /** How to undo the park, for TRAP_PARK. */
  abort: AbortFn | null = null;
  /**
   * The iterator result that yields this trap, shared by every operation that yields it; never
   * written. Not frozen: a frozen object has a hidden class of its own, and the `done` and `value`
   * reads in every `yield*` and in the kernel's resume, which also see a generator's own results
   * (the same class as this literal's), would turn polymorphic.
   */
  readonly yielded: IteratorYieldResult<Trap>;
  constructor(readonly kind: TrapKind) {
    this.yielded = { value: this, done: false as const };
  }
}

/**
 * What the loop resumes a task with after a checkpoint, a schedule point or a sleep (the traps that
 * bring no value). The one-trap operations (operations.ts) are shared objects with no state of their
 * own: `yield*` calls their `next()` first with `undefined` (yield the trap), and the resume brings
 * RESUMED (done). So `checkpoint()` allocates nothing. Invisible to user code: those operations
 * return `undefined`, and every other yield of these traps discards the resume value.
 */
export const RESUMED: unique symbol = Symbol('giambio.resumed');

export const checkpointTrap = new Trap(TRAP_CHECKPOINT);
export const scheduleTrap = new Trap(TRAP_SCHEDULE);
export const sleepTrap = new Trap(TRAP_SLEEP);
export const parkTrap = new Trap(TRAP_PARK);

/**
 * Like `parkWith`, for a wait that a host callback ends (a Promise, a socket, a DOM event): the
 * kernel counts the task in `hostWaits` while it is parked. The caller yields the result at once.
 */
export function parkOnHost(abort: AbortFn, reason: string): Trap {
  if (abort.host !== true) abort.host = true;
  return parkWith(abort, reason);
}

/** Fills the park trap; the caller yields the result at once. */
export function parkWith(abort: AbortFn, reason: string): Trap {
  parkTrap.abort = abort;
  // The reason rides on the abort function (one per primitive and operation), so a parked task
  // needs no field of its own for it.
  if (abort.reason !== reason) abort.reason = reason;
  return parkTrap;
}

/**
 * The shared completion result of one-trap operations: `yield*` reads a result's `done` and
 * `value` at once and keeps neither, so one rewritten object serves every operation (and each trap
 * carries its own `{ value: trap, done: false }`), with no allocation per step.
 */
const doneResult: { value: unknown; done: true } = { value: undefined, done: true };
/** The shared completion result, holding `value` until the next one replaces it. */
export function doneWith<T>(value: T): IteratorReturnResult<T> {
  doneResult.value = value;
  return doneResult as IteratorReturnResult<T>;
}
