/**
 * A FIFO of parked tasks, linked through the tasks themselves (a task waits on one thing at a time),
 * so enqueueing, dequeueing and withdrawing a cancelled waiter are O(1) and allocate nothing.
 * Every primitive (Event, Queue, Lock, channels, joins) keeps its waiters in these.
 * @internal
 */
import type { TaskImpl } from './task.js';

export class WaitQueue {
  head: TaskImpl | null = null;
  tail: TaskImpl | null = null;
  length = 0;

  push(task: TaskImpl, value?: unknown): void {
    // Invariant: a task is in at most one WaitQueue.
    task.waitList = this;
    task.waitValue = value;
    task.waitNext = null;
    task.waitPrev = this.tail;
    if (this.tail === null) this.head = task; else this.tail.waitNext = task;
    this.tail = task;
    this.length++;
  }

  /** Removes and returns the oldest waiter, or null. */
  shift(): TaskImpl | null {
    const task = this.head;
    if (task !== null) this.remove(task);
    return task;
  }

  /** Withdraws `task` if it is in this queue; returns whether it was. */
  remove(task: TaskImpl): boolean {
    if (task.waitList !== this) return false;
    if (task.waitPrev === null) this.head = task.waitNext; else task.waitPrev.waitNext = task.waitNext;
    if (task.waitNext === null) this.tail = task.waitPrev; else task.waitNext.waitPrev = task.waitPrev;
    task.waitPrev = task.waitNext = null;
    task.waitList = null;
    this.length--;
    return true;
  }

  /** The waiters, oldest first (a snapshot: safe to wake them while iterating). */
  toArray(): TaskImpl[] {
    const out: TaskImpl[] = [];
    for (let t = this.head; t !== null; t = t.waitNext) out.push(t);
    return out;
  }
}
