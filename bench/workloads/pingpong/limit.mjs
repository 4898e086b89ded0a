// pingpong × limit: a pinger and a ponger exchange N request/reply messages over two limit
// channels; a receive is one `yield ch.recvOp` (a shared instruction, no generator per receive).
// The pinger sends i and waits for the reply (i + 1) before sending the next.
// Timed: first send → last reply received.
import { check, main, now, report, sizeN } from "../../lib/common.mjs";
import { Channel, run, spawn, WAIT_CHILDREN } from "../../lib/limit.mjs";

const N = sizeN(200_000);

main("pingpong/limit", async () => {
  let replies = 0;
  let served = 0;
  let ms = 0;
  const requests = new Channel();
  const responses = new Channel();
  await run(function* parent() {
    spawn(function* ponger() {
      for (let i = 0; i < N; i++) {
        const x = yield requests.recvOp;
        served++;
        responses.send(x + 1);
      }
    });
    spawn(function* pinger() {
      const t0 = now();
      for (let i = 0; i < N; i++) {
        requests.send(i);
        const y = yield responses.recvOp;
        if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
        replies++;
      }
      ms = now() - t0;
    });
    yield WAIT_CHILDREN;
  });
  check(served, N, "requests served");
  check(replies, N, "replies received");
  report({ workload: "pingpong", runtime: "limit", n: N, ms });
});
