/**
 * In-memory byte streams for tests (trio's `memory_stream_pair` / `lockstep_stream_pair`): two
 * connected ByteStreams, each direction a BytePipe.
 *
 * Discussion: bytes are handed over as Queue hands over items (sync/queue.ts). A receive that finds
 * bytes takes them in its own step; a receive that has to wait parks with its `maxBytes`, and the
 * sender that brings bytes takes them for it and wakes it with them. A sendAll that does not fit
 * parks with its bytes, and the receive that makes room appends them for it before waking it. So a
 * woken task's operation has completed, and a cancelled one has not happened: a cancelled receive
 * took nothing, a cancelled sendAll sent nothing (lockstep: unless the peer had already started
 * reading that chunk — then the rest stays and will be read). `maxBufferedBytes` bounds what a
 * sender may add to a non-empty buffer; a chunk larger than the limit goes in whole when the
 * buffer is empty, so a send never waits forever.
 */
import { ResourceBroken, ResourceBusy, ResourceClosed } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation } from '../types.js';
import type { TaskImpl } from '../task.js';
import { checkpointTrap, parkWith, scheduleTrap, type AbortFn } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { withdrawer } from '../sync/waiting.js';
import { throwIfCancelled } from '../cancel-point.js';
import { checkByteCount, checkOptions, toBytes } from '../check.js';
import { EMPTY_BYTES, type ByteStream } from './byte-stream.js';
import { disposeSymbol } from '../disposable.js';
import { guardOperations } from '../operation-guard.js';

/** Default `receive` size (bytes). */
const DEFAULT_RECEIVE = 64 * 1024;
const abortReceive = withdrawer();
const abortSend = withdrawer();

/** One direction: bytes from one end's sendAll to the other end's receive. @internal */
class BytePipe {
  /** Buffered chunks, oldest first (few at a time: a test double, not a hot path). */
  chunks: Uint8Array[] = [];
  /** Bytes of the first chunk already taken. */
  head = 0;
  buffered = 0;
  /** The sender sent EOF or closed its end: after the buffer, receive returns EMPTY_BYTES. */
  eof = false;
  /** The receiving end was closed: sends fail with ResourceBroken. */
  broken = false;
  /** The parked receiver (at most one); its `waitValue` is its maxBytes. */
  readonly receiver = new WaitQueue();
  /** The parked sender (at most one); its `waitValue` is its bytes (not buffered yet, unless lockstep). */
  readonly sender = new WaitQueue();
  /** Lockstep: the chunk a parked sender waits to see read, and whether reading it has begun. */
  pending: Uint8Array | null = null;
  pendingTouched = false;
  /** Lockstep: a cancelled sendAll withdraws its chunk if the reader has not started on it. */
  readonly abortLockstep: AbortFn;

  constructor(readonly maxBuffered: number, readonly lockstep: boolean) {
    this.abortLockstep = (task: TaskImpl): boolean => {
      this.sender.remove(task);
      task.waitValue = undefined;
      const chunk = this.pending;
      this.pending = null;
      if (chunk !== null && !this.pendingTouched) this.#withdrawLast(chunk);
      return true;
    };
  }

  /** A non-lockstep send of `n` bytes can complete without waiting. */
  fits(n: number): boolean {
    return this.buffered === 0 || this.buffered + n <= this.maxBuffered;
  }

