// The networking demo (`npm start`): giambio's echo server on 127.0.0.1 and, in the same
// structured scope, a crowd of clients that each do a few hundred request/reply round trips over
// loopback. A live progress line, then a summary; everything is shut down through cancellation.
//
//   npm start                              1,000 clients × 250 round trips
//   npm start -- --clients=200 --rounds=50
//   npm start -- --serve [port]            only serve (default port 1501), for `nc 127.0.0.1 1501`
//   npm start -- --progress-ms=250         progress every 250 ms (default: 100 on a TTY, 1000 otherwise)
//
// On a TTY the progress is one line redrawn in place; piped (CI logs, `| tee`) it is a plain line
// per interval.
//
// Ctrl+C cancels the whole tree (clients, handlers, server) and exits with code 130.
import cliProgress from 'cli-progress';
import { clock, createPool, sleep } from '../dist/index.mjs';
import { connect, main } from '../dist/node.mjs';
import { echoServer, GOODBYE, PROMPT, WELCOME } from './echo-server.mjs';

function option(name, fallback) {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (arg === undefined) return fallback;
  const value = Number(arg.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} expects a positive integer, got ${arg}`);
  return value;
}

/** Reads from `sock` until exactly `expected` arrived; anything else is a protocol error. */
function* expectText(sock, expected, carry) {
  let got = carry.rest;
  while (got.length < expected.length) {
    const data = yield* sock.receive();
    if (data.length === 0) throw new Error(`EOF while waiting for ${JSON.stringify(expected)}`);
    got += Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1');
  }
  if (!got.startsWith(expected)) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  carry.rest = got.slice(expected.length);
}

/** One client: connect, read the welcome, `rounds` timed round trips, `exit`, EOF. */
function* client(port, id, rounds, stats) {
  const sock = yield* connect('127.0.0.1', port);
  stats.open++;
  try {
    const carry = { rest: '' };
    yield* expectText(sock, WELCOME + PROMPT, carry);
    for (let i = 0; i < rounds; i++) {
      const line = `ping ${id} ${i}\n`;
      const t0 = performance.now();
      yield* sock.sendAll(line);
      yield* expectText(sock, `Got: ${line}${PROMPT}`, carry);
      stats.latencies[stats.done++] = performance.now() - t0;
    }
    yield* sock.sendAll('exit\n');
    yield* expectText(sock, GOODBYE, carry);
    if ((yield* sock.receive()).length !== 0) throw new Error('expected EOF after exit');
  } finally {
    stats.open--;
    yield* sock.close();
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The live progress: on a TTY a cli-progress bar redrawn in place (round trips so far, rate,
 * connections open); otherwise (a pipe, a CI log) a plain line every `everyMs`, nothing redrawn.
 */
function progressView(total, tty, everyMs) {
  if (!tty) {
    return {
      everyMs,
      start() {},
      update(done, rate, open) { console.log(`progress         ${done.toLocaleString('en')}/${total.toLocaleString('en')} round trips, ${rate.toLocaleString('en')}/s, ${open} connections open`); },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({
    format: 'round trips {bar} {percentage}% | {value}/{total} | {rate}/s | {open} connections open',
    hideCursor: true,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  return {
    everyMs,
    start() { bar.start(total, 0, { rate: 0, open: 0 }); },
    update(done, rate, open) { bar.update(done, { rate, open }); },
    stop() { bar.stop(); },
  };
}

function* demo({ clients, rounds, tty, progressMs }) {
  const stats = { open: 0, done: 0, latencies: new Float64Array(clients * rounds) };
  const view = progressView(clients * rounds, tty, progressMs ?? (tty ? 100 : 1000));
  const started = clock();
  let finished = started;
  const rate = () => Math.round(stats.done / Math.max(0.001, (clock() - started) / 1000));
  yield* createPool(function* (everything) {
    const address = yield* everything.startWith({ name: 'echo server' }, echoServer, { port: 0 });
    everything.spawnWith({ name: 'progress' }, function* () {
      view.start();
      try {
        for (;;) {
          yield* sleep(view.everyMs);
          view.update(stats.done, rate(), stats.open);
        }
      } finally {
        if (tty) view.update(stats.done, rate(), stats.open);
        view.stop();
      }
    });
    yield* createPool(function* (crowd) {
      for (let id = 0; id < clients; id++) crowd.spawnWith({ name: `client ${id}` }, client, address.port, id, rounds, stats);
    });
    finished = clock();
    everything.cancel(); // the server (listener and handlers) and the progress line end through cancellation
  });
  const seconds = (finished - started) / 1000;
  const sorted = stats.latencies.subarray(0, stats.done).sort();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const summary = [
    '',
    `connections      ${clients} concurrent (one task each, plus one server task per connection)`,
    `round trips      ${stats.done.toLocaleString('en')} in ${seconds.toFixed(2)} s = ${Math.round(stats.done / seconds).toLocaleString('en')}/s`,
    `latency          p50 ${percentile(sorted, 50).toFixed(3)} ms, p99 ${percentile(sorted, 99).toFixed(3)} ms, max ${sorted[sorted.length - 1].toFixed(3)} ms`,
    `peak RSS         ${rssMb.toFixed(1)} MB`,
    'shutdown         server and handlers cancelled; every socket closed',
  ];
  console.log(summary.join('\n'));
  return { seconds, roundTrips: stats.done };
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex !== -1) {
  const port = Number(process.argv[serveIndex + 1] ?? 1501);
  const log = (line) => console.log(`[echo] ${line}`);
  main(function* () {
    yield* createPool(function* (pool) {
      const a = yield* pool.start(echoServer, { port: Number.isInteger(port) ? port : 1501, log });
      log(`Serving on ${a.address}:${a.port} — try: nc ${a.address} ${a.port} (Ctrl+C to stop)`);
    });
  });
} else {
  // --tty / --no-tty force the progress style (the default follows stdout).
  const tty = process.argv.includes('--tty') ? true : process.argv.includes('--no-tty') ? false : Boolean(process.stdout.isTTY);
  main(demo, { clients: option('clients', 1000), rounds: option('rounds', 250), tty, progressMs: option('progress-ms', undefined) });
}
