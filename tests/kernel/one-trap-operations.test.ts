// checkpoint() and sleep(ms) are stateless operation objects (src/operations.ts): the loop resumes
// them with a private token, so one object may be driven more than once and checkpoint() allocates
// nothing. These tests pin the behaviour a user can see.
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { checkpointTrap, doneWith, parkTrap, scheduleTrap, sleepTrap } from '../../src/trap.js';
import { checkpoint, clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { runChecked } from '../helpers.js';

describe('one-trap operations', () => {
  it('checkpoint() is one shared object and returns undefined', async () => {
    const results = await runChecked(function* () {
      expect(checkpoint()).toBe(checkpoint());
      const a = yield* checkpoint();
      const b = yield* checkpoint();
      return [a, b];
    });
    expect(results).toEqual([undefined, undefined]);
  });

  it('sleeps of one duration share one operation; sleeps made before any is driven keep their own durations', async () => {
    const woke: Array<[string, number]> = [];
    await runChecked(function* () {
      // Compared with ===: a failing toBe would pretty-print the operations, iterating them forever.
      expect(sleep(25) === sleep(25)).toBe(true);
      expect(sleep(25) === sleep(26)).toBe(false);
      const long = sleep(30);
      const short = sleep(10);
      const again = sleep(30);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* long; woke.push(['long', clock()]); });
        pool.spawn(function* () { yield* short; woke.push(['short', clock()]); });
        pool.spawn(function* () { yield* again; yield* again; woke.push(['twice', clock()]); });
      });
    });
    expect(woke).toEqual([['short', 10], ['long', 30], ['twice', 60]]);
  });

  it('a stored checkpoint lets other tasks run each time it is driven', async () => {
    const order: string[] = [];
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        const op = checkpoint();
        pool.spawn(function* other() { order.push('other 1'); yield* checkpoint(); order.push('other 2'); });
        order.push('main 1');
        yield* op;
        order.push('main 2');
        yield* op;
        order.push('main 3');
      });
    });
    expect(order).toEqual(['main 1', 'other 1', 'main 2', 'other 2', 'main 3']);
  });

  it('two sleeps made before either is driven keep their own lengths', async () => {
    const woke = await runChecked(function* () {
      const t0 = clock();
      const short = sleep(10);
      const long = sleep(30);
      const out: number[] = [];
      yield* long;
      out.push(clock() - t0);
      yield* short;
      out.push(clock() - t0);
      return out;
    });
    expect(woke).toEqual([30, 40]);
  });

  it('a cancelled sleep raises at its trap, and the next checkpoint still works', async () => {
    const seen = await runChecked(function* () {
      let raised = '';
      yield* createPool(function* (pool) {
        pool.spawn(function* sleeper() {
          try { yield* sleep(1000); } catch (error) { raised = (error as Error).name; throw error; }
        });
        yield* sleep(5);
        pool.cancel();
      });
      const after = yield* checkpoint();
      return [raised, after];
    });
    expect(seen).toEqual(['CancelledError', undefined]);
  });
});

describe('iterator results on the hot path', () => {
  it('share the hidden class of a generator\'s own results, so yield* and the kernel read one shape', () => {
    v8.setFlagsFromString('--allow-natives-syntax');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    const generatorYield = (function* () { yield 1; })().next();
    const generatorDone = (function* () { /* returns */ })().next();
    expect(sameMap(generatorYield, generatorDone)).toBe(true);
    for (const trap of [checkpointTrap, scheduleTrap, sleepTrap, parkTrap]) {
      expect(trap.yielded.value).toBe(trap);
      expect(trap.yielded.done).toBe(false);
      expect(sameMap(trap.yielded, generatorYield)).toBe(true);
    }
    const done = doneWith(42);
    expect(done).toEqual({ value: 42, done: true });
    expect(sameMap(done, generatorDone)).toBe(true);
    // A frozen one has a class of its own: what the traps' results were, and what this avoids.
    expect(sameMap(Object.freeze({ value: 1, done: false }), generatorYield)).toBe(false);
  });
});
