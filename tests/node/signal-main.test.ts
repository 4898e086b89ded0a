import { afterEach, describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { CancelledError, ResourceClosed } from '../../src/errors.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { openSignalReceiver, mainWith, main, listen, connect } from '../../src/node/index.js';
import { expectNoLeakedHandles, handleCounts, runNode, runNodeRejects } from './helpers.js';

const listeners = (): number => process.listenerCount('SIGUSR2');

afterEach(() => { process.exitCode = undefined; });

describe('openSignalReceiver', () => {
  it('yield* receiver returns the next signal; listeners are removed when the opening task ends', async () => {
    const before = listeners();
    const got = await runNode(function* () {
      const receiver = openSignalReceiver('SIGUSR2');
      expect(listeners()).toBe(before + 1);
      return yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* waitAllTasksBlocked(); process.kill(process.pid, 'SIGUSR2'); });
        const first = yield* receiver;
        process.kill(process.pid, 'SIGUSR2');
        return [first, yield* receiver.receive()];
      });
    });
    expect(got).toEqual(['SIGUSR2', 'SIGUSR2']);
    expect(listeners()).toBe(before);
  });

  it('signals that arrive while nobody waits are kept once each, in order', async () => {
    const got = await runNode(function* () {
      using receiver = openSignalReceiver('SIGUSR2', 'SIGHUP');
      process.kill(process.pid, 'SIGHUP');
      process.kill(process.pid, 'SIGUSR2');
      process.kill(process.pid, 'SIGUSR2');
      yield* sleep(50);
      return [yield* receiver, yield* receiver];
    });
    expect(got).toEqual(['SIGHUP', 'SIGUSR2']);
    expect(listeners()).toBe(0);
  });

  it('a waiting receive is cancellable, close() wakes a waiter with ResourceClosed, and bad names are rejected', async () => {
    const outcome = await runNode(function* () {
      const receiver = openSignalReceiver('SIGUSR2');
      const caught: unknown[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* receiver.receive(); } catch (e) { caught.push(e); throw e; } });
        yield* waitAllTasksBlocked();
        pool.cancel();
      });
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* receiver.receive(); } catch (e) { caught.push(e); } });
        yield* waitAllTasksBlocked();
        receiver.close();
      });
      return caught;
    });
    expect(outcome[0]).toBeInstanceOf(CancelledError);
    expect(outcome[1]).toBeInstanceOf(ResourceClosed);
    expect(await runNodeRejects(function* () { openSignalReceiver('SIGNOPE' as never); })).toBeInstanceOf(TypeError);
    expect(await runNodeRejects(function* () { openSignalReceiver('SIGKILL'); })).toBeInstanceOf(RangeError);
    expect(await runNodeRejects(function* () { openSignalReceiver(); })).toBeInstanceOf(TypeError);
  });
});

describe('main', () => {
  it('returns the root value and leaves the exit code alone', async () => {
    expect(await main(function* (x: number) { yield* sleep(1); return x * 2; }, 21)).toBe(42);
    expect(process.exitCode).toBeUndefined();
  });

  it('a signal cancels the root; finally blocks run; the exit code is 128 + the signal number', async () => {
    const before = handleCounts();
    const log: string[] = [];
    const value = await mainWith({ signals: ['SIGUSR2'] }, function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        const client = yield* connect('127.0.0.1', server.address.port);
        try {
          process.kill(process.pid, 'SIGUSR2');
          yield* sleep(10_000);
        } catch (error) {
          log.push(error instanceof CancelledError ? 'cancelled' : 'other');
          throw error;
        } finally { yield* client.close(); }
      } finally {
        try { yield* server.close(); } finally { log.push(server.closed ? 'closed' : 'open'); }
      }
    });
    expect(value).toBeUndefined();
    expect(log).toEqual(['cancelled', 'closed']);
    expect(process.exitCode).toBe(128 + 12);
    expect(listeners()).toBe(0);
    await expectNoLeakedHandles(before);
  });

  it('a receiver the program opened for a signal takes precedence over main(): the root is not cancelled', async () => {
    const value = await mainWith({ signals: ['SIGUSR2'] }, function* () {
      using receiver = openSignalReceiver('SIGUSR2');
      process.kill(process.pid, 'SIGUSR2');
      const got = yield* receiver;
      yield* sleep(20); // a cancellation by main() would land here
      return got;
    });
    expect(value).toBe('SIGUSR2');
    expect(process.exitCode).toBeUndefined();
    expect(listeners()).toBe(0);
  });

  it('an error is reported and sets exit code 1', async () => {
    const reported: unknown[] = [];
    const boom = new Error('boom');
    await mainWith({ report: (e) => reported.push(e) }, function* () { yield* sleep(1); throw boom; });
    expect(reported).toEqual([boom]);
    expect(process.exitCode).toBe(1);
  });
});
