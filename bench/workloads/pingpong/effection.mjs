// pingpong × effection: two spawned tasks exchange N request/reply messages
// over two `createQueue()` queues (unbounded, `add` is synchronous, `next()`
// suspends when empty). The pinger sends i and waits for the reply (i + 1)
// before sending the next. Timed: first send → last reply received.
import { createQueue, run, spawn } from "effection";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(200_000);

main("pingpong/effection", async () => {
  let replies = 0;
  let served = 0;
  const ms = await run(function* () {
    const requests = createQueue();
    const responses = createQueue();
    const ponger = yield* spawn(function* () {
      for (let i = 0; i < N; i++) {
        const x = (yield* requests.next()).value;
        served++;
        responses.add(x + 1);
      }
    });
    const pinger = yield* spawn(function* () {
      const t0 = now();
      for (let i = 0; i < N; i++) {
        requests.add(i);
        const y = (yield* responses.next()).value;
        if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
        replies++;
      }
      return now() - t0;
    });
    yield* ponger;
    return yield* pinger;
  });
  check(served, N, "requests served");
  check(replies, N, "replies received");
  report({ workload: "pingpong", runtime: "effection", n: N, ms });
});
