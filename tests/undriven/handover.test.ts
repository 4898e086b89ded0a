// Who could have driven an operation (src/undriven.ts): the task that made it and the tasks it
// spawned afterwards. An operation handed to a child is the child's to drive; one abandoned because
// a task holding it was cancelled (before its first step, or mid-way) or failed is not forgotten.
// Only an operation that every such task left undriven, each ending normally, warns.
import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/operations.js';
import { createPool, skipAfter, type TaskPool } from '../../src/pool.js';
import { Queue } from '../../src/sync/queue.js';
import { StapledStream } from '../../src/stream/stapled-stream.js';
import { memoryStreamPair } from '../../src/testing.js';
import type { Operation } from '../../src/types.js';
import { runChecked, runCheckedRejects } from '../helpers.js';
import { collectWarnings, linesOf, named } from './helpers.js';

const warnings = collectWarnings();
const lineOf = linesOf(import.meta.filename);
const debug = { debug: true };

describe('an operation handed to another task', () => {
  it('does not warn when the child it was handed to is cancelled before its first step', async () => {
    await runChecked(function* () {
      const queue = new Queue<number>();
      yield* createPool(function* (pool) {
        const byClosure = queue.get();
        const asArgument = queue.get();
        pool.spawn(function* () { yield* byClosure; });
        pool.spawn(function* (op: Operation<number>) { yield* op; }, asArgument);
        pool.cancel(); // neither child has run yet
      });
    }, debug);
    expect(warnings).toEqual([]);
  });

  it('does not warn when a child it was handed to drives it after its creator ended', async () => {
    await runChecked(function* () {
      const queue = new Queue<number>();
      yield* createPool(function* (outer) {
        yield* createPool(function* (inner) {
          inner.spawn(function* maker(into: TaskPool) {
            const op = queue.get();
            into.spawn(function* () { yield* sleep(10); yield* op; });
          }, outer);
        });
        // The maker has ended; its child drives the operation later.
        queue.putNowait(1);
      });
    }, debug);
    expect(warnings).toEqual([]);
  });

  it('warns, at the line that made it, when every task it was handed to ended without driving it', async () => {
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        sleep(5); // MARK handed but unused
        pool.spawn(function* () { yield* sleep(1); });
      });
    }, debug);
    expect(named(warnings)).toEqual(['sleep()']);
    expect(warnings[0]!.message).toContain(`handover.test.ts:${lineOf('MARK handed but unused')}:`);
  });
});

describe('an operation abandoned by cancellation or an error', () => {
  it('does not warn when the task that made it was cancelled before driving it', async () => {
    await runChecked(function* () {
      yield* skipAfter(5, function* () {
        const later = sleep(1);
        yield* sleep(10); // cancelled here
        yield* later;
      });
    }, debug);
    expect(warnings).toEqual([]);
  });

  it('still warns when the task goes on after a timeout inside it and forgets the operation', async () => {
    await runChecked(function* () {
      sleep(1); // MARK made outside the timeout
      yield* skipAfter(5, function* () { yield* sleep(10); });
    }, debug);
    expect(named(warnings)).toEqual(['sleep()']);
    expect(warnings[0]!.message).toContain(`handover.test.ts:${lineOf('MARK made outside the timeout')}:`);
  });

  it('does not warn when an error ended the task first', async () => {
    const error = await runCheckedRejects(function* () {
      const later = sleep(1);
      yield* sleep(1);
      if (Math.random() < 2) throw new Error('boom');
      yield* later;
    }, debug);
    expect((error as Error).message).toBe('boom');
    expect(warnings).toEqual([]);
  });

  it('still warns for an operation made after the cancellation reached the task (cleanup code)', async () => {
    await runChecked(function* () {
      const queue = new Queue<number>();
      yield* skipAfter(5, function* () {
        try {
          yield* sleep(10);
        } finally {
          queue.put(1); // MARK forgotten in finally
        }
      });
    }, debug);
    expect(named(warnings)).toEqual(['Queue.put()']);
    expect(warnings[0]!.message).toContain(`handover.test.ts:${lineOf('MARK forgotten in finally')}:`);
  });
});

describe('forwarding methods', () => {
  it('warn once per call site however often that line runs', async () => {
    await runChecked(function* () {
      const queue = new Queue<number>();
      for (let i = 0; i < 3; i++) queue.get(); // MARK three times
    }, debug);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`handover.test.ts:${lineOf('MARK three times')}:`);
  });

  it('stapled sendEof() and close() are resource operations: tracked without debug, at the caller', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      const stream = new StapledStream(a, b);
      stream.sendEof(); // MARK stapled sendEof
      stream.close(); // MARK stapled close
      stream.closeNow();
    });
    expect(named(warnings)).toEqual(['StapledStream.sendEof()', 'StapledStream.close()']);
    expect(warnings[0]!.message).toContain(`handover.test.ts:${lineOf('MARK stapled sendEof')}:`);
    expect(warnings[1]!.message).toContain(`handover.test.ts:${lineOf('MARK stapled close')}:`);
    expect(warnings[1]!.message).toContain('(or StapledStream.closeNow(), which closes at once)');
  });
});
