// The ByteStream contract (byte-stream-contract.ts) over real sockets on 127.0.0.1: a TCP pair
// (socketPair) and a TLS pair, against a self-signed certificate (tests/node/self-signed.ts).
// Real sockets need the real clock; each run checks that no Node handle outlived it (runNode).
// What only sockets do (addresses, resets, refused connections, pendingBytes, handshake errors)
// stays in tests/node/tcp.test.ts and tests/node/tls.test.ts.
import { expect } from 'vitest';
import { createPool } from '../../src/pool.js';
import type { Operation } from '../../src/types.js';
import { connect, listen, socketPair, type AsyncSocket } from '../../src/node/index.js';
import { runNode } from '../node/helpers.js';
import { byteStreamContract } from './byte-stream-contract.js';
import { selfSigned } from '../node/self-signed.js';

const pem = selfSigned();

/**
 * A TLS client and the server's end of the same connection (the listener is closed after accept).
 * Discussion: a TLS 1.3 server sends session tickets just after the handshake, and a client that
 * closes before reading them closes with unread bytes, which TCP answers with a reset: the server
 * sees ResourceBroken (ECONNRESET), not EOF — as after any close with unread data. So the pair
 * settles first: the server sends one byte, which the client can read only after the tickets.
 */
function* tlsPair(): Operation<[AsyncSocket, AsyncSocket]> {
  const server = yield* listen(0, '127.0.0.1', { tls: { key: pem.key, cert: pem.cert } });
  let client: AsyncSocket | null = null;
  let accepted: AsyncSocket | null = null;
  try {
    yield* createPool(function* (pool) {
      pool.spawn(function* () { accepted = yield* server.accept(); });
      client = yield* connect('127.0.0.1', server.address.port, { tls: { ca: pem.cert } });
    });
    yield* accepted!.sendAll('.');
    expect([...yield* client!.receive()]).toEqual([46]);
    return [client!, accepted!];
  } catch (error) {
    (client as AsyncSocket | null)?.closeNow();
    (accepted as AsyncSocket | null)?.closeNow();
    throw error;
  } finally {
    server.closeNow();
  }
}

// 32 MB is more than loopback's kernel buffers take, so a sender with nobody reading waits.
byteStreamContract({ name: 'TCP socketPair()', run: runNode, pair: socketPair, stuckSendBytes: 32 << 20, largeBytes: 8 << 20 });
byteStreamContract({ name: 'TLS over 127.0.0.1', run: runNode, pair: tlsPair, stuckSendBytes: 32 << 20, largeBytes: 4 << 20 });
