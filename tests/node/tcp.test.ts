import { describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { createPool, skipAfter, withTimeout } from '../../src/pool.js';
import { sleep, checkpoint } from '../../src/operations.js';
import { CancelledError, ResourceBroken, TooSlowError } from '../../src/errors.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/task.js';
import { connect, listen, socketPair, wrapSocket, errorCode, type AsyncSocket } from '../../src/node/index.js';
import { run } from '../../src/loop.js';
import { expectNoLeakedHandles, handleCounts, runNode, runNodeRejects, text } from './helpers.js';

/** Reads until `n` bytes arrived (or EOF). */
function* receiveExactly(sock: AsyncSocket, n: number): Operation<string> {
  let out = '';
  while (out.length < n) {
    const data = yield* sock.receive();
    if (data.length === 0) break;
    out += text(data);
  }
  return out;
}

/** A port nothing listens on: bind one, note it, close it. */
function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('connect / listen / accept', () => {
  it('round-trips bytes both ways and reports addresses', async () => {
    const result = await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      expect(server.address.port).toBeGreaterThan(0);
      expect(server.address.family).toBe('IPv4');
      expect(server.address.address).toBe('127.0.0.1');
      try {
        return yield* createPool(function* (pool) {
          pool.spawn(function* echo() {
            const sock = yield* server.accept();
            try {
              for (let data = yield* sock.receive(); data.length > 0; data = yield* sock.receive()) yield* sock.sendAll(data);
            } finally { yield* sock.close(); }
          });
          const client = yield* connect('127.0.0.1', server.address.port);
          try {
            expect(client.remoteAddress).toBe('127.0.0.1');
            expect(client.remotePort).toBe(server.address.port);
            expect(client.localPort).toBeGreaterThan(0);
            yield* client.sendAll('hello ');
            yield* client.sendAll(new Uint8Array([119, 111, 114, 108, 100]));
            const reply = yield* receiveExactly(client, 11);
            yield* client.sendEof();
            const eof = yield* client.receive();
            return [reply, eof.length];
          } finally { yield* client.close(); }
        });
      } finally { yield* server.close(); }
    });
    expect(result).toEqual(['hello world', 0]);
  });

  it('a refused connection raises ResourceBroken with code ECONNREFUSED and the Node error as cause', async () => {
    const port = await unusedPort();
    const error = await runNodeRejects(function* () { yield* connect('127.0.0.1', port); });
    expect(error).toBeInstanceOf(ResourceBroken);
    expect(errorCode(error)).toBe('ECONNREFUSED');
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as { code: string }).code).toBe('ECONNREFUSED');
  });

  it('a peer reset raises ResourceBroken (ECONNRESET) in the waiting receive', async () => {
    const error = await runNodeRejects(function* () {
      const [a, b] = yield* socketPair();
      try {
        yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* waitAllTasksBlocked(); a.nodeSocket.resetAndDestroy(); });
          yield* b.receive();
        });
      } finally { yield* a.close(); yield* b.close(); }
    });
    expect(error).toBeInstanceOf(ResourceBroken);
    expect(errorCode(error)).toBe('ECONNRESET');
  });

  it('sendAll after a reset raises ResourceBroken', async () => {
    const error = await runNodeRejects(function* () {
      const [a, b] = yield* socketPair();
      try {
        a.nodeSocket.resetAndDestroy();
        for (let i = 0; i < 1000; i++) { yield* b.sendAll('x'.repeat(1024)); yield* sleep(1); }
      } finally { yield* a.close(); yield* b.close(); }
    });
    expect(error).toBeInstanceOf(ResourceBroken);
    expect(['ECONNRESET', 'EPIPE']).toContain(errorCode(error));
  });

  it.each([
    ['an empty host', '', 80, TypeError],
    ['a number as host', 42, 80, TypeError],
    ['port 0', '127.0.0.1', 0, RangeError],
    ['port 70000', '127.0.0.1', 70000, RangeError],
    ['port 1.5', '127.0.0.1', 1.5, RangeError],
    ['port "80"', '127.0.0.1', '80', TypeError],
  ])('connect with %s fails before any I/O', async (_label, host, port, type) => {
    const error = await runNodeRejects(function* () { yield* connect(host as string, port as number); });
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(/Expected `(host|port)`/);
  });

  it('listen rejects a bad port, and a port in use raises ResourceBroken EADDRINUSE', async () => {
    const bad = await runNodeRejects(function* () { yield* listen(-1); });
    expect(bad).toBeInstanceOf(RangeError);
    const inUse = await runNodeRejects(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try { yield* listen(server.address.port, '127.0.0.1'); } finally { yield* server.close(); }
    });
    expect(inUse).toBeInstanceOf(ResourceBroken);
    expect(errorCode(inUse)).toBe('EADDRINUSE');
  });

  it('wrapSocket adopts a plain net.Socket', async () => {
    const reply = await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        const client = wrapSocket(net.connect(server.address.port, '127.0.0.1'));
        const peer = yield* server.accept();
        try {
          yield* client.sendAll('adopted');
          return yield* receiveExactly(peer, 7);
        } finally { yield* client.close(); yield* peer.close(); }
      } finally { yield* server.close(); }
    });
    expect(reply).toBe('adopted');
    expect(() => wrapSocket({} as net.Socket)).toThrow(TypeError);
  });

  it('connections that arrive before accept() wait in the queue', async () => {
    const ports = await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      const clients: AsyncSocket[] = [];
      try {
        for (let i = 0; i < 3; i++) clients.push(yield* connect('127.0.0.1', server.address.port));
        const accepted: AsyncSocket[] = [];
        for (let i = 0; i < 3; i++) accepted.push(yield* server.accept());
        const result = accepted.map((s) => s.remotePort).sort();
        for (const s of accepted) yield* s.close();
        return [result, clients.map((c) => c.localPort).sort()];
      } finally {
        for (const c of clients) yield* c.close();
        yield* server.close();
      }
    });
    expect(ports[0]).toEqual(ports[1]);
  });
});

