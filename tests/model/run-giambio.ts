/**
 * Runs a random program on giambio: a loop on an autojumping MockClock with the debug core, a
 * Debugger that writes every task step and task end into the trace, and a host that notices when
 * the loop has nothing left to do but the run has not settled (a hang).
 */
import { EventLoop } from '../../src/loop.js';
import { MockClock } from '../../src/testing.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { checkpoint, clock, currentTask, sleep } from '../../src/operations.js';
import { createPool, shield, skipAfter, withTimeout, type TaskPool } from '../../src/pool.js';
import { Event } from '../../src/sync/event.js';
import { Queue } from '../../src/sync/queue.js';
import type { Debugger } from '../../src/debugger.js';
import type { Host } from '../../src/host.js';
import type { Task } from '../../src/task.js';
import { EVENTS, type PoolKind, type Program } from './program.js';
import { Interpreter, Trace, desc, finallyViolations, type Op, type Runtime } from './interpret.js';
import type { Operation } from '../../src/types.js';

class GiambioRuntime implements Runtime<TaskPool, Task> {
  readonly events = Array.from({ length: EVENTS }, () => new Event<unknown>());
  readonly queues: Queue<unknown>[];

  constructor(program: Program) {
    this.queues = program.queues.map((max) => new Queue<unknown>(max));
  }

  now(): number { return clock(); }
  taskName(): string { return currentTask().name; }
  sleep(ms: number): Op<void> { return sleep(ms); }
  checkpoint(): Op<void> { return checkpoint(); }
  *foreign(): Op<void> { yield 5; }
  pool<T>(kind: PoolKind, ms: number, model: (pool: TaskPool) => Op<T>): Op<T | undefined> {
    // The model's operations yield any runtime's instructions; giambio's are branded (Instruction).
    const body = model as (pool: TaskPool) => Operation<T>;
    switch (kind) {
      case 'pool': return createPool(body);
      case 'timeout': return withTimeout(ms, body);
      case 'skip': return skipAfter(ms, body);
      case 'shield': return shield(body);
    }
  }
  spawn(pool: TaskPool, name: string, body: () => Op<unknown>): Task { return pool.spawnWith({ name }, body as () => Operation<unknown>); }
  cancelTask(task: Task): void { task.cancel(); }
  cancelPool(pool: TaskPool): void { pool.cancel(); }
  setDeadline(pool: TaskPool, at: number): void { pool.deadline = at; }
  poolFlags(pool: TaskPool): string { return `${pool.timedOut ? ' timedOut' : ''}${pool.cancelled ? ' cancelled' : ''}`; }
  join(task: Task): Op<unknown> { return task.join(); }
  wait(ev: number): Op<unknown> { return this.events[ev]!.wait(); }
  trigger(ev: number, value: unknown): void { this.events[ev]!.trigger(value); }
  put(q: number, item: unknown): Op<void> { return this.queues[q]!.put(item); }
  get(q: number): Op<unknown> { return this.queues[q]!.get(); }
}

export interface GiambioRun {
  trace: Trace;
  /** Names of the tasks in the order they were resumed (the model reads unspecified orders here). */
  steps: string[];
  /** Broken invariants that need no model: double ends, resumes after the end, leaks, hangs. */
  violations: string[];
  /** How the root's run settled. */
  outcome: string;
}

/** Runs `program` on a fresh virtual loop and reports its trace; never throws. */
export async function runOnGiambio(program: Program): Promise<GiambioRun> {
  const trace = new Trace();
  const steps: string[] = [];
  const violations: string[] = [];
  const mock = new MockClock({ autojump: true });
  const ended = new Map<string, number>();
  const spawned = new Set<string>();
  const dbg: Debugger = {
    onTaskSpawn: (t) => {
      if (spawned.has(t.name)) violations.push(`task ${t.name} spawned twice`);
      spawned.add(t.name);
    },
    beforeTaskStep: (t) => {
      if (ended.has(t.name)) violations.push(`task ${t.name} resumed after it ended`);
      steps.push(t.name);
      trace.push(`${mock.now()} ${t.name} step`);
    },
    onTaskExit: (t) => {
      ended.set(t.name, (ended.get(t.name) ?? 0) + 1);
      const value = t.state === 'finished' ? desc(t.result) : t.state === 'failed' ? desc(t.error) : '';
      trace.push(`${mock.now()} ${t.name} end ${t.state}${value === '' ? '' : ` ${value}`}`);
    },
  };
  // Counts ticks queued but not yet run: none queued and no settlement means the loop hung.
  let queued = 0;
  const host: Host = {
    schedule(fn) { queued++; setImmediate(() => { queued--; fn(); }); },
    setTimer(fn, ms) { return setTimeout(fn, ms); },
    clearTimer(handle) { clearTimeout(handle as ReturnType<typeof setTimeout>); },
  };
  const loop = new EventLoop({ clock: mock, core: DEBUG_CORE, debugger: dbg, host });
  const rt = new GiambioRuntime(program);
  const interpreter = new Interpreter(rt, trace, program);
  let outcome: string | null = null;
  loop.run((function* root() { return yield* interpreter.root(); }) as () => Operation<unknown>).then(
    (value) => { outcome = `finished ${desc(value)}`; },
    (error: unknown) => { outcome = `failed ${desc(error)}`; },
  );
  let idleTurns = 0;
  while (outcome === null) {
    await new Promise((resolve) => setImmediate(resolve));
    idleTurns = queued === 0 ? idleTurns + 1 : 0;
    if (outcome === null && idleTurns >= 2) {
      violations.push(`the loop hung at ${mock.now()} ms: nothing scheduled and the root has not ended`);
      loop.close();
      outcome = 'hung';
    }
  }
  for (const name of spawned) {
    const n = ended.get(name) ?? 0;
    if (n !== 1) violations.push(`task ${name} ended ${n} times`);
  }
  violations.push(...trace.violations, ...finallyViolations(trace));
  const stats = loop.statistics();
  const core = loop.kernel.core.raw;
  if (stats.tasks.total !== 0 || core.liveTasks() !== 0) violations.push(`${core.liveTasks()} tasks still alive after the run`);
  if (stats.timers !== 0 || stats.scopeTimers !== 0) violations.push(`${stats.timers} timers and ${stats.scopeTimers} scope timers left after the run`);
  if (core.readyCount() !== 0) violations.push(`${core.readyCount()} tasks left in the run queue`);
  if (stats.hostWaits !== 0) violations.push(`${stats.hostWaits} host waits left`);
  for (const [i, q] of rt.queues.entries()) {
    const s = q.statistics();
    if (s.waitingGetters !== 0 || s.waitingPutters !== 0) violations.push(`queue${i} still has ${s.waitingGetters} getters and ${s.waitingPutters} putters`);
  }
  for (const [i, e] of rt.events.entries()) {
    if (e.statistics().waiting !== 0) violations.push(`event${i} still has ${e.statistics().waiting} waiters`);
  }
  return { trace, steps, violations, outcome };
}
