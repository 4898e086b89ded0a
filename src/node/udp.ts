/**
 * UDP: `openUdpSocket()` binds a datagram socket; `sendTo` and `receiveFrom` move one datagram each.
 *
 * Datagrams that arrive while nobody is in `receiveFrom` wait in a bounded queue (`maxQueue`,
 * default 1024). When it is full, new datagrams are dropped and counted in `dropped` — UDP may
 * lose datagrams anyway, and a bound is what keeps a flood from growing memory without limit.
 */
import * as dgram from 'node:dgram';
import { ResourceBusy, ResourceClosed } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation } from '../task.js';
import { checkpointTrap, scheduleTrap } from '../trap.js';
import { checkCount, checkHost, checkOptions, checkPort, toBytes, typeError } from '../check.js';
import { HostWait } from './host-wait.js';
import { brokenBy } from './os-error.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { trackOperation } from '../undriven.js';

/** Options of `openUdpSocket(options)`. */
export interface UdpSocketOptions {
  /** 'udp4' (default) or 'udp6'. */
  type?: 'udp4' | 'udp6';
  /** Local address to bind (default: every interface). */
  host?: string;
  /** Local port (default 0: an ephemeral port). */
  port?: number;
  /** Datagrams kept while nobody receives (default 1024); more are dropped. */
  maxQueue?: number;
}

/** One received datagram and where it came from. */
export interface Datagram {
  /** The payload. */
  data: Uint8Array;
  /** The sender address. */
  address: string;
  /** `'IPv4'` or `'IPv6'`. */
  family: string;
  /** The sender port. */
  port: number;
}

/**
 * Opens a UDP socket bound to `options.host`:`options.port` (default: any interface, an ephemeral
 * port). A checkpoint.
 * @example
 * const udp = yield* openUdpSocket({ host: '127.0.0.1' });
 * try {
 *   yield* udp.sendTo('ping', '127.0.0.1', peerPort);
 *   const { data, address, port } = yield* udp.receiveFrom();
 * } finally { yield* udp.close(); }
 * @throws {ResourceBroken} binding failed (`code` 'EADDRINUSE', …).
 */
export function openUdpSocket(options?: UdpSocketOptions): Operation<AsyncUdpSocket> {
  return trackOperation(openUdpSocketOp(options), 'openUdpSocket()');
}

function* openUdpSocketOp(options?: UdpSocketOptions): Operation<AsyncUdpSocket> {
  const opts = checkOptions<UdpSocketOptions>('options', options);
  const type = opts.type ?? 'udp4';
  if (type !== 'udp4' && type !== 'udp6') throw typeError('options.type', `'udp4' or 'udp6'`, type);
  if (opts.host !== undefined) checkHost('options.host', opts.host);
  const port = opts.port === undefined ? 0 : checkPort('options.port', opts.port, true);
  const maxQueue = checkCount('options.maxQueue', opts.maxQueue ?? 1024, 1, false);
  const me = runningKernel('openUdpSocket()').current!;
  throwIfCancelled(me);
  const socket = dgram.createSocket(type);
  const udp = new AsyncUdpSocket(socket, maxQueue);
  const what = `bind UDP ${opts.host ?? '*'}:${port}`;
  const wait = new HostWait();
  const onListening = (): void => { socket.off('error', onError); wait.wake(); };
  const onError = (error: Error): void => { socket.off('listening', onListening); wait.wakeThrow(brokenBy(error, what)); };
  socket.once('listening', onListening);
  socket.once('error', onError);
  socket.bind(port, opts.host);
  try {
    yield* wait.wait(what);
  } catch (error) {
    socket.off('listening', onListening);
    socket.off('error', onError);
    udp.closeNow();
    throw error;
  }
  return udp;
}

/** A UDP socket for tasks, from `openUdpSocket`: `sendTo(data, host, port)`, `receiveFrom()`,
 * `close()`. Keeps at most `maxQueue` received datagrams (the oldest are dropped beyond that).
 * @example
 * const udp = yield* openUdpSocket({ host: '127.0.0.1' });
 * try {
 *   yield* udp.sendTo('ping', '127.0.0.1', peerPort);
 *   const { data, address, port } = yield* udp.receiveFrom();
 * } finally { yield* udp.close(); } */
export class AsyncUdpSocket {
  readonly #socket: dgram.Socket;
  readonly #maxQueue: number;
  #queue: Datagram[] = [];
  #head = 0;
  #dropped = 0;
  #closed = false;
  #released = false;
  /** A socket error nobody was waiting for: reported by the next operation. */
  #error: unknown = null;
  readonly #receiver = new HostWait();
  readonly #sender = new HostWait();
  readonly #closer = new HostWait(null, false);