describe('cancellation', () => {
  it('a cancelled receive loses no bytes: the next receive returns them', async () => {
    const got = await runNode(function* () {
      const [a, b] = yield* socketPair();
      try {
        // Cancelled while parked (by a deadline), then again with the bytes already there.
        yield* skipAfter(20, function* () { yield* b.receive(); });
        yield* a.sendAll('kept');
        yield* sleep(10);
        expect(b.pendingBytes).toBe(4);
        yield* createPool(function* (pool) { pool.cancel(); yield* b.receive(); });
        expect(b.pendingBytes).toBe(4);
        return text(yield* b.receive());
      } finally { yield* a.close(); yield* b.close(); }
    });
    expect(got).toBe('kept');
  });

  it('accept is cancellable and a connection is not lost to a cancelled accept', async () => {
    const got = await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        const timedOut = yield* skipAfter(10, function* () { yield* server.accept(); return 'accepted'; });
        expect(timedOut).toBeUndefined();
        const client = yield* connect('127.0.0.1', server.address.port);
        try {
          yield* sleep(10); // the connection is now queued
          yield* createPool(function* (pool) { pool.cancel(); yield* server.accept(); });
          const peer = yield* server.accept();
          const port = peer.remotePort;
          yield* peer.close();
          return port === client.localPort;
        } finally { yield* client.close(); }
      } finally { yield* server.close(); }
    });
    expect(got).toBe(true);
  });

  it('connect is cancellable (the half-open attempt is destroyed)', async () => {
    // A listener that never accepts fills its backlog; later connects stay pending in SYN_SENT on
    // some systems and complete on others: either way a deadline of 0 cancels before the result.
    const error = await runNodeRejects(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        yield* withTimeout(0, function* () { yield* connect('127.0.0.1', server.address.port); });
      } finally { yield* server.close(); }
    });
    expect(error).toBeInstanceOf(TooSlowError);
  });

  it('connect cancelled while the connection is in flight leaves nothing open', async () => {
    const result = await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        return yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* connect('127.0.0.1', server.address.port); });
          yield* checkpoint();
          pool.cancel();
          yield* checkpoint();
          return 'not reached';
        });
      } finally { yield* server.close(); }
    });
    expect(result).toBeUndefined();
  });

  it('sendAll waits for a slow peer (bounded memory) and is cancellable', async () => {
    const outcome = await runNode(function* () {
      const [a, b] = yield* socketPair();
      try {
        const chunk = new Uint8Array(1 << 20);
        let sent = 0;
        const done = yield* skipAfter(100, function* () {
          for (;;) { yield* a.sendAll(chunk); sent += chunk.length; }
        });
        expect(done).toBeUndefined();
        // Nobody reads b: the sender stopped after the kernel buffers filled (a few MB at most).
        expect(sent).toBeLessThan(64 << 20);
        expect(a.nodeSocket.writableLength).toBeLessThanOrEqual(chunk.length);
        return 'ok';
      } finally { yield* a.close(); yield* b.close(); }
    });
    expect(outcome).toBe('ok');
  });

  it('close() inside a cancelled scope closes first and then raises CancelledError', async () => {
    const outcome = await runNode(function* () {
      const [a, b] = yield* socketPair();
      let raised: unknown = null;
      try {
        yield* createPool(function* (pool) {
          pool.cancel();
          try { yield* a.close(); } catch (e) { raised = e; throw e; }
        });
        return [raised instanceof CancelledError, a.closed, a.nodeSocket.destroyed, a.nodeSocket.closed];
      } finally { yield* b.close(); }
    });
    expect(outcome).toEqual([true, true, true, true]);
  });

  it('a finally block closes the socket when the task is cancelled', async () => {
    let sock: AsyncSocket | null = null;
    await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        yield* skipAfter(20, function* () {
          const s = yield* connect('127.0.0.1', server.address.port);
          sock = s;
          try { yield* s.receive(); } finally { yield* s.close(); }
        });
      } finally { yield* server.close(); }
    });
    expect(sock!.nodeSocket.closed).toBe(true);
  });
});

