// echo × native: a node:net server on 127.0.0.1 (ephemeral port, noDelay);
// each connection is an async function that reads with `for await` and
// writes every chunk back (awaiting 'drain' when the socket buffer is full)
// until EOF. The shared load generator (lib/echo-client.mjs, its own process)
// does 500 connections × 200 sequential 64-byte round trips; timed by the
// client: first connect → every connection done. Then the server closes.
import net from "node:net";
import { once } from "node:events";
import { check, main, report } from "../../lib/common.mjs";
import { echoSize, runEchoClient } from "../../lib/echo.mjs";

const size = echoSize();

main("echo/native", async () => {
  let accepted = 0;
  let echoedBytes = 0;
  const handlers = [];
  async function serve(sock) {
    accepted++;
    try {
      for await (const chunk of sock) {
        echoedBytes += chunk.length;
        if (!sock.write(chunk)) await once(sock, "drain");
      }
    } catch {
      // A reset by the peer ends this connection only.
    } finally {
      sock.destroy();
    }
  }
  const server = net.createServer({ noDelay: true }, (sock) => {
    handlers.push(serve(sock));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  try {
    const result = await runEchoClient(port, size);
    check(result.roundTrips, size.n, "round trips");
    check(accepted, size.conns, "accepted connections");
    check(echoedBytes, size.n * 64, "echoed bytes");
    await Promise.all(handlers);
    report({ workload: "echo", runtime: "native", n: size.n, ms: result.ms, conns: size.conns, rounds: size.rounds });
  } finally {
    server.close();
  }
});
