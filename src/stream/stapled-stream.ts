/**
 * StapledStream: one ByteStream made of two — sends go to one, receives come from the other (trio's
 * `StapledStream`). For a process's stdin + stdout, or two one-way pipes.
 */
import type { Operation } from '../types.js';
import { typeError } from '../check.js';
import { checkStream } from './receive-until.js';
import type { ByteStream } from './byte-stream.js';
import { disposeSymbol } from '../disposable.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation, trackOperation } from '../undriven.js';

/** The half of a stream a StapledStream sends through. */
export type SendStream = Pick<ByteStream, 'sendAll' | 'sendEof' | 'close' | 'closeNow'>;
/** The half of a stream a StapledStream receives from. */
export type ReceiveStream = Pick<ByteStream, 'receive' | 'close' | 'closeNow'>;

/**
 * A ByteStream that sends through `sendStream` and receives from `receiveStream`. (It is one
 * structurally: `implements` is left out only because its `[Symbol.dispose]` is keyed by the
 * disposal symbol's fallback, see disposable.ts.)
 * @example
 * import { run, StapledStream } from 'giambio';
 * import { memoryStreamPair } from 'giambio/testing';
 * await run(function* () {
 *   const [toPeer, peerIn] = memoryStreamPair();
 *   const [peerOut, fromPeer] = memoryStreamPair();
 *   const stream = new StapledStream(toPeer, fromPeer);
 *   yield* stream.sendAll('question');
 *   console.log(new TextDecoder().decode(yield* peerIn.receive())); // "question"
 *   yield* peerOut.sendAll('answer');
 *   console.log(new TextDecoder().decode(yield* stream.receive())); // "answer"
 *   yield* stream.close(); // closes both halves
 *   peerIn.closeNow();
 *   peerOut.closeNow();
 * });
 * @throws {TypeError} either half is not a stream.
 */
export class StapledStream {
  constructor(
    /** Where `sendAll` and `sendEof` go. */
    readonly sendStream: SendStream,
    /** Where `receive` reads from. */
    readonly receiveStream: ReceiveStream,
  ) {
    if (typeof sendStream !== 'object' || sendStream === null || typeof sendStream.sendAll !== 'function') {
      throw typeError('sendStream', 'a ByteStream', sendStream);
    }
    checkStream('receiveStream', receiveStream);
  }

  /** Sends through `sendStream`. */
  sendAll(data: Uint8Array | string): Operation<void> {
    return debugOperation(this.sendStream.sendAll(data), 'StapledStream.sendAll()');
  }

  /** Receives from `receiveStream`. */
  receive(maxBytes?: number): Operation<Uint8Array> {
    return debugOperation(this.receiveStream.receive(maxBytes), 'StapledStream.receive()');
  }

  /** Sends EOF through `sendStream` (the receiving half stays open). */
  sendEof(): Operation<void> {
    return trackOperation(this.sendStream.sendEof(), 'StapledStream.sendEof()');
  }

  /** Closes both halves (the receiving one even if closing the sending one failed). */
  close(): Operation<void> {
    return trackOperation(closeBoth(this.sendStream, this.receiveStream), 'StapledStream.close()');
  }

  /** Closes both halves at once. */
  closeNow(): void {
    try {
      this.sendStream.closeNow();
    } finally {
      this.receiveStream.closeNow();
    }
  }

  [disposeSymbol](): void {
    this.closeNow();
  }
}

/** The operation `close()` returns (named so that awaiting it says `close()`). */
const closeBoth = function* close(sendStream: SendStream, receiveStream: ReceiveStream): Operation<void> {
  try {
    yield* sendStream.close();
  } finally {
    yield* receiveStream.close();
  }
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(StapledStream, closeBoth);
