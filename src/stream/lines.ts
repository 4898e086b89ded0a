/**
 * lines: a ByteStream read as a ReceiveChannel of text lines, pulled on demand (no background
 * task): each `receive` reads from the stream until the next '\n'.
 *
 * Discussion: the line channel borrows the stream. It shares the stream's read buffer with
 * `receiveUntil` (receive-until.ts), so a protocol may read a header with `receiveUntil` and then
 * lines, and a cancelled receive loses no bytes. Closing a line handle does not close the stream
 * and cannot interrupt a receive already waiting on the stream (that one completes or is
 * cancelled as usual); later calls on the handle raise ResourceClosed. `for await` from plain
 * async code is not possible: reading a stream needs a task (use `each` or `receive` in one).
 */
import { GiambioError, ResourceClosed, WouldBlock } from '../errors.js';
import { checkBody, checkByteCount, checkOptions, rangeError } from '../check.js';
import type { Operation } from '../types.js';
import type { ChannelStatistics, ReceiveChannel } from '../channel/channel-types.js';
import { receiveEach } from '../channel/each.js';
import { type ByteStream } from './byte-stream.js';
import { checkStream, findOrFail, readBufferOf, readUntil, type ReadBuffer } from './receive-until.js';
import { disposeSymbol } from '../disposable.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';

const NEWLINE = new Uint8Array([10]);

/** Options of `lines`. */
export interface LinesOptions {
  /** Most bytes in one line, not counting '\n' (default 65536); a longer line raises DelimiterNotFound. */
  maxLineLength?: number;
  /** How the bytes of a line are decoded (a TextDecoder label, default 'utf-8'). */
  encoding?: string;
}

/** What the handles of one `lines()` channel share. @internal */
class LineSource {
  open = 1;
  constructor(readonly stream: ByteStream, readonly buffer: ReadBuffer, readonly maxLineLength: number, readonly decoder: TextDecoder) {}

  decode(bytes: Uint8Array): string {
    const n = bytes.length;
    return this.decoder.decode(n > 0 && bytes[n - 1] === 13 ? bytes.subarray(0, n - 1) : bytes);
  }
}

/** One handle of a `lines()` channel. @internal */
class LineChannel implements ReceiveChannel<string> {
  closed = false;
  constructor(private readonly source: LineSource) {}

  *receive(): Operation<string> {
    if (this.closed) throw new ResourceClosed('lines().receive(): this receive handle is closed');
    const s = this.source;
    return s.decode(yield* readUntil(s.stream, s.buffer, NEWLINE, s.maxLineLength, 'rest', 'lines().receive()'));
  }

  receiveNowait(): string {
    if (this.closed) throw new ResourceClosed('lines().receiveNowait(): this receive handle is closed');
    const s = this.source;
    if (s.buffer.busy) throw new WouldBlock('lines().receiveNowait(): a task is reading from the stream');
    const line = findOrFail(s.buffer, NEWLINE, s.maxLineLength, 0, 'rest', 'lines().receiveNowait()');
    if (line === null) throw new WouldBlock('lines().receiveNowait(): no complete line is buffered');
    return s.decode(line);
  }

  clone(): ReceiveChannel<string> {
    if (this.closed) throw new ResourceClosed('lines().clone(): this receive handle is closed');
    this.source.open++;
    return new LineChannel(this.source);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source.open--;
  }

  closeNow(): void {
    this.close();
  }

  [disposeSymbol](): void {
    this.close();
  }

  declare [Symbol.dispose]: () => void;

  statistics(): ChannelStatistics {
    const s = this.source;
    return {
      currentBufferUsed: s.buffer.length, maxBufferSize: s.maxLineLength, overflow: 'wait', dropped: 0,
      openSendChannels: s.buffer.eof ? 0 : 1, openReceiveChannels: s.open,
      tasksWaitingSend: 0, tasksWaitingReceive: s.buffer.busy ? 1 : 0,
    };
  }

  each(body: (line: string) => Operation<unknown>): Operation<void> {
    checkBody('lines().each', body);
    return debugOperation(receiveEach('lines().each', () => this.receive(), body), 'lines().each()');
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    const error = new GiambioError('lines(): a stream is read by tasks: use `yield* lines(stream).each(…)` or `receive()` inside a task, not `for await`');
    return { next: () => Promise.reject(error) };
  }

  toString(): string {
    return `lines(${this.closed ? 'closed' : 'open'})`;
  }
}

/**
 * Reads `stream` as text lines: a ReceiveChannel whose items are the lines without their '\n'
 * (and without a '\r' before it). A last line without '\n' is returned at EOF; then EndOfChannel.
 * Any split of the input into chunks gives the same lines.
 * @example
 * import { run } from 'giambio';
 * import { lines } from 'giambio';
 * import { memoryStreamPair } from 'giambio/testing';
 * await run(function* () {
 *   const [a, b] = memoryStreamPair();
 *   yield* a.sendAll('one\r\ntw');
 *   yield* a.sendAll('o\nthree');
 *   yield* a.sendEof();
 *   yield* lines(b).each(function* (line) { console.log(line); }); // one, two, three
 *   a.closeNow();
 *   b.closeNow();
 * });
 * @throws {TypeError | RangeError} `stream` is not a ByteStream, `maxLineLength` is not an integer
 * ≥ 1, or `encoding` is not a label TextDecoder knows.
 */
export function lines(stream: ByteStream, options: LinesOptions = {}): ReceiveChannel<string> {
  checkStream('stream', stream);
  checkOptions('options', options);
  const maxLineLength = checkByteCount('options.maxLineLength', options.maxLineLength ?? 65_536, true);
  const encoding = options.encoding ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    throw rangeError('options.encoding', 'an encoding TextDecoder supports', encoding);
  }
  return new LineChannel(new LineSource(stream, readBufferOf(stream), maxLineLength, decoder));
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(LineChannel);
