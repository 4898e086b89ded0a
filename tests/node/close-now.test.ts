// closeNow() and Symbol.dispose on every giambio/node resource: synchronous and idempotent, so one
// cancelled `finally` (or `using`) releases everything, where `yield* a.close(); yield* b.close()`
// stops at the first line (a cancelled close closes, then re-raises the cancellation).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { Event } from '../../src/sync/event.js';
import { NetworkChannel, connect, listen, open, openSignalReceiver, openUdpSocket } from '../../src/node/index.js';
import { runNode } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'giambio-close-now-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('closeNow', () => {
  it('the footgun: in a cancelled finally, yield* a.close() re-raises and b is left open', async () => {
    const state = await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      const a = yield* connect('127.0.0.1', server.address.port);
      const b = yield* connect('127.0.0.1', server.address.port);
      let afterFirst = false;
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          try { yield* sleep(Infinity); } finally {
            yield* a.close();
            afterFirst = true; // never reached: the close above re-raised CancelledError
            yield* b.close();
          }
        });
        yield* waitAllTasksBlocked();
        pool.cancel();
      });
      const result = { a: a.closed, b: b.closed, afterFirst };
      b.closeNow();
      server.closeNow();
      return result;
    });
    expect(state).toEqual({ a: true, b: false, afterFirst: false });
  });

  it('the fix: closeNow() on each resource in one cancelled finally releases all of them', async () => {
    const closed = await runNode(function* () {
      const resources: Array<{ closed: boolean; closeNow(): void }> = [];
      const ready = new Event();
      let cancelled: unknown = null;
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          const server = yield* listen(0, '127.0.0.1');
          const sock = yield* connect('127.0.0.1', server.address.port);
          const udp = yield* openUdpSocket({ host: '127.0.0.1' });
          const file = yield* open(join(dir, 'f.txt'), 'w');
          const channel = yield* NetworkChannel.open();
          const signals = openSignalReceiver('SIGUSR2');
          const memory = new MemoryChannel<number>(1);
          resources.push(server, sock, file, channel, signals, memory); // (the UDP socket has no `closed`: runNode checks its handle)
          try {
            ready.trigger();
            yield* sleep(Infinity);
          } catch (error) {
            cancelled = error;
            throw error;
          } finally {
            server.closeNow(); sock.closeNow(); udp.closeNow(); file.closeNow(); channel.closeNow(); signals.closeNow(); memory.closeNow();
            // Idempotent: a second call (or a later close()) is harmless.
            server.closeNow(); sock.closeNow(); udp.closeNow(); file.closeNow(); channel.closeNow(); signals.closeNow(); memory.closeNow();
          }
        });
        yield* ready.wait();
        pool.cancel();
      });
      expect(cancelled).toBeInstanceOf(CancelledError);
      return resources.map((r) => r.closed);
    });
    // runNode also checked that no socket, listener, UDP socket, file or signal handle outlived the run.
    expect(closed).toEqual([true, true, true, true, true, true]);
  });

  it('using releases resources through Symbol.dispose when the block ends', async () => {
    const state = await runNode(function* () {
      let outer: { closed: boolean } | null = null;
      let sockRef: { closed: boolean } | null = null;
      {
        using server = yield* listen(0, '127.0.0.1');
        using sock = yield* connect('127.0.0.1', server.address.port);
        outer = server;
        sockRef = sock;
      }
      return { server: outer!.closed, sock: sockRef!.closed };
    });
    expect(state).toEqual({ server: true, sock: true });
  });
});
