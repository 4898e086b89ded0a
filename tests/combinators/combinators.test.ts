import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clock, sleep } from '../../src/operations.js';
import { shield, withTimeout, skipAfter } from '../../src/pool.js';
import { all, race, allSettled, map } from '../../src/combinators.js';
import { CancelledError, ErrorStack, TooSlowError } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

function* after<T>(ms: number, value: T, log?: string[]): Operation<T> {
  try { yield* sleep(ms); } catch (e) { log?.push(`${String(value)} cancelled at ${clock()}`); throw e; }
  return value;
}
function* failAfter(ms: number, message: string): Operation<never> {
  yield* sleep(ms);
  throw new Error(message);
}

describe('all', () => {
  it('returns the results in order, concurrently', async () => {
    const r = await runChecked(function* () {
      const values = yield* all([() => after(30, 'a'), () => after(10, 2), () => after(20, true)]);
      return [values, clock()];
    });
    expect(r).toEqual([['a', 2, true], 30]);
  });

  it('a failure cancels the others and is raised as is', async () => {
    const log: string[] = [];
    const error = await runCheckedRejects(function* () {
      yield* all([() => after(30, 'a', log), () => failAfter(10, 'boom'), () => after(50, 'c', log)]);
    });
    expect((error as Error).message).toBe('boom');
    expect(log).toEqual(['a cancelled at 10', 'c cancelled at 10']);
  });

  it('several failures at once come as an ErrorStack', async () => {
    const error = await runCheckedRejects(function* () {
      yield* all([() => failAfter(10, 'x'), () => failAfter(10, 'y')]);
    });
    expect(error).toBeInstanceOf(ErrorStack);
    expect((error as ErrorStack).errors.map((e) => (e as Error).message)).toEqual(['x', 'y']);
  });

  it('an empty list returns an empty array; bad arguments raise TypeError', async () => {
    expect(await runChecked(function* () { return yield* all([]); })).toEqual([]);
    expect(await runCheckedRejects(function* () { yield* all(42 as never); })).toBeInstanceOf(TypeError);
    expect(await runCheckedRejects(function* () { yield* all([42 as never]); })).toBeInstanceOf(TypeError);
  });
});

describe('race', () => {
  it('the first to finish wins, the rest are cancelled and waited for before race returns', async () => {
    const log: string[] = [];
    const r = await runChecked(function* () {
      const value = yield* race([
        () => after(30, 'slow', log),
        () => after(10, 'fast'),
        function* () { try { yield* sleep(50); } finally { yield* shieldedSleep(5); log.push(`cleanup done at ${clock()}`); } },
      ]);
      return [value, clock()];
    });
    expect(r).toEqual(['fast', 15]);
    expect(log).toEqual(['slow cancelled at 10', 'cleanup done at 15']);
  });

  it('the first to fail wins: its error is raised and the rest are cancelled', async () => {
    const log: string[] = [];
    const error = await runCheckedRejects(function* () {
      yield* race([() => after(30, 'slow', log), () => failAfter(10, 'first')]);
    });
    expect((error as Error).message).toBe('first');
    expect(log).toEqual(['slow cancelled at 10']);
  });

  it('race([]) throws RangeError', async () => {
    expect(await runCheckedRejects(function* () { yield* race([]); })).toBeInstanceOf(RangeError);
  });

  it('the caller\'s cancellation cancels every task and is raised', async () => {
    const log: string[] = [];
    const error = await runCheckedRejects(function* () {
      yield* withTimeout(5, function* () { yield* race([() => after(30, 'a', log), () => after(40, 'b', log)]); });
    });
    expect(error).toBeInstanceOf(TooSlowError);
    expect(log).toEqual(['a cancelled at 5', 'b cancelled at 5']);
  });
});

