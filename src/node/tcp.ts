/**
 * TCP and TLS endpoints: `connect`, `listen` (an `AsyncServer` to `accept` from) and `socketPair`.
 * TLS goes through the same calls: `connect(host, port, { tls })`, `listen(port, host, { tls })`.
 *
 * Every socket is half-open capable (`allowHalfOpen`, for TLS from the end of the handshake), so
 * EOF from the peer does not end our direction (a proxy can forward the rest); the socket is
 * closed by `close()` only. Connections accepted
 * before anyone calls `accept()` wait in a queue, already wrapped: their reading stops at the
 * socket's buffer limit, so an idle queue holds at most a little memory per connection.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ResourceBusy, ResourceClosed } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation } from '../task.js';
import { checkpointTrap, scheduleTrap } from '../trap.js';
import { checkCount, checkHost, checkOptions, checkPort, typeError } from '../check.js';
import { HostWait } from './host-wait.js';
import { brokenBy } from './os-error.js';
import { AsyncSocket } from './socket.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { debugOperation, trackOperation } from '../undriven.js';

/** Options of `connect(host, port, options)`. */
export interface ConnectOptions {
  /** Speak TLS: `true` for the defaults (verify against the system CAs), or `tls.connect` options. */
  tls?: true | tls.ConnectionOptions;
}

/** Options of `listen(port, host, options)`. */
export interface ListenOptions {
  /** Speak TLS with these `tls.createServer` options (at least `key` and `cert`). */
  tls?: tls.TlsOptions;
  /** Length of the kernel's queue of connections not yet accepted (default 511). */
  backlog?: number;
}

/** Where a server listens. */
export interface ServerAddress {
  /** The local address (`127.0.0.1`, `::`). */
  address: string;
  /** `'IPv4'` or `'IPv6'` (`'unix'` for a pipe). */
  family: string;
  /** The local port (the one chosen when `listen` was given port 0). */
  port: number;
}

const noop = (): void => {};

/**
 * Opens a TCP connection to `host:port` (TLS with `options.tls`); returns once it is established
 * (and the TLS handshake done). A checkpoint; cancelling it abandons the attempt.
 * @example
 * const sock = yield* connect('127.0.0.1', 8000);
 * try { yield* sock.sendAll('ping\n'); console.log(yield* sock.receive()); }
 * finally { yield* sock.close(); }
 * @throws {TypeError | RangeError} a bad host or port, before any I/O.
 * @throws {ResourceBroken} refused (`code` 'ECONNREFUSED'), unreachable, unknown host, or a failed
 *   TLS handshake; `cause` is Node's error.
 */
export function connect(host: string, port: number, options?: ConnectOptions): Operation<AsyncSocket> {
  return trackOperation(connectOp(host, port, options), 'connect()');
}

function* connectOp(host: string, port: number, options?: ConnectOptions): Operation<AsyncSocket> {
  checkHost('host', host);
  checkPort('port', port, false);
  const { tls: tlsOption } = checkOptions<ConnectOptions>('options', options);
  if (tlsOption !== undefined && tlsOption !== true && (typeof tlsOption !== 'object' || tlsOption === null)) {
    throw typeError('options.tls', 'true or tls.connect options', tlsOption);
  }
  const me = runningKernel('connect()').current!;
  throwIfCancelled(me);
  let socket: net.Socket;
  let event: string;
  if (tlsOption === undefined) {
    socket = net.connect({ host, port, allowHalfOpen: true });
    event = 'connect';
  } else {
    const extra = tlsOption === true ? {} : tlsOption;
    const servername = extra.servername ?? (net.isIP(host) === 0 ? host : undefined);
    // Half-open only once the handshake is done: a peer that hangs up mid-handshake ends it.
    socket = tls.connect({ ...extra, host, port, servername });
    socket.once('secureConnect', () => { socket.allowHalfOpen = true; });
    event = 'secureConnect';
  }
  const what = `connect to ${host}:${port}`;
  const wait = new HostWait(() => socket.destroy());
  // Wrapped in the callback itself: from here on the AsyncSocket's listeners catch every event.
  const onConnect = (): void => { socket.off('error', onError); wait.wake(new AsyncSocket(socket)); };
  const onError = (error: Error): void => { socket.off(event, onConnect); wait.wakeThrow(brokenBy(error, what)); };
  socket.once(event, onConnect);
  socket.once('error', onError);
  try {
    return (yield* wait.wait(what)) as AsyncSocket;
  } catch (error) {
    socket.off(event, onConnect);
    socket.off('error', onError);
    socket.on('error', noop); // a destroyed attempt may still report
    socket.destroy();
    throw error;
  }
}

