/**
 * `serveTcp`: a TCP server written to be started (trio's `serve_tcp`): it listens, reports the bound
 * address through its `TaskStatus`, and runs `handler(socket)` as one task per connection in its own
 * pool, until cancelled. Cancellation closes the listener and every connection.
 *
 * Discussion: which handler errors end the server. A peer that resets or vanishes is the normal life
 * of a server, not a bug: a `ResourceBroken` raised while the handler's *own* socket is broken ends
 * that handler quietly. Anything else a handler raises propagates and takes the server down (trio's
 * rule: errors are not swallowed), so handle the errors you expect inside the handler. Running out
 * of file descriptors in accept (EMFILE/ENFILE) pauses accepting for 100 ms instead of ending.
 * @internal
 */
import { ResourceBroken } from '../errors.js';
import { checkFunction, checkOptions, typeError } from '../check.js';
import { createPool } from '../pool.js';
import { sleep } from '../operations.js';
import type { TaskStatus } from '../start.js';
import type { Operation } from '../task.js';
import type { AsyncSocket } from './socket.js';
import { listen, type ServerAddress } from './tcp.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';

/** Options of `serveTcp`. */
export interface ServeTcpOptions {
  /** The address to bind (default: every interface, as `listen`). Use '127.0.0.1' for local only. */
  host?: string;
  /** Length of the kernel's queue of connections not yet accepted (default 511). */
  backlog?: number;
}

/** How long accepting pauses after running out of file descriptors (ms). */
const EMFILE_PAUSE_MS = 100;

function* connection(socket: AsyncSocket, handler: (socket: AsyncSocket) => Operation<unknown>): Operation<void> {
  try {
    yield* handler(socket);
  } catch (error) {
    // The peer reset or vanished: that ends this connection, not the server.
    if (error instanceof ResourceBroken && socket.broken) return;
    throw error;
  } finally {
    socket[Symbol.dispose]();
  }
}

/**
 * Listens on `port` and serves each connection with `handler(socket)` in a task of its own, until
 * cancelled; the socket is closed when its handler ends. Meant to be started: `pool.start(serveTcp,
 * port, handler)` returns the bound `{ address, family, port }` once it listens (port 0 picks a free
 * one). Call it directly with `STATUS_IGNORED` to just run it. A handler whose peer resets or
 * vanishes (`ResourceBroken` from its own socket) ends quietly; any other error from a handler
 * propagates and ends the server. Cancelling it closes the listener and every connection.
 * @example
 * import { run, createPool } from 'giambio';
 * import { serveTcp } from 'giambio/node';
 * await run(function* () {
 *   yield* createPool(function* (pool) {
 *     const { port } = yield* pool.start(serveTcp, 0, function* (socket) {
 *       for (let data = yield* socket.receive(); data.length > 0; data = yield* socket.receive()) yield* socket.sendAll(data);
 *     }, { host: '127.0.0.1' });
 *     console.log('echo server on port', port);
 *     pool.cancel();
 *   });
 * });
 * @throws {TypeError | RangeError} bad arguments, before any I/O.
 * @throws {ResourceBroken} the address is in use (`code` 'EADDRINUSE'); raised from `start`.
 */
export function serveTcp(
  status: TaskStatus<ServerAddress>,
  port: number,
  handler: (socket: AsyncSocket) => Operation<unknown>,
  options: ServeTcpOptions = {},
): Operation<void> {
  return debugOperation(serveTcpOperation(status, port, handler, options), 'serveTcp()');
}

/** The operation serveTcp returns (named so that awaiting it says `serveTcp()`). */
const serveTcpOperation = function* serveTcp(
  status: TaskStatus<ServerAddress>,
  port: number,
  handler: (socket: AsyncSocket) => Operation<unknown>,
  options: ServeTcpOptions = {},
): Operation<void> {
  if (typeof status !== 'object' || status === null || typeof status.started !== 'function') {
    throw typeError('status', 'a TaskStatus (run serveTcp with pool.start, or pass STATUS_IGNORED)', status);
  }
  checkFunction('handler', handler, 'a generator function (socket) => …');
  checkOptions('serveTcp options', options);
  const server = yield* listen(port, options.host, { backlog: options.backlog });
  try {
    yield* createPool(function* (pool) {
      status.started(server.address);
      for (;;) {
        let socket: AsyncSocket;
        try {
          socket = yield* server.accept();
        } catch (error) {
          if (!(error instanceof ResourceBroken)) throw error;
          yield* sleep(EMFILE_PAUSE_MS); // out of file descriptors: let connections end, then accept again
          continue;
        }
        pool.spawnWith({ name: `connection ${socket.remoteAddress}:${socket.remotePort}` }, connection, socket, handler);
      }
    });
  } finally {
    server.closeNow();
  }
};

// Awaiting the operation it makes rejects (operation-guard.ts).
guardOperations(serveTcpOperation);
