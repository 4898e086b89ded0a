import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { EventLoop } from '../../src/loop.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool, withTimeout } from '../../src/pool.js';
import { DeadlockError } from '../../src/errors.js';
import { formatTaskTree } from '../../src/diagnostics.js';
import { MockClock } from '../../src/testing.js';
import type { Task } from '../../src/task.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { expectCoreEmpty, runCheckedRejects, virtualLoop, rejectionOf } from '../helpers.js';

describe('deadlock detector', () => {
  it('two tasks joining each other fail the root with DeadlockError carrying the task tree', async () => {
    const finals: string[] = [];
    const error = await runCheckedRejects(function* main() {
      yield* createPool(function* (pool) {
        const tasks: Task[] = [];
        tasks.push(pool.spawn(function* alice() { try { yield* tasks[1]!.join(); } finally { finals.push('alice'); } }));
        tasks.push(pool.spawn(function* bob() { try { yield* tasks[0]!.join(); } finally { finals.push('bob'); } }));
      });
    });
    expect(error).toBeInstanceOf(DeadlockError);
    const tree = (error as DeadlockError).tree;
    expect(tree).toMatch(/^main #\d+ parked on children of a pool\n└─ \[pool\]\n   ├─ alice #\d+ parked on join bob\n   └─ bob #\d+ parked on join alice$/);
    expect(finals.sort()).toEqual(['alice', 'bob']);
  });

  it('never fires while a timer is armed, however far away', async () => {
    const { loop } = virtualLoop();
    expect(await loop.run(function* () { yield* sleep(10 * 365 * 24 * 3_600_000); return clock(); })).toBe(315_360_000_000);
    expectCoreEmpty(loop);
  });

  it('never fires while plain code holds a live AbortSignal given to the loop', async () => {
    const controller = new AbortController();
    const loop = new EventLoop({ clock: new MockClock({ autojump: true }), core: DEBUG_CORE, signal: controller.signal });
    const promise = loop.run(function* () { yield* sleep(Infinity); });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reason = new Error('stopped by plain code');
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
  });

  it('in Node, fires for a real-clock program with nothing left alive (checked in a child process)', () => {
    const script = `
      import { run, createPool, DeadlockError } from './dist/index.mjs';
      try {
        await run(function* main() {
          yield* createPool(function* (pool) {
            const t = [];
            t.push(pool.spawn(function* a() { yield* t[1].join(); }));
            t.push(pool.spawn(function* b() { yield* t[0].join(); }));
          });
        });
      } catch (e) { console.log(e instanceof DeadlockError ? 'deadlock' : 'other ' + e); }`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(out.trim()).toBe('deadlock');
  });
});

describe('task tree', () => {
  it('dumpTasks shows pools, deadlines and what each task waits on', async () => {
    const { loop } = virtualLoop();
    let text = '';
    await loop.run(function* main() {
      yield* withTimeout(1000, function* (pool) {
        pool.spawnWith({ name: 'sleeper' }, function* () { yield* sleep(500); });
        pool.spawn(function* worker() {
          yield* createPool(function* (inner) { inner.spawn(function* leaf() { yield* sleep(100); }); });
        });
        yield* checkpoint();
        yield* checkpoint();
        text = formatTaskTree(loop.dumpTasks());
      });
    });
    expect(text.replace(/#\d+/g, '#n')).toBe([
      'main #n running',
      '└─ [pool] deadline 1000 ms',
      '   ├─ sleeper #n parked on sleep',
      '   └─ worker #n parked on children of a pool',
      '      └─ [pool]',
      '         └─ leaf #n parked on sleep',
    ].join('\n'));
    expectCoreEmpty(loop);
  });
});

describe('seeded scheduling', () => {
  async function order(seed: number | undefined): Promise<string> {
    const out: number[] = [];
    const clockSource = new MockClock({ autojump: true });
    await new EventLoop({ clock: clockSource, core: DEBUG_CORE, seed }).run(function* () {
      yield* createPool(function* (pool) {
        for (let i = 0; i < 12; i++) pool.spawn(function* () { out.push(i); yield* checkpoint(); });
      });
    });
    return out.join(',');
  }

  it('the same seed gives the same order, and different seeds shake it', async () => {
    const fifo = await order(undefined);
    expect(fifo).toBe('0,1,2,3,4,5,6,7,8,9,10,11');
    const a = await order(7);
    expect(await order(7)).toBe(a);
    const others = new Set([a, await order(8), await order(9), await order(10)]);
    expect(others.size).toBeGreaterThan(1);
    expect([...others].some((o) => o !== fifo)).toBe(true);
  });
});

describe('logical task traces', () => {
  it('with debug: true a failing task error carries its spawn site and the enclosing tasks', async () => {
    const boom = new Error('boom');
    const { loop } = virtualLoop({ debug: true });
    const error = await loop.run(function* main() {
      yield* createPool(function* (pool) {
        pool.spawn(function* outer() {
          yield* createPool(function* (inner) { inner.spawn(function* failing() { yield* sleep(1); throw boom; }); });
        });
      });
    }).then(() => null, (e: unknown) => e);
    expect(error).toBe(boom);
    const trace = boom.stack!.slice(boom.stack!.indexOf('giambio task trace'));
    expect(trace).toMatch(/task failing #\d+ failed\n\s+spawned at .*diagnostics\.test\.ts/);
    expect(trace).toMatch(/task outer #\d+ waiting on children of a pool/);
    expect(trace).toMatch(/task main #\d+ waiting on children of a pool/);
  });

  it('without debug the error stack is left alone', async () => {
    const boom = new Error('plain');
    const before = boom.stack;
    const { loop } = virtualLoop();
    // Before: `.catch(() => undefined)` let the test pass when the run did not fail at all.
    expect(await rejectionOf(loop.run(function* () { yield* createPool(function* (pool) { pool.spawn(function* () { throw boom; }); }); }))).toBe(boom);
    expect(boom.stack).toBe(before);
  });
});
