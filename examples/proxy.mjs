// A TCP proxy after giambio's tests/proxy.py: each client is connected to a target, and bytes are
// forwarded both ways by two tasks in a nested pool under skipAfter (the session's time limit).
// EOF in one direction is passed on as EOF (a half-close), and the other direction goes on.
//
//   npm run build && node examples/proxy.mjs <listenPort> <targetHost>:<targetPort> [seconds]
//   e.g. node examples/echo-server.mjs 1501 & node examples/proxy.mjs 1600 127.0.0.1:1501 60
//        nc 127.0.0.1 1600
import { pathToFileURL } from 'node:url';
import { clock, createPool, skipAfter, ResourceBroken } from '../dist/index.mjs';
import { connect, main, serveTcp } from '../dist/node.mjs';

const quiet = () => {};
const preview = (data) => JSON.stringify(Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8').slice(0, 60));

/** Copies `source` to `sink` until EOF, then half-closes `sink`. */
export function* forward(source, sink, from, to, log = quiet) {
  for (;;) {
    const data = yield* source.receive();
    if (data.length === 0) {
      log(`${from} has exited, closing connection to ${to}`);
      yield* sink.sendEof();
      return;
    }
    log(`Got ${preview(data)} from ${from}, forwarding it to ${to}`);
    yield* sink.sendAll(data);
  }
}

/**
 * Forwards between `a` and `b` both ways until both directions reached EOF or `seconds` passed
 * (then both are cancelled). Returns the session's duration in seconds. Does not close a or b.
 */
export function* bridge(a, b, { names = ['A', 'B'], seconds = Infinity, log = quiet } = {}) {
  const started = clock();
  yield* skipAfter(seconds * 1000, function* (pool) {
    pool.spawn(forward, a, b, names[0], names[1], log);
    pool.spawn(forward, b, a, names[1], names[0], log);
  });
  const elapsed = (clock() - started) / 1000;
  log(`Proxy has exited after ${elapsed.toFixed(2)} seconds`);
  return elapsed;
}

/** One client: connect to the target, bridge, close both. A refused or reset peer ends only this session. */
export function* proxyClient(client, target, seconds, log = quiet) {
  const name = `${client.remoteAddress}:${client.remotePort}`;
  try {
    const upstream = yield* connect(target.host, target.port);
    try {
      yield* bridge(client, upstream, { names: [name, `${target.host}:${target.port}`], seconds, log });
    } finally {
      yield* upstream.close();
    }
  } catch (error) {
    if (!(error instanceof ResourceBroken)) throw error;
    log(`${name}: ${error.message}`);
  } finally {
    yield* client.close();
  }
}

/**
 * Listens on host:port and proxies each client to `target` ({ host, port }) until cancelled, one
 * task per client (serveTcp). Start-able: `yield* pool.start(proxyServer, options)` returns the bound address.
 */
export function* proxyServer(status, { port, host = '127.0.0.1', target, seconds = Infinity, log = quiet }) {
  yield* serveTcp(status, port, (client) => proxyClient(client, target, seconds, log), { host });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [port, where, seconds] = process.argv.slice(2);
  const match = /^(.+):(\d+)$/.exec(where ?? '');
  if (port === undefined || match === null) {
    console.error('usage: node examples/proxy.mjs <listenPort> <targetHost>:<targetPort> [seconds]');
    process.exitCode = 2;
  } else {
    const log = (line) => console.log(`[proxy] ${line}`);
    main(function* () {
      yield* createPool(function* (pool) {
        const a = yield* pool.start(proxyServer, {
          port: Number(port), target: { host: match[1], port: Number(match[2]) }, seconds: seconds === undefined ? Infinity : Number(seconds), log,
        });
        log(`Serving on ${a.address}:${a.port}, forwarding to ${where} (Ctrl+C to stop)`);
      });
    });
  }
}
