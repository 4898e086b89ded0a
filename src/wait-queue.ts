/**
 * A FIFO of parked tasks, linked through each task's own WaitNode (a task waits on one thing at a
 * time, so one node per task, made on its first wait), so enqueueing, dequeueing and withdrawing a
 * cancelled waiter are O(1) and allocate nothing after a task's first wait.
 * Every primitive (Event, Queue, Lock, channels, joins) keeps its waiters in these.
 * @internal
 */
import type { TaskExtra, TaskImpl } from './task.js';

/**
 * A task's place in wait queues, and the value it waits with: made on its first wait and reused
 * for every later one, so a task that never waits on a primitive (a sleeper, a spawned worker)
 * carries one null field instead of five, and a task that does allocates once. It also holds the
 * task's rare state (task.ts), so that costs the task record no field of its own. @internal
 */
export class WaitNode {
  list: WaitQueue | null = null;
  /** What the task brings or receives through its wait (a put's item, a receiver's handle). */
  value: unknown = undefined;
  prev: WaitNode | null = null;
  next: WaitNode | null = null;
  /** The task's rare state (TaskExtra in task.ts), made on first use. */
  extra: TaskExtra | null = null;
  constructor(readonly task: TaskImpl) {}
}

export class WaitQueue {
  #head: WaitNode | null = null;
  #tail: WaitNode | null = null;
  length = 0;

  /** The oldest waiter, or null. */
  get head(): TaskImpl | null {
    return this.#head === null ? null : this.#head.task;
  }

  push(task: TaskImpl, value?: unknown): void {
    // Invariant: a task is in at most one WaitQueue.
    const node = task.waitNode ?? (task.waitNode = new WaitNode(task));
    node.list = this;
    node.value = value;
    node.next = null;
    node.prev = this.#tail;
    if (this.#tail === null) this.#head = node; else this.#tail.next = node;
    this.#tail = node;
    this.length++;
  }

  /** Removes and returns the oldest waiter, or null. */
  shift(): TaskImpl | null {
    const node = this.#head;
    if (node === null) return null;
    this.#unlink(node);
    return node.task;
  }

  /** Withdraws `task` if it is in this queue; returns whether it was. */
  remove(task: TaskImpl): boolean {
    const node = task.waitNode;
    if (node === null || node.list !== this) return false;
    this.#unlink(node);
    return true;
  }

  #unlink(node: WaitNode): void {
    if (node.prev === null) this.#head = node.next; else node.prev.next = node.next;
    if (node.next === null) this.#tail = node.prev; else node.next.prev = node.prev;
    node.prev = node.next = null;
    node.list = null;
    this.length--;
  }

  /** The waiters, oldest first (a snapshot: safe to wake them while iterating). */
  toArray(): TaskImpl[] {
    const out: TaskImpl[] = [];
    for (let n = this.#head; n !== null; n = n.next) out.push(n.task);
    return out;
  }
}
