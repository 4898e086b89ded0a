// giambio's own test scripts (../shared/GIAMBIO.md §3), as assertions on exact virtual times.
import { describe, expect, it } from 'vitest';
import { clock, sleep } from '../../src/operations.js';
import { createPool, skipAfter, withTimeout } from '../../src/pool.js';
import { CancelledError, TooSlowError } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import { runChecked } from '../helpers.js';

/** giambio's `child(n)` of the timeout scripts: announces itself, sleeps n seconds, says so. */
function napper(log: (message: string) => void): (n: number) => Operation<void> {
  return function* child(n: number): Operation<void> {
    log(`[child ${n}] Child spawned!! Sleeping for ${n} seconds`);
    yield* sleep(n * 1000);
    log(`[child ${n}] Had a nice nap!`);
  };
}

/** A log of `t<ms> message` lines. */
function recorder() {
  const lines: string[] = [];
  return { lines, log: (message: string) => { lines.push(`t${clock()} ${message}`); } };
}

describe('giambio scenarios', () => {
  it('sleep: two children nap 4 s and 2 s in one pool', async () => {
    const { lines, log } = recorder();
    function* child(name: string, n: number): Operation<void> {
      log(`[${name}] Child spawned!! Sleeping for ${n} seconds`);
      yield* sleep(n * 1000);
      log(`[${name}] Had a nice nap!`);
    }
    await runChecked(function* () {
      const start = clock();
      yield* createPool(function* (pool) {
        pool.spawn(child, 'child', 4);
        pool.spawn(child, 'child 1', 2);
        log('[main] Children spawned, awaiting completion');
      });
      log(`[main] Children execution complete in ${(clock() - start) / 1000} seconds`);
    });
    expect(lines).toEqual([
      't0 [main] Children spawned, awaiting completion',
      't0 [child] Child spawned!! Sleeping for 4 seconds',
      't0 [child 1] Child spawned!! Sleeping for 2 seconds',
      't2000 [child 1] Had a nice nap!',
      't4000 [child] Had a nice nap!',
      't4000 [main] Children execution complete in 4 seconds',
    ]);
  });

  it('cancel: a child cancelled right after spawning cleans up at once and the pool ends with the other', async () => {
    const { lines, log } = recorder();
    function* child(n: number): Operation<void> {
      log(`[child ${n}] Child spawned!! Sleeping for ${n} seconds`);
      try {
        yield* sleep(n * 1000);
      } catch (error) {
        if (error instanceof CancelledError) log(`[child ${n}] I have been cancelled!`);
        throw error;
      }
      log(`[child ${n}] Had a nice nap!`);
    }
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(child, 1);
        const second = pool.spawn(child, 2);
        log('[main] Children spawned, awaiting completion');
        yield* sleep(0); // let both children start, as giambio's spawn did
        second.cancel();
        log('[main] Second child cancelled');
      });
      log('[main] Children execution complete');
    });
    expect(lines).toEqual([
      't0 [main] Children spawned, awaiting completion',
      't0 [child 1] Child spawned!! Sleeping for 1 seconds',
      't0 [child 2] Child spawned!! Sleeping for 2 seconds',
      't0 [main] Second child cancelled',
      't0 [child 2] I have been cancelled!',
      't1000 [child 1] Had a nice nap!',
      't1000 [main] Children execution complete',
    ]);
  });

  it('exceptions: a child error cancels its sibling and is caught around the pool', async () => {
    const { lines, log } = recorder();
    let sibling: { state: string } | undefined;
    await runChecked(function* () {
      try {
        yield* createPool(function* (pool) {
          pool.spawn(function* child() { yield* sleep(2000); log('[child] Had a nice nap!'); throw new TypeError('rip'); });
          sibling = pool.spawn(function* child1() { yield* sleep(8000); log('[child 1] Had a nice nap!'); });
          log('[main] Children spawned, awaiting completion');
        });
      } catch (error) {
        log(`[main] Exception from child caught! ${String(error)}`);
      }
      log('[main] Children execution complete');
    });
    expect(lines).toEqual([
      't0 [main] Children spawned, awaiting completion',
      't2000 [child] Had a nice nap!',
      't2000 [main] Exception from child caught! TypeError: rip',
      't2000 [main] Children execution complete',
    ]);
    expect(sibling!.state).toBe('cancelled');
  });

  it('nested_pool: an inner pool inside the outer body; the outer waits for everything', async () => {
    const { lines, log } = recorder();
    function* child(n: number): Operation<void> { yield* sleep(n * 1000); log(`[child ${n}] Had a nice nap!`); }
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(child, 1);
        pool.spawn(child, 2);
        yield* createPool(function* (inner) {
          inner.spawn(child, 3);
          inner.spawn(child, 4);
        });
        log('[main] inner pool done');
      });
      log('[main] Children execution complete');
    });
    expect(lines).toEqual([
      't1000 [child 1] Had a nice nap!',
      't2000 [child 2] Had a nice nap!',
      't3000 [child 3] Had a nice nap!',
      't4000 [child 4] Had a nice nap!',
      't4000 [main] inner pool done',
      't4000 [main] Children execution complete',
    ]);
  });

  it('nested_exception: an error in the outer pool cancels the inner pool at once', async () => {
    const { lines, log } = recorder();
    const caught = await runChecked(function* () {
      try {
        yield* createPool(function* (pool) {
          pool.spawn(function* child() { yield* sleep(2000); log('[child] Had a nice nap, suiciding now!'); throw new TypeError('rip'); });
          pool.spawn(function* child1() { yield* sleep(2000); log('[child 1] Had a nice nap!'); });
          yield* createPool(function* (inner) {
            inner.spawn(function* child2() { yield* sleep(4000); log('[child 2] Had a nice nap!'); });
            inner.spawn(function* child3() { yield* sleep(6000); log('[child 3] Had a nice nap!'); });
          });
        });
      } catch (error) {
        log(`[main] Exception from child caught! ${String(error)}`);
        return error;
      }
      return null;
    });
    expect(caught).toBeInstanceOf(TypeError);
    // Both timers fire in the same instant: child 1's sleep has already completed when child's
    // error cancels the pool, so (trio's rule) it keeps its result and ends at its next checkpoint.
    // giambio cancelled it there instead. The inner pool's children never wake.
    expect(lines).toEqual([
      't2000 [child] Had a nice nap, suiciding now!',
      't2000 [child 1] Had a nice nap!',
      't2000 [main] Exception from child caught! TypeError: rip',
    ]);
  });

  it('triple_nested_exception: with trio semantics the error cancels every enclosing pool on its way out', async () => {
    const { lines, log } = recorder();
    await runChecked(function* () {
      try {
        yield* createPool(function* (pool) {
          pool.spawn(function* child() { yield* sleep(5000); log('[child] Had a nice nap!'); });
          pool.spawn(function* child() { yield* sleep(5000); log('[child] Had a nice nap!'); });
          yield* createPool(function* (aPool) {
            aPool.spawn(function* child1() { yield* sleep(2000); log('[child 1] Had a nice nap, suiciding now!'); throw new TypeError('rip'); });
            yield* createPool(function* (newPool) {
              newPool.spawn(function* child2() { yield* sleep(4000); log('[child 2] Had a nice nap!'); });
              newPool.spawn(function* child3() { yield* sleep(6000); log('[child 3] Had a nice nap!'); });
            });
          });
        });
      } catch (error) {
        log(`[main] Exception from child caught! ${String(error)}`);
      }
    });
    expect(lines).toEqual([
      't2000 [child 1] Had a nice nap, suiciding now!',
      't2000 [main] Exception from child caught! TypeError: rip',
    ]);
  });

  it('timeout: withTimeout(12 s) cancels the spawned and the inline children and raises TooSlowError', async () => {
    const { lines, log } = recorder();
    const child = napper(log);
    await runChecked(function* () {
      try {
        yield* withTimeout(12_000, function* (pool) {
          pool.spawn(child, 7);
          yield* sleep(2000);
          pool.spawn(child, 15);
          yield* child(20);
          yield* sleep(50_000);
        });
      } catch (error) {
        if (!(error instanceof TooSlowError)) throw error;
        log('[main] One or more children have timed out!');
      }
      log('[main] Children execution complete');
    });
    expect(lines).toEqual([
      't0 [child 7] Child spawned!! Sleeping for 7 seconds',
      't2000 [child 20] Child spawned!! Sleeping for 20 seconds',
      't2000 [child 15] Child spawned!! Sleeping for 15 seconds',
      't7000 [child 7] Had a nice nap!',
      't12000 [main] One or more children have timed out!',
      't12000 [main] Children execution complete',
    ]);
  });

  it('timeout2: skipAfter(10 s) is silent and reports timedOut', async () => {
    const { lines, log } = recorder();
    const child = napper(log);
    await runChecked(function* () {
      let timedOut = false;
      const value = yield* skipAfter(10_000, function* (pool) {
        pool.spawn(child, 7);
        yield* sleep(2000);
        pool.spawn(child, 15);
        try { yield* sleep(50_000); } finally { timedOut = pool.timedOut; }
        yield* child(20);
        return 'finished';
      });
      expect(value).toBeUndefined();
      if (timedOut) log('[main] One or more children have timed out!');
      log('[main] Children execution complete');
    });
    expect(lines).toEqual([
      't0 [child 7] Child spawned!! Sleeping for 7 seconds',
      't2000 [child 15] Child spawned!! Sleeping for 15 seconds',
      't7000 [child 7] Had a nice nap!',
      't10000 [main] One or more children have timed out!',
      't10000 [main] Children execution complete',
    ]);
  });

  it('timeout3: an inner withTimeout(2 s) in a worker returns early; the outer one still fires at 5 s', async () => {
    const { lines, log } = recorder();
    const child = napper(log);
    function* worker(n: number): Operation<boolean> {
      try {
        yield* withTimeout(2000, function* () { yield* child(n); });
      } catch (error) {
        if (error instanceof TooSlowError) return true;
        throw error;
      }
      return false;
    }
    await runChecked(function* () {
      try {
        yield* withTimeout(5000, function* (pool) {
          const task = pool.spawn(worker, 5);
          log(`[main] Child has returned: ${String(yield* task.join())}`);
          log('[main] Sleeping');
          yield* sleep(500_000);
        });
      } catch (error) {
        if (!(error instanceof TooSlowError)) throw error;
        log('[main] One or more children have timed out!');
      }
      log('[main] Children execution complete');
    });
    expect(lines).toEqual([
      't0 [child 5] Child spawned!! Sleeping for 5 seconds',
      't2000 [main] Child has returned: true',
      't2000 [main] Sleeping',
      't5000 [main] One or more children have timed out!',
      't5000 [main] Children execution complete',
    ]);
  });
});
