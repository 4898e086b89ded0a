// Many connections in one loop. The full 10,000-connection run is examples/scale.mjs (its server
// half runs in a child process: both ends of 10,000 connections need more than the 20,000 file
// descriptors `ulimit -n` allows here). This test keeps both ends in one loop, so it uses 2,000
// connections (4,000 descriptors), and still exchanges data on every one while all are open.
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { listen, connect, type AsyncSocket } from '../../src/node/index.js';
import { runNode } from './helpers.js';

const CONNECTIONS = 2000;

describe('scale', () => {
  it(`holds ${CONNECTIONS} loopback connections open in one loop and exchanges data on all of them`, async () => {
    const rssBefore = process.memoryUsage().rss;
    const result = await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1', { backlog: 4096 });
      const clients: AsyncSocket[] = [];
      const served: AsyncSocket[] = [];
      let rssOpen = 0;
      try {
        yield* createPool(function* (pool) {
          pool.spawn(function* () {
            for (let i = 0; i < CONNECTIONS; i++) served.push(yield* server.accept());
          });
          for (let done = 0; done < CONNECTIONS; done += 500) {
            yield* createPool(function* (wave) {
              for (let i = 0; i < 500; i++) wave.spawn(function* () { clients.push(yield* connect('127.0.0.1', server.address.port)); });
            });
          }
        });
        expect(clients).toHaveLength(CONNECTIONS);
        expect(served).toHaveLength(CONNECTIONS);
        // Every server end echoes one message; every client sends one and checks the echo.
        let echoed = 0;
        yield* createPool(function* (pool) {
          for (const sock of served) {
            pool.spawn(function* () {
              const data = yield* sock.receive();
              yield* sock.sendAll(data);
            });
          }
          for (const [i, sock] of clients.entries()) {
            pool.spawn(function* () {
              const message = `client ${i}`;
              yield* sock.sendAll(message);
              let got = '';
              while (got.length < message.length) got += Buffer.from(yield* sock.receive()).toString();
              if (got === message) echoed++;
            });
          }
        });
        rssOpen = process.memoryUsage().rss;
        return { echoed, open: clients.filter((c) => !c.closed).length };
      } finally {
        const all = [...clients, ...served];
        for (const sock of all) sock[Symbol.dispose](); // close them all at once, then wait for each
        for (const sock of all) yield* sock.close();
        yield* server.close();
        const perConnection = (rssOpen - rssBefore) / (2 * CONNECTIONS) / 1024;
        console.log(`scale: ${CONNECTIONS} connections (${2 * CONNECTIONS} sockets) in one loop, RSS +${perConnection.toFixed(1)} KB per socket`);
      }
    });
    expect(result).toEqual({ echoed: CONNECTIONS, open: CONNECTIONS });
  });
});
