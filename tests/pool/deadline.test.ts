// pool.deadlineAfter(ms) (relative to clock()), and the debug warning for a deadline set from the
// wall clock (`pool.deadline = Date.now() + ms`, which never fires on the loop's clock).
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clock, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { setWarningSink } from '../../src/undriven.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

const source = readFileSync(import.meta.filename, 'utf8').split('\n');
const lineOf = (marker: string): number => source.findIndex((line) => line.includes(marker)) + 1;

let warnings: Array<{ message: string; code: string }> = [];
let restore: () => void = () => {};
beforeEach(() => { warnings = []; restore = setWarningSink((message, code) => warnings.push({ message, code })); });
afterEach(() => restore());

describe('pool.deadlineAfter', () => {
  it('sets the deadline ms after clock(): the pool is cancelled then', async () => {
    const got = await runChecked(function* () {
      yield* sleep(1000);
      let deadline = 0;
      yield* createPool(function* (pool) {
        pool.deadlineAfter(250);
        deadline = pool.deadline;
        pool.spawn(function* () { yield* sleep(10_000); });
      });
      return { deadline, ended: clock() };
    });
    expect(got).toEqual({ deadline: 1250, ended: 1250 });
  });

  it('rejects a negative or non-number ms', async () => {
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) { pool.deadlineAfter(-1); });
    });
    expect(error).toBeInstanceOf(RangeError);
    const typeError = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) { pool.deadlineAfter('5' as never); });
    });
    expect(typeError).toBeInstanceOf(TypeError);
  });
});

describe('a deadline more than a year ahead of clock()', () => {
  it('warns in debug mode, naming Date.now() as the likely cause and the line', async () => {
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.deadline = Date.now() + 500; // MARK wall clock
        pool.cancel();
      });
    }, { debug: true });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('GIAMBIO_FAR_DEADLINE');
    expect(warnings[0]!.message).toContain('Date.now()');
    expect(warnings[0]!.message).toContain('pool.deadlineAfter(ms)');
    expect(warnings[0]!.message).toContain(`deadline.test.ts:${lineOf('MARK wall clock')}:`);
  });

  it('is silent without debug, and for Infinity or near deadlines', async () => {
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.deadline = Date.now() + 500;
        pool.deadline = Infinity;
        pool.cancel();
      });
    });
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.deadline = clock() + 30 * 86_400_000;
        pool.deadline = Infinity;
      });
    }, { debug: true });
    expect(warnings).toEqual([]);
  });
});
