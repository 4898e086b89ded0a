import { describe, expect, it } from 'vitest';
import { run, EventLoop } from '../../src/loop.js';
import { sleep, checkpoint, clock, currentTask } from '../../src/operations.js';
import { GiambioError } from '../../src/errors.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

describe('run', () => {
  it('resolves with the root task return value', async () => {
    expect(await runChecked(function* () { yield* checkpoint(); return 42; })).toBe(42);
  });

  it('rejects with the original error object, never wrapped', async () => {
    const boom = new Error('boom');
    expect(await runCheckedRejects(function* () { yield* sleep(5); throw boom; })).toBe(boom);
  });

  it('sleep advances the virtual clock exactly', async () => {
    const times = await runChecked(function* () {
      const t0 = clock();
      yield* sleep(3_600_000);
      const t1 = clock();
      yield* sleep(0);
      return [t0, t1, clock()];
    });
    expect(times).toEqual([0, 3_600_000, 3_600_000]);
  });

  it('runs on the real clock with the default loop', async () => {
    const t0 = performance.now();
    expect(await run(function* () { yield* sleep(15); return 'ok'; })).toBe('ok');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(14);
  });

  it('several loops run side by side', async () => {
    const order: string[] = [];
    const a = run(function* () { yield* sleep(20); order.push('a'); });
    const b = run(function* () { yield* sleep(5); order.push('b'); });
    await Promise.all([a, b]);
    expect(order).toEqual(['b', 'a']);
  });

  it('passes arguments to main', async () => {
    expect(await new EventLoop().run(function* (x: number, y: string) { yield* checkpoint(); return `${x}${y}`; }, 1, 'a')).toBe('1a');
  });

  it('currentTask() names the running task', async () => {
    expect(await runChecked(function* main() { return currentTask().name; })).toBe('main');
  });

  it('clock() outside a loop throws GiambioError', () => {
    expect(() => clock()).toThrow(GiambioError);
    expect(() => currentTask()).toThrow(/inside a giambio task/);
  });
});

describe('bad input', () => {
  it.each([
    ['a number', 42, /expects a generator function \(function\*\), got `42` \(number\)/],
    ['a generator object', (function* () { /* empty */ })(), /got a generator object.*run\(main, arg\)/],
    ['an async function', async () => 1, /got an async function/],
    ['a plain function', () => 1, /returned `1` \(number\) instead of a generator/],
  ])('run(%s) rejects with a TypeError', async (_label, main, message) => {
    const error = await run(main as never).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ['NaN', NaN, RangeError, /got `NaN` \(number\)/],
    ['-1', -1, RangeError, /got `-1` \(number\)/],
    ['"1"', '1', TypeError, /got `"1"` \(string\)/],
  ])('sleep(%s) throws into the task and the loop stays consistent', async (_label, ms, type, message) => {
    const error = await runChecked(function* () {
      try { yield* sleep(ms as number); } catch (e) { yield* sleep(1); return e; }
      return null;
    });
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
  });

  it('a task that yields a bare value gets a TypeError at that yield', async () => {
    // @ts-expect-error a bare yield is a compile error too (the Instruction brand); this checks the run-time guard
    const error = await runChecked(function* () {
      try { yield 5; } catch (e) { return e; }
      return null;
    });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/yielded `5` \(number\).*yield\*/);
  });

  it('run() from inside a task throws GiambioError at once', async () => {
    const error = await runChecked(function* () {
      try { void run(function* () { yield* checkpoint(); }); } catch (e) { return e; }
      return null;
    });
    expect(error).toBeInstanceOf(GiambioError);
  });
});
