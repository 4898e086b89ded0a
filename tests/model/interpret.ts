/**
 * One interpreter for the random programs, run on two runtimes: giambio itself and the reference
 * model. It turns statements into calls on a `Runtime` and records what each task observes, so
 * the two traces can be compared line by line.
 *
 * The interpreter is plain JavaScript control flow (try/catch/finally in generators); everything
 * about scheduling, cancellation, timers and pools is the runtime's.
 */
import { CancelledError, ErrorStack, GiambioError, TaskCancelledError, TooSlowError } from '../../src/errors.js';
import { HORIZON, type PoolKind, type Program, type Stmt } from './program.js';

export type Op<T> = Generator<unknown, T, unknown>;

/** What a program needs from a runtime. `P` is its pool handle, `H` its task handle. */
export interface Runtime<P, H> {
  now(): number;
  taskName(): string;
  sleep(ms: number): Op<void>;
  checkpoint(): Op<void>;
  /** Yields a value that is not an operation's (giambio must raise TypeError there). */
  foreign(): Op<void>;
  pool<T>(kind: PoolKind, ms: number, body: (pool: P) => Op<T>): Op<T | undefined>;
  /** Synchronous, like pool.spawn; may throw. */
  spawn(pool: P, name: string, body: () => Op<unknown>): H;
  cancelTask(task: H): void;
  cancelPool(pool: P): void;
  setDeadline(pool: P, at: number): void;
  /** `timedOut`/`cancelled` flags of a pool, for the trace. */
  poolFlags(pool: P): string;
  join(task: H): Op<unknown>;
  wait(ev: number): Op<unknown>;
  trigger(ev: number, value: unknown): void;
  put(q: number, item: unknown): Op<void>;
  get(q: number): Op<unknown>;
}

/** A value or error as a short, runtime-independent string. */
export function desc(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value instanceof ErrorStack) return `ErrorStack[${value.errors.map(desc).join(', ')}]`;
  if (value instanceof CancelledError) return 'CancelledError';
  if (value instanceof TaskCancelledError) return 'TaskCancelledError';
  if (value instanceof TooSlowError) return 'TooSlowError';
  if (value instanceof GiambioError) return 'GiambioError';
  if (value instanceof TypeError) return 'TypeError';
  if (value instanceof Error) return value.message;
  return `?${String(value)}`;
}

/** Where the runtimes' own hooks (task steps and ends) and the interpreter write. */
export class Trace {
  readonly lines: string[] = [];
  /** Broken invariants seen by the interpreter itself (independent of any model). */
  readonly violations: string[] = [];
  /** Per finally statement: [try entered, finally ran]. */
  readonly finallies = new Map<number, [number, number]>();

  push(line: string): void {
    this.lines.push(line);
  }
}

export class Interpreter<P, H> {
  readonly handles = new Map<number, H>();

  constructor(readonly rt: Runtime<P, H>, readonly trace: Trace, readonly program: Program) {}

  private log(event: string): void {
    this.trace.push(`${this.rt.now()} ${this.rt.taskName()} ${event}`);
  }

  /** The root task's body: the program inside an outer skipAfter(HORIZON) that ends whatever still waits. */
  *root(): Op<unknown> {
    this.log('start');
    const value = yield* this.rt.pool('skip', HORIZON, () => this.block(this.program.body, [], 'top'));
    this.log(`horizon -> ${desc(value)}`);
    return value;
  }

  private *block(stmts: Stmt[], pools: P[], value: string): Op<string> {
    for (const s of stmts) yield* this.stmt(s, pools);
    return value;
  }

  private *taskBody(id: number, body: Stmt[], pools: P[]): Op<string> {
    this.log('start');
    return yield* this.block(body, pools, `v${id}`);
  }

  private pick(pools: P[], index: number): P {
    return pools[pools.length - 1 - (index % pools.length)]!;
  }

  private *stmt(s: Stmt, pools: P[]): Op<void> {
    const rt = this.rt;
    const id = s.id!;
    switch (s.t) {
      case 'sleep': {
        const start = rt.now();
        yield* rt.sleep(s.ms);
        if (rt.now() !== start + s.ms) this.trace.violations.push(`sleep#${id}(${s.ms}) from ${start} returned at ${rt.now()}`);
        this.log(`sleep#${id} ok`);
        return;
      }
      case 'checkpoint':
        yield* rt.checkpoint();
        this.log(`cp#${id} ok`);
        return;
      case 'foreign':
        yield* rt.foreign();
        this.log(`foreign#${id} ok`);
        return;
      case 'throw':
        throw new Error(`e${id}`);
      case 'spawn': {
        const task = rt.spawn(this.pick(pools, s.target), `t${id}`, () => this.taskBody(id, s.body, pools));
        this.handles.set(id, task);
        this.log(`spawn#${id}`);
        return;
      }
      case 'pool': {
        let pool: P | undefined;
        this.log(`pool#${id} enter`);
        try {
          const value = yield* rt.pool(s.kind, s.ms, (p) => { pool = p; return this.block(s.body, [...pools, p], `p${id}`); });
          this.log(`pool#${id} -> ${desc(value)}${rt.poolFlags(pool!)}`);
        } catch (error) {
          this.log(`pool#${id} raised ${desc(error)}${pool === undefined ? '' : rt.poolFlags(pool)}`);
          throw error;
        }
        return;
      }
      case 'cancelTask': {
        const task = this.handles.get(s.ref);
        if (task !== undefined) rt.cancelTask(task);
        this.log(`cancel#${id} ${task === undefined ? 'none' : `t${s.ref}`}`);
        return;
      }
      case 'cancelPool':
        rt.cancelPool(this.pick(pools, s.target));
        this.log(`cancelPool#${id}`);
        return;
      case 'deadline':
        rt.setDeadline(this.pick(pools, s.target), rt.now() + s.delta);
        this.log(`deadline#${id}`);
        return;
      case 'try':
        try {
          yield* this.block(s.body, pools, '');
        } catch (error) {
          this.log(`catch#${id} ${desc(error)}`);
          if (!s.swallowCancel && error instanceof CancelledError) throw error;
        }
        return;
      case 'finally': {
        const counts: [number, number] = [0, 0];
        this.trace.finallies.set(id, counts);
        counts[0]++;
        try {
          yield* this.block(s.body, pools, '');
        } finally {
          counts[1]++;
          this.log(`finally#${id}`);
          yield* this.block(s.cleanup, pools, '');
        }
        return;
      }
      case 'join': {
        const task = this.handles.get(s.ref);
        if (task === undefined) { this.log(`join#${id} none`); return; }
        try {
          this.log(`join#${id} -> ${desc(yield* rt.join(task))}`);
        } catch (error) {
          this.log(`join#${id} raised ${desc(error)}`);
          throw error;
        }
        return;
      }
      case 'wait':
        this.log(`wait#${id} -> ${desc(yield* rt.wait(s.ev))}`);
        return;
      case 'trigger':
        rt.trigger(s.ev, `x${id}`);
        this.log(`trigger#${id}`);
        return;
      case 'put':
        yield* rt.put(s.q, id);
        this.log(`put#${id}`);
        return;
      case 'get':
        this.log(`get#${id} -> ${desc(yield* rt.get(s.q))}`);
        return;
    }
  }
}

/** The finally statements whose `finally` did not run exactly once per `try` entered. */
export function finallyViolations(trace: Trace): string[] {
  const out: string[] = [];
  for (const [id, [entered, ran]] of trace.finallies) {
    if (entered !== 1 || ran !== 1) out.push(`finally#${id}: try entered ${entered} times, finally ran ${ran} times`);
  }
  return out;
}
