// echo × effection: the node:net server is a `resource` (listen, provide,
// close on exit); an acceptor task takes sockets from a queue fed by the
// 'connection' event and spawns one task per connection, which takes chunks
// from a queue fed by 'data' (closed on 'end') and writes each back (waiting
// for 'drain' with an `action` when the buffer is full). The shared load
// generator (lib/echo-client.mjs, its own process) does 500 connections ×
// 200 sequential 64-byte round trips; timed by the client: first connect →
// every connection done. Then leaving the scope halts every task and closes
// the server.
import net from "node:net";
import { action, call, createQueue, resource, run, spawn } from "effection";
import { check, main, report } from "../../lib/common.mjs";
import { echoSize, runEchoClient } from "../../lib/echo.mjs";

const size = echoSize();

/** A listening server on 127.0.0.1 and the queue of its incoming sockets. */
function useServer() {
  return resource(function* (provide) {
    const server = net.createServer({ noDelay: true });
    const connections = createQueue();
    server.on("connection", (sock) => connections.add(sock));
    yield* action((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
      return () => server.off("error", reject);
    });
    try {
      yield* provide({ port: server.address().port, connections });
    } finally {
      server.close();
    }
  });
}

/** Wait until `sock` can take more writes. */
function drained(sock) {
  return action((resolve) => {
    sock.once("drain", resolve);
    return () => sock.off("drain", resolve);
  });
}

main("echo/effection", async () => {
  let accepted = 0;
  let echoedBytes = 0;
  function* serve(sock) {
    accepted++;
    const chunks = createQueue();
    const onData = (chunk) => chunks.add(chunk);
    const onEnd = () => chunks.close();
    sock.on("data", onData);
    sock.on("end", onEnd);
    sock.on("error", onEnd);
    try {
      for (;;) {
        const next = yield* chunks.next();
        if (next.done) break;
        echoedBytes += next.value.length;
        if (!sock.write(next.value)) yield* drained(sock);
      }
    } finally {
      sock.off("data", onData);
      sock.off("end", onEnd);
      sock.destroy();
    }
  }
  const result = await run(function* () {
    const { port, connections } = yield* useServer();
    yield* spawn(function* acceptor() {
      for (;;) {
        const sock = (yield* connections.next()).value;
        yield* spawn(() => serve(sock));
      }
    });
    return yield* call(() => runEchoClient(port, size));
  });
  check(result.roundTrips, size.n, "round trips");
  check(accepted, size.conns, "accepted connections");
  check(echoedBytes, size.n * 64, "echoed bytes");
  report({ workload: "echo", runtime: "effection", n: size.n, ms: result.ms, conns: size.conns, rounds: size.rounds });
});
