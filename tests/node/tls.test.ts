// TLS through the same API as TCP, against a self-signed certificate (self-signed.ts: the openssl CLI, no
// network).
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { ResourceBroken } from '../../src/errors.js';
import type { Operation } from '../../src/task.js';
import { connect, listen, errorCode, type AsyncServer, type AsyncSocket } from '../../src/node/index.js';
import { runNode, runNodeRejects, text } from './helpers.js';
import { selfSigned } from './self-signed.js';

const pem = selfSigned();

/** A TLS echo server in the pool; returns it. */
function* echoServer(pool: { spawn: (fn: () => Operation<void>) => unknown }): Operation<AsyncServer> {
  const server = yield* listen(0, '127.0.0.1', { tls: { key: pem.key, cert: pem.cert } });
  pool.spawn(function* () {
    const sock = yield* server.accept();
    try {
      for (let data = yield* sock.receive(); data.length > 0; data = yield* sock.receive()) yield* sock.sendAll(data);
    } finally { yield* sock.close(); }
  });
  return server;
}

function* receiveText(sock: AsyncSocket, n: number): Operation<string> {
  let out = '';
  while (out.length < n) {
    const data = yield* sock.receive();
    if (data.length === 0) break;
    out += text(data);
  }
  return out;
}

describe('TLS', () => {
  it('round-trips over TLS with the certificate trusted through `ca`', async () => {
    const reply = await runNode(function* () {
      return yield* createPool(function* (pool) {
        const server = yield* echoServer(pool);
        try {
          const sock = yield* connect('127.0.0.1', server.address.port, { tls: { ca: pem.cert } });
          try {
            yield* sock.sendAll('secret');
            const got = yield* receiveText(sock, 6);
            yield* sock.sendEof();
            return [got, (sock.nodeSocket as import('node:tls').TLSSocket).encrypted];
          } finally { yield* sock.close(); }
        } finally { yield* server.close(); }
      });
    });
    expect(reply).toEqual(['secret', true]);
  });

  it('a host name is checked against the certificate (servername defaults to the host)', async () => {
    const reply = await runNode(function* () {
      return yield* createPool(function* (pool) {
        const server = yield* echoServer(pool);
        try {
          const sock = yield* connect('localhost', server.address.port, { tls: { ca: pem.cert } });
          try {
            yield* sock.sendAll('named');
            const got = yield* receiveText(sock, 5);
            yield* sock.sendEof();
            return got;
          } finally { yield* sock.close(); }
        } finally { yield* server.close(); }
      });
    });
    expect(reply).toBe('named');
  });

  it('an untrusted certificate fails the handshake with ResourceBroken', async () => {
    const error = await runNodeRejects(function* () {
      const server = yield* listen(0, '127.0.0.1', { tls: { key: pem.key, cert: pem.cert } });
      try {
        yield* connect('127.0.0.1', server.address.port, { tls: true });
      } finally { yield* server.close(); }
    });
    expect(error).toBeInstanceOf(ResourceBroken);
    expect(errorCode(error)).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('TLS to a plain TCP server that hangs up raises ResourceBroken', async () => {
    const error = await runNodeRejects(function* () {
      const server = yield* listen(0, '127.0.0.1');
      try {
        yield* createPool(function* (pool) {
          pool.spawn(function* () { const s = yield* server.accept(); yield* s.close(); });
          yield* connect('127.0.0.1', server.address.port, { tls: { ca: pem.cert } });
        });
      } finally { yield* server.close(); }
    });
    expect(error).toBeInstanceOf(ResourceBroken);
    expect(errorCode(error)).toBe('ECONNRESET');
  });

  it('a bad tls option is a TypeError before any I/O', async () => {
    const error = await runNodeRejects(function* () { yield* connect('127.0.0.1', 443, { tls: 'yes' as never }); });
    expect(error).toBeInstanceOf(TypeError);
  });
});
