// lines() and receiveUntil() over memoryStreamPair: splitting, limits, EOF, the shared read
// buffer, and two properties — any split of the input gives the same lines, and cancelled
// receives lose no bytes. Environment-neutral: tests/browser/channels.test.ts runs it in browsers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelimiterNotFound, EndOfChannel, GiambioError, IncompleteRead, ResourceBusy, ResourceClosed, WouldBlock } from '../../src/errors.js';
import { sleep } from '../../src/operations.js';
import { createPool, skipAfter } from '../../src/pool.js';
import { memoryStreamPair } from '../../src/stream/memory-stream.js';
import { lines } from '../../src/stream/lines.js';
import { receiveUntil } from '../../src/stream/receive-until.js';
import type { ByteStream } from '../../src/stream/byte-stream.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/types.js';
import { runChecked } from '../helpers.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function* thrown(op: Operation<unknown>): Operation<unknown> {
  try { yield* op; } catch (error) { return error; }
  throw new Error('expected the operation to throw');
}

/** Sends `chunks` (with a virtual pause after each), then EOF. */
function* feed(stream: ByteStream, chunks: Uint8Array[], pause = 0): Operation<void> {
  for (const chunk of chunks) { yield* stream.sendAll(chunk); if (pause > 0) yield* sleep(pause); }
  yield* stream.sendEof();
}

/** Splits `bytes` at the given cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) { if (p > at) { out.push(bytes.slice(at, p)); at = p; } }
  return out;
}

/** What lines() should produce for `input`: split on '\n', a '\r' before it removed, no empty last line. */
function expectedLines(input: string): string[] {
  const parts = input.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((line) => line.replace(/\r$/, ''));
}

describe('lines', () => {
  it('splits on \\n, drops a \\r before it, returns a last unterminated line, then EndOfChannel', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      const got: string[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(feed, a, [new TextEncoder().encode('one\r\ntw'), new TextEncoder().encode('o\n\nthr'), new TextEncoder().encode('ee')]);
        const ch = lines(b);
        yield* ch.each(function* (line) { got.push(line); });
        expect(yield* thrown(ch.receive())).toBeInstanceOf(EndOfChannel);
      });
      expect(got).toEqual(['one', 'two', '', 'three']);
      a.closeNow();
      b.closeNow();
    });
  });

  it('decodes multi-byte characters split across chunks, and other encodings', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      const bytes = new TextEncoder().encode('é€😀\n');
      for (let i = 0; i < bytes.length; i++) yield* a.sendAll(bytes.slice(i, i + 1));
      yield* a.sendAll(new Uint8Array([0xe9, 0x0a])); // 'é' in latin1
      expect(yield* lines(b).receive()).toBe('é€😀');
      expect(yield* lines(b, { encoding: 'latin1' }).receive()).toBe('é');
      a.closeNow();
      b.closeNow();
    });
  });

  it('a line longer than maxLineLength raises DelimiterNotFound and keeps the bytes', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      yield* a.sendAll('12345\nabcdefgh\n');
      const ch = lines(b, { maxLineLength: 5 });
      expect(yield* ch.receive()).toBe('12345');
      const error = yield* thrown(ch.receive());
      expect(error).toBeInstanceOf(DelimiterNotFound);
      expect((error as Error).message).toBe('lines().receive(): no delimiter within 5 bytes');
      expect(yield* lines(b, { maxLineLength: 8 }).receive()).toBe('abcdefgh'); // nothing was lost
      a.closeNow();
      b.closeNow();
    });
  });

  it('receiveNowait returns a buffered line or raises WouldBlock; close is per handle and does not close the stream', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      const ch = lines(b);
      expect(() => ch.receiveNowait()).toThrow(WouldBlock);
      yield* a.sendAll('x\ny\nz');
      expect(yield* ch.receive()).toBe('x');
      expect(ch.receiveNowait()).toBe('y');
      expect(() => ch.receiveNowait()).toThrow(WouldBlock);
      const clone = ch.clone();
      expect(ch.statistics()).toMatchObject({ openReceiveChannels: 2, currentBufferUsed: 1 });
      ch.close();
      expect(yield* thrown(ch.receive())).toBeInstanceOf(ResourceClosed);
      expect(() => ch.receiveNowait()).toThrow(ResourceClosed);
      yield* a.sendEof();
      expect(yield* clone.receive()).toBe('z');
      expect(() => clone.receiveNowait()).toThrow(EndOfChannel);
      clone[Symbol.dispose]();
      yield* b.sendAll('the stream is still open');
      a.closeNow();
      b.closeNow();
    });
  });

  it('two tasks receiving at once: the second raises ResourceBusy', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      const ch = lines(b);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { expect(yield* ch.receive()).toBe('done'); });
        yield* waitAllTasksBlocked();
        expect(yield* thrown(ch.receive())).toBeInstanceOf(ResourceBusy);
        yield* a.sendAll('done\n');
      });
      a.closeNow();
      b.closeNow();
    });
  });

  it('for await from plain async code is refused with an explanation', async () => {
    const [, b] = memoryStreamPair();
    await expect((async () => { for await (const _ of lines(b)) { /* nothing */ } })()).rejects.toBeInstanceOf(GiambioError);
    b.closeNow();
  });

  it('argument errors say what was expected and what came', () => {
    const [a] = memoryStreamPair();
    expect(() => lines({} as never)).toThrow('Expected `stream` to be a ByteStream, got an Object');
    expect(() => lines(a, { maxLineLength: 0 })).toThrow(RangeError);
    expect(() => lines(a, { encoding: 'klingon' })).toThrow('Expected `options.encoding` to be an encoding TextDecoder supports, got `"klingon"` (string)');
    expect(() => lines(a).each(null as never)).toThrow(TypeError);
  });

  it('property: any split of the input gives the same lines', async () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\r', 'é', '😀', '€'), maxLength: 12 });
    await fc.assert(fc.asyncProperty(
      fc.array(line, { maxLength: 12 }), fc.boolean(), fc.array(fc.nat(200), { maxLength: 20 }), fc.option(fc.integer({ min: 1, max: 8 })),
      async (ls, trailing, cuts, maxBuffered) => {
        const input = ls.join('\n') + (trailing ? '\n' : '');
        const chunks = split(new TextEncoder().encode(input), cuts);
        const got = await runChecked(function* () {
          const [a, b] = memoryStreamPair(maxBuffered === null ? {} : { maxBufferedBytes: maxBuffered });
          const got: string[] = [];
          yield* createPool(function* (pool) {
            pool.spawn(feed, a, chunks, 1);
            yield* lines(b).each(function* (l) { got.push(l); });
          });
          a.closeNow();
          b.closeNow();
          return got;
        });
        expect(got).toEqual(expectedLines(input));
      }), { numRuns: 200 });
  });

  it('property: receives cancelled at random moments lose no bytes', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.string({ unit: fc.constantFrom('x', 'y', 'é'), maxLength: 6 }), { minLength: 1, maxLength: 10 }),
      fc.array(fc.nat(300), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
      async (ls, cuts, patience) => {
        const input = `${ls.join('\n')}\n`;
        const chunks = split(new TextEncoder().encode(input), cuts);
        const got = await runChecked(function* () {
          const [a, b] = memoryStreamPair();
          const ch = lines(b);
          const got: string[] = [];
          yield* createPool(function* (pool) {
            pool.spawn(feed, a, chunks, 3);
            for (let i = 0, ended = false; !ended; i++) {
              yield* skipAfter(patience[i % patience.length], function* () {
                try { got.push(yield* ch.receive()); } catch (e) { if (e instanceof EndOfChannel) ended = true; else throw e; }
              });
            }
          });
          a.closeNow();
          b.closeNow();
          return got;
        });
        expect(got).toEqual(expectedLines(input));
      }), { numRuns: 150 });
  });
});

