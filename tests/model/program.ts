/**
 * Random programs for the model-based tests: a small statement AST, its fast-check arbitrary, and
 * the normalising pass that numbers the nodes and keeps every program terminating.
 *
 * Discussion: the generator produces any tree; `normalize` then rewrites the few statements that
 * could wait forever where no cancellation can reach them (inside a shield with no deadline of its
 * own), so every program ends: everything else lives under the runner's outer `skipAfter(HORIZON)`,
 * which cancels whatever still waits at HORIZON. Rewriting after generation (rather than threading
 * the context through `fc.letrec`) keeps shrinking simple: fast-check shrinks the raw tree, and the
 * rewrite is a pure function of it.
 */
import fc from 'fast-check';

/** Virtual ms at which the runner's outer skipAfter cancels whatever is still waiting. */
export const HORIZON = 1000;

export type PoolKind = 'pool' | 'timeout' | 'skip' | 'shield';

/** One statement. `id` is filled in by `normalize` (DFS order, unique in the program). */
export type Stmt =
  | { t: 'sleep'; ms: number; id?: number }
  | { t: 'checkpoint'; id?: number }
  | { t: 'foreign'; id?: number }                         // `yield 5`: a TypeError at that yield
  | { t: 'throw'; id?: number }                           // throw new Error(`e${id}`)
  | { t: 'spawn'; target: number; body: Stmt[]; id?: number } // into the target-th visible pool, innermost first
  | { t: 'pool'; kind: PoolKind; ms: number; body: Stmt[]; id?: number }
  | { t: 'cancelTask'; ref: number; id?: number }         // the task of the ref-th spawn statement
  | { t: 'cancelPool'; target: number; id?: number }
  | { t: 'deadline'; target: number; delta: number; id?: number } // pool.deadline = clock() + delta
  | { t: 'try'; swallowCancel: boolean; body: Stmt[]; id?: number }
  | { t: 'finally'; body: Stmt[]; cleanup: Stmt[]; id?: number }
  | { t: 'join'; ref: number; id?: number }
  | { t: 'wait'; ev: number; id?: number }                // Event.wait()
  | { t: 'trigger'; ev: number; id?: number }             // Event.trigger(`x${id}`)
  | { t: 'put'; q: number; id?: number }                  // Queue.put(id)
  | { t: 'get'; q: number; id?: number };                 // Queue.get()

export interface Program {
  /** The root task's statements (run inside the runner's outer skipAfter). */
  body: Stmt[];
  /** maxsize of queue 0 and queue 1. */
  queues: [number, number];
}

/** Number of Events and Queues a program can use. */
export const EVENTS = 2;
export const QUEUES = 2;

/**
 * How often each statement appears. `mixed` exercises everything, failures and cancellation
 * included; `talk` has few failures and many tasks talking through Events, Queues and joins, so that
 * several waiters, hand-overs and joins meet (in `mixed` the first error usually ends the program);
 * `nested` has many nested pools and spawns into outer pools, with short equal sleeps, so that tasks
 * spawn into pools whose body is done or that have exited, at the same instant as they close.
 */
export type Profile = 'mixed' | 'talk' | 'nested';

const WEIGHTS: Record<Profile, Record<string, number>> = {
  mixed: {
    sleep: 10, checkpoint: 3, foreign: 1, throw: 3, cancelTask: 4, cancelPool: 2, deadline: 3, join: 3,
    wait: 3, trigger: 3, put: 4, get: 4, leaf: 8, spawn: 4, pool: 2, try: 1, finally: 1,
  },
  talk: {
    sleep: 6, checkpoint: 2, foreign: 0, throw: 1, cancelTask: 1, cancelPool: 1, deadline: 1, join: 4,
    wait: 6, trigger: 4, put: 8, get: 8, leaf: 8, spawn: 6, pool: 1, try: 1, finally: 1,
  },
  nested: {
    sleep: 10, checkpoint: 3, foreign: 0, throw: 1, cancelTask: 1, cancelPool: 1, deadline: 1, join: 1,
    wait: 1, trigger: 1, put: 1, get: 1, leaf: 6, spawn: 8, pool: 4, try: 1, finally: 1,
  },
};

