// spawn × effect: in one fiber, fork N child fibers; each does
// `Effect.yieldNow` and returns; the parent joins them all.
// Timed: first fork → all joined.
import { Effect, Fiber } from "effect";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);

main("spawn/effect", async () => {
  let finished = 0;
  const child = Effect.gen(function* () {
    yield* Effect.yieldNow;
    finished++;
  });
  const ms = await Effect.runPromise(
    Effect.gen(function* () {
      const t0 = now();
      const fibers = new Array(N);
      for (let i = 0; i < N; i++) fibers[i] = yield* Effect.forkChild(child);
      yield* Fiber.joinAll(fibers);
      return now() - t0;
    }),
  );
  check(finished, N, "finished children");
  report({ workload: "spawn", runtime: "effect", n: N, ms });
});
