/**
 * NetworkChannel: giambio's byte channel between tasks over a real socket pair (loopback TCP):
 * `write(bytes)` goes in one end, `read(n)` comes out of the other, exactly n bytes at a time.
 *
 * Discussion: giambio's `pending()` asked select() whether the socket was readable. Here the
 * channel owns both ends, so it knows exactly: bytes written and not yet read are either buffered
 * here or in flight on loopback (and will arrive), so `pending()` is a plain count — no I/O, no
 * polling — and is true the moment a `write()` returns, as it was for giambio's tasks. Bytes a
 * reader is already waiting for are not pending for anyone else, so two tasks that both check
 * `pending()` before reading do not both wait for the same message.
 */
import { ResourceClosed } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation } from '../task.js';
import { parkWith, scheduleTrap } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import type { TaskImpl } from '../task.js';
import { checkByteCount, toBytes } from '../check.js';
import type { AsyncSocket } from './socket.js';
import { socketPair } from './tcp.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { trackOperation } from '../undriven.js';

/** A byte channel over a loopback socket pair that giambio owns at both ends: `write(bytes)`,
 * `read(n)` (exactly `n` bytes), `pending()` (exact, no I/O), `close()`. Make one with
 * `NetworkChannel.open()`.
 * @example
 * const channel = yield* NetworkChannel.open();
 * try {
 *   yield* channel.write(new Uint8Array([1, 2, 3]));
 *   const bytes = yield* channel.read(3); // Uint8Array [1, 2, 3]
 * } finally { yield* channel.close(); } */
export class NetworkChannel {
  readonly #writer: AsyncSocket;
  readonly #reader: AsyncSocket;
  /** Bytes received from the reader socket and not yet returned by read(). */
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  /** Bytes written minus bytes returned by read(): buffered here or in flight. */
  #unread = 0;
  /** Bytes that readers in read() (running or waiting their turn) will take. */
  #claimed = 0;
  /** A reader is receiving; others wait their turn in `#turn`. */
  #reading = false;
  readonly #turn = new WaitQueue();
  readonly #leaveTurn = (task: TaskImpl): boolean => this.#turn.remove(task);
  #closed = false;

  /**
   * Opens a channel (a connected loopback socket pair). A checkpoint.
   * @example
   * const channel = yield* NetworkChannel.open();
   * try { yield* channel.write('ping'); const four = yield* channel.read(4); }
   * finally { yield* channel.close(); }
   */
  static open(): Operation<NetworkChannel> {
    return trackOperation(NetworkChannel.#open(), 'NetworkChannel.open()');
  }

  static *#open(): Operation<NetworkChannel> {
    const [writer, reader] = yield* socketPair();
    return new NetworkChannel(writer, reader);
  }

  /** @internal Use `NetworkChannel.open()`. */
  constructor(writer: AsyncSocket, reader: AsyncSocket) {
    this.#writer = writer;
    this.#reader = reader;
  }

  /** `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends `data` (a string as UTF-8) into the channel. A checkpoint.
   * @throws {ResourceClosed} the channel was closed.
   */
  *write(data: Uint8Array | string): Operation<void> {
    const bytes = toBytes('data', data);
    if (this.#closed) throw new ResourceClosed('write() on a closed NetworkChannel');
    const me = runningKernel('NetworkChannel.write()').current!;
    throwIfCancelled(me);
    this.#unread += bytes.length; // queued in the socket even if the wait below is cancelled
    yield* this.#writer.sendAll(bytes);
  }

  /**
   * Returns exactly `n` bytes, waiting until that many have arrived; extra bytes stay buffered
   * for the next read. Concurrent readers take turns, first come first served. A checkpoint;
   * cancelled, it loses nothing.
   * @throws {ResourceClosed} the channel was closed (before or during the wait).
   */
  *read(n: number): Operation<Uint8Array> {
    checkByteCount('n', n);
    if (this.#closed) throw new ResourceClosed('read() on a closed NetworkChannel');
    const kernel = runningKernel('NetworkChannel.read()');
    const me = kernel.current!;
    this.#claimed += n;
    try {
      if (this.#reading) {
        this.#turn.push(me);
        yield parkWith(this.#leaveTurn, 'NetworkChannel.read (another reader first)');
        // The previous reader handed the turn over: #reading is still true, and ours.
      } else {
        throwIfCancelled(me);
        if (this.#buffered >= n) {
          const out = this.#take(n);
          yield scheduleTrap;
          return out;
        }
        this.#reading = true;
      }
      try {
        while (this.#buffered < n) {
          const data = yield* this.#reader.receive(Math.max(n - this.#buffered, 64 * 1024));
          if (data.length === 0) throw new ResourceClosed('the NetworkChannel was closed');
          this.#chunks.push(data);
          this.#buffered += data.length;
        }
        return this.#take(n);
      } finally {
        const next = this.#turn.shift();
        if (next !== null) kernel.wake(next, undefined); else this.#reading = false;
      }
    } finally {
      this.#claimed -= n;
    }
  }

  /**
   * Bytes were written that no reader has claimed yet (they are buffered, or in flight on
   * loopback and sure to arrive); false once closed.
   */
  pending(): boolean {
    return !this.#closed && this.#unread - this.#claimed > 0;
  }

  /** Closes both ends (idempotent); a task waiting in read() gets `ResourceClosed`. A checkpoint that closes first. */
  close(): Operation<void> {
    return trackOperation(this.#close(), 'channel.close()');
  }

  *#close(): Operation<void> {
    runningKernel('NetworkChannel.close()');
    this.closeNow(); // both ends close now, even if a wait below is cancelled
    try {
      yield* this.#writer.close();
    } finally {
      yield* this.#reader.close();
    }
  }

  /**
   * Closes both ends at once, synchronously and idempotently, without waiting for Node to release
   * the sockets: for a `finally` that releases several resources, and for `using`. A task waiting in
   * read() gets `ResourceClosed`.
   * @example
   * try { … } finally { channel.closeNow(); other.closeNow(); }
   */
  closeNow(): void {
    this.#closed = true;
    this.#chunks = [];
    this.#buffered = 0;
    for (let t = this.#turn.shift(); t !== null; t = this.#turn.shift()) t.kernel.wakeThrow(t, new ResourceClosed('the NetworkChannel was closed'));
    this.#writer.closeNow();
    this.#reader.closeNow();
  }

  /** `closeNow()`, for `using channel = …`. */
  [Symbol.dispose](): void {
    this.closeNow();
  }

  #take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(chunk.length, n - filled);
      out.set(chunk.subarray(0, part), filled);
      filled += part;
      if (part === chunk.length) this.#chunks.shift(); else this.#chunks[0] = chunk.subarray(part);
    }
    this.#buffered -= n;
    this.#unread -= n;
    return out;
  }
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(NetworkChannel);
