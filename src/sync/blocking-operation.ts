/**
 * A blocking method as a small object instead of a generator. Every blocking method has one shape:
 * a cancel point, then either the operation completes at once (and a schedule point follows) or
 * the task registers as a waiter and parks until a waker completes the operation for it. A
 * `BlockingKind` says how to attempt one kind of operation; `BlockingOperation` speaks the Operation
 * protocol (`yield*` drives it like a generator: the first `next()` yields one trap, the next one
 * returns the result).
 *
 * Discussion: a waiting task holds its operation for as long as it waits, and a queue ping-pong
 * makes one per message. A generator costs ~150 bytes plus its frame; this object ~64, and the
 * ping-pong ran 5–10% faster. One concrete class with the kind as data (not a subclass per kind),
 * since a subclass per kind measured no faster than the generator. The hot methods
 * (Queue.get/put, MemoryChannel.read/write, Event.wait) use it; the rest stay generator functions,
 * which read more plainly.
 * @internal
 */
import { runningKernel } from '../run-context.js';
import type { Operation, TaskImpl } from '../task.js';
import type { Instruction } from '../types.js';
import { doneWith, scheduleTrap, type Trap } from '../trap.js';

import { guardOperationClass } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';

/** Returned by `attempt` when the task registered as a waiter and must park. */
export const PARK: unique symbol = Symbol('park');

/** One kind of blocking operation on a subject of type S with an argument of type A. */
export interface BlockingKind<S, A, T> {
  /** The public name, for the error when called outside a task ("Queue.get()"). */
  readonly what: string;
  /**
   * Runs at the first step, in the calling task, after the cancel point: completes the operation
   * and returns its result, or registers `me` as a waiter and returns PARK. May throw.
   */
  attempt(subject: S, me: TaskImpl, arg: A): T | typeof PARK;
  /** The trap to yield after `attempt` returned PARK: `parkWith(abort, reason)`. */
  park(): Trap;
}

const NOT_STARTED = 0; // next() not called yet
const SCHEDULED = 1;   // completed at once; the schedule point was yielded; `result` holds the result
const PARKED = 2;      // the park was yielded; the waker's value is the result
const FINISHED = 3;

export class BlockingOperation<S, A, T> implements Operation<T> {
  private phase = NOT_STARTED;
  private result: T | undefined = undefined;

  constructor(readonly kind: BlockingKind<S, A, T>, private readonly subject: S, private arg: A) {}

  /** Finished: may be handed out again by `blockingOperation`. */
  get idle(): boolean {
    return this.phase === FINISHED;
  }

  /** Makes a finished operation new again, for `arg`. */
  restart(arg: A): this {
    this.phase = NOT_STARTED;
    this.arg = arg;
    return this;
  }

  next(value?: unknown): IteratorResult<Instruction, T> {
    switch (this.phase) {
      case NOT_STARTED: {
        this.phase = FINISHED; // if anything below throws, the operation is over
        const me = runningKernel(this.kind.what).current!;
        throwIfCancelled(me);
        const result = this.kind.attempt(this.subject, me, this.arg);
        this.arg = undefined as A; // a put's item now belongs to the queue (or the waiter record)
        if (result === PARK) {
          this.phase = PARKED;
          return this.kind.park().yielded;
        }
        this.result = result;
        this.phase = SCHEDULED;
        return scheduleTrap.yielded;
      }
      case SCHEDULED: {
        const result = this.result as T;
        this.result = undefined;
        this.phase = FINISHED;
        return doneWith(result);
      }
      case PARKED:
        this.phase = FINISHED;
        return doneWith(value as T);
      default:
        return doneWith(undefined as T);
    }
  }

  throw(error: unknown): IteratorResult<Instruction, T> {
    this.phase = FINISHED;
    throw error;
  }

  return(value: T): IteratorResult<Instruction, T> {
    this.phase = FINISHED;
    this.result = undefined;
    return doneWith(value);
  }

  [Symbol.iterator](): Operation<T> {
    return this;
  }
}

/**
 * `subject`'s spare operation of this kind made new for `arg` if it has finished, else a new one; the
 * caller keeps the result as its next spare. A task receiving in a loop then reuses one object
 * instead of allocating one per message (~2% of a queue ping-pong's instructions).
 * A spare that is still held unfinished (parked, or made and not yet driven) is never handed out
 * twice. Re-driving an operation after it finished is a bug in any case; with reuse it may drive a
 * later call's operation of the same subject.
 */
export function blockingOperation<S, A, T>(
  spare: BlockingOperation<S, A, T> | null, kind: BlockingKind<S, A, T>, subject: S, arg: A,
): BlockingOperation<S, A, T> {
  return spare !== null && spare.idle ? spare.restart(arg) : new BlockingOperation(kind, subject, arg);
}

guardOperationClass(BlockingOperation, (op) => op.kind.what);