/**
 * Listens on `port` (0: an ephemeral port, see `server.address`) and `host` (default: every
 * interface). TLS with `options.tls`. A checkpoint.
 * @example
 * const server = yield* listen(0, '127.0.0.1');
 * console.log(server.address.port);
 * try { for (;;) pool.spawn(handle, yield* server.accept()); } finally { yield* server.close(); }
 * @throws {TypeError | RangeError} a bad host or port, before any I/O.
 * @throws {ResourceBroken} the address is in use (`code` 'EADDRINUSE') or not available.
 */
export function listen(port: number, host?: string, options?: ListenOptions): Operation<AsyncServer> {
  return trackOperation(listenOp(port, host, options), 'listen()');
}

function* listenOp(port: number, host?: string, options?: ListenOptions): Operation<AsyncServer> {
  checkPort('port', port, true);
  if (host !== undefined) checkHost('host', host);
  const opts = checkOptions<ListenOptions>('options', options);
  if (opts.tls !== undefined && (typeof opts.tls !== 'object' || opts.tls === null)) {
    throw typeError('options.tls', 'tls.createServer options', opts.tls);
  }
  const backlog = checkCount('options.backlog', opts.backlog ?? 511, 1, false);
  const me = runningKernel('listen()').current!;
  throwIfCancelled(me);
  const server = opts.tls !== undefined
    ? tls.createServer({ ...opts.tls, allowHalfOpen: false }) // half-open after the handshake (see #onConnection)
    : net.createServer({ allowHalfOpen: true });
  const asyncServer = new AsyncServer(server, opts.tls !== undefined);
  const what = `listen on ${host ?? '*'}:${port}`;
  const wait = new HostWait(() => server.close());
  const onListening = (): void => { server.off('error', onError); wait.wake(); };
  const onError = (error: Error): void => { server.off('listening', onListening); wait.wakeThrow(brokenBy(error, what)); };
  server.once('listening', onListening);
  server.once('error', onError);
  server.listen({ port, host, backlog });
  try {
    yield* wait.wait(what);
  } catch (error) {
    server.off('listening', onListening);
    server.off('error', onError);
    asyncServer.closeNow();
    // Cancelled while Node was still resolving `host`: it would bind afterwards.
    if (!server.listening) server.once('listening', () => server.close());
    throw error;
  }
  void asyncServer.address; // read while listening: Node forgets it once closed
  return asyncServer;
}

/** A listening TCP (or TLS) server; `accept()` each connection. */
export class AsyncServer {
  readonly #server: net.Server;
  /** Connections that arrived with nobody in accept(), oldest first from `#head`. */
  #queue: AsyncSocket[] = [];
  #head = 0;
  readonly #acceptor = new HostWait();
  /** An accept() failure to report to the next accept (EMFILE, …). */
  #acceptError: unknown = null;
  #closed = false;
  #address: ServerAddress | null = null;

