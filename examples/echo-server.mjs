// giambio's echo server (tests/echo_server.py), one task per client in a pool.
//
//   npm run build && node examples/echo-server.mjs [port]      (default port 1501)
//   nc 127.0.0.1 1501
//
// Protocol, as giambio's: on connect `Welcome to the server pal, feel free to send me something!\n`
// and the prompt `-> `; every line gets `Got: <line>\n` and a new prompt; the line `exit` gets
// `I'm dead dude\n` and the server closes that client. Unlike giambio's, lines are framed (a line
// split over two packets, or two lines in one, are handled), and one client's failure (a reset)
// is logged and ends only that client (serveTcp runs one task per client and closes each socket when
// its handler ends). Ctrl+C cancels everything and exits with code 130.
import { pathToFileURL } from 'node:url';
import { createPool, ResourceBroken } from '../dist/index.mjs';
import { main, serveTcp } from '../dist/node.mjs';

export const WELCOME = 'Welcome to the server pal, feel free to send me something!\n';
export const PROMPT = '-> ';
export const GOODBYE = "I'm dead dude\n";
/** A longer line is answered in pieces of this many bytes (keeps memory per client bounded). */
const MAX_LINE = 64 * 1024;
const GOT = Buffer.from('Got: ');
const NEWLINE_PROMPT = Buffer.from(`\n${PROMPT}`);

const quiet = () => {};

/**
 * Serves one client until EOF or `exit`, then closes its socket (also when cancelled).
 * @param {import('../dist/node.mjs').AsyncSocket} sock
 * @param {(line: string) => void} log
 */
export function* handleClient(sock, log = quiet) {
  const peer = `${sock.remoteAddress}:${sock.remotePort}`;
  log(`Connection from ${peer}`);
  try {
    yield* sock.sendAll(WELCOME + PROMPT);
    let partial = Buffer.alloc(0);
    for (;;) {
      const data = yield* sock.receive();
      if (data.length === 0) break;
      const buffer = partial.length === 0 ? Buffer.from(data.buffer, data.byteOffset, data.length) : Buffer.concat([partial, data]);
      const replies = [];
      let start = 0;
      let exit = false;
      for (let nl = buffer.indexOf(10); nl !== -1; nl = buffer.indexOf(10, start)) {
        const line = buffer.subarray(start, nl);
        start = nl + 1;
        if (line.toString('latin1').replace(/\r$/, '') === 'exit') { exit = true; break; }
        replies.push(GOT, line, NEWLINE_PROMPT);
      }
      partial = buffer.subarray(start);
      if (!exit && partial.length >= MAX_LINE) { replies.push(GOT, partial, NEWLINE_PROMPT); partial = Buffer.alloc(0); }
      if (exit) replies.push(Buffer.from(GOODBYE));
      if (replies.length > 0) yield* sock.sendAll(Buffer.concat(replies));
      if (exit) break;
    }
  } catch (error) {
    if (!(error instanceof ResourceBroken)) throw error; // bugs and cancellation go on up
    log(`${peer} broke: ${error.message}`);
  } finally {
    try {
      yield* sock.close(); // raises CancelledError after closing if the server is being cancelled
    } finally {
      log(`Connection from ${peer} closed`);
    }
  }
}

/**
 * Serves the echo protocol on host:port until cancelled, one task per client (serveTcp). Start-able:
 * `yield* pool.start(echoServer, { port: 0 })` returns the bound address.
 */
export function* echoServer(status, { port = 1501, host = '127.0.0.1', log = quiet } = {}) {
  yield* serveTcp(status, port, (sock) => handleClient(sock, log), { host, backlog: 4096 });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.argv[2] ?? 1501);
  const log = (line) => console.log(`[echo] ${line}`);
  main(function* () {
    yield* createPool(function* (pool) {
      const a = yield* pool.start(echoServer, { port, log });
      log(`Serving on ${a.address}:${a.port} (Ctrl+C to stop)`);
    });
  });
}
