// echo × effect: the node:net server is acquired with `Effect.acquireRelease`
// (listen via `Effect.callback`, close on release); an acceptor fiber takes
// sockets from a `Queue` fed by the 'connection' event and forks one fiber
// per connection, which takes chunks from a Queue fed by 'data' (ended on
// 'end') and writes each back (waiting for 'drain' with `Effect.callback`
// when the buffer is full). The shared load generator (lib/echo-client.mjs,
// its own process) does 500 connections × 200 sequential 64-byte round
// trips; timed by the client: first connect → every connection done. Then
// the acceptor is interrupted (and with it every connection fiber) and the
// scope closes the server.
import net from "node:net";
import { Effect, Fiber, Option, Queue } from "effect";
import { check, main, report } from "../../lib/common.mjs";
import { echoSize, runEchoClient } from "../../lib/echo.mjs";

const size = echoSize();

/** A listening server on 127.0.0.1 and the queue of its incoming sockets. */
const useServer = Effect.acquireRelease(
  Effect.gen(function* () {
    const connections = yield* Queue.unbounded();
    const server = net.createServer({ noDelay: true });
    server.on("connection", (sock) => Queue.offerUnsafe(connections, sock));
    yield* Effect.callback((resume) => {
      server.once("error", (err) => resume(Effect.fail(err)));
      server.listen(0, "127.0.0.1", () => resume(Effect.void));
    });
    return { server, port: server.address().port, connections };
  }),
  ({ server }) => Effect.sync(() => server.close()),
);

/** Wait until `sock` can take more writes. */
const drained = (sock) =>
  Effect.callback((resume) => {
    const onDrain = () => resume(Effect.void);
    sock.once("drain", onDrain);
    return Effect.sync(() => sock.off("drain", onDrain));
  });

main("echo/effect", async () => {
  let accepted = 0;
  let echoedBytes = 0;
  const serve = (sock) =>
    Effect.gen(function* () {
      accepted++;
      const chunks = yield* Queue.unbounded();
      sock.on("data", (chunk) => Queue.offerUnsafe(chunks, chunk));
      sock.on("end", () => Queue.endUnsafe(chunks));
      sock.on("error", () => Queue.endUnsafe(chunks));
      for (;;) {
        const next = yield* Effect.option(Queue.take(chunks));
        if (Option.isNone(next)) break;
        echoedBytes += next.value.length;
        if (!sock.write(next.value)) yield* drained(sock);
      }
    }).pipe(Effect.ensuring(Effect.sync(() => sock.destroy())));
  const result = await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const { port, connections } = yield* useServer;
        const acceptor = yield* Effect.forkChild(
          Effect.gen(function* () {
            for (;;) {
              const sock = yield* Queue.take(connections);
              yield* Effect.forkChild(serve(sock));
            }
          }),
        );
        const clientReport = yield* Effect.promise(() => runEchoClient(port, size));
        yield* Fiber.interrupt(acceptor);
        return clientReport;
      }),
    ),
  );
  check(result.roundTrips, size.n, "round trips");
  check(accepted, size.conns, "accepted connections");
  check(echoedBytes, size.n * 64, "echoed bytes");
  report({ workload: "echo", runtime: "effect", n: size.n, ms: result.ms, conns: size.conns, rounds: size.rounds });
});
