import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { STATUS_IGNORED } from '../../src/start.js';
import { ResourceBroken } from '../../src/errors.js';
import { Event } from '../../src/sync/event.js';
import { connect, serveTcp, type AsyncSocket } from '../../src/node/index.js';
import type { Operation } from '../../src/task.js';
import { runNode, runNodeRejects, text } from './helpers.js';

function* echo(socket: AsyncSocket): Operation<void> {
  for (let data = yield* socket.receive(); data.length > 0; data = yield* socket.receive()) yield* socket.sendAll(data);
}

function* readAll(socket: AsyncSocket): Operation<string> {
  let out = '';
  for (let data = yield* socket.receive(); data.length > 0; data = yield* socket.receive()) out += text(data);
  return out;
}

describe('serveTcp', () => {
  it('start returns the bound address; one task per connection; the socket closes when its handler ends', async () => {
    const result = await runNode(function* () {
      return yield* createPool(function* (pool) {
        const address = yield* pool.start(serveTcp, 0, function* (socket) {
          const line = text(yield* socket.receive());
          yield* socket.sendAll(`hello ${line}`);
          // returning closes the socket: the client sees EOF
        }, { host: '127.0.0.1' });
        expect(address.address).toBe('127.0.0.1');
        expect(address.family).toBe('IPv4');
        const replies = yield* createPool(function* (clients) {
          const tasks = ['a', 'b', 'c'].map((name) => clients.spawn(function* () {
            const sock = yield* connect('127.0.0.1', address.port);
            try { yield* sock.sendAll(name); return yield* readAll(sock); } finally { yield* sock.close(); }
          }));
          return tasks;
        });
        pool.cancel();
        return replies!.map((t) => t.result);
      });
    });
    expect(result).toEqual(['hello a', 'hello b', 'hello c']);
  });

  it('a peer reset ends that handler quietly and the server keeps serving later clients', async () => {
    const log: string[] = [];
    const reply = await runNode(function* () {
      return yield* createPool(function* (pool) {
        const handlerSawReset = new Event();
        const { port } = yield* pool.start(serveTcp, 0, function* (socket) {
          try { yield* echo(socket); } catch (e) {
            if (e instanceof ResourceBroken) { log.push(`handler: ${(e as Error).name}`); handlerSawReset.trigger(); }
            throw e;
          }
        }, { host: '127.0.0.1' });
        const rude = yield* connect('127.0.0.1', port);
        yield* rude.sendAll('x');
        yield* rude.receive();
        rude.nodeSocket.resetAndDestroy();
        yield* rude.close();
        yield* handlerSawReset.wait();
        const polite = yield* connect('127.0.0.1', port);
        let got: string;
        try {
          yield* polite.sendAll('still there?');
          got = text(yield* polite.receive());
        } finally { yield* polite.close(); }
        pool.cancel();
        return got;
      });
    });
    expect(log).toEqual(['handler: ResourceBroken']);
    expect(reply).toBe('still there?');
  });

  it('any other handler error propagates and takes the server down', async () => {
    const error = await runNodeRejects(function* () {
      yield* createPool(function* (pool) {
        const { port } = yield* pool.start(serveTcp, 0, function* () { throw new RangeError('handler bug'); }, { host: '127.0.0.1' });
        const sock = yield* connect('127.0.0.1', port);
        try { yield* sleep(5000); } finally { yield* sock.close(); }
      });
    });
    expect(error).toBeInstanceOf(RangeError);
  });

  it('cancellation closes the listener and every connection', async () => {
    const outcome = await runNode(function* () {
      let port = 0;
      let sock!: AsyncSocket;
      yield* createPool(function* (pool) {
        ({ port } = yield* pool.start(serveTcp, 0, echo, { host: '127.0.0.1' }));
        sock = yield* connect('127.0.0.1', port);
        yield* sock.sendAll('ping');
        yield* sock.receive();
        pool.cancel();
      });
      try {
        const rest = yield* readAll(sock); // the server closed our connection
        let refused = false;
        try { const again = yield* connect('127.0.0.1', port); yield* again.close(); } catch (e) { refused = e instanceof ResourceBroken; }
        return { rest, refused };
      } finally { yield* sock.close(); }
    });
    expect(outcome).toEqual({ rest: '', refused: true });
  });

  it('runs without start when given STATUS_IGNORED', async () => {
    const got = await runNode(function* () {
      return yield* createPool(function* (pool) {
        const server = pool.spawn(function* () { yield* serveTcp(STATUS_IGNORED, 0, function* (s) { yield* s.sendAll('direct'); }, { host: '127.0.0.1' }); });
        yield* sleep(20);
        expect(server.done).toBe(false);
        pool.cancel();
        return server.state;
      });
    });
    expect(got).toBe('ready'); // cancelled, not yet stepped
  });

  it('bad arguments raise TypeError before any I/O', async () => {
    expect(await runNodeRejects(function* () { yield* serveTcp(STATUS_IGNORED, 0, 42 as never); })).toBeInstanceOf(TypeError);
    expect(await runNodeRejects(function* () { yield* serveTcp(undefined as never, 0, echo); })).toBeInstanceOf(TypeError);
    expect(await runNodeRejects(function* () { yield* serveTcp(STATUS_IGNORED, -1, echo); })).toBeInstanceOf(RangeError);
  });
});
