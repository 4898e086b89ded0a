// pingpong × effect: two forked fibers exchange N request/reply messages over
// two `Queue.unbounded()` queues (`Queue.offer` / `Queue.take`). The pinger
// offers i and takes the reply (i + 1) before offering the next.
// Timed: first offer → last reply taken.
import { Effect, Fiber, Queue } from "effect";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(200_000);

main("pingpong/effect", async () => {
  let replies = 0;
  let served = 0;
  const ms = await Effect.runPromise(
    Effect.gen(function* () {
      const requests = yield* Queue.unbounded();
      const responses = yield* Queue.unbounded();
      const ponger = yield* Effect.forkChild(
        Effect.gen(function* () {
          for (let i = 0; i < N; i++) {
            const x = yield* Queue.take(requests);
            served++;
            yield* Queue.offer(responses, x + 1);
          }
        }),
      );
      const pinger = yield* Effect.forkChild(
        Effect.gen(function* () {
          const t0 = now();
          for (let i = 0; i < N; i++) {
            yield* Queue.offer(requests, i);
            const y = yield* Queue.take(responses);
            if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
            replies++;
          }
          return now() - t0;
        }),
      );
      yield* Fiber.join(ponger);
      return yield* Fiber.join(pinger);
    }),
  );
  check(served, N, "requests served");
  check(replies, N, "replies received");
  report({ workload: "pingpong", runtime: "effect", n: N, ms });
});