  /** @internal Use `listen()`. */
  constructor(server: net.Server, secure: boolean) {
    this.#server = server;
    server.on(secure ? 'secureConnection' : 'connection', this.#onConnection);
    server.on('error', this.#onError);
  }

  /** Where the server listens: `{ address, family, port }` (the real port when 0 was asked). */
  get address(): ServerAddress {
    if (this.#address === null) {
      const info = this.#server.address();
      if (info === null || typeof info === 'string') return { address: String(info), family: 'unix', port: 0 };
      this.#address = { address: info.address, family: info.family, port: info.port };
    }
    return this.#address;
  }

  /** close() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Waits for the next connection and returns it. A checkpoint; a connection is never lost to a
   * cancellation (it stays queued for the next accept).
   * @throws {ResourceClosed} the server was closed (before or during the wait).
   * @throws {ResourceBusy} another task is already accepting on this server.
   * @throws {ResourceBroken} accepting failed (for example `code` 'EMFILE': out of file descriptors).
   */
  *accept(): Operation<AsyncSocket> {
    const me = runningKernel('AsyncServer.accept()').current!;
    if (this.#closed) throw new ResourceClosed('accept() on a closed server');
    if (this.#acceptor.waiting) throw new ResourceBusy('another task is already accepting on this server');
    if (this.#acceptError !== null) {
      const error = this.#acceptError;
      this.#acceptError = null;
      throw brokenBy(error, 'accept()');
    }
    if (this.#head === this.#queue.length) return (yield* this.#acceptor.wait('AsyncServer.accept')) as AsyncSocket;
    throwIfCancelled(me);
    const socket = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as never;
    if (this.#head === this.#queue.length) { this.#queue = []; this.#head = 0; }
    yield scheduleTrap;
    return socket;
  }

  /**
   * Stops listening and closes the connections not yet accepted (accepted ones are the caller's).
   * A task waiting in accept() gets `ResourceClosed`. Idempotent; a checkpoint that closes first,
   * even when cancelled.
   */
  close(): Operation<void> {
    return trackOperation(this.#close(), 'server.close()');
  }

  *#close(): Operation<void> {
    runningKernel('AsyncServer.close()');
    this.closeNow();
    yield checkpointTrap;
  }

  /** Closes at once (for `using server = …` in a task). */
  [Symbol.dispose](): void {
    this.closeNow();
  }

  /** Closes; for `await using` outside tasks. */
  [Symbol.asyncDispose](): Promise<void> {
    this.closeNow();
    return Promise.resolve();
  }

  /**
   * Closes at once, synchronously and idempotently, closing the connections not yet accepted: for a `finally` that releases several resources (a cancelled `yield* a.close()` re-raises
   * the cancellation, and the next line would never run) and for `using`.
   * @example
   * try { … } finally { a.closeNow(); b.closeNow(); }
   */
  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    this.#acceptor.wakeThrowWith(() => new ResourceClosed('the server was closed while accepting'));
    for (let i = this.#head; i < this.#queue.length; i++) this.#queue[i]![Symbol.dispose]();
    this.#queue = [];
    this.#head = 0;
  }

  readonly #onConnection = (socket: net.Socket): void => {
    if (this.#closed) { socket.on('error', noop); socket.destroy(); return; }
    // A TLS socket is made without half-open, so that a client leaving mid-handshake ends it.
    socket.allowHalfOpen = true;
    const wrapped = new AsyncSocket(socket);
    if (!this.#acceptor.wake(wrapped)) this.#queue.push(wrapped);
  };

  readonly #onError = (error: unknown): void => {
    if (!this.#acceptor.wakeThrowWith(() => brokenBy(error, 'accept()'))) this.#acceptError = error;
  };
}

/**
 * Two connected sockets over loopback TCP (a socketpair that also works where Unix sockets do
 * not). A checkpoint.
 * @example
 * const [a, b] = yield* socketPair();
 */
export function socketPair(): Operation<[AsyncSocket, AsyncSocket]> {
  return debugOperation(socketPairOperation(), 'socketPair()');
}

/** The operation socketPair returns (named so that awaiting it says `socketPair()`). */
const socketPairOperation = function* socketPair(): Operation<[AsyncSocket, AsyncSocket]> {
  const server = yield* listen(0, '127.0.0.1');
  let a: AsyncSocket | null = null;
  let b: AsyncSocket | null = null;
  try {
    a = yield* connect('127.0.0.1', server.address.port);
    // Only the connection we made: another local process could race us to the port.
    for (;;) {
      b = yield* server.accept();
      if (b.remotePort === a.localPort) break;
      yield* b.close();
      b = null;
    }
    return [a, b];
  } catch (error) {
    if (a !== null) a[Symbol.dispose]();
    throw error;
  } finally {
    server.closeNow(); // not close(): a cancellation raised there would lose the pair
  }
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(connect, listen, socketPairOperation, AsyncServer);
