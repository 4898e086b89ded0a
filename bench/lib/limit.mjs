// The "limit" runtime: the physical limit of a generator scheduler in JS, stricter than the floor.
// A task yields one shared instruction object per suspension (no generator, closure or object per
// operation): `YIELD` (back of the run queue), `PARK` (until `wake`), a channel's `recvOp`, `SLEEP`
// (whose `ms` field the task writes just before yielding) or `WAIT_CHILDREN` (until every task it
// spawned has returned). The run queue is drained in batches by swapping two arrays. Timers are a
// binary min-heap of (deadline, seq) in typed arrays with one host `setTimeout` armed for the
// earliest deadline; expiry moves every due timer to the run queue in one pass. A sleep's deadline is
// the clock at the sleep plus its length (as `setTimeout`, trio and giambio date it), so a sleep lasts
// at least what it asks; dating it from the batch's start instead (libuv's cached loop time) would
// let a task armed late in a long batch sleep less than asked, and the timers workload's audit
// (`SleepAudit` in common.mjs) refuses that. Cancellation throws one shared error into each parked
// generator (running its `finally`) and catches it.
// No scopes, no error propagation, no checks: nothing any real runtime can go below.
//
// Discussion: every instruction is an `Instruction` (one hidden class), so the dispatch on
// `ins.kind` is monomorphic; a receive that finds a buffered value resumes the same task at once
// without a trip through the run queue, as a real runtime's fast path would.

import { performance } from "node:perf_hooks";

const K_YIELD = 0;
const K_PARK = 1;
const K_RECV = 2;
const K_SLEEP = 3;
const K_WAIT = 4;

/** One suspension request; all instructions share this shape. */
class Instruction {
  constructor(kind, channel) {
    /** What the task waits for: one of the K_* codes. */
    this.kind = kind;
    /** The channel of a receive (K_RECV), else null. */
    this.channel = channel;
    /** Sleep length in ms (K_SLEEP), written by `sleep(ms)` just before the yield. */
    this.ms = 0;
  }
}

/** `yield YIELD`: go to the back of the run queue. */
export const YIELD = new Instruction(K_YIELD, null);
/** `yield PARK`: suspend until `wake(task, value)`. */
export const PARK = new Instruction(K_PARK, null);
/** `yield WAIT_CHILDREN`: suspend until every task this one spawned has returned. */
export const WAIT_CHILDREN = new Instruction(K_WAIT, null);
const SLEEP = new Instruction(K_SLEEP, null);

/** `yield sleep(ms)`: the shared SLEEP instruction with its length set (no allocation). */
export function sleep(ms) {
  SLEEP.ms = ms;
  return SLEEP;
}

/** The error thrown into parked tasks by `cancelParked()`. */
export const CANCELLED = new Error("cancelled");

/** A task: its generator, the value for its next resume, its parent and live-children count. */
class Task {
  constructor(gen, parent) {
    this.gen = gen;
    /** Value passed to the next `gen.next()`. */
    this.value = undefined;
    /** The task that spawned this one (null for the root). */
    this.parent = parent;
    /** Spawned tasks not yet returned; a parent in WAIT_CHILDREN wakes when it reaches 0. */
    this.children = 0;
    /** True while parked in WAIT_CHILDREN. */
    this.waiting = false;
  }
}

/** Tasks runnable in the next batch; `batch` is the one being drained. */
let next = [];
let batch = [];
/** The task whose generator is executing. */
let current = null;
/** The clock when the host timer fired (ms, performance.now()): what expiry compares deadlines to. */
let loopNow = 0;

// Timer heap: entry i is (deadlines[i], seqs[i], tasks[i]); a parent is never later than its children.
let deadlines = new Float64Array(1024);
let seqs = new Float64Array(1024);
let tasks = new Array(1024);
let heapLen = 0;
let seqNext = 0;
let hostTimer = null;

function less(i, j) {
  const a = deadlines[i];
  const b = deadlines[j];
  return a < b || (a === b && seqs[i] < seqs[j]);
}

function swap(i, j) {
  const d = deadlines[i];
  deadlines[i] = deadlines[j];
  deadlines[j] = d;
  const s = seqs[i];
  seqs[i] = seqs[j];
  seqs[j] = s;
  const t = tasks[i];
  tasks[i] = tasks[j];
  tasks[j] = t;
}

function heapPush(deadline, task) {
  if (heapLen === deadlines.length) {
    const d = new Float64Array(heapLen * 2);
    d.set(deadlines);
    deadlines = d;
    const s = new Float64Array(heapLen * 2);
    s.set(seqs);
    seqs = s;
  }
  let i = heapLen++;
  deadlines[i] = deadline;
  seqs[i] = seqNext++;
  tasks[i] = task;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(i, p)) break;
    swap(i, p);
    i = p;
  }
}