describe('close', () => {
  it('Symbol.dispose closes at once (using in a task)', async () => {
    let socket: net.Socket | null = null;
    await runNode(function* () {
      const [a, b] = yield* socketPair();
      {
        using s = a;
        socket = s.nodeSocket;
      }
      expect(a.closed).toBe(true);
      yield* checkpoint();
      expect(socket!.destroyed).toBe(true);
      yield* b.close();
    });
    expect(socket!.closed).toBe(true);
  });

  it('Symbol.asyncDispose resolves once the socket is released (await using outside tasks)', async () => {
    const before = handleCounts();
    const pair = await run(function* () { return yield* socketPair(); });
    {
      await using a = pair[0];
      await using b = pair[1];
      expect(a.closed || b.closed).toBe(false);
    }
    expect(pair.every((s) => s.nodeSocket.closed)).toBe(true);
    await expectNoLeakedHandles(before);
  });
});

describe('flow control', () => {
  it('a fast sender and a slow receiver exchange 8 MB intact with bounded buffering', async () => {
    const outcome = await runNode(function* () {
      const [a, b] = yield* socketPair();
      const total = 8 << 20;
      let maxPending = 0;
      try {
        return yield* createPool(function* (pool) {
          pool.spawn(function* () {
            const chunk = Buffer.alloc(256 * 1024);
            for (let sent = 0; sent < total; sent += chunk.length) {
              chunk.fill(sent / chunk.length);
              yield* a.sendAll(chunk);
            }
            yield* a.sendEof();
          });
          let received = 0;
          let sum = 0;
          for (;;) {
            maxPending = Math.max(maxPending, b.pendingBytes);
            const data = yield* b.receive(4096);
            if (data.length === 0) break;
            for (let i = 0; i < data.length; i += 997) sum += data[i]!;
            received += data.length;
            if (received % (1 << 20) < 4096) yield* sleep(1);
          }
          return [received, maxPending <= 256 * 1024, sum > 0];
        });
      } finally { yield* a.close(); yield* b.close(); }
    });
    expect(outcome).toEqual([8 << 20, true, true]);
  });
});
