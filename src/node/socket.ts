/**
 * AsyncSocket: a connected TCP (or TLS) stream as giambio operations, over a Node `net.Socket`.
 *
 * Reading: the socket flows ('data' events) into a small queue of chunks here; at HIGH_WATER
 * buffered bytes the socket is paused (Node then stops reading from the kernel, so TCP flow
 * control pushes back on the peer) and `receive` resumes it once the queue drains below. Bytes
 * are taken from the queue only in the step that returns them, so a cancelled `receive` loses
 * nothing. Writing: `sendAll` returns once Node has handed every byte to the kernel — at once when
 * the write completed synchronously (the common case), else when its write callback fires — so a
 * slow peer makes the writer wait and at most one `sendAll` worth of data is buffered per socket.
 *
 * One reader and one writer at a time (a second concurrent one raises `ResourceBusy`). `close()`
 * destroys the socket, wakes a waiting reader or writer with `ResourceClosed`, and waits until the
 * handle is released; it closes even inside a cancelled scope and raises `CancelledError` after.
 */
import type * as net from 'node:net';
import { ResourceBusy, ResourceClosed } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation } from '../task.js';
import type { ByteStream } from '../stream/byte-stream.js';
import { checkpointTrap, scheduleTrap } from '../trap.js';
import { checkByteCount, toBytes, typeError } from '../check.js';
import { HostWait } from './host-wait.js';
import { brokenBy } from './os-error.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { trackOperation } from '../undriven.js';

/** Received bytes buffered per socket before it is paused (bytes). */
const HIGH_WATER = 64 * 1024;
/** Default (and typical) `receive` size (bytes). */
const DEFAULT_RECEIVE = 64 * 1024;

const EMPTY = Buffer.alloc(0);
const destroySocket = (socket: net.Socket): void => { socket.destroy(); };

/** A TCP, TLS or pipe socket for tasks, from `connect`, `server.accept()`, `socketPair()` or
 * `wrapSocket(netSocket)`. One reader and one writer at a time; every blocking method is a
 * checkpoint and loses nothing when cancelled.
 * @example
 * const sock = yield* connect('127.0.0.1', 8000);
 * try {
 *   yield* sock.sendAll('ping\n');
 *   const reply = yield* sock.receive(); // Uint8Array; empty at EOF
 * } finally { yield* sock.close(); }
 * It implements `ByteStream`, so `lines`, `receiveUntil` and protocol code written against ByteStream take it. */
export class AsyncSocket implements ByteStream {
  readonly #socket: net.Socket;
  /** Received chunks not yet returned; `#head` bytes of the first one were already taken. */
  #chunks: Buffer[] = [];
  #head = 0;
  #buffered = 0;
  /** We paused the socket because `#buffered` reached HIGH_WATER. */
  #paused = false;
  /** The peer sent EOF ('end'). */
  #eof = false;
  /** The Node error that broke the socket, if any. */
  #error: unknown = null;
  /** close() was called (by us). */
  #closing = false;
  /** Node released the handle ('close'). */
  #released = false;
  /** sendEof() was called. */
  #eofSent = false;
  /** Sequence number of the last write issued / of the last one whose callback fired. */
  #writeSeq = 0;
  #flushedSeq = 0;
  readonly #reader = new HostWait();
  readonly #writer = new HostWait();
  readonly #closer = new HostWait(null, false);
  #remoteAddress: string | undefined;
  #remotePort: number | undefined;
  #localPort: number | undefined;