/** Sleep lengths per profile (ms). */
const SLEEPS: Record<Profile, number[]> = {
  mixed: [0, 1, 2, 3, 5, 10, Infinity],
  talk: [0, 1, 2, 3, 5, 10, Infinity],
  nested: [0, 1, 1, 2, 2, 3],
};

function leafArbitrary(w: Record<string, number>, sleeps: number[]): fc.Arbitrary<Stmt> {
  const entries: Array<[string, fc.Arbitrary<Stmt>]> = [
    ['sleep', fc.record({ t: fc.constant('sleep' as const), ms: fc.constantFrom(...sleeps) })],
    ['checkpoint', fc.constant({ t: 'checkpoint' as const })],
    ['foreign', fc.constant({ t: 'foreign' as const })],
    ['throw', fc.constant({ t: 'throw' as const })],
    ['cancelTask', fc.record({ t: fc.constant('cancelTask' as const), ref: fc.nat(7) })],
    ['cancelPool', fc.record({ t: fc.constant('cancelPool' as const), target: fc.nat(2) })],
    ['deadline', fc.record({ t: fc.constant('deadline' as const), target: fc.nat(2), delta: fc.constantFrom(0, 1, 4, 8, Infinity) })],
    ['join', fc.record({ t: fc.constant('join' as const), ref: fc.nat(7) })],
    ['wait', fc.record({ t: fc.constant('wait' as const), ev: fc.nat(EVENTS - 1) })],
    ['trigger', fc.record({ t: fc.constant('trigger' as const), ev: fc.nat(EVENTS - 1) })],
    ['put', fc.record({ t: fc.constant('put' as const), q: fc.nat(QUEUES - 1) })],
    ['get', fc.record({ t: fc.constant('get' as const), q: fc.nat(QUEUES - 1) })],
  ];
  return fc.oneof(...entries.filter(([name]) => w[name]! > 0).map(([name, arbitrary]) => ({ weight: w[name]!, arbitrary })));
}

const poolKind = fc.constantFrom<PoolKind>('pool', 'timeout', 'skip', 'shield');

