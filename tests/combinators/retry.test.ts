import { describe, expect, it } from 'vitest';
import { clock, sleep } from '../../src/operations.js';
import { skipAfter } from '../../src/pool.js';
import { retry } from '../../src/retry.js';
import { CancelledError } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

/** Fails `failures` times (logging the clock), then returns 'ok'. */
function flaky(failures: number, log: number[]): () => Operation<string> {
  let calls = 0;
  return function* () {
    log.push(clock());
    yield* sleep(0);
    if (calls++ < failures) throw new Error(`failure ${calls}`);
    return 'ok';
  };
}

describe('retry', () => {
  it('retries with exponential backoff until the operation returns', async () => {
    const log: number[] = [];
    const value = await runChecked(function* () { return yield* retry(flaky(3, log), { attempts: 5, delay: 10 }); });
    expect(value).toBe('ok');
    expect(log).toEqual([0, 10, 30, 70]);
  });

  it('raises the last error after `attempts` tries in all', async () => {
    const log: number[] = [];
    const error = await runCheckedRejects(function* () { yield* retry(flaky(10, log), { attempts: 3, delay: 1, factor: 3 }); });
    expect((error as Error).message).toBe('failure 3');
    expect(log).toEqual([0, 1, 4]);
  });

  it('caps each wait at maxDelay', async () => {
    const log: number[] = [];
    await runChecked(function* () { return yield* retry(flaky(4, log), { attempts: 5, delay: 10, maxDelay: 15 }); });
    expect(log).toEqual([0, 10, 25, 40, 55]);
  });

  it('with jitter each wait is between 0 and the computed one', async () => {
    const log: number[] = [];
    await runChecked(function* () { return yield* retry(flaky(4, log), { attempts: 5, delay: 100, jitter: true }); });
    const waits = log.slice(1).map((t, i) => t - log[i]!);
    waits.forEach((w, i) => { expect(w).toBeGreaterThanOrEqual(0); expect(w).toBeLessThanOrEqual(100 * 2 ** i); });
  });

  it('when() returning false raises at once, and gets the attempt number', async () => {
    const seen: Array<[string, number]> = [];
    const log: number[] = [];
    const error = await runCheckedRejects(function* () {
      yield* retry(flaky(10, log), { attempts: 10, when: (e, attempt) => { seen.push([(e as Error).message, attempt]); return attempt < 2; } });
    });
    expect((error as Error).message).toBe('failure 2');
    expect(seen).toEqual([['failure 1', 1], ['failure 2', 2]]);
  });

  it('never retries CancelledError, and the wait between tries is cancellable', async () => {
    let calls = 0;
    const r = await runChecked(function* () {
      return yield* skipAfter(15, function* () {
        yield* retry(function* () { calls++; yield* sleep(100); }, { attempts: 5 });
      });
    });
    expect(r).toBeUndefined();
    expect(calls).toBe(1);
    let tries = 0;
    const r2 = await runChecked(function* () {
      return yield* skipAfter(15, function* () {
        yield* retry(function* () { tries++; yield* sleep(0); throw new Error('x'); }, { attempts: 5, delay: 10 });
      });
    });
    expect(r2).toBeUndefined();
    expect(tries).toBe(2); // tried at 0 and 10; cancelled in the wait before 30
    void CancelledError;
  });

  it('bad options raise TypeError or RangeError', async () => {
    const ok = function* () { return 1; };
    expect(await runCheckedRejects(function* () { yield* retry(ok, undefined as never); })).toBeInstanceOf(TypeError);
    expect(await runCheckedRejects(function* () { yield* retry(ok, { attempts: 0 }); })).toBeInstanceOf(RangeError);
    expect(await runCheckedRejects(function* () { yield* retry(ok, { attempts: '3' as never }); })).toBeInstanceOf(TypeError);
    expect(await runCheckedRejects(function* () { yield* retry(ok, { attempts: 2, delay: -1 }); })).toBeInstanceOf(RangeError);
    expect(await runCheckedRejects(function* () { yield* retry(ok, { attempts: 2, factor: 0.5 }); })).toBeInstanceOf(RangeError);
    expect(await runCheckedRejects(function* () { yield* retry(ok, { attempts: 2, when: 1 as never }); })).toBeInstanceOf(TypeError);
    expect(await runCheckedRejects(function* () { yield* retry(5 as never, { attempts: 2 }); })).toBeInstanceOf(TypeError);
  });
});
