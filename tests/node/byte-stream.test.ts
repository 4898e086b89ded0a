// AsyncSocket (TCP) is a ByteStream: the stream helpers of giambio (lines, receiveUntil,
// StapledStream) work on real sockets as on the in-memory pairs.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { lines } from '../../src/stream/lines.js';
import { receiveUntil } from '../../src/stream/receive-until.js';
import { StapledStream } from '../../src/stream/stapled-stream.js';
import type { ByteStream } from '../../src/stream/byte-stream.js';
import { socketPair, type AsyncSocket } from '../../src/node/index.js';
import { runNode } from './helpers.js';

describe('AsyncSocket as a ByteStream', () => {
  it('AsyncSocket implements ByteStream (type level)', () => {
    expectTypeOf<AsyncSocket>().toMatchTypeOf<ByteStream>();
    // @ts-expect-error a plain object is not a ByteStream
    const notAStream: ByteStream = { receive() {} };
    void notAStream;
  });

  it('lines and receiveUntil read a TCP socket; closeNow closes it', async () => {
    const got = await runNode(function* () {
      const [a, b] = yield* socketPair();
      const got: string[] = [];
      try {
        yield* createPool(function* (pool) {
          pool.spawn(function* () {
            yield* a.sendAll('HELLO 1.0\r\n\r\n');
            for (let i = 0; i < 200; i++) yield* a.sendAll(`line ${i}\n`);
            yield* a.sendEof();
          });
          got.push(new TextDecoder().decode(yield* receiveUntil(b, '\r\n\r\n')));
          yield* lines(b).each(function* (line) { got.push(line); });
        });
      } finally {
        a.closeNow();
        a.closeNow();
        yield* b.close();
      }
      return got;
    });
    expect(got[0]).toBe('HELLO 1.0');
    expect(got.slice(1)).toEqual(Array.from({ length: 200 }, (_, i) => `line ${i}`));
  });

  it('a StapledStream of two sockets', async () => {
    await runNode(function* () {
      const [a, peerA] = yield* socketPair();
      const [b, peerB] = yield* socketPair();
      const stream = new StapledStream(a, b);
      try {
        yield* stream.sendAll('to a');
        expect(new TextDecoder().decode(yield* peerA.receive())).toBe('to a');
        yield* peerB.sendAll('from b');
        expect(new TextDecoder().decode(yield* stream.receive())).toBe('from b');
      } finally {
        yield* stream.close();
        yield* peerA.close();
        yield* peerB.close();
      }
    });
  });
});