describe('receiveUntil', () => {
  it('returns the bytes before the delimiter and keeps the rest for the next call', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      yield* a.sendAll('GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY');
      expect(text(yield* receiveUntil(b, '\r\n'))).toBe('GET / HTTP/1.1');
      expect(text(yield* receiveUntil(b, new TextEncoder().encode('\r\n\r\n')))).toBe('Host: x');
      yield* a.sendAll('MORE|');
      expect(text(yield* receiveUntil(b, '|'))).toBe('BODYMORE');
      a.closeNow();
      b.closeNow();
    });
  });

  it('finds a delimiter split across chunks', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      yield* createPool(function* (pool) {
        pool.spawn(feed, a, ['ab<', '-', '-', '>cd<-->'].map((s) => new TextEncoder().encode(s)), 1);
        expect(text(yield* receiveUntil(b, '<-->'))).toBe('ab');
        expect(text(yield* receiveUntil(b, '<-->'))).toBe('cd');
        expect(yield* thrown(receiveUntil(b, '<-->'))).toBeInstanceOf(IncompleteRead);
      });
      a.closeNow();
      b.closeNow();
    });
  });

  it('maxBytes: DelimiterNotFound past the limit (the bytes stay), IncompleteRead at EOF', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      yield* a.sendAll('0123456789;tail');
      const error = yield* thrown(receiveUntil(b, ';', { maxBytes: 4 }));
      expect(error).toBeInstanceOf(DelimiterNotFound);
      expect(text(yield* receiveUntil(b, ';', { maxBytes: 10 }))).toBe('0123456789');
      yield* a.sendEof();
      const incomplete = yield* thrown(receiveUntil(b, ';'));
      expect(incomplete).toBeInstanceOf(IncompleteRead);
      expect((incomplete as Error).message).toBe('receiveUntil(): the stream ended before the delimiter (4 bytes buffered)');
      expect(yield* lines(b).receive()).toBe('tail'); // still there
      a.closeNow();
      b.closeNow();
    });
  });

  it('is a checkpoint even when the delimiter is already buffered', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair();
      yield* a.sendAll('a;b;');
      yield* receiveUntil(b, ';');
      const order: string[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { order.push('other'); });
        yield* receiveUntil(b, ';');
        order.push('mine');
      });
      expect(order).toEqual(['other', 'mine']);
      a.closeNow();
      b.closeNow();
    });
  });

  it('argument errors say what was expected and what came', async () => {
    const [a] = memoryStreamPair();
    expect(() => receiveUntil(a, '')).toThrow('Expected `delimiter` to be at least one byte, got an empty one');
    expect(() => receiveUntil(a, 5 as never)).toThrow(TypeError);
    expect(() => receiveUntil(a, ';', { maxBytes: -1 })).toThrow(RangeError);
    expect(() => receiveUntil(null as never, ';')).toThrow('Expected `stream` to be a ByteStream, got `null`');
  });
});
