/**
 * receiveUntil: a buffered reader over any ByteStream. The bytes read past a delimiter are kept,
 * per stream, for the next `receiveUntil` or `lines` call on the same stream.
 *
 * Discussion: the buffer lives in a WeakMap keyed by the stream, so a plain function can keep
 * bytes between calls without wrapping the stream, and `lines(stream)` shares it. Bytes move from
 * the stream into the buffer only in the step that received them, and out of it only in the step
 * that returns them: a cancelled call loses nothing (what it had read stays buffered), and a
 * failed call (limit exceeded, EOF before the delimiter) leaves every byte buffered too.
 */
import { DelimiterNotFound, EndOfChannel, IncompleteRead, ResourceBusy } from '../errors.js';
import { checkByteCount, checkOptions, rangeError, toBytes, typeError } from '../check.js';
import { runningKernel } from '../run-context.js';
import type { Operation } from '../types.js';
import { scheduleTrap } from '../trap.js';
import { throwIfCancelled } from '../cancel-point.js';
import { type ByteStream } from './byte-stream.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';

/** Bytes asked of the stream per receive while looking for a delimiter. */
const CHUNK = 64 * 1024;

/** The bytes received from one stream and not returned yet. @internal */
export class ReadBuffer {
  /** Storage; the unread bytes are `bytes[start, end)`. */
  bytes = new Uint8Array(256);
  start = 0;
  end = 0;
  /** The stream returned EOF. */
  eof = false;
  /** A receiveUntil or lines receive is running on it (they would interleave bytes). */
  busy = false;

  get length(): number {
    return this.end - this.start;
  }

  append(data: Uint8Array): void {
    if (this.end + data.length > this.bytes.length) {
      const size = Math.max(this.length + data.length, this.bytes.length * 2);
      const bigger = size > this.bytes.length ? new Uint8Array(size) : this.bytes;
      bigger.set(this.bytes.subarray(this.start, this.end), 0);
      this.end -= this.start;
      this.start = 0;
      this.bytes = bigger;
    }
    this.bytes.set(data, this.end);
    this.end += data.length;
  }

  /** Offset (from `start`) of the first `delimiter` at or after `from`, or -1. */
  indexOf(delimiter: Uint8Array, from: number): number {
    const first = delimiter[0]!;
    const last = this.end - delimiter.length;
    outer: for (let i = this.start + from; i <= last; i++) {
      if (this.bytes[i] !== first) continue;
      for (let j = 1; j < delimiter.length; j++) if (this.bytes[i + j] !== delimiter[j]) continue outer;
      return i - this.start;
    }
    return -1;
  }

  /** Removes and returns the first `n` bytes (a copy), then skips `skip` more. */
  take(n: number, skip: number): Uint8Array {
    const out = this.bytes.slice(this.start, this.start + n);
    this.start += n + skip;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }
}

const buffers = new WeakMap<object, ReadBuffer>();

/** @internal The read buffer of `stream` (created on first use). */
export function readBufferOf(stream: ByteStream): ReadBuffer {
  let buffer = buffers.get(stream);
  if (buffer === undefined) buffers.set(stream, (buffer = new ReadBuffer()));
  return buffer;
}

/** @internal At EOF with bytes left: 'rest' returns them (a last line), 'fail' raises IncompleteRead. */
export type AtEof = 'rest' | 'fail';

/**
 * @internal The bytes before the next `delimiter` (which is consumed), reading from `stream` as
 * needed. Always a checkpoint. At EOF with nothing buffered: EndOfChannel ('rest') or IncompleteRead.
 */
export function* readUntil(stream: ByteStream, buffer: ReadBuffer, delimiter: Uint8Array, maxBytes: number, atEof: AtEof, what: string): Operation<Uint8Array> {
  const me = runningKernel(what).current!;
  if (buffer.busy) throw new ResourceBusy(`${what}: another task is already reading from this stream`);
  throwIfCancelled(me);
  buffer.busy = true;
  let waited = false;
  try {
    for (let from = 0; ;) {
      const found = findOrFail(buffer, delimiter, maxBytes, from, atEof, what);
      if (found !== null) {
        if (!waited) yield scheduleTrap;
        return found;
      }
      from = Math.max(0, buffer.length - delimiter.length + 1);
      const data = yield* stream.receive(CHUNK);
      waited = true;
      if (data.length === 0) buffer.eof = true; else buffer.append(data);
    }
  } finally {
    buffer.busy = false;
  }
}

