// giambio's chatroom server (tests/chatroom_server.py), without its bugs.
//
//   npm run build && node examples/chatroom.mjs [port]      (default port 1502)
//   nc 127.0.0.1 1502            (in two or more terminals)
//
// Protocol, as giambio's: the server asks `Welcome to the chatroom pal, may you tell me your
// name?\n> `; a name already in use gets `Sorry, but that name is already taken. Try again!\n> `;
// then `Okay <name>, welcome to the chatroom!\n`. Everyone else sees `<name> joins the
// chatroom!\n> `, every line is relayed to the others as `[<name>] (<address>): <line>\n> `, and
// `<name> has left the chatroom\n> ` when a client disconnects.
//
// What is fixed: giambio's handler wrote to every other client's socket itself, so one slow or
// dead client stalled or crashed the sender, and leaving raised AttributeError (`clients.remove`
// on a dict). Here every client has a bounded outbox (a MemoryChannel) drained by its own writer
// task: relaying never waits, a client whose outbox overflows is disconnected, and leaving
// (EOF, reset, or cancellation) always removes the client and tells the others.
import { pathToFileURL } from 'node:url';
import { createPool, MemoryChannel, ResourceBroken, ResourceClosed, WouldBlock } from '../dist/index.mjs';
import { main, serveTcp } from '../dist/node.mjs';
import { LineReader } from './lines.mjs';

export const ASK_NAME = 'Welcome to the chatroom pal, may you tell me your name?\n> ';
export const NAME_TAKEN = 'Sorry, but that name is already taken. Try again!\n> ';
export const welcomeLine = (name) => `Okay ${name}, welcome to the chatroom!\n`;
export const joinedLine = (name) => `${name} joins the chatroom!\n> `;
export const leftLine = (name) => `${name} has left the chatroom\n> `;
export const relayLine = (name, address, text) => `[${name}] (${address}): ${text}\n> `;
/** Messages waiting for one slow client before it is disconnected. */
const OUTBOX = 256;

const quiet = () => {};

/** Who is in the room: name → member. */
export class Room {
  /** @type {Map<string, { outbox: MemoryChannel<string>, sock: import('../dist/node.mjs').AsyncSocket }>} */
  members = new Map();

  /** Sends `text` to everyone but `from`; never waits. A member that cannot keep up is dropped. */
  broadcast(from, text) {
    for (const [name, member] of this.members) {
      if (name === from) continue;
      try {
        member.outbox.writeNowait(text);
      } catch (error) {
        if (!(error instanceof WouldBlock || error instanceof ResourceClosed)) throw error;
        member.outbox.close();
        member.sock[Symbol.dispose](); // its own tasks see the closed socket and leave
      }
    }
  }
}

/** Serves one client: name, join, relay, leave. Closes its socket in every case. */
export function* handleClient(sock, room, log = quiet) {
  const address = `${sock.remoteAddress}:${sock.remotePort}`;
  const lines = new LineReader(sock);
  let name = null;
  let outbox = null;
  const leave = () => {
    if (name === null || room.members.get(name)?.sock !== sock) return;
    room.members.delete(name);
    log(`${name} has left the chatroom (${address})`);
    room.broadcast(name, leftLine(name));
  };
  try {
    yield* sock.sendAll(ASK_NAME);
    for (;;) {
      const line = yield* lines.next();
      if (line === null) return; // left before choosing a name
      const wanted = line.trim();
      if (wanted === '') { yield* sock.sendAll('> '); continue; }
      if (!room.members.has(wanted)) { name = wanted; break; }
      yield* sock.sendAll(NAME_TAKEN);
    }
    const box = (outbox = new MemoryChannel(OUTBOX));
    room.members.set(name, { outbox: box, sock });
    box.writeNowait(`${welcomeLine(name)}> `);
    log(`${name} has joined the chatroom (${address})`);
    room.broadcast(name, joinedLine(name));
    yield* createPool(function* (pool) {
      // The only task that writes to this socket after the join.
      pool.spawnWith({ name: `writer ${name}` }, function* () {
        yield* box.each(function* (text) { yield* sock.sendAll(text); });
      });
      for (let line = yield* lines.next(); line !== null; line = yield* lines.next()) {
        room.broadcast(name, relayLine(name, address, line));
        box.writeNowait('> ');
      }
      // EOF: leave the room, then let the writer send what is left and end.
      leave();
      box.close();
    });
  } catch (error) {
    if (!(error instanceof ResourceBroken || error instanceof ResourceClosed || error instanceof WouldBlock)) throw error;
    log(`${name ?? address} dropped: ${error.message}`);
  } finally {
    leave();
    outbox?.close();
    yield* sock.close();
  }
}

/**
 * Runs the chatroom on host:port until cancelled, one task per client (serveTcp). Start-able:
 * `yield* pool.start(chatServer, { port: 0 })` returns the bound address.
 */
export function* chatServer(status, { port = 1502, host = '127.0.0.1', room = new Room(), log = quiet } = {}) {
  yield* serveTcp(status, port, (sock) => handleClient(sock, room, log), { host });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const log = (line) => console.log(`[chat] ${line}`);
  main(function* () {
    yield* createPool(function* (pool) {
      const a = yield* pool.start(chatServer, { port: Number(process.argv[2] ?? 1502), log });
      log(`Serving on ${a.address}:${a.port} (Ctrl+C to stop)`);
    });
  });
}