/** Random programs of the given profile: one pool statement first (so spawns have somewhere to go), then more. */
export function programArbitrary(profile: Profile): fc.Arbitrary<Program> {
  const w = WEIGHTS[profile];
  const leaf = leafArbitrary(w, SLEEPS[profile]);
  const { block } = fc.letrec<{ block: Stmt[]; stmt: Stmt }>((tie) => ({
    block: fc.array(tie('stmt'), { maxLength: 5, depthIdentifier: 'block' }),
    stmt: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 4, depthIdentifier: 'block' },
      { weight: w.leaf!, arbitrary: leaf },
      { weight: w.spawn!, arbitrary: fc.record({ t: fc.constant('spawn' as const), target: fc.nat(2), body: tie('block') }) },
      { weight: w.pool!, arbitrary: fc.record({ t: fc.constant('pool' as const), kind: poolKind, ms: fc.constantFrom(0, 1, 3, 5, 10, 20), body: tie('block') }) },
      { weight: w.try!, arbitrary: fc.record({ t: fc.constant('try' as const), swallowCancel: fc.boolean(), body: tie('block') }) },
      { weight: w.finally!, arbitrary: fc.record({ t: fc.constant('finally' as const), body: tie('block'), cleanup: tie('block') }) },
    ),
  }));
  const queues = fc.tuple(fc.constantFrom(0, 1, Infinity), fc.constantFrom(0, 1, Infinity));
  if (profile === 'talk') {
    // A pool of 2-4 workers started at once, so that waits and hand-overs have partners.
    const worker = fc.record({ t: fc.constant('spawn' as const), target: fc.constant(0), body: block });
    return fc.record({ workers: fc.array(worker, { minLength: 2, maxLength: 4 }), body: block, rest: block, queues })
      .map(({ workers, body, rest, queues }) => ({
        body: [{ t: 'pool', kind: 'pool', ms: 0, body: [...workers, ...body] } as Stmt, ...rest],
        queues,
      }));
  }
  const generic = fc.record({
    first: fc.record({ t: fc.constant('pool' as const), kind: poolKind, ms: fc.constantFrom(1, 3, 5, 10, 20), body: block }),
    rest: block,
    queues,
  }).map(({ first, rest, queues }) => ({ body: [first as Stmt, ...rest], queues }));
  if (profile !== 'nested') return generic;
  // Half of the nested programs start from the shape of a race: inner pool B's last child `z` ends
  // at the instant a task `x` of the outer pool A spawns into B (lengths a, b, c decide who is first).
  const ms = fc.constantFrom(0, 1, 2);
  const race = fc.record({ a: ms, b: ms, c: ms, outer: poolKind, inner: poolKind, x: block, y: block, z: block, rest: block, queues })
    .map(({ a, b, c, outer, inner, x, y, z, rest, queues }): Program => ({
      body: [{
        t: 'pool', kind: outer, ms: 20, body: [{
          t: 'pool', kind: inner, ms: 20, body: [
            { t: 'spawn', target: 1, body: [{ t: 'sleep', ms: a }, { t: 'spawn', target: 0, body: y }, ...x] },
            { t: 'spawn', target: 0, body: [{ t: 'sleep', ms: b }, ...z] },
            { t: 'sleep', ms: c },
          ],
        }],
      }, ...rest],
      queues,
    }));
  return fc.oneof(generic, race);
}

/** What `normalize` knows about a pool visible at a statement. */
interface PoolInfo {
  /** Nothing outside can cancel work in it and no deadline of its own bounds it: waits must be finite. */
  mustEnd: boolean;
  /** It sits inside a shield (its deadline must stay finite, or the shield's work could wait forever). */
  inShield: boolean;
}

/**
 * Returns a numbered copy of `program` in which every statement is meaningful where it stands and
 * every task ends: statements that need a pool or a spawned task become checkpoints when there is
 * none; waits that only a cancellation could end become finite where no cancellation can arrive.
 */
