// memoryStreamPair / lockstepStreamPair (giambio/testing) and StapledStream: what only they do —
// backpressure, the lockstep hand-over, stapling. The ByteStream contract they share with the
// sockets is tests/contract/byte-stream-memory.test.ts. Environment-neutral:
// tests/browser/channels.test.ts runs it in browsers.
import { describe, expect, it } from 'vitest';
import { ResourceBroken, ResourceClosed } from '../../src/errors.js';
import { sleep, clock } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { lockstepStreamPair, memoryStreamPair } from '../../src/stream/memory-stream.js';
import { StapledStream } from '../../src/stream/stapled-stream.js';
import type { ByteStream } from '../../src/stream/byte-stream.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import type { Operation } from '../../src/types.js';
import { runChecked } from '../helpers.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function* thrown(op: Operation<unknown>): Operation<unknown> {
  try { yield* op; } catch (error) { return error; }
  throw new Error('expected the operation to throw');
}

function* readAll(stream: ByteStream, max?: number): Operation<string> {
  let out = '';
  for (let data = yield* stream.receive(max); data.length > 0; data = yield* stream.receive(max)) out += text(data);
  return out;
}

describe('memoryStreamPair: backpressure', () => {
  it('with maxBufferedBytes, sendAll waits until the reader has made room', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair({ maxBufferedBytes: 4 });
      const sentAt: number[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          for (let i = 0; i < 4; i++) { yield* a.sendAll('abc'); sentAt.push(clock()); }
          yield* a.sendEof();
        });
        pool.spawn(function* () {
          let got = '';
          for (;;) { yield* sleep(10); const d = yield* b.receive(2); if (d.length === 0) break; got += text(d); }
          expect(got).toBe('abcabcabcabc');
        });
      });
      // the first chunk fits at once; each later one waits until ≤ 1 byte is buffered
      expect(sentAt[0]).toBe(0);
      expect(sentAt[3]).toBeGreaterThanOrEqual(40);
      a.closeNow();
      b.closeNow();
    });
  });

  it('a chunk larger than the limit goes in whole once the buffer is empty', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair({ maxBufferedBytes: 2 });
      yield* a.sendAll('0123456789');
      expect(b.receive).toBeDefined();
      expect(text(yield* b.receive())).toBe('0123456789');
      a.closeNow();
      b.closeNow();
    });
  });

  it('a cancelled sendAll that was waiting for room sent nothing', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair({ maxBufferedBytes: 3 });
      yield* a.sendAll('abc');
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* a.sendAll('never'); });
        yield* waitAllTasksBlocked();
        t.cancel();
      });
      yield* a.sendEof();
      expect(yield* readAll(b)).toBe('abc');
      a.closeNow();
      b.closeNow();
    });
  });

  it('a sender waiting for room gets ResourceBroken when the peer closes', async () => {
    await runChecked(function* () {
      const [a, b] = memoryStreamPair({ maxBufferedBytes: 1 });
      yield* a.sendAll('x');
      let error: unknown = null;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { error = yield* thrown(a.sendAll('y')); });
        yield* waitAllTasksBlocked();
        b.closeNow();
      });
      expect(error).toBeInstanceOf(ResourceBroken);
      a.closeNow();
    });
  });

  it('argument errors: maxBufferedBytes', () => {
    expect(() => memoryStreamPair({ maxBufferedBytes: 0 })).toThrow('Expected `options.maxBufferedBytes` to be an integer ≥ 1 or Infinity (bytes), got `0` (number)');
  });
});

describe('lockstepStreamPair', () => {
  it('sendAll returns only after the peer has received every byte', async () => {
    await runChecked(function* () {
      const [a, b] = lockstepStreamPair();
      const log: string[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* a.sendAll('abcd'); log.push('sent'); });
        yield* sleep(5);
        log.push(`got ${text(yield* b.receive(2))}`);
        yield* sleep(5);
        expect(log).toEqual(['got ab']);
        log.push(`got ${text(yield* b.receive(2))}`);
      });
      // The sender is woken by the receive that took the last bytes, so it runs before that receiver resumes.
      expect(log).toEqual(['got ab', 'sent', 'got cd']);
      a.closeNow();
      b.closeNow();
    });
  });

  it('a cancelled sendAll whose bytes nobody started reading sent nothing', async () => {
    await runChecked(function* () {
      const [a, b] = lockstepStreamPair();
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () { yield* a.sendAll('dropped'); });
        yield* waitAllTasksBlocked();
        t.cancel();
      });
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* a.sendAll('kept'); });
        expect(text(yield* b.receive())).toBe('kept');
      });
      a.closeNow();
      b.closeNow();
    });
  });
});

describe('StapledStream', () => {
  it('sends through one stream, receives from the other, and closes both', async () => {
    await runChecked(function* () {
      const [out, peerIn] = memoryStreamPair();
      const [peerOut, in_] = memoryStreamPair();
      const stream = new StapledStream(out, in_);
      yield* stream.sendAll('ping');
      yield* stream.sendEof();
      expect(yield* readAll(peerIn)).toBe('ping');
      yield* peerOut.sendAll('pong');
      expect(text(yield* stream.receive())).toBe('pong');
      yield* stream.close();
      expect(yield* thrown(out.sendAll('x'))).toBeInstanceOf(ResourceClosed);
      expect(yield* thrown(in_.receive())).toBeInstanceOf(ResourceClosed);
      stream.closeNow();
      peerIn.closeNow();
      peerOut.closeNow();
    });
  });

  it('close() closes the receiving half even if closing the sending half raised', async () => {
    await runChecked(function* () {
      const [x, y] = memoryStreamPair();
      const failing = { *sendAll() {}, *sendEof() {}, *close(): Operation<void> { throw new Error('boom'); }, closeNow() {} };
      const stream = new StapledStream(failing, x);
      const error = yield* thrown(stream.close());
      expect((error as Error).message).toBe('boom');
      expect(yield* thrown(x.receive())).toBeInstanceOf(ResourceClosed);
      y.closeNow();
    });
  });

  it('rejects halves that are not streams', () => {
    expect(() => new StapledStream(null as never, memoryStreamPair()[0])).toThrow('Expected `sendStream` to be a ByteStream, got `null`');
    expect(() => new StapledStream(memoryStreamPair()[0], {} as never)).toThrow(TypeError);
  });
});
