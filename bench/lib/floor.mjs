// The "floor" runtime: the least a generator scheduler in JS can do. Tasks
// are generators; the run queue is a plain array; a task yields `undefined`
// to go to the back of the queue or `PARK` to sleep until someone wakes it.
// No scopes, no errors, no cancellation, no timers, no I/O: what it costs is
// the cost of a generator context switch plus one array push/read, which is
// the floor any generator-based runtime (giambio, effection) sits above.
//
// Discussion: the queue is read through a head index and compacted now and
// then, instead of `shift()`, because `shift()` on a 100 000-element array is
// O(n) in V8 and would measure the array, not the switch.

/** Yielded by a task to suspend until `wake(task, value)`. */
export const PARK = Symbol("park");

/** One task: its generator, the value to resume it with, and who joins it. */
class Task {
  constructor(gen) {
    this.gen = gen;
    /** Value passed to the next `gen.next()`. */
    this.value = undefined;
    this.done = false;
    this.result = undefined;
    /** The one task parked in `join(this)`, if any. */
    this.joiner = null;
  }
}

/** Runnable tasks; entries before `head` have already been taken. */
let queue = [];
let head = 0;
/** The task whose generator is executing now. */
let current = null;

/** Start `fn(...args)` as a task at the back of the run queue. */
export function spawn(fn, ...args) {
  const task = new Task(fn(...args));
  queue.push(task);
  return task;
}

/** Make a parked task runnable, resuming it with `value`. */
export function wake(task, value) {
  task.value = value;
  queue.push(task);
}

/** The running task (valid inside a task's generator). */
export function currentTask() {
  return current;
}

/** Wait for `task` to return; gives its return value. */
export function* join(task) {
  if (task.done) return task.result;
  task.joiner = current;
  return yield PARK;
}

/**
 * Run `fn` as the main task and drive the queue until it is empty; returns
 * the main task's result (undefined if it is still parked: a deadlock).
 */
export function run(fn, ...args) {
  const root = spawn(fn, ...args);
  while (head < queue.length) {
    const task = queue[head++];
    if (head >= 4096 && head * 2 >= queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    current = task;
    const value = task.value;
    task.value = undefined;
    const step = task.gen.next(value);
    if (step.done) {
      task.done = true;
      task.result = step.value;
      if (task.joiner !== null) wake(task.joiner, step.value);
    } else if (step.value !== PARK) {
      queue.push(task);
    }
  }
  current = null;
  queue = [];
  head = 0;
  return root.result;
}

/**
 * Unbounded single-reader channel: `send` never blocks (buffers, or hands the
 * value straight to a parked reader and wakes it); `recv` parks when empty.
 */
export class Channel {
  constructor() {
    this.buffer = [];
    this.reader = null;
  }

  send(value) {
    const reader = this.reader;
    if (reader !== null) {
      this.reader = null;
      wake(reader, value);
    } else {
      this.buffer.push(value);
    }
  }

  *recv() {
    if (this.buffer.length > 0) return this.buffer.shift();
    this.reader = current;
    return yield PARK;
  }
}