  /** Buffers `bytes` and, if a receiver is parked, completes its receive. */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    const receiver = this.receiver.shift();
    if (receiver !== null) receiver.kernel.wake(receiver, this.take(receiver.waitValue as number));
  }

  /** Takes up to `max` buffered bytes (EMPTY_BYTES at EOF; the caller checked something is there). */
  take(max: number): Uint8Array {
    if (this.buffered === 0) return EMPTY_BYTES;
    const out = new Uint8Array(Math.min(max, this.buffered));
    let n = 0;
    while (n < out.length) {
      const chunk = this.chunks[0]!;
      if (chunk === this.pending) this.pendingTouched = true;
      const end = Math.min(chunk.length, this.head + (out.length - n));
      out.set(chunk.subarray(this.head, end), n);
      n += end - this.head;
      if (end === chunk.length) { this.chunks.shift(); this.head = 0; } else this.head = end;
    }
    this.buffered -= n;
    this.#afterTake();
    return out;
  }

  /** Nothing will ever be buffered again: a parked receiver gets EOF. */
  end(): void {
    this.eof = true;
    const receiver = this.receiver.shift();
    if (receiver !== null) receiver.kernel.wake(receiver, this.take(receiver.waitValue as number));
  }

  /** Room was made: complete the parked sender's send if it fits now (lockstep: once all was read). */
  #afterTake(): void {
    const sender = this.sender.head;
    if (sender === null) return;
    if (this.lockstep) {
      if (this.buffered > 0) return;
      this.pending = null;
    } else {
      const bytes = sender.waitValue as Uint8Array;
      if (!this.fits(bytes.length)) return;
      this.chunks.push(bytes);
      this.buffered += bytes.length;
    }
    this.sender.remove(sender);
    sender.kernel.wake(sender, undefined);
  }

  #withdrawLast(chunk: Uint8Array): void {
    if (this.chunks[this.chunks.length - 1] !== chunk) return;
    this.chunks.pop();
    this.buffered -= chunk.length;
  }
}

/** One end of an in-memory stream pair. @internal */
export class MemoryStream implements ByteStream {
  #closed = false;
  #eofSent = false;

  /** @internal Use memoryStreamPair() or lockstepStreamPair(). */
  constructor(private readonly out: BytePipe, private readonly in_: BytePipe, private readonly name: string) {}

  /** close() or closeNow() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes received and not returned by `receive` yet. */
  get pendingBytes(): number {
    return this.in_.buffered;
  }

