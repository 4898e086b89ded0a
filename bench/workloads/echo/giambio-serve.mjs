// echo × giambio-serve: the giambio echo with the server written as users are told to write one:
// `pool.start(serveTcp, 0, handler)` (giambio/node), one task per connection, receive → sendAll until
// EOF; serveTcp closes each socket when its handler ends. The same shared load generator
// (lib/echo-client.mjs, its own process): 500 connections × 200 sequential 64-byte round trips,
// timed by the client. Then the pool is cancelled, which stops the server.
import { createPool, EventLoop, until } from "../../../dist/index.mjs";
import { nodeHost, serveTcp } from "../../../dist/node.mjs";
import { check, main, report } from "../../lib/common.mjs";
import { echoSize, runEchoClient } from "../../lib/echo.mjs";

const size = echoSize();

main("echo/giambio-serve", async () => {
  let accepted = 0;
  let echoedBytes = 0;
  function* echo(sock) {
    accepted++;
    for (;;) {
      const chunk = yield* sock.receive();
      if (chunk.length === 0) return;
      echoedBytes += chunk.length;
      yield* sock.sendAll(chunk);
    }
  }
  const result = await new EventLoop({ host: nodeHost }).run(function* () {
    return yield* createPool(function* (pool) {
      const { port } = yield* pool.start(serveTcp, 0, echo, { host: "127.0.0.1" });
      const report = yield* until(runEchoClient(port, size));
      pool.cancel();
      return report;
    });
  });
  check(result.roundTrips, size.n, "round trips");
  check(accepted, size.conns, "accepted connections");
  check(echoedBytes, size.n * 64, "echoed bytes");
  report({ workload: "echo", runtime: "giambio-serve", n: size.n, ms: result.ms, conns: size.conns, rounds: size.rounds });
});
