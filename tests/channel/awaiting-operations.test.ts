// Channel and stream operations are not Promises: awaiting one rejects with the TypeError that
// names it (operation-guard.ts), like every other giambio operation.
import { describe, expect, it } from 'vitest';
import { openMemoryChannel } from '../../src/channel/open-memory-channel.js';
import { createBroadcast } from '../../src/channel/broadcast.js';
import { fromAsyncIterable } from '../../src/channel/from-async-iterable.js';
import { memoryStreamPair } from '../../src/stream/memory-stream.js';
import { StapledStream } from '../../src/stream/stapled-stream.js';
import { lines } from '../../src/stream/lines.js';
import { receiveUntil } from '../../src/stream/receive-until.js';

function operations(): Array<[string, RegExp, () => unknown]> {
  const [send, receive] = openMemoryChannel<number>(1);
  const [a, b] = memoryStreamPair();
  return [
    ['send.send(1)', /^SendChannel\.send\(\) returned/, () => send.send(1)],
    ['receive.receive()', /^ReceiveChannel\.receive\(\) returned/, () => receive.receive()],
    ['receive.each(…)', /^each\(\) returned/, () => receive.each(function* () { /* nothing */ })],
    ['broadcast.send(1)', /^Broadcast\.send\(\) returned/, () => createBroadcast<number>().send(1)],
    ['fromAsyncIterable([])', /^fromAsyncIterable\(\) returned/, () => fromAsyncIterable([])],
    ['stream.receive()', /^MemoryStream\.receive\(\) returned/, () => a.receive()],
    ['stream.sendAll(…)', /^MemoryStream\.sendAll\(\) returned/, () => a.sendAll('x')],
    ['new StapledStream(…).close()', /^StapledStream\.close\(\) returned/, () => new StapledStream(a, b).close()],
    ['lines(stream).receive()', /^LineChannel\.receive\(\) returned/, () => lines(b).receive()],
    ['receiveUntil(stream, …)', /^receiveUntil\(\) returned/, () => receiveUntil(b, ';')],
  ];
}

describe('awaiting a channel or stream operation', () => {
  for (const [name, message, make] of operations()) {
    it(`rejects with a TypeError naming it: ${name}`, async () => {
      const error = await (async () => { await (make() as unknown as Promise<unknown>); })().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
    });
  }
});
