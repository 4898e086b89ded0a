// pingpong × giambio: a pinger and a ponger exchange N request/reply messages over two unbounded
// queues; the pinger sends i and waits for the reply (i + 1) before sending the next. Sends use
// putNowait (an unbounded queue never needs to wait, like the floor's and native's send); get()
// parks until the message arrives. Timed: first send → last reply received.
import { createPool, Queue } from "../../../dist/index.mjs";
import { giambioLoop, RUNTIME } from "../../lib/giambio.mjs";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(200_000);

main(`pingpong/${RUNTIME}`, async () => {
  let replies = 0;
  let served = 0;
  let ms = 0;
  await giambioLoop().run(function* () {
    const requests = new Queue();
    const responses = new Queue();
    yield* createPool(function* (pool) {
      pool.spawn(function* ponger() {
        for (let i = 0; i < N; i++) {
          const x = yield* requests.get();
          served++;
          responses.putNowait(x + 1);
        }
      });
      pool.spawn(function* pinger() {
        const t0 = now();
        for (let i = 0; i < N; i++) {
          requests.putNowait(i);
          const y = yield* responses.get();
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
