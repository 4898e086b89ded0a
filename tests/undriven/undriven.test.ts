// Operations created but never driven (src/undriven.ts): resource operations always warn, once per
// call site, when the task that made them ends; every operation warns in debug mode.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkpoint, sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { setWarningSink, trackOperation } from '../../src/undriven.js';
import { listen, connect } from '../../src/node/index.js';
import { runChecked } from '../helpers.js';
import type { Operation } from '../../src/types.js';
import { runNode } from '../node/helpers.js';

const source = readFileSync(import.meta.filename, 'utf8').split('\n');
/** The 1-based line of this file holding `marker`. */
const lineOf = (marker: string): number => source.findIndex((line) => line.includes(marker)) + 1;

let warnings: Array<{ message: string; code: string }> = [];
let restore: () => void = () => {};
beforeEach(() => { warnings = []; restore = setWarningSink((message, code) => warnings.push({ message, code })); });
afterEach(() => restore());

describe('resource operations that are never driven', () => {
  it('server.close() without yield* warns once, naming this file and line, when the task ends', async () => {
    await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        for (let i = 0; i < 3; i++) server.close(); // MARK forgotten close
        expect(warnings).toEqual([]); // not yet: the task may still drive it
      } finally {
        server.closeNow(); // the fix, and no leaked listener
      }
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('GIAMBIO_UNDRIVEN');
    expect(warnings[0]!.message).toContain(`undriven.test.ts:${lineOf('MARK forgotten close')}:`);
    expect(warnings[0]!.message).toContain('server.close() at ');
    expect(warnings[0]!.message).toContain('Write `yield* server.close()` (or server.closeNow(), which closes at once)');
  });

  it('driven resource operations, and ones handed to another task, do not warn', async () => {
    await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      const op = connect('127.0.0.1', server.address.port);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { const sock = yield* op; yield* sock.sendEof(); yield* sock.close(); });
      });
      yield* server.close();
    });
    expect(warnings).toEqual([]);
  });

  it('connect() and sendEof() are tracked too, each at its own site', async () => {
    await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      const sock = yield* connect('127.0.0.1', server.address.port);
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          connect('127.0.0.1', server.address.port); // MARK forgotten connect
          sock.sendEof(); // MARK forgotten sendEof
        });
      });
      sock.closeNow();
      server.closeNow();
    });
    expect(warnings.map((w) => w.message.split(' at ')[0])).toEqual(['connect()', 'socket.sendEof()']);
    expect(warnings[0]!.message).toContain(`undriven.test.ts:${lineOf('MARK forgotten connect')}:`);
    expect(warnings[1]!.message).toContain(`undriven.test.ts:${lineOf('MARK forgotten sendEof')}:`);
  });

  it('trackOperation is open to other modules; outside a task it only forwards', async () => {
    function* inner(): Operation<number> { return 5; }
    const mine = (): Operation<number> => trackOperation(inner(), 'mine()');
    expect(mine().next()).toEqual({ value: 5, done: true });
    await runChecked(function* () {
      mine(); // MARK forgotten mine
      return yield* mine();
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`mine() at `);
    expect(warnings[0]!.message).toContain(`undriven.test.ts:${lineOf('MARK forgotten mine')}:`);
  });

  it('the default sink is a Node process warning (GiambioWarning)', async () => {
    restore();
    // Spied, not printed: the test output stays free of warnings.
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const demo = (): Operation<void> => trackOperation((function* () {})(), 'demo()');
      await runChecked(function* () {
        demo(); // MARK default sink
      });
      expect(emit).toHaveBeenCalledTimes(1);
      const [message, options] = emit.mock.calls[0]! as unknown as [string, { type: string; code: string }];
      expect(options).toEqual({ type: 'GiambioWarning', code: 'GIAMBIO_UNDRIVEN' });
      expect(message).toContain(`undriven.test.ts:${lineOf('MARK default sink')}:`);
    } finally {
      emit.mockRestore();
      restore = setWarningSink((message, code) => warnings.push({ message, code }));
    }
  });
});

describe('debug: true', () => {
  it('any giambio operation created in a task and never driven warns once per call site', async () => {
    await runChecked(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* forgetful() {
          sleep(10); // MARK forgotten sleep
          checkpoint(); // MARK forgotten checkpoint
          yield* sleep(1);
        });
      });
    }, { debug: true });
    expect(warnings.map((w) => w.message.split(' at ')[0])).toEqual(['sleep()', 'checkpoint()']);
    expect(warnings[0]!.message).toContain(`undriven.test.ts:${lineOf('MARK forgotten sleep')}:`);
    expect(warnings[0]!.message).toContain('Write `yield* sleep()`');
  });

  it('without debug, sleep and checkpoint are not wrapped (no cost) and do not warn', async () => {
    await runChecked(function* () {
      const op = sleep(1);
      expect(op.constructor.name).toBe('SleepOperation');
      checkpoint();
      yield* op;
    });
    expect(warnings).toEqual([]);
  });
});
