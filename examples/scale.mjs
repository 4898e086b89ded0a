// Scale check: one giambio loop holds 10,000 concurrent loopback TCP connections open, exchanges
// data on every one of them, and reports memory per connection.
//
//   npm run build && node examples/scale.mjs [--connections=10000] [--rounds=3]
//
// The server side runs in a child process (also a giambio loop): 10,000 connections with both
// ends in one process would need 20,000+ file descriptors, and `ulimit -n` is often 20,000 or
// less. RSS per connection is (RSS with every connection open − RSS before) / connections, for
// each process; kernel socket buffers are not part of RSS.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPool, clock } from '../dist/index.mjs';
import { connect, main, serveTcp, wrapSocket } from '../dist/node.mjs';
import { LineReader } from './lines.mjs';

function option(name, fallback) {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const settle = () => { globalThis.gc?.(); return process.memoryUsage().rss; };

/** The child: an echo server (serveTcp) that reports when `expected` connections are open at once. */
function* server(expected) {
  let open = 0;
  let baseline = 0;
  yield* createPool(function* (pool) {
    const address = yield* pool.start(serveTcp, 0, function* (sock) {
      if (++open === expected) {
        const rss = settle();
        console.log(`SERVER ${open} connections open, RSS ${mb(rss)} MB, ${((rss - baseline) / open / 1024).toFixed(1)} KB per connection`);
      }
      try {
        for (let data = yield* sock.receive(); data.length > 0; data = yield* sock.receive()) yield* sock.sendAll(data);
      } finally {
        open--; // serveTcp closes the socket when this handler ends
      }
    }, { host: '127.0.0.1', backlog: 4096 });
    baseline = settle();
    console.log(`PORT ${address.port}`);
  });
}

/** The parent: open every connection (in waves, to stay within the listen backlog), exchange, close. */
function* clients({ connections, rounds }) {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--server', `--connections=${connections}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const output = wrapSocket(child.stdout); // a pipe is a net.Socket: read the child's lines as a stream
  const lines = new LineReader(output);
  try {
    const first = yield* lines.next();
    const port = Number(/^PORT (\d+)$/.exec(first ?? '')?.[1]);
    if (!port) throw new Error(`the server child said ${JSON.stringify(first)}`);
    const baseline = settle();
    const sockets = [];
    const t0 = clock();
    for (let done = 0; done < connections;) {
      const wave = Math.min(1000, connections - done);
      yield* createPool(function* (pool) {
        for (let i = 0; i < wave; i++) pool.spawn(function* () { sockets.push(yield* connect('127.0.0.1', port)); });
      });
      done += wave;
    }
    const connected = clock();
    try {
      yield* createPool(function* (pool) {
        for (const [i, sock] of sockets.entries()) {
          pool.spawn(function* () {
            const message = `hello from ${i}\n`;
            for (let r = 0; r < rounds; r++) {
              yield* sock.sendAll(message);
              for (let got = 0; got < message.length;) {
                const data = yield* sock.receive();
                if (data.length === 0) throw new Error('unexpected EOF');
                got += data.length;
              }
            }
          });
        }
      });
      const exchanged = clock();
      const rss = settle();
      console.log(`client  ${sockets.length.toLocaleString('en')} connections open in one loop, connected in ${((connected - t0) / 1000).toFixed(2)} s`);
      console.log(`client  ${(sockets.length * rounds).toLocaleString('en')} round trips, on every connection, in ${((exchanged - connected) / 1000).toFixed(2)} s`);
      console.log(`client  RSS ${mb(rss)} MB, ${((rss - baseline) / sockets.length / 1024).toFixed(1)} KB per connection`);
    } finally {
      for (const sock of sockets) sock[Symbol.dispose](); // close them all at once, then wait for each
      for (const sock of sockets) yield* sock.close();
    }
  } finally {
    child.kill('SIGTERM');
    for (let line = yield* lines.next(); line !== null; line = yield* lines.next()) {
      if (line.startsWith('SERVER ')) console.log(`server  ${line.slice(7)}`);
    }
    yield* output.close();
  }
}

if (process.argv.includes('--server')) {
  main(server, option('connections', 10_000));
} else {
  main(clients, { connections: option('connections', 10_000), rounds: option('rounds', 3) });
}
