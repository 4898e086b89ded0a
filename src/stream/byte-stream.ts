/**
 * ByteStream: the one interface every bidirectional byte stream in giambio implements — TCP and
 * TLS sockets (`AsyncSocket`), the in-memory pairs of `giambio/testing`, `StapledStream` — so
 * protocol code (`lines`, `receiveUntil`, your own) is written once and tested without sockets.
 */
import type { Operation } from '../types.js';

/**
 * A bidirectional stream of bytes (trio's `HalfCloseableStream`).
 * @example
 * import { run } from 'giambio';
 * import { memoryStreamPair } from 'giambio/testing';
 * import type { ByteStream } from 'giambio';
 * function* greet(stream: ByteStream) {
 *   yield* stream.sendAll('hello\n');
 *   yield* stream.sendEof();
 * }
 * await run(function* () {
 *   const [a, b] = memoryStreamPair();
 *   yield* greet(a);
 *   console.log(new TextDecoder().decode(yield* b.receive())); // "hello\n"
 *   yield* a.close();
 *   yield* b.close();
 * });
 */
export interface ByteStream {
  /**
   * Sends every byte of `data` (a string as UTF-8), waiting while the peer is slow. Always a
   * checkpoint.
   * @throws {ResourceClosed} this stream was closed, or `sendEof()` was called.
   * @throws {ResourceBroken} the peer is gone (closed its end, connection reset).
   * @throws {ResourceBusy} another task is already sending on this stream.
   */
  sendAll(data: Uint8Array | string): Operation<void>;
  /**
   * Waits until at least one byte is available and returns at most `maxBytes` of them; an empty
   * `Uint8Array` at the end of the stream. Always a checkpoint; cancelled, it took nothing.
   * @throws {ResourceClosed} this stream was closed (before or while waiting).
   * @throws {ResourceBusy} another task is already receiving on this stream.
   */
  receive(maxBytes?: number): Operation<Uint8Array>;
  /** Ends the sending direction after what was sent; the peer's `receive` then returns an empty array. Idempotent. */
  sendEof(): Operation<void>;
  /**
   * Closes both directions and releases the stream; idempotent. It closes even inside a
   * cancelled scope, and raises `CancelledError` only after.
   */
  close(): Operation<void>;
  /** Closes at once, without waiting (synchronous, idempotent). */
  closeNow(): void;
  /** `using stream = …` closes it at the end of the block (`closeNow`). */
  [Symbol.dispose](): void;
}

/** @internal The end-of-stream result (never written to). */
export const EMPTY_BYTES = new Uint8Array(0);