describe('allSettled', () => {
  it('returns every outcome in order and never raises for a task\'s error', async () => {
    const r = await runChecked(function* () {
      return yield* allSettled([() => after(20, 1), () => failAfter(10, 'no'), () => after(5, 'x')]);
    });
    expect(r[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(r[1]!.status).toBe('rejected');
    expect(((r[1] as { reason: Error }).reason).message).toBe('no');
    expect(r[2]).toEqual({ status: 'fulfilled', value: 'x' });
  });

  it('still raises the caller\'s own cancellation', async () => {
    const r = await runChecked(function* () {
      let caught: unknown;
      const v = yield* skipAfter(5, function* () {
        try { return yield* allSettled([() => after(10, 1)]); } catch (e) { caught = e; throw e; }
      });
      return [v, caught instanceof CancelledError];
    });
    expect(r).toEqual([undefined, true]);
  });
});

describe('map', () => {
  it('runs at most `concurrency` at once and returns results in input order', async () => {
    let running = 0, most = 0;
    const r = await runChecked(function* () {
      const out = yield* map([50, 10, 30, 20, 40], function* (ms, i) {
        running++; most = Math.max(most, running);
        yield* sleep(ms);
        running--;
        return `${i}:${ms}`;
      }, { concurrency: 2 });
      return [out, clock()];
    });
    expect(most).toBe(2);
    // slots: [50,10] → 10 ends at 10, 30 runs 10..40; 50 ends at 50, 20 runs 40..60; 40 runs 50..90.
    expect(r).toEqual([['0:50', '1:10', '2:30', '3:20', '4:40'], 90]);
  });

  it('pulls lazily: an endless generator with a limit of 4 runs 4 at a time', async () => {
    let pulled = 0, running = 0, most = 0;
    function* naturals(): Generator<number> { for (let n = 0; ; n++) { pulled++; yield n; } }
    const r = await runChecked(function* () {
      return yield* skipAfter(25, function* () {
        yield* map(naturals(), function* () { running++; most = Math.max(most, running); try { yield* sleep(10); } finally { running--; } }, { concurrency: 4 });
      });
    });
    expect(r).toBeUndefined();
    expect(most).toBe(4);
    expect(pulled).toBe(12); // 4 at 0, 4 at 10, 4 at 20
  });

  it('a failure cancels the rest, stops pulling, and is raised', async () => {
    const log: string[] = [];
    let pulled = 0;
    function* items(): Generator<number> { for (let n = 0; n < 100; n++) { pulled++; yield n; } }
    const error = await runCheckedRejects(function* () {
      yield* map(items(), function* (n) {
        if (n === 2) { yield* sleep(5); throw new Error(`item ${n}`); }
        return yield* after(100, n, log);
      }, { concurrency: 3 });
    });
    expect((error as Error).message).toBe('item 2');
    expect(log).toEqual(['0 cancelled at 5', '1 cancelled at 5']);
    expect(pulled).toBe(3);
  });

  it('with the default concurrency runs everything at once; works on any iterable', async () => {
    const r = await runChecked(function* () {
      const out = yield* map(new Set(['a', 'b', 'c']), function* (s) { yield* sleep(10); return s.toUpperCase(); });
      return [out, clock()];
    });
    expect(r).toEqual([['A', 'B', 'C'], 10]);
  });

  it('bad arguments raise TypeError or RangeError', async () => {
    expect(await runCheckedRejects(function* () { yield* map(5 as never, function* () { /* */ }); })).toBeInstanceOf(TypeError);
    expect(await runCheckedRejects(function* () { yield* map([], 5 as never); })).toBeInstanceOf(TypeError);
    expect(await runCheckedRejects(function* () { yield* map([], function* () { /* */ }, { concurrency: 0 }); })).toBeInstanceOf(RangeError);
    expect(await runCheckedRejects(function* () { yield* map([], function* () { /* */ }, { concurrency: 1.5 }); })).toBeInstanceOf(RangeError);
  });

  it('results match a sequential run for any durations and limit (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), async (durations, concurrency) => {
      let running = 0, most = 0;
      const out = await runChecked(function* () {
        return yield* map(durations, function* (ms, i) {
          running++; most = Math.max(most, running);
          yield* sleep(ms); running--; return ms * 100 + i;
        }, { concurrency });
      });
      expect(out).toEqual(durations.map((ms, i) => ms * 100 + i));
      expect(most).toBeLessThanOrEqual(concurrency);
    }), { numRuns: 40 });
  });
});

function* shieldedSleep(ms: number): Operation<void> {
  yield* shield(function* () { yield* sleep(ms); });
}

describe('types', () => {
  it('all and race type a tuple of tasks by position', async () => {
    const r = await runChecked(function* () {
      const [a, b] = yield* all([() => after(1, 'x'), () => after(1, 2)]);
      const s: string = a;
      const n: number = b;
      // @ts-expect-error the first result is a string
      const wrong: number = a;
      void wrong;
      const w: string | number = yield* race([() => after(1, 'x'), () => after(2, 2)]);
      return [s, n, w];
    });
    expect(r).toEqual(['x', 2, 'x']);
  });
});