  /** @internal Use `wrapSocket`, `connect` or `server.accept()`. */
  constructor(socket: net.Socket) {
    this.#socket = socket;
    // Addresses are read once, while the handle exists: Node forgets them when it is destroyed.
    if (socket.connecting) socket.once('connect', () => this.#remember()); else this.#remember();
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    if (socket.destroyed) this.#released = socket.closed;
    // Request/reply traffic must not wait for delayed ACKs (Nagle): trio does the same.
    else socket.setNoDelay(true);
    socket.resume();
  }

  /** @internal The connection failed underneath (reset, vanished peer): Node reported an error on it. */
  get broken(): boolean {
    return this.#error !== null;
  }

  /** The peer's IP address (undefined until a wrapped socket has connected). Kept after close. */
  get remoteAddress(): string | undefined {
    return this.#remoteAddress;
  }

  /** The peer's port. */
  get remotePort(): number | undefined {
    return this.#remotePort;
  }

  /** This end's port. */
  get localPort(): number | undefined {
    return this.#localPort;
  }

  /** Bytes already received that the next `receive` returns without waiting. */
  get pendingBytes(): number {
    return this.#buffered;
  }

  /** close() has been called. */
  get closed(): boolean {
    return this.#closing;
  }

  /** @internal The Node socket underneath (for NetworkChannel and tests). */
  get nodeSocket(): net.Socket {
    return this.#socket;
  }

  /**
   * Waits until at least one byte is available and returns at most `maxBytes` of them; returns an
   * empty array at EOF. Always a checkpoint. Cancelled while waiting, it takes nothing: the bytes
   * are returned by the next `receive`.
   * @example
   * for (let data = yield* sock.receive(); data.length > 0; data = yield* sock.receive()) handle(data);
   * @throws {ResourceBroken} the connection was reset or failed (`code` says how).
   * @throws {ResourceClosed} the socket was closed (before or during the wait).
   * @throws {ResourceBusy} another task is already receiving on this socket.
   */
  *receive(maxBytes: number = DEFAULT_RECEIVE): Operation<Uint8Array> {
    checkByteCount('maxBytes', maxBytes);
    const me = runningKernel('AsyncSocket.receive()').current!;
    if (this.#closing) throw new ResourceClosed('receive() on a closed socket');
    if (this.#reader.waiting) throw new ResourceBusy('another task is already receiving on this socket');
    if (!this.#ready()) {
      yield* this.#reader.wait('AsyncSocket.receive');
      return this.#take(maxBytes);
    }
    throwIfCancelled(me);
    const data = this.#take(maxBytes);
    yield scheduleTrap;
    return data;
  }

  /**
   * Sends every byte of `data` (a string is sent as UTF-8); returns once all of it has been handed
   * to the operating system, waiting while the peer is slow. Always a checkpoint. If cancelled
   * while waiting, the data is already queued and will still be sent unless the socket is closed.
   * @throws {ResourceBroken} the connection was reset or failed.
   * @throws {ResourceClosed} the socket was closed, or `sendEof()` was called.
   * @throws {ResourceBusy} another task is already sending on this socket.
   */
  *sendAll(data: Uint8Array | string): Operation<void> {
    const bytes = toBytes('data', data);
    const me = runningKernel('AsyncSocket.sendAll()').current!;
    if (this.#closing) throw new ResourceClosed('sendAll() on a closed socket');
    if (this.#writer.waiting) throw new ResourceBusy('another task is already sending on this socket');
    if (this.#eofSent) throw new ResourceClosed('sendAll() after sendEof()');
    if (this.#error !== null) throw brokenBy(this.#error, 'sendAll()');
    if (this.#released) throw new ResourceClosed('sendAll() on a socket that was destroyed');
    throwIfCancelled(me);
    if (bytes.length > 0) {
      const seq = ++this.#writeSeq;
      this.#socket.write(bytes, (error) => this.#onWritten(seq, error));
      if (this.#socket.writableLength > 0 && this.#flushedSeq < seq && this.#error === null) {
        yield* this.#writer.wait('AsyncSocket.sendAll');
        return;
      }
    }
    yield scheduleTrap;
  }

  /**
   * Closes the sending direction (TCP FIN) after the data already sent; the peer's `receive` then
   * returns EOF. Receiving still works. Idempotent; a checkpoint.
   * @throws {ResourceClosed} the socket was closed.
   */
  sendEof(): Operation<void> {
    return trackOperation(this.#sendEof(), 'socket.sendEof()');
  }

  *#sendEof(): Operation<void> {
    const me = runningKernel('AsyncSocket.sendEof()').current!;
    if (this.#closing) throw new ResourceClosed('sendEof() on a closed socket');
    throwIfCancelled(me);
    if (!this.#eofSent) {
      this.#eofSent = true;
      if (!this.#socket.destroyed) this.#socket.end();
    }
    yield scheduleTrap;
  }

  /**
   * Closes the socket and waits until Node has released it. Idempotent. A task waiting in
   * `receive` or `sendAll` on this socket gets `ResourceClosed`. Inside a cancelled scope it still
   * closes first and only then raises `CancelledError`, so `finally { yield* sock.close() }`
   * never leaks a socket.
   * @example
   * const sock = yield* connect('127.0.0.1', port);
   * try { yield* sock.sendAll('hello'); } finally { yield* sock.close(); }
   */
  close(): Operation<void> {
    return trackOperation(this.#close(), 'socket.close()');
  }

  *#close(): Operation<void> {
    runningKernel('AsyncSocket.close()');
    this.#destroy();
    if (!this.#released && !this.#closer.waiting) {
      yield* this.#closer.wait('AsyncSocket.close');
      return;
    }
    yield checkpointTrap;
  }

  /**
   * Closes at once, synchronously and idempotently, without waiting for the host to release the
   * handle: for a `finally` that releases several resources (a cancelled `yield* a.close()` re-raises
   * the cancellation, and the next line would never run) and for `using`.
   * @example
   * try { … } finally { a.closeNow(); b.closeNow(); }
   */
  closeNow(): void {
    this.#destroy();
  }

  /** `closeNow()`, for `using sock = …` in a task. */
  [Symbol.dispose](): void {
    this.#destroy();
  }

  /** Closes; the promise settles when Node has released the socket (for `await using` outside tasks). */
  [Symbol.asyncDispose](): Promise<void> {
    this.#destroy();
    if (this.#released) return Promise.resolve();
    return new Promise((resolve) => { this.#socket.once('close', () => resolve()); });
  }

  /** `AsyncSocket(host:port)`, with `, closed` once closed: for logs. */
  toString(): string {
    return `AsyncSocket(${this.remoteAddress ?? '?'}:${this.remotePort ?? '?'}${this.#closing ? ', closed' : ''})`;
  }

  #remember(): void {
    const socket = this.#socket;
    this.#remoteAddress = socket.remoteAddress;
    this.#remotePort = socket.remotePort;
    this.#localPort = socket.localPort;
  }

  /** receive() can complete without waiting. */
  #ready(): boolean {
    return this.#buffered > 0 || this.#eof || this.#error !== null || this.#released;
  }

  /** Takes up to `max` buffered bytes; at EOF an empty array; otherwise raises why not. */
  #take(max: number): Uint8Array {
    if (this.#buffered === 0) {
      if (this.#eof) return EMPTY;
      if (this.#error !== null) throw brokenBy(this.#error, 'receive()');
      throw new ResourceClosed('the socket was closed');
    }
    const first = this.#chunks[0]!;
    let out: Buffer;
    if (first.length - this.#head >= max || this.#chunks.length === 1) {
      const end = Math.min(first.length, this.#head + max);
      out = first.subarray(this.#head, end);
      if (end === first.length) { this.#chunks.shift(); this.#head = 0; } else this.#head = end;
    } else {
      const parts: Buffer[] = [];
      let n = 0;
      while (n < max && this.#chunks.length > 0) {
        const chunk = this.#chunks[0]!;
        const end = Math.min(chunk.length, this.#head + (max - n));
        parts.push(chunk.subarray(this.#head, end));
        n += end - this.#head;
        if (end === chunk.length) { this.#chunks.shift(); this.#head = 0; } else this.#head = end;
      }
      out = Buffer.concat(parts, n);
    }
    this.#buffered -= out.length;
    if (this.#paused && this.#buffered < HIGH_WATER) {
      this.#paused = false;
      this.#socket.resume();
    }
    return out;
  }

  #destroy(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#chunks = [];
    this.#buffered = 0;
    this.#reader.wakeThrowWith(() => new ResourceClosed('the socket was closed while receiving'));
    this.#writer.wakeThrowWith(() => new ResourceClosed('the socket was closed while sending'));
    if (this.#flushedSeq < this.#writeSeq && this.#socket.writableLength === 0) {
      // A completed write's callback is still queued for this tick: destroying now would make Node
      // build an ERR_STREAM_DESTROYED for it. Destroy right after it instead (same macrotask).
      process.nextTick(destroySocket, this.#socket);
    } else {
      this.#socket.destroy();
    }
  }

  readonly #onData = (chunk: Buffer | string): void => {
    if (typeof chunk === 'string') chunk = Buffer.from(chunk); // a wrapped socket with an encoding set
    if (this.#closing) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered >= HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    }
    this.#reader.wake();
  };

  readonly #onEnd = (): void => {
    this.#eof = true;
    this.#reader.wake();
  };

  readonly #onError = (error: unknown): void => {
    if (this.#error === null) this.#error = error;
    this.#reader.wake();
    this.#writer.wakeThrowWith(() => brokenBy(error, 'sendAll()'));
  };

  readonly #onClose = (): void => {
    this.#released = true;
    this.#reader.wake();
    this.#writer.wakeThrowWith(() => this.#error !== null ? brokenBy(this.#error, 'sendAll()') : new ResourceClosed('the socket was destroyed while sending'));
    this.#closer.wake();
  };

  #onWritten(seq: number, error: Error | null | undefined): void {
    if (error != null) {
      if (!this.#closing) this.#onError(error);
      return;
    }
    this.#flushedSeq = seq;
    if (seq === this.#writeSeq) this.#writer.wake();
  }
}

/**
 * Wraps a connected (or connecting) `net.Socket`/`tls.TLSSocket` as an `AsyncSocket`, which takes
 * it over: do not read from it or attach 'data' listeners yourself.
 * @example
 * const sock = wrapSocket(net.connect(port, '127.0.0.1'));
 */
export function wrapSocket(socket: net.Socket): AsyncSocket {
  if (typeof socket !== 'object' || socket === null || typeof (socket as net.Socket).write !== 'function' || typeof (socket as net.Socket).destroy !== 'function') {
    throw typeError('socket', 'a net.Socket', socket);
  }
  return new AsyncSocket(socket);
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(AsyncSocket);
