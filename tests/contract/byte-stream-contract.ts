// The ByteStream contract, written once (trio's testing/_check_streams.py: check_two_way_stream and
// check_half_closeable_stream): every stream pair giambio makes — the in-memory pairs of
// giambio/testing, TCP and TLS sockets — must pass it. A factory says how to make a connected pair
// and how to run a test (which loop and clock, and which leak checks follow). Behaviour only one
// kind of stream has stays in that kind's own tests (TCP's pendingBytes, TLS's handshake errors,
// the memory pairs' backpressure).
//
// Environment-neutral (no Node imports): tests/browser/channels.test.ts runs the in-memory half in
// browsers. No timing assertions: tasks meet through waitAllTasksBlocked, and every loop is bounded.
import { describe, expect, it } from 'vitest';
import { CancelledError, ResourceBroken, ResourceBusy, ResourceClosed } from '../../src/errors.js';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import type { ByteStream } from '../../src/stream/byte-stream.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/types.js';
import { raisedBy } from '../helpers.js';

export interface StreamPairFactory {
  readonly name: string;
  /** Runs `main` on a fresh loop and then checks nothing leaked (tasks, timers, host handles). */
  run<T>(main: () => Operation<T>): Promise<T>;
  /** Makes two connected streams. */
  pair(): Operation<[ByteStream, ByteStream]>;
  /**
   * Two sendAlls of this many bytes with nobody reading end up waiting (so a second sender meets
   * one); `null` when a sendAll never waits (an unbounded buffer).
   */
  readonly stuckSendBytes: number | null;
  /** Bytes for the large transfer. */
  readonly largeBytes: number;
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Byte `i` of the test pattern: not periodic in any small chunk size, so a lost or repeated chunk shows. */
const patternByte = (i: number): number => (i * 7 + (i >>> 8)) & 0xff;

function pattern(from: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = patternByte(from + i);
  return out;
}

/**
 * Receives until EOF (at most `limit` receives: a bug fails the test instead of hanging it) and
 * returns the byte count, checking each byte against the pattern.
 */
function* receivePattern(stream: ByteStream, limit: number, maxBytes?: number): Operation<number> {
  let received = 0;
  for (let i = 0; i < limit; i++) {
    const data = yield* stream.receive(maxBytes);
    if (data.length === 0) return received;
    if (maxBytes !== undefined) expect(data.length).toBeLessThanOrEqual(maxBytes);
    for (let j = 0; j < data.length; j++) {
      if (data[j] !== patternByte(received + j)) throw new Error(`byte ${received + j} is ${data[j]}, expected ${patternByte(received + j)}`);
    }
    received += data.length;
  }
  throw new Error(`no EOF after ${limit} receives (${received} bytes)`);
}

/** Receives until `n` bytes or EOF (at most `n` receives). */
function* receiveText(stream: ByteStream, n: number): Operation<string> {
  let out = '';
  for (let i = 0; i < n && out.length < n; i++) {
    const data = yield* stream.receive();
    if (data.length === 0) break;
    out += text(data);
  }
  return out;
}

/** Runs `body` with a fresh pair and closes both ends after it, however it ends. */
function withPair<T>(f: StreamPairFactory, body: (a: ByteStream, b: ByteStream) => Operation<T>): Promise<T> {
  return f.run(function* () {
    const [a, b] = yield* f.pair();
    try {
      return yield* body(a, b);
    } finally {
      a.closeNow();
      b.closeNow();
    }
  });
}

export function byteStreamContract(f: StreamPairFactory): void {
  describe(`ByteStream contract: ${f.name}`, () => {
    it('many chunks of many sizes arrive intact and in order, both ways at once, then EOF', async () => {
      const counts = await withPair(f, function* (a, b) {
        const sizes = [1, 2, 3, 100, 1000, 4096, 7, 65_536, 5];
        const total = sizes.reduce((n, s) => n + s, 0) * 4;
        const send = function* (stream: ByteStream): Operation<void> {
          let sent = 0;
          for (let round = 0; round < 4; round++) {
            for (const size of sizes) { yield* stream.sendAll(pattern(sent, size)); sent += size; }
          }
          yield* stream.sendEof();
        };
        const got: number[] = [];
        yield* createPool(function* (pool) {
          pool.spawn(() => send(a));
          pool.spawn(() => send(b));
          pool.spawn(function* () { got[0] = yield* receivePattern(b, total + 1, 1000); });
          pool.spawn(function* () { got[1] = yield* receivePattern(a, total + 1); });
        });
        expect((yield* b.receive()).length).toBe(0); // EOF stays EOF
        return [got, total];
      });
      expect(counts[0]).toEqual([counts[1], counts[1]]);
    });

    it('a string is sent as UTF-8', async () => {
      const got = await withPair(f, function* (a, b) {
        return yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* a.sendAll('grüße'); yield* a.sendEof(); });
          return yield* receiveText(b, 7);
        });
      });
      expect(got).toBe('grüße');
    });

    it('after the peer sendEof, receive returns EOF, and the other direction still works', async () => {
      const outcome = await withPair(f, function* (a, b) {
        return yield* createPool(function* (pool) {
          pool.spawn(function* () {
            yield* a.sendAll('last');
            yield* a.sendEof();
            yield* a.sendEof(); // idempotent
          });
          const before = yield* receiveText(b, 4);
          const eof = (yield* b.receive()).length;
          pool.spawn(function* () { yield* b.sendAll('back'); });
          return [before, eof, yield* receiveText(a, 4)];
        });
      });
      expect(outcome).toEqual(['last', 0, 'back']);
    });

    it('sendAll after sendEof raises ResourceClosed', async () => {
      const error = await withPair(f, function* (a) {
        yield* a.sendEof();
        return yield* raisedBy(a.sendAll('more'));
      });
      expect(error).toBeInstanceOf(ResourceClosed);
    });

    it('after close, sendAll, receive and sendEof raise ResourceClosed; close is idempotent; the peer sees EOF', async () => {
      const outcome = await withPair(f, function* (a, b) {
        yield* a.close();
        yield* a.close();
        const errors = [yield* raisedBy(a.sendAll('x')), yield* raisedBy(a.receive()), yield* raisedBy(a.sendEof())];
        return [errors, (yield* b.receive()).length];
      });
      expect(outcome[0]).toEqual([expect.any(ResourceClosed), expect.any(ResourceClosed), expect.any(ResourceClosed)]);
      expect(outcome[1]).toBe(0);
    });

    it('a second receiver on one stream raises ResourceBusy; the first still gets the bytes', async () => {
      const outcome = await withPair(f, function* (a, b) {
        let got = '';
        let busy: unknown = null;
        yield* createPool(function* (pool) {
          pool.spawn(function* () { got = text(yield* b.receive()); });
          yield* waitAllTasksBlocked();
          busy = yield* raisedBy(b.receive());
          yield* a.sendAll('x');
        });
        return [busy, got];
      });
      expect(outcome).toEqual([expect.any(ResourceBusy), 'x']);
    });

    it.skipIf(f.stuckSendBytes === null)('a second sender on one stream raises ResourceBusy', async () => {
      const busy = await withPair(f, function* (a) {
        return yield* createPool(function* (pool) {
          pool.spawn(function* () {
            const chunk = new Uint8Array(f.stuckSendBytes!);
            yield* a.sendAll(chunk);
            yield* a.sendAll(chunk);
          });
          yield* waitAllTasksBlocked();
          const error = yield* raisedBy(a.sendAll('x'));
          pool.cancel();
          return error;
        });
      });
      expect(busy).toBeInstanceOf(ResourceBusy);
    });

    it('a receive cancelled while waiting loses nothing: the bytes sent after it are received intact', async () => {
      const outcome = await withPair(f, function* (a, b) {
        let cancelled: unknown = null;
        yield* createPool(function* (pool) {
          pool.spawn(function* () { cancelled = yield* raisedBy(b.receive()); });
          yield* waitAllTasksBlocked();
          pool.cancel();
        });
        return yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* a.sendAll('after the cancel'); yield* a.sendEof(); });
          return [cancelled, yield* receiveText(b, 16)];
        });
      });
      expect(outcome).toEqual([expect.any(CancelledError), 'after the cancel']);
    });

    it('close() wakes the receives waiting on both ends: ResourceClosed on its own, EOF at the peer', async () => {
      const outcome = await withPair(f, function* (a, b) {
        let atB: unknown = null;
        let atA: unknown = null;
        yield* createPool(function* (pool) {
          pool.spawn(function* () { atB = yield* raisedBy(b.receive()); });
          pool.spawn(function* () { atA = (yield* a.receive()).length; });
          yield* waitAllTasksBlocked();
          yield* b.close();
        });
        return [atB, atA];
      });
      expect(outcome).toEqual([expect.any(ResourceClosed), 0]);
    });

    it('bytes sent before close() are still received, then EOF; sends to the closed end then break', async () => {
      const outcome = await withPair(f, function* (a, b) {
        const got = yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* a.sendAll('last words'); yield* a.close(); });
          return yield* receiveText(b, 11);
        });
        // A closed TCP peer answers the first send with a reset: it breaks on a later one.
        let broken: unknown = null;
        for (let i = 0; i < 100 && broken === null; i++) {
          try { yield* b.sendAll('anyone?'); } catch (error) { broken = error; }
          if (broken === null) yield* sleep(1);
        }
        return [got, broken];
      });
      expect(outcome).toEqual(['last words', expect.any(ResourceBroken)]);
    });

    it('close() inside a cancelled scope closes, then raises CancelledError', async () => {
      const outcome = await withPair(f, function* (a, b) {
        let raised: unknown = null;
        yield* createPool(function* (pool) {
          pool.cancel();
          raised = yield* raisedBy(a.close());
        });
        return [raised, yield* raisedBy(a.sendAll('x')), (yield* b.receive()).length];
      });
      expect(outcome).toEqual([expect.any(CancelledError), expect.any(ResourceClosed), 0]);
    });

    it('closeNow() and Symbol.dispose close at once and are idempotent; the peer sees EOF', async () => {
      const outcome = await withPair(f, function* (a, b) {
        a.closeNow();
        a.closeNow();
        const afterCloseNow = yield* raisedBy(a.receive());
        {
          using disposed = b;
          void disposed;
        }
        b[Symbol.dispose]();
        return [afterCloseNow, yield* raisedBy(b.sendAll('x'))];
      });
      expect(outcome).toEqual([expect.any(ResourceClosed), expect.any(ResourceClosed)]);
      // The peer's EOF after closeNow, on a fresh pair.
      const eof = await withPair(f, function* (a, b) {
        a.closeNow();
        return (yield* b.receive()).length;
      });
      expect(eof).toBe(0);
    });

    it('receive(maxBytes) returns at most maxBytes and keeps the rest for the next receive', async () => {
      const got = await withPair(f, function* (a, b) {
        return yield* createPool(function* (pool) {
          pool.spawn(function* () { yield* a.sendAll(pattern(0, 10)); yield* a.sendEof(); });
          return yield* receivePattern(b, 11, 3);
        });
      });
      expect(got).toBe(10);
    });

    it('a large transfer arrives intact', async () => {
      const received = await withPair(f, function* (a, b) {
        const chunk = 64 * 1024;
        return yield* createPool(function* (pool) {
          pool.spawn(function* () {
            for (let sent = 0; sent < f.largeBytes; sent += chunk) yield* a.sendAll(pattern(sent, Math.min(chunk, f.largeBytes - sent)));
            yield* a.sendEof();
          });
          return yield* receivePattern(b, f.largeBytes + 1);
        });
      });
      expect(received).toBe(f.largeBytes);
    });

    it('argument errors: receive(0) is a RangeError, sendAll(42) a TypeError', async () => {
      const errors = await withPair(f, function* (a) {
        return [yield* raisedBy(a.receive(0)), yield* raisedBy(a.sendAll(42 as unknown as string))];
      });
      expect(errors).toEqual([expect.any(RangeError), expect.any(TypeError)]);
    });
  });
}