export function normalize(program: Program): Program {
  let next = 0;
  // Spawn statements get ids in DFS order; refs name them by their rank among spawns.
  const spawnIds: number[] = [];
  const walk = (stmts: Stmt[], pools: PoolInfo[], mustEnd: boolean, inShield: boolean): Stmt[] =>
    stmts.map((s) => fix(s, pools, mustEnd, inShield));
  const fix = (s: Stmt, pools: PoolInfo[], mustEnd: boolean, inShield: boolean): Stmt => {
    const id = next++;
    const cp: Stmt = { t: 'checkpoint', id };
    switch (s.t) {
      case 'sleep':
        return { ...s, ms: mustEnd && s.ms === Infinity ? 1 : s.ms, id };
      case 'wait': case 'get': case 'join':
        return mustEnd ? cp : { ...s, id };
      case 'put':
        return mustEnd && program.queues[s.q] !== Infinity ? cp : { ...s, id };
      case 'cancelPool':
        return pools.length === 0 ? cp : { ...s, id };
      case 'deadline': {
        if (pools.length === 0) return cp;
        const target = pools[pools.length - 1 - (s.target % pools.length)]!;
        return { ...s, delta: target.inShield && s.delta === Infinity ? 5 : s.delta, id };
      }
      case 'spawn': {
        if (pools.length === 0) return cp;
        spawnIds.push(id);
        const target = pools[pools.length - 1 - (s.target % pools.length)]!;
        return { ...s, id, body: walk(s.body, pools, target.mustEnd, target.inShield) };
      }
      case 'pool': {
        const shielded = inShield || s.kind === 'shield';
        const ends = s.kind === 'shield' ? true : s.kind === 'pool' ? mustEnd : false;
        const info: PoolInfo = { mustEnd: ends, inShield: shielded };
        return { ...s, id, body: walk(s.body, [...pools, info], ends, shielded) };
      }
      case 'try':
        return { ...s, id, body: walk(s.body, pools, mustEnd, inShield) };
      case 'finally':
        return { ...s, id, body: walk(s.body, pools, mustEnd, inShield), cleanup: walk(s.cleanup, pools, mustEnd, inShield) };
      default:
        return { ...s, id };
    }
  };
  const body = walk(program.body, [], false, false);
  // Second pass: refs to spawn statements become their ids (or checkpoints if nothing is spawned).
  const resolve = (stmts: Stmt[]): Stmt[] => stmts.map((s) => {
    if (s.t === 'cancelTask' || s.t === 'join') {
      return spawnIds.length === 0 ? { t: 'checkpoint', id: s.id } : { ...s, ref: spawnIds[s.ref % spawnIds.length]! };
    }
    if (s.t === 'finally') return { ...s, body: resolve(s.body), cleanup: resolve(s.cleanup) };
    if ('body' in s) return { ...s, body: resolve(s.body) };
    return s;
  });
  return { body: resolve(body), queues: program.queues };
}

/** Counts the statements of a program (for sizing the runs). */
export function size(stmts: Stmt[]): number {
  let n = 0;
  for (const s of stmts) {
    n++;
    if ('body' in s) n += size(s.body);
    if (s.t === 'finally') n += size(s.cleanup);
  }
  return n;
}

/** A program as indented pseudo-code, for failure messages. */
export function show(program: Program): string {
  const lines: string[] = [`queues: [${program.queues.join(', ')}]`];
  const out = (stmts: Stmt[], indent: string): void => {
    for (const s of stmts) {
      const head = `${indent}#${s.id} `;
      switch (s.t) {
        case 'sleep': lines.push(`${head}sleep(${s.ms})`); break;
        case 'checkpoint': lines.push(`${head}checkpoint()`); break;
        case 'foreign': lines.push(`${head}yield 5`); break;
        case 'throw': lines.push(`${head}throw e${s.id}`); break;
        case 'spawn': lines.push(`${head}pools[-${s.target}].spawn(t${s.id}):`); out(s.body, indent + '  '); break;
        case 'pool': lines.push(`${head}${s.kind}${s.kind === 'timeout' || s.kind === 'skip' ? `(${s.ms})` : ''}:`); out(s.body, indent + '  '); break;
        case 'cancelTask': lines.push(`${head}t${s.ref}.cancel()`); break;
        case 'cancelPool': lines.push(`${head}pools[-${s.target}].cancel()`); break;
        case 'deadline': lines.push(`${head}pools[-${s.target}].deadline = clock() + ${s.delta}`); break;
        case 'try': lines.push(`${head}try (${s.swallowCancel ? 'catch all' : 'rethrow CancelledError'}):`); out(s.body, indent + '  '); break;
        case 'finally':
          lines.push(`${head}try:`); out(s.body, indent + '  ');
          lines.push(`${indent}finally:`); out(s.cleanup, indent + '  ');
          break;
        case 'join': lines.push(`${head}t${s.ref}.join()`); break;
        case 'wait': lines.push(`${head}event${s.ev}.wait()`); break;
        case 'trigger': lines.push(`${head}event${s.ev}.trigger()`); break;
        case 'put': lines.push(`${head}queue${s.q}.put(${s.id})`); break;
        case 'get': lines.push(`${head}queue${s.q}.get()`); break;
      }
    }
  };
  out(program.body, '');
  return lines.join('\n');
}
