// Load generator of the echo workload, identical for every runtime: plain
// node:net in its own process, so the server's runtime is the only thing that
// changes between runs. Opens CONNS connections to 127.0.0.1:PORT at once;
// each does ROUNDS sequential round trips: write 64 bytes, wait until all 64
// have come back (TCP may split or merge them), check they are the bytes it
// sent, then send the next. Timed: first connect → every connection done.
//
// Usage: node echo-client.mjs --port=P [--conns=500] [--rounds=200]
// Run under child_process.fork it reports over IPC; otherwise it prints JSON.
// Report: { ok: true, conns, rounds, roundTrips, ms } or { ok: false, error }.

import net from "node:net";
import { performance } from "node:perf_hooks";

/** Bytes per request and per reply. */
export const MESSAGE_BYTES = 64;

function option(name, fallback) {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (arg === undefined) return fallback;
  const value = Number(arg.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`Expected \`--${name}\` to be an integer ≥ 1, got \`${arg}\``);
  }
  return value;
}

const port = option("port", 0);
const conns = option("conns", 500);
const rounds = option("rounds", 200);

/**
 * All of connection `c`'s requests, back to back: round `r` is bytes
 * [r·64, r·64 + 64), distinct per connection and round. Built before the
 * clock starts so the client spends as little CPU as it can per round trip:
 * on 2 cores the client shares the machine with the server under test.
 */
function requests(c) {
  const buf = Buffer.allocUnsafe(rounds * MESSAGE_BYTES);
  for (let r = 0; r < rounds; r++) {
    const at = r * MESSAGE_BYTES;
    buf.writeUInt32LE(c, at);
    buf.writeUInt32LE(r, at + 4);
    for (let i = 8; i < MESSAGE_BYTES; i++) buf[at + i] = (c * 31 + r * 7 + i) & 0xff;
  }
  return buf;
}

/** One connection's whole life: connect, ROUNDS round trips, close. */
function runConnection(c, sent) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: "127.0.0.1", noDelay: true });
    let round = 0;
    /** Offset in `sent` of the current round's request. */
    let at = 0;
    /** Echoed bytes of the current round received so far. */
    let got = 0;
    let finished = false;
    const fail = (err) => {
      if (finished) return;
      finished = true;
      sock.destroy();
      reject(err);
    };
    const sendNext = () => {
      at = round * MESSAGE_BYTES;
      got = 0;
      sock.write(sent.subarray(at, at + MESSAGE_BYTES));
    };
    sock.on("connect", sendNext);
    sock.on("data", (chunk) => {
      const len = chunk.length;
      if (got + len > MESSAGE_BYTES) {
        return fail(new Error(`conn ${c} round ${round}: got ${got + len} bytes, expected ${MESSAGE_BYTES}`));
      }
      if (sent.compare(chunk, 0, len, at + got, at + got + len) !== 0) {
        return fail(new Error(`conn ${c} round ${round}: echo differs from request`));
      }
      got += len;
      if (got < MESSAGE_BYTES) return; // TCP split the echo: wait for the rest
      round++;
      if (round < rounds) return sendNext();
      finished = true;
      sock.end();
      resolve();
    });
    sock.on("error", fail);
    sock.on("close", () => fail(new Error(`conn ${c}: closed by server after ${round} of ${rounds} rounds`)));
  });
}

/** Deliver the report (IPC when forked, else stdout) and exit with `code`. */
function finish(report, code) {
  if (process.send) {
    process.send(report, () => process.exit(code));
  } else {
    process.stdout.write(JSON.stringify(report) + "\n");
    process.exit(code);
  }
}

async function runClient() {
  if (port === 0) throw new TypeError("Expected `--port=` to name the server's port");
  const sent = [];
  for (let c = 0; c < conns; c++) sent.push(requests(c));
  const t0 = performance.now();
  const all = [];
  for (let c = 0; c < conns; c++) all.push(runConnection(c, sent[c]));
  await Promise.all(all);
  const ms = performance.now() - t0;
  return { ok: true, conns, rounds, roundTrips: conns * rounds, ms };
}

const watchdog = setTimeout(() => {
  finish({ ok: false, error: "echo client: watchdog fired after 55 s" }, 2);
}, 55_000);
watchdog.unref();

runClient().then(
  (report) => finish(report, 0),
  (err) => finish({ ok: false, error: String(err && err.stack ? err.stack : err) }, 1),
);
