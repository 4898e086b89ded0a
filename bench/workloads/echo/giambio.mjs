// echo × giambio: a giambio/node server on 127.0.0.1 (ephemeral port); one task per connection in
// a pool, receive → sendAll until EOF. The shared load generator (lib/echo-client.mjs, its own
// process) does 500 connections × 200 sequential 64-byte round trips; timed by the client. Then the
// server pool is cancelled, which closes every socket.
import { createPool, EventLoop, until } from "../../../dist/index.mjs";
import { listen, nodeHost } from "../../../dist/node.mjs";
import { check, main, report } from "../../lib/common.mjs";
import { echoSize, runEchoClient } from "../../lib/echo.mjs";

const size = echoSize();

main("echo/giambio", async () => {
  let accepted = 0;
  let echoedBytes = 0;
  function* serve(sock) {
    accepted++;
    try {
      for (;;) {
        const chunk = yield* sock.receive();
        if (chunk.length === 0) break;
        echoedBytes += chunk.length;
        yield* sock.sendAll(chunk);
      }
    } finally {
      yield* sock.close();
    }
  }
  const result = await new EventLoop({ host: nodeHost }).run(function* () {
    const server = yield* listen(0, "127.0.0.1");
    try {
      return yield* createPool(function* (pool) {
        pool.spawn(function* acceptLoop() {
          for (;;) pool.spawn(serve, yield* server.accept());
        });
        const report = yield* until(runEchoClient(server.address.port, size));
        pool.cancel();
        return report;
      });
    } finally {
      yield* server.close();
    }
  });
  check(result.roundTrips, size.n, "round trips");
  check(accepted, size.conns, "accepted connections");
  check(echoedBytes, size.n * 64, "echoed bytes");
  report({ workload: "echo", runtime: "giambio", n: size.n, ms: result.ms, conns: size.conns, rounds: size.rounds });
});