function heapPopInto(queue) {
  queue.push(tasks[0]);
  const last = --heapLen;
  deadlines[0] = deadlines[last];
  seqs[0] = seqs[last];
  tasks[0] = tasks[last];
  tasks[last] = undefined;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= heapLen) break;
    const r = l + 1;
    const m = r < heapLen && less(r, l) ? r : l;
    if (!less(m, i)) break;
    swap(i, m);
    i = m;
  }
}

/** Start `fn(arg)` as a child of the running task, at the back of the run queue. */
export function spawn(fn, arg) {
  const task = new Task(fn(arg), current);
  if (current !== null) current.children++;
  next.push(task);
  return task;
}

/** Make a parked task runnable, resuming it with `value`. */
export function wake(task, value) {
  task.value = value;
  next.push(task);
}

function finished(task) {
  const parent = task.parent;
  if (parent !== null && --parent.children === 0 && parent.waiting) {
    parent.waiting = false;
    next.push(parent);
  }
}

/** Resume `task` until it suspends or returns. */
function step(task) {
  current = task;
  let value = task.value;
  task.value = undefined;
  for (;;) {
    const r = task.gen.next(value);
    if (r.done) return finished(task);
    const ins = r.value;
    switch (ins.kind) {
      case K_YIELD:
        next.push(task);
        return;
      case K_RECV: {
        const ch = ins.channel;
        if (ch.head < ch.buffer.length) {
          value = ch.take();
          continue;
        }
        ch.reader = task;
        return;
      }
      case K_SLEEP: // dated from the sleep, not the batch (see the file comment)
        heapPush(performance.now() + ins.ms, task);
        return;
      case K_WAIT:
        if (task.children === 0) {
          value = undefined;
          continue;
        }
        task.waiting = true;
        return;
      default: // K_PARK
        return;
    }
  }
}

function drain() {
  while (next.length > 0) {
    const b = next;
    next = batch;
    batch = b;
    for (let i = 0; i < b.length; i++) step(b[i]);
    b.length = 0;
  }
  current = null;
}

/**
 * Run `fn(arg)` as the root task until nothing is runnable and no timer is armed; resolves then.
 * The host timer fires for the earliest deadline; every due timer goes to the run queue at once.
 */
export function run(fn, arg) {
  return new Promise((resolve) => {
    loopNow = performance.now();
    spawn(fn, arg);
    const turn = () => {
      hostTimer = null;
      loopNow = performance.now();
      while (heapLen > 0 && deadlines[0] <= loopNow) heapPopInto(next);
      drain();
      if (heapLen > 0) hostTimer = setTimeout(turn, Math.max(0, deadlines[0] - performance.now()));
      else resolve();
    };
    drain();
    if (heapLen > 0) hostTimer = setTimeout(turn, Math.max(0, deadlines[0] - performance.now()));
    else resolve();
  });
}

/**
 * Cancel every task parked on a timer: disarm the host timer, empty the heap, and throw the
 * shared CANCELLED error into each generator (its `finally` runs), catching it. Tasks run by the
 * finally blocks (e.g. a parent whose last child ended) run before this returns.
 */
export function cancelSleepers() {
  if (hostTimer !== null) {
    clearTimeout(hostTimer);
    hostTimer = null;
  }
  const n = heapLen;
  const parked = tasks;
  heapLen = 0;
  tasks = new Array(1024);
  const saved = current;
  for (let i = 0; i < n; i++) {
    const task = parked[i];
    current = task;
    try {
      task.gen.throw(CANCELLED);
    } catch (err) {
      if (err !== CANCELLED) throw err;
    }
    finished(task);
  }
  current = saved;
}

/** Unbounded single-reader channel; `yield ch.recvOp` receives (at once if buffered). */
export class Channel {
  constructor() {
    this.buffer = [];
    this.head = 0;
    /** The task parked in a receive, or null. */
    this.reader = null;
    /** The one instruction object for receiving from this channel. */
    this.recvOp = new Instruction(K_RECV, this);
  }

  send(value) {
    const reader = this.reader;
    if (reader !== null) {
      this.reader = null;
      reader.value = value;
      next.push(reader);
    } else {
      this.buffer.push(value);
    }
  }

  /** @internal Take the oldest buffered value. */
  take() {
    const v = this.buffer[this.head++];
    if (this.head === this.buffer.length) {
      this.buffer.length = 0;
      this.head = 0;
    }
    return v;
  }
}