  *sendAll(data: Uint8Array | string): Operation<void> {
    const bytes = toBytes('data', data).slice(); // a copy: the caller may reuse its buffer
    const me = runningKernel(`${this.name}.sendAll()`).current!;
    const pipe = this.out;
    if (this.#closed) throw new ResourceClosed(`${this.name}.sendAll(): the stream is closed`);
    if (this.#eofSent) throw new ResourceClosed(`${this.name}.sendAll(): after sendEof()`);
    if (pipe.sender.length > 0) throw new ResourceBusy(`${this.name}.sendAll(): another task is already sending on this stream`);
    if (pipe.broken) throw new ResourceBroken(`${this.name}.sendAll(): the peer closed its end`);
    throwIfCancelled(me);
    if (pipe.lockstep) {
      pipe.append(bytes);
      if (pipe.buffered > 0) {
        pipe.pending = bytes;
        pipe.pendingTouched = pipe.buffered < bytes.length;
        pipe.sender.push(me, bytes);
        yield parkWith(pipe.abortLockstep, `${this.name}.sendAll`);
        return;
      }
    } else if (pipe.fits(bytes.length)) {
      pipe.append(bytes);
    } else {
      pipe.sender.push(me, bytes);
      yield parkWith(abortSend, `${this.name}.sendAll`);
      return;
    }
    yield scheduleTrap;
  }

  *receive(maxBytes: number = DEFAULT_RECEIVE): Operation<Uint8Array> {
    checkByteCount('maxBytes', maxBytes);
    const me = runningKernel(`${this.name}.receive()`).current!;
    const pipe = this.in_;
    if (this.#closed) throw new ResourceClosed(`${this.name}.receive(): the stream is closed`);
    if (pipe.receiver.length > 0) throw new ResourceBusy(`${this.name}.receive(): another task is already receiving on this stream`);
    throwIfCancelled(me);
    if (pipe.buffered === 0 && !pipe.eof) {
      pipe.receiver.push(me, maxBytes);
      return (yield parkWith(abortReceive, `${this.name}.receive`)) as Uint8Array;
    }
    const data = pipe.take(maxBytes);
    yield scheduleTrap;
    return data;
  }

  *sendEof(): Operation<void> {
    const me = runningKernel(`${this.name}.sendEof()`).current!;
    if (this.#closed) throw new ResourceClosed(`${this.name}.sendEof(): the stream is closed`);
    throwIfCancelled(me);
    if (!this.#eofSent) {
      this.#eofSent = true;
      this.out.end();
    }
    yield scheduleTrap;
  }

  *close(): Operation<void> {
    runningKernel(`${this.name}.close()`);
    this.closeNow();
    yield checkpointTrap;
  }

  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    const out = this.out;
    const in_ = this.in_;
    // Sending side: our parked sendAll fails, the peer reads what is buffered and then EOF.
    for (let t = out.sender.shift(); t !== null; t = out.sender.shift()) {
      t.waitValue = undefined;
      t.kernel.wakeThrow(t, new ResourceClosed(`${this.name}.sendAll(): the stream was closed while sending`));
    }
    out.pending = null;
    out.end();
    // Receiving side: our parked receive fails, the buffer is dropped, the peer's sends break.
    in_.broken = true;
    for (let t = in_.receiver.shift(); t !== null; t = in_.receiver.shift()) {
      t.kernel.wakeThrow(t, new ResourceClosed(`${this.name}.receive(): the stream was closed while receiving`));
    }
    in_.chunks = [];
    in_.head = 0;
    in_.buffered = 0;
    for (let t = in_.sender.shift(); t !== null; t = in_.sender.shift()) {
      t.waitValue = undefined;
      t.kernel.wakeThrow(t, new ResourceBroken('sendAll(): the peer closed its end while sending'));
    }
    in_.pending = null;
  }

  [disposeSymbol](): void {
    this.closeNow();
  }

  declare [Symbol.dispose]: () => void;

  toString(): string {
    return `${this.name}(${this.#closed ? 'closed' : 'open'})`;
  }
}

/** Options of `memoryStreamPair`. */
export interface MemoryStreamPairOptions {
  /**
   * Bytes each direction buffers before `sendAll` waits for the peer to receive (default
   * Infinity). A chunk larger than this still goes in whole once the buffer is empty.
   */
  maxBufferedBytes?: number;
}

/**
 * Two ByteStreams connected in memory: what one sends, the other receives. For testing protocol
 * code without sockets; `maxBufferedBytes` exercises backpressure.
 * @example
 * import { run } from 'giambio';
 * import { memoryStreamPair } from 'giambio/testing';
 * await run(function* () {
 *   const [client, server] = memoryStreamPair({ maxBufferedBytes: 1024 });
 *   yield* client.sendAll('ping');
 *   console.log(new TextDecoder().decode(yield* server.receive())); // "ping"
 *   client.closeNow();
 *   server.closeNow();
 * });
 * @throws {TypeError | RangeError} `maxBufferedBytes` is not an integer ≥ 1 or Infinity.
 */
export function memoryStreamPair(options: MemoryStreamPairOptions = {}): [ByteStream, ByteStream] {
  checkOptions('options', options);
  const max = checkByteCount('options.maxBufferedBytes', options.maxBufferedBytes ?? Infinity, true);
  return pair(new BytePipe(max, false), new BytePipe(max, false), 'MemoryStream');
}

/**
 * Two ByteStreams connected in lockstep: every `sendAll` returns only once the peer has received
 * all of it, which flushes out protocol code that assumes a send completes on its own.
 * @example
 * import { createPool, run } from 'giambio';
 * import { lockstepStreamPair } from 'giambio/testing';
 * await run(function* () {
 *   const [a, b] = lockstepStreamPair();
 *   yield* createPool(function* (pool) {
 *     pool.spawn(function* () { yield* a.sendAll('x'); console.log('received by now'); });
 *     console.log(new TextDecoder().decode(yield* b.receive()));
 *   });
 *   a.closeNow();
 *   b.closeNow();
 * });
 */
export function lockstepStreamPair(): [ByteStream, ByteStream] {
  return pair(new BytePipe(Infinity, true), new BytePipe(Infinity, true), 'LockstepStream');
}

function pair(aToB: BytePipe, bToA: BytePipe, name: string): [MemoryStream, MemoryStream] {
  return [new MemoryStream(aToB, bToA, name), new MemoryStream(bToA, aToB, name)];
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(MemoryStream);
