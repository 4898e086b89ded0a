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
// on a dict). Here the room is a Broadcast and every client reads its socket with `lines` and
// writes it from its own task, which drains its subscription: relaying never waits (a client
// that cannot keep up loses its oldest messages, 'dropOldest'), and leaving (EOF, reset, an
// over-long line, or cancellation) always removes the client and tells the others.
import { pathToFileURL } from 'node:url';
import {
  createBroadcast, createPool, lines, DelimiterNotFound, EndOfChannel, ErrorStack, ResourceBroken, ResourceClosed,
} from '../dist/index.mjs';
import { main, serveTcp } from '../dist/node.mjs';

export const ASK_NAME = 'Welcome to the chatroom pal, may you tell me your name?\n> ';
export const NAME_TAKEN = 'Sorry, but that name is already taken. Try again!\n> ';
export const welcomeLine = (name) => `Okay ${name}, welcome to the chatroom!\n`;
export const joinedLine = (name) => `${name} joins the chatroom!\n> `;
export const leftLine = (name) => `${name} has left the chatroom\n> `;
export const relayLine = (name, address, text) => `[${name}] (${address}): ${text}\n> `;
/** Messages buffered for one slow client before it loses the oldest. */
const BACKLOG = 256;
/** Longest line a client may send (bytes); a longer one disconnects it. */
const MAX_LINE = 4096;

const quiet = () => {};

/** A client went away or misbehaved: the error (or every error of an ErrorStack) is one of these. */
const isDisconnect = (error) => error instanceof ErrorStack
  ? error.errors.every(isDisconnect)
  : error instanceof ResourceBroken || error instanceof ResourceClosed || error instanceof DelimiterNotFound;

/**
 * Who is in the room, and what they say. A message is `{ from, text, echo }`: everyone else gets
 * `text`; the sender itself gets `echo` (its prompt), nothing when `echo` is '', and a `null` echo
 * ends the sender's own writer (its leave message is the last thing it needs).
 */
export class Room {
  /** @type {Set<string>} */
  names = new Set();
  news = createBroadcast({ buffer: BACKLOG, overflow: 'dropOldest' });
}

/** Serves one client: name, join, relay, leave. Closes its socket in every case. */
export function* handleClient(sock, room, log = quiet) {
  const address = `${sock.remoteAddress}:${sock.remotePort}`;
  const incoming = lines(sock, { maxLineLength: MAX_LINE });
  let name = null;
  let inbox = null;
  const leave = () => {
    if (name === null || !room.names.delete(name)) return;
    log(`${name} has left the chatroom (${address})`);
    room.news.sendNowait({ from: name, text: leftLine(name), echo: null }); // never waits: 'dropOldest'
  };
  try {
    yield* sock.sendAll(ASK_NAME);
    for (;;) {
      let line;
      try {
        line = yield* incoming.receive();
      } catch (error) {
        if (error instanceof EndOfChannel) return; // left before choosing a name
        throw error;
      }
      const wanted = line.trim();
      if (wanted === '') { yield* sock.sendAll('> '); continue; }
      if (!room.names.has(wanted)) { name = wanted; break; }
      yield* sock.sendAll(NAME_TAKEN);
    }
    room.names.add(name);
    const me = name;
    const mine = (inbox = room.news.subscribe());
    yield* sock.sendAll(`${welcomeLine(me)}> `);
    log(`${me} has joined the chatroom (${address})`);
    yield* room.news.send({ from: me, text: joinedLine(me), echo: '' });
    yield* createPool(function* (pool) {
      // The only task that writes to this socket after the join.
      pool.spawnWith({ name: `writer ${me}` }, function* () {
        yield* mine.each(function* ({ from, text, echo }) {
          if (from !== me) yield* sock.sendAll(text);
          else if (echo === null) return false; // our own leave: everything before it was sent
          else if (echo !== '') yield* sock.sendAll(echo);
        });
      });
      yield* incoming.each(function* (line) {
        yield* room.news.send({ from: me, text: relayLine(me, address, line), echo: '> ' });
      });
      leave(); // EOF: the writer sends what is left, sees our leave message and ends
    });
  } catch (error) {
    if (!isDisconnect(error)) throw error;
    log(`${name ?? address} dropped: ${error.message}`);
  } finally {
    leave();
    inbox?.close();
    incoming.close();
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
