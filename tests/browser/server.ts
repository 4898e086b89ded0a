// Node side of the browser tests: a vite plugin that adds test endpoints to the vitest browser
// server (same origin as the test page, so no CORS): a slow HTTP endpoint that records aborted
// requests, a body that never ends, and a minimal WebSocket server (RFC 6455, no extensions).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Plugin } from 'vite';

/** What the server saw, by request tag (`?tag=`): tests read it from /__giambio/stats. */
const seen = new Map<string, { started: number; finished: number; aborted: number }>();

function record(tag: string): { started: number; finished: number; aborted: number } {
  let entry = seen.get(tag);
  if (entry === undefined) seen.set(tag, entry = { started: 0, finished: 0, aborted: 0 });
  return entry;
}

function handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const tag = url.searchParams.get('tag') ?? '';
  if (url.pathname === '/__giambio/slow') {
    const ms = Number(url.searchParams.get('ms') ?? '1000');
    const entry = record(tag);
    entry.started++;
    const timer = setTimeout(() => {
      entry.finished++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`slept ${ms}`);
    }, ms);
    res.on('close', () => {
      if (!res.writableFinished) { clearTimeout(timer); entry.aborted++; }
    });
    return;
  }
  if (url.pathname === '/__giambio/trickle') {
    // Headers and a first chunk at once, then nothing: a body read that only cancellation ends.
    const entry = record(tag);
    entry.started++;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first chunk\n');
    res.on('close', () => { if (!res.writableFinished) entry.aborted++; });
    return;
  }
  if (url.pathname === '/__giambio/status') {
    res.writeHead(Number(url.searchParams.get('code') ?? '200'), { 'content-type': 'text/plain' }).end('status');
    return;
  }
  if (url.pathname === '/__giambio/stats') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(record(tag)));
    return;
  }
  next();
}

// ---- WebSocket ----------------------------------------------------------------------------------

function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n])
    : n < 65536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 255])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; })()]);
  return Buffer.concat([head, payload]);
}

function closeFrame(code: number, reason: string): Buffer {
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2);
  return frame(8, body);
}

/**
 * One connection. Text commands: `burst:N` sends N messages `m0`…; `close:CODE:REASON` makes the
 * server close; `drop` destroys the TCP connection (an unclean close). Anything else is echoed.
 */
function serveWebSocket(socket: Duplex): void {
  let pending = Buffer.alloc(0);
  let closed = false;
  const send = (opcode: number, payload: Buffer): void => { if (!closed) socket.write(frame(opcode, payload)); };
  const onMessage = (opcode: number, payload: Buffer): void => {
    if (opcode === 1) {
      const text = payload.toString('utf8');
      const [command, arg, reason] = text.split(':');
      if (command === 'burst') {
        for (let i = 0; i < Number(arg); i++) send(1, Buffer.from(`m${i}`));
        return;
      }
      if (command === 'close') { socket.write(closeFrame(Number(arg), reason ?? '')); closed = true; return; }
      if (command === 'drop') { socket.destroy(); return; }
    }
    send(opcode, payload);
  };
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      const opcode = pending[0]! & 15;
      let length = pending[1]! & 127;
      let offset = 2;
      if (length === 126) { if (pending.length < 4) return; length = pending.readUInt16BE(2); offset = 4; }
      else if (length === 127) { if (pending.length < 10) return; length = Number(pending.readBigUInt64BE(2)); offset = 10; }
      if (pending.length < offset + 4 + length) return;
      const mask = pending.subarray(offset, offset + 4);
      const payload = Buffer.from(pending.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
      pending = pending.subarray(offset + 4 + length);
      if (opcode === 8) {
        // The client closes: answer with the same code, then end the TCP connection.
        if (!closed) socket.write(frame(8, payload.subarray(0, 2)));
        closed = true;
        socket.end();
        return;
      }
      if (opcode === 9) { send(10, payload); continue; }
      if (opcode === 1 || opcode === 2) onMessage(opcode, payload);
    }
  });
  socket.on('error', () => { /* the browser went away */ });
}

function upgrade(req: IncomingMessage, socket: Duplex): void {
  if (!(req.url ?? '').startsWith('/__giambio/ws')) return;
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string') { socket.destroy(); return; }
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
  serveWebSocket(socket);
}

/** The vite plugin: add it to each browser project's `plugins`. */
export function giambioTestServer(): Plugin {
  return {
    name: 'giambio-test-server',
    configureServer(server) {
      server.middlewares.use(handle);
      server.httpServer?.on('upgrade', upgrade);
    },
  };
}
