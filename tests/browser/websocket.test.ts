import { describe, expect, it } from 'vitest';
import { connect, type WebSocketConnection } from '../../src/browser/websocket.js';
import { createPool, withTimeout, shield } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { CancelledError, EndOfChannel, ResourceBroken, ResourceClosed, TooSlowError } from '../../src/errors.js';
import { runInBrowser, runInBrowserRejects } from './helpers.js';

const wsUrl = (path = 'echo'): string => `${location.origin.replace(/^http/, 'ws')}/__giambio/ws/${path}`;

describe('WebSocket', () => {
  it('connects, sends and receives an echo, closes cleanly', async () => {
    const [reply, info] = await runInBrowser(function* () {
      const ws = yield* connect(wsUrl());
      yield* ws.send('hello');
      const reply = yield* ws.receive();
      yield* ws.close();
      return [reply, ws.closeInfo] as const;
    });
    expect(reply).toBe('hello');
    expect(info).toMatchObject({ code: 1000, wasClean: true });
  });

  it('binary messages arrive as ArrayBuffers', async () => {
    const bytes = await runInBrowser(function* () {
      const ws = yield* connect(wsUrl());
      yield* ws.send(new Uint8Array([1, 2, 3]));
      const reply = yield* ws.receive();
      yield* ws.close();
      return reply;
    });
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bytes as ArrayBuffer)]).toEqual([1, 2, 3]);
  });

  it('messages that come while nobody receives are buffered in order', async () => {
    const got = await runInBrowser(function* () {
      const ws = yield* connect(wsUrl());
      yield* ws.send('burst:5');
      yield* sleep(100);
      expect(ws.statistics().buffered).toBe(5);
      const got = [];
      for (let i = 0; i < 5; i++) got.push(yield* ws.receive());
      yield* ws.close();
      return got;
    });
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('a cancelled receive loses no message', async () => {
    const got = await runInBrowser(function* () {
      const ws = yield* connect(wsUrl());
      try {
        yield* withTimeout(20, function* () { yield* ws.receive(); });
      } catch (error) {
        expect(error).toBeInstanceOf(TooSlowError);
      }
      yield* ws.send('after the timeout');
      const got = yield* ws.receive();
      yield* ws.close();
      return got;
    });
    expect(got).toBe('after the timeout');
  });

  it('a message handed to a receiver is kept even if it is cancelled before it runs', async () => {
    const got = await runInBrowser(function* () {
      const ws = yield* connect(wsUrl());
      let got: unknown;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { got = yield* ws.receive(); yield* sleep(10_000); });
        yield* waitAllTasksBlocked();
        yield* ws.send('x');
        while (got === undefined && ws.statistics().receiversWaiting === 1) yield* sleep(2);
        pool.cancel();
      });
      yield* ws.close();
      return got;
    });
    expect(got).toBe('x');
  });

  it('the server closing ends receive with EndOfChannel, after the buffered messages', async () => {
    const seen = await runInBrowser(function* () {
      const ws = yield* connect(wsUrl());
      yield* ws.send('burst:2');
      yield* ws.send('close:4000:bye');
      const seen: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        try { seen.push(yield* ws.receive()); } catch (error) { seen.push(error); }
      }
      seen.push(ws.closeInfo);
      return seen;
    });
    expect(seen.slice(0, 2)).toEqual(['m0', 'm1']);
    expect(seen[2]).toBeInstanceOf(EndOfChannel);
    expect(seen[3]).toMatchObject({ code: 4000, reason: 'bye' });
  });

  it('a dropped connection is ResourceBroken for receivers and senders', async () => {
    const seen = await runInBrowser(function* () {
      const ws = yield* connect(wsUrl());
      yield* ws.send('drop');
      const seen: unknown[] = [];
      try { yield* ws.receive(); } catch (error) { seen.push(error); }
      try { yield* ws.send('too late'); } catch (error) { seen.push(error); }
      return seen;
    });
    expect(seen[0]).toBeInstanceOf(ResourceBroken);
    expect(seen[1]).toBeInstanceOf(ResourceBroken);
  });

  it('close() wakes a waiting receiver with ResourceClosed', async () => {
    const seen = await runInBrowser(function* () {
      const ws: WebSocketConnection = yield* connect(wsUrl());
      let seen: unknown;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* ws.receive(); } catch (error) { seen = error; } });
        yield* waitAllTasksBlocked();
        yield* ws.close();
      });
      return seen;
    });
    expect(seen).toBeInstanceOf(ResourceClosed);
  });

  it('a connection that cannot open raises ResourceBroken', async () => {
    const error = await runInBrowserRejects(function* () { yield* connect('ws://127.0.0.1:1/nothing'); });
    expect(error).toBeInstanceOf(ResourceBroken);
  });

  it('cancelling connect() closes the socket; close in a shield finishes despite cancellation', async () => {
    const outcome = await runInBrowser(function* () {
      let outcome: unknown;
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          const ws = yield* connect(wsUrl());
          try {
            yield* sleep(10_000);
          } finally {
            yield* shield(function* () { yield* ws.close(); });
            outcome = ws.closeInfo;
          }
        });
        pool.spawn(function* () {
          try { yield* connect(wsUrl()); } catch (error) { expect(error).toBeInstanceOf(CancelledError); throw error; }
        });
        yield* sleep(200);
        pool.cancel();
      });
      return outcome;
    });
    expect(outcome).toMatchObject({ code: 1000 });
  });
});