/**
 * @internal What the buffer can answer without reading: the bytes before the delimiter, the
 * last bytes or an error at EOF, DelimiterNotFound past the limit, or null (read more).
 */
export function findOrFail(buffer: ReadBuffer, delimiter: Uint8Array, maxBytes: number, from: number, atEof: AtEof, what: string): Uint8Array | null {
  const at = buffer.indexOf(delimiter, from);
  if (at !== -1 && at <= maxBytes) return buffer.take(at, delimiter.length);
  if (at !== -1 || buffer.length >= maxBytes + delimiter.length) {
    throw new DelimiterNotFound(`${what}: no delimiter within ${maxBytes} bytes`);
  }
  if (!buffer.eof) return null;
  if (atEof === 'rest') {
    if (buffer.length > 0) return buffer.take(buffer.length, 0);
    throw new EndOfChannel(`${what}: the stream ended`);
  }
  throw new IncompleteRead(`${what}: the stream ended before the delimiter (${buffer.length} bytes buffered)`);
}

/** Options of `receiveUntil`. */
export interface ReceiveUntilOptions {
  /** Most bytes to return, not counting the delimiter (default 65536). */
  maxBytes?: number;
}

/**
 * Reads from `stream` until `delimiter` and returns the bytes before it (the delimiter is consumed,
 * not returned). Bytes after the delimiter stay buffered for the next `receiveUntil` (or `lines`)
 * on the same stream. Always a checkpoint; cancelled, it loses no bytes.
 * @example
 * import { run } from 'giambio';
 * import { memoryStreamPair } from 'giambio/testing';
 * import { receiveUntil } from 'giambio';
 * await run(function* () {
 *   const [a, b] = memoryStreamPair();
 *   yield* a.sendAll('HEAD\r\n\r\nbody');
 *   const head = yield* receiveUntil(b, '\r\n\r\n', { maxBytes: 8192 });
 *   console.log(new TextDecoder().decode(head)); // "HEAD"
 *   a.closeNow();
 *   b.closeNow();
 * });
 * @throws {DelimiterNotFound} no delimiter within `maxBytes` bytes.
 * @throws {IncompleteRead} the stream ended before the delimiter.
 * @throws {ResourceBusy} another task is reading from this stream with receiveUntil or lines.
 * @throws {TypeError | RangeError} `delimiter` is empty or not bytes/a string; `maxBytes` is not an integer ≥ 1.
 */
export function receiveUntil(stream: ByteStream, delimiter: Uint8Array | string, options: ReceiveUntilOptions = {}): Operation<Uint8Array> {
  checkStream('stream', stream);
  const delim = toBytes('delimiter', delimiter);
  if (delim.length === 0) throw rangeError('delimiter', 'at least one byte', delim, 'an empty one');
  checkOptions('options', options);
  const maxBytes = checkByteCount('options.maxBytes', options.maxBytes ?? 65_536, true);
  return debugOperation(receiveUntilOperation(stream, delim.slice(), maxBytes), 'receiveUntil()');
}

/** The operation receiveUntil returns (named so that awaiting it says `receiveUntil()`). */
const receiveUntilOperation = function* receiveUntil(stream: ByteStream, delimiter: Uint8Array, maxBytes: number): Operation<Uint8Array> {
  return yield* readUntil(stream, readBufferOf(stream), delimiter, maxBytes, 'fail', 'receiveUntil()');
};

/** @internal Throws a TypeError unless `stream` looks like a ByteStream (has `receive`). */
export function checkStream(name: string, stream: unknown): void {
  if (typeof stream !== 'object' || stream === null || typeof (stream as ByteStream).receive !== 'function') {
    throw typeError(name, 'a ByteStream', stream);
  }
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(receiveUntilOperation, readUntil);
