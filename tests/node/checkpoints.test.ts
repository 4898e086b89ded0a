// Every blocking call of giambio/node is a checkpoint: in a cancelled scope it raises
// CancelledError before doing anything. And a virtual clock does not jump while a task waits on
// real I/O.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, skipAfter } from '../../src/pool.js';
import { clock, sleep } from '../../src/operations.js';
import { CancelledError } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import {
  connect, listen, socketPair, openUdpSocket, getAddrInfo, open, readFile, writeFile, runProcess,
  openSignalReceiver, NetworkChannel, type AsyncSocket,
} from '../../src/node/index.js';
import { runNode, text } from './helpers.js';

let dir = '';
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'giambio-cp-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** Runs `op` in a scope cancelled beforehand; returns what it raised. */
function* inCancelledScope(op: () => Operation<unknown>): Operation<unknown> {
  let raised: unknown = null;
  yield* createPool(function* (pool) {
    pool.cancel();
    try { yield* op(); } catch (error) { raised = error; throw error; }
  });
  return raised;
}

describe('every blocking call is a checkpoint', () => {
  it('sockets: listen, connect, accept, receive, sendAll, sendEof raise CancelledError and do nothing', async () => {
    const outcome = await runNode(function* () {
      const raised: unknown[] = [];
      const server = yield* listen(0, '127.0.0.1');
      const [a, b] = yield* socketPair();
      try {
        const port = server.address.port;
        raised.push(yield* inCancelledScope(() => listen(0, '127.0.0.1')));
        raised.push(yield* inCancelledScope(() => connect('127.0.0.1', port)));
        const client = yield* connect('127.0.0.1', port);
        try {
          yield* sleep(10); // the connection waits in the accept queue
          raised.push(yield* inCancelledScope(() => server.accept()));
          const peer = yield* server.accept(); // still there
          yield* peer.close();
        } finally { yield* client.close(); }
        yield* a.sendAll('data');
        yield* sleep(10);
        raised.push(yield* inCancelledScope(() => b.receive()));
        raised.push(yield* inCancelledScope(() => a.sendAll('not sent')));
        raised.push(yield* inCancelledScope(() => a.sendEof()));
        yield* sleep(10);
        const data = text(yield* b.receive()); // 'data' only: no 'not sent', and no EOF
        yield* a.sendAll('!');
        return { raised, data, next: text(yield* b.receive()) };
      } finally { yield* a.close(); yield* b.close(); yield* server.close(); }
    });
    expect(outcome.raised).toHaveLength(6);
    expect(outcome.raised.every((e) => e instanceof CancelledError)).toBe(true);
    expect(outcome).toMatchObject({ data: 'data', next: '!' });
  });

  it('UDP, DNS, NetworkChannel and signals raise CancelledError and do nothing', async () => {
    const outcome = await runNode(function* () {
      const raised: unknown[] = [];
      raised.push(yield* inCancelledScope(() => openUdpSocket({ host: '127.0.0.1' })));
      const u = yield* openUdpSocket({ host: '127.0.0.1' });
      try {
        raised.push(yield* inCancelledScope(() => u.sendTo('x', '127.0.0.1', u.address.port)));
        raised.push(yield* inCancelledScope(() => u.receiveFrom()));
        yield* sleep(10);
        expect(u.pending).toBe(0); // the cancelled sendTo sent nothing
      } finally { yield* u.close(); }
      raised.push(yield* inCancelledScope(() => getAddrInfo('localhost')));
      raised.push(yield* inCancelledScope(() => NetworkChannel.open()));
      const channel = yield* NetworkChannel.open();
      try {
        raised.push(yield* inCancelledScope(() => channel.write('x')));
        expect(channel.pending()).toBe(false);
        raised.push(yield* inCancelledScope(() => channel.read(1)));
      } finally { yield* channel.close(); }
      const signals = openSignalReceiver('SIGUSR2');
      try {
        raised.push(yield* inCancelledScope(() => signals.receive()));
      } finally { signals.close(); }
      return raised;
    });
    expect(outcome).toHaveLength(8);
    expect(outcome.every((e) => e instanceof CancelledError)).toBe(true);
  });

  it('files and processes raise CancelledError and do nothing', async () => {
    const marker = join(dir, 'spawned');
    const raised = await runNode(function* () {
      const list: unknown[] = [];
      list.push(yield* inCancelledScope(() => writeFile(join(dir, 'never'), 'x')));
      list.push(yield* inCancelledScope(() => readFile(join(dir, 'never'))));
      list.push(yield* inCancelledScope(() => open(join(dir, 'never2'), 'w')));
      yield* writeFile(join(dir, 'f'), 'abc');
      const file = yield* open(join(dir, 'f'), 'r+');
      try {
        list.push(yield* inCancelledScope(() => file.read()));
        list.push(yield* inCancelledScope(() => file.write('zzz')));
        expect(text(yield* file.read())).toBe('abc');
      } finally { yield* file.close(); }
      list.push(yield* inCancelledScope(() => runProcess(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`])));
      return list;
    });
    expect(raised).toHaveLength(6);
    expect(raised.every((e) => e instanceof CancelledError)).toBe(true);
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(existsSync(join(dir, 'never2'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('an open() cancelled while blocked in the thread pool closes the descriptor it gets later', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await runNode(function* () {
      // Opening a FIFO for writing blocks until a reader opens it.
      expect(yield* skipAfter(20, function* () { return yield* open(fifo, 'w'); })).toBeUndefined();
      const reader = yield* open(fifo, 'r'); // unblocks the abandoned open, which then closes its descriptor
      try {
        expect((yield* reader.read()).length).toBe(0); // EOF: no writer is left
      } finally { yield* reader.close(); }
    });
  });
});

describe('host waits and virtual time', () => {
  it('a virtual clock does not jump while a task waits on a socket', async () => {
    const times = await runNode(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        // A plain Node client sends 30 ms (real time) later.
        const peer = net.connect(server.address.port, '127.0.0.1', () => { setTimeout(() => peer.end('late'), 30); });
        const sock: AsyncSocket = yield* server.accept();
        try {
          return yield* createPool(function* (pool) {
            let slept = -1;
            pool.spawn(function* () { yield* sleep(1000); slept = clock(); });
            const data = text(yield* sock.receive());
            const received = clock();
            yield* pool.spawn(function* () { yield* sleep(0); }).join();
            return { data, received, sleptBeforeReceive: slept };
          });
        } finally { yield* sock.close(); }
      } finally { yield* server.close(); }
    }, { virtual: true });
    // While the receive waited, the sleeper's deadline (virtual 1000) did not come: no jump.
    expect(times).toEqual({ data: 'late', received: 0, sleptBeforeReceive: -1 });
  });
});
