// pingpong × giambio-channel: the giambio pingpong over openMemoryChannel halves instead of Queues
// (issue 13): two unbounded channels, sends with sendNowait (never waits, like the Queue variant's
// putNowait), receive() parks until the message arrives. Timed: first send → last reply received.
import { createPool, openMemoryChannel } from "../../../dist/index.mjs";
import { giambioLoop } from "../../lib/giambio.mjs";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(200_000);
const RUNTIME = "giambio-channel";

main(`pingpong/${RUNTIME}`, async () => {
  let replies = 0;
  let served = 0;
  let ms = 0;
  await giambioLoop().run(function* () {
    const [sendRequest, requests] = openMemoryChannel(Infinity);
    const [sendResponse, responses] = openMemoryChannel(Infinity);
    yield* createPool(function* (pool) {
      pool.spawn(function* ponger() {
        for (let i = 0; i < N; i++) {
          const x = yield* requests.receive();
          served++;
          sendResponse.sendNowait(x + 1);
        }
      });
      pool.spawn(function* pinger() {
        const t0 = now();
        for (let i = 0; i < N; i++) {
          sendRequest.sendNowait(i);
          const y = yield* responses.receive();
          if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
          replies++;
        }
        ms = now() - t0;
      });
    });
  });
  check(served, N, "requests served");
  check(replies, N, "replies received");
  report({ workload: "pingpong", runtime: RUNTIME, n: N, ms });
});
