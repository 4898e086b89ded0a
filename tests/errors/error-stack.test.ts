import { spawnSync } from 'node:child_process';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ErrorStack } from '../../src/errors.js';
import { createPool } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { runCheckedRejects } from '../helpers.js';

describe('ErrorStack', () => {
  it('its message names every failure (first line of each message), at most ten', () => {
    expect(new ErrorStack([new TypeError('boom\nmore'), new RangeError('bad')]).message).toBe('2 tasks failed: TypeError: boom; RangeError: bad');
    expect(new ErrorStack([new Error(''), 'text', 42]).message).toBe('3 tasks failed: Error; "text" (thrown, not an Error); 42 (thrown, not an Error)');
    const many = new ErrorStack(Array.from({ length: 12 }, (_, i) => new Error(`e${i}`)));
    expect(many.message).toMatch(/^12 tasks failed: Error: e0; .*; Error: e9; … and 2 more$/);
    expect(new ErrorStack([new Error('x')], 'custom').message).toBe('custom');
  });

  it('util.inspect shows each error with its first frames, nested stacks indented', async () => {
    const error = await runCheckedRejects(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* failsFirst() { yield* sleep(5); throw new TypeError('boom'); });
        pool.spawn(function* nested() {
          yield* createPool(function* (inner) {
            for (const name of ['c', 'd']) {
              inner.spawn(function* cleanupFails() { try { yield* sleep(100); } finally { throw new RangeError(`cleanup ${name}`); } });
            }
          });
        });
      });
    });
    expect(error).toBeInstanceOf(ErrorStack);
    const text = inspect(error);
    const lines = text.split('\n');
    expect(lines[0]).toBe('ErrorStack: 2 tasks failed: TypeError: boom; ErrorStack: 2 tasks failed: RangeError: cleanup c; RangeError: cleanup d');
    const at = (prefix: string): number => lines.findIndex((line) => line.startsWith(prefix));
    expect(at('  [1] TypeError: boom')).toBeGreaterThan(0);
    expect(lines[at('  [1] TypeError: boom') + 1]).toMatch(/^ {8}at failsFirst \(.*error-stack\.test\.ts:\d+:\d+\)$/);
    expect(at('  [2] ErrorStack: 2 tasks failed')).toBeGreaterThan(at('  [1]'));
    expect(at('      [1] RangeError: cleanup c')).toBeGreaterThan(at('  [2]'));
    expect(at('      [2] RangeError: cleanup d')).toBeGreaterThan(at('      [1] RangeError'));
    expect(lines[at('      [1] RangeError: cleanup c') + 1]).toMatch(/^ {12}at cleanupFails \(/);
    // At most three frames each, then a count.
    expect(lines.filter((line) => /^ {8}at /.test(line)).length).toBeLessThanOrEqual(6);
  });

  it('main() prints every failure, nested ones indented, and exits 1 (built package, child process)', () => {
    const script = `
      import { main } from './dist/node.mjs';
      import { createPool, sleep } from './dist/index.mjs';
      main(function* () {
        yield* createPool(function* (pool) {
          pool.spawn(function* first() { yield* sleep(5); throw new TypeError('boom'); });
          pool.spawn(function* nested() {
            yield* createPool(function* (inner) {
              inner.spawn(function* c() { try { yield* sleep(100); } finally { throw new RangeError('cleanup c'); } });
              inner.spawn(function* d() { try { yield* sleep(100); } finally { throw new RangeError('cleanup d'); } });
            });
          });
        });
      });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain('[errors]: [Array]');
    expect(r.stderr).toContain('ErrorStack: 2 tasks failed: TypeError: boom; ErrorStack: 2 tasks failed: RangeError: cleanup c; RangeError: cleanup d');
    expect(r.stderr).toMatch(/\n {2}\[1\] TypeError: boom\n {8}at first \(/);
    expect(r.stderr).toMatch(/\n {6}\[1\] RangeError: cleanup c\n {12}at c \(/);
    expect(r.stderr).toMatch(/\n {6}\[2\] RangeError: cleanup d\n {12}at d \(/);
  });

  it('keeps AggregateError semantics', () => {
    const stack = new ErrorStack([new Error('a')]);
    expect(stack).toBeInstanceOf(AggregateError);
    expect(stack.name).toBe('ErrorStack');
    expect(stack.errors).toHaveLength(1);
  });
});