  /** @internal Use `openUdpSocket()`. */
  constructor(socket: dgram.Socket, maxQueue: number) {
    this.#socket = socket;
    this.#maxQueue = maxQueue;
    socket.on('message', this.#onMessage);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  /** The bound local address `{ address, family, port }`. */
  get address(): {
    /** The local address. */
    address: string;
    /** `'IPv4'` or `'IPv6'`. */
    family: string;
    /** The local port. */
    port: number;
  } {
    const { address, family, port } = this.#socket.address();
    return { address, family, port };
  }

  /** Datagrams dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Datagrams received and not yet taken by `receiveFrom`. */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Sends one datagram to `host:port`; returns once Node has handed it to the operating system.
   * A checkpoint. Cancelled while waiting, the datagram may still be sent.
   * @throws {TypeError | RangeError} bad data, host or port.
   * @throws {ResourceBroken} the send failed (`code` 'EMSGSIZE', 'ENOTFOUND', …).
   * @throws {ResourceClosed} the socket was closed.
   */
  *sendTo(data: Uint8Array | string, host: string, port: number): Operation<void> {
    const bytes = toBytes('data', data);
    checkHost('host', host);
    checkPort('port', port, false);
    const me = runningKernel('AsyncUdpSocket.sendTo()').current!;
    if (this.#closed) throw new ResourceClosed('sendTo() on a closed UDP socket');
    if (this.#sender.waiting) throw new ResourceBusy('another task is already sending on this UDP socket');
    this.#raisePendingError('sendTo()');
    throwIfCancelled(me);
    let done = false;
    let failure: unknown = null;
    this.#socket.send(bytes, port, host, (error) => {
      done = true;
      failure = error ?? null;
      if (failure !== null) this.#sender.wakeThrow(brokenBy(failure, `sendTo ${host}:${port}`));
      else this.#sender.wake();
    });
    if (!done) { yield* this.#sender.wait('AsyncUdpSocket.sendTo'); return; }
    if (failure !== null) throw brokenBy(failure, `sendTo ${host}:${port}`);
    yield scheduleTrap;
  }

  /**
   * Waits for the next datagram. A checkpoint; cancelled, it takes nothing (the datagram stays
   * queued for the next call).
   * @throws {ResourceClosed} the socket was closed (before or during the wait).
   * @throws {ResourceBusy} another task is already receiving on this socket.
   */
  *receiveFrom(): Operation<Datagram> {
    const me = runningKernel('AsyncUdpSocket.receiveFrom()').current!;
    if (this.#closed) throw new ResourceClosed('receiveFrom() on a closed UDP socket');
    if (this.#receiver.waiting) throw new ResourceBusy('another task is already receiving on this UDP socket');
    this.#raisePendingError('receiveFrom()');
    if (this.#head === this.#queue.length) {
      yield* this.#receiver.wait('AsyncUdpSocket.receiveFrom');
      return this.#take();
    }
    throwIfCancelled(me);
    const datagram = this.#take();
    yield scheduleTrap;
    return datagram;
  }

  /**
   * Closes the socket and waits until Node has released it; waiting tasks get `ResourceClosed`.
   * Idempotent. Inside a cancelled scope it closes first and then raises `CancelledError`.
   */
  close(): Operation<void> {
    return trackOperation(this.#close(), 'udp.close()');
  }

  *#close(): Operation<void> {
    runningKernel('AsyncUdpSocket.close()');
    this.closeNow();
    if (!this.#released && !this.#closer.waiting) {
      yield* this.#closer.wait('AsyncUdpSocket.close');
      return;
    }
    yield checkpointTrap;
  }

  /** Closes at once without waiting (for `using`); safe to call twice. */
  [Symbol.dispose](): void {
    this.closeNow();
  }

  /** Closes, and settles once Node has released the handle (for `await using` in plain async code). */
  [Symbol.asyncDispose](): Promise<void> {
    this.closeNow();
    if (this.#released) return Promise.resolve();
    return new Promise((resolve) => { this.#socket.once('close', () => resolve()); });
  }

  /**
   * Closes at once, synchronously and idempotently, without waiting for the host to release the
   * handle: for a `finally` that releases several resources (a cancelled `yield* a.close()` re-raises
   * the cancellation, and the next line would never run) and for `using`.
   * @example
   * try { … } finally { a.closeNow(); b.closeNow(); }
   */
  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
    this.#receiver.wakeThrowWith(() => new ResourceClosed('the UDP socket was closed while receiving'));
    this.#sender.wakeThrowWith(() => new ResourceClosed('the UDP socket was closed while sending'));
    try { this.#socket.close(); } catch { this.#released = true; } // never bound: nothing to release
  }

  #take(): Datagram {
    const datagram = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as never;
    if (this.#head === this.#queue.length) { this.#queue = []; this.#head = 0; }
    return datagram;
  }

  #raisePendingError(what: string): void {
    if (this.#error === null) return;
    const error = this.#error;
    this.#error = null;
    throw brokenBy(error, what);
  }

  readonly #onMessage = (data: Buffer, info: dgram.RemoteInfo): void => {
    if (this.#closed) return;
    if (this.#queue.length - this.#head >= this.#maxQueue) { this.#dropped++; return; }
    this.#queue.push({ data, address: info.address, family: info.family, port: info.port });
    this.#receiver.wake();
  };

  readonly #onError = (error: unknown): void => {
    if (!this.#receiver.wakeThrowWith(() => brokenBy(error, 'receiveFrom()'))) this.#error = error;
  };

  readonly #onClose = (): void => {
    this.#released = true;
    this.#closer.wake();
  };
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(openUdpSocket, AsyncUdpSocket);
