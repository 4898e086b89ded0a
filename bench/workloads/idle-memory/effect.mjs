// idle-memory × effect: one fiber owns N child fibers each in `Effect.never`.
// Heap and RSS bytes per task after a forced GC, against a GC'd baseline
// taken before the first fork. Timed: first fork → all N suspended. Then the
// owner is interrupted, so the script ends cleanly and the counts can be
// checked.
import { Effect, Fiber } from "effect";
import { check, gc, main, memory, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);

main("idle-memory/effect", async () => {
  let started = 0;
  let cleaned = 0;
  const idler = Effect.gen(function* () {
    started++;
    yield* Effect.never;
  }).pipe(Effect.ensuring(Effect.sync(() => void cleaned++)));
  const result = await Effect.runPromise(
    Effect.gen(function* () {
      yield* Effect.yieldNow;
      gc();
      const base = memory();
      const t0 = now();
      const group = yield* Effect.forkChild(
        Effect.gen(function* () {
          for (let i = 0; i < N; i++) yield* Effect.forkChild(idler);
          yield* Effect.never;
        }),
      );
      while (started < N) yield* Effect.yieldNow;
      const ms = now() - t0;
      gc();
      const after = memory();
      check(started, N, "suspended tasks");
      yield* Fiber.interrupt(group);
      return {
        ms,
        heapBytesPerTask: (after.heapUsed - base.heapUsed) / N,
        rssBytesPerTask: (after.rss - base.rss) / N,
      };
    }),
  );
  check(cleaned, N, "interrupted tasks");
  report({ workload: "idle-memory", runtime: "effect", n: N, ...result });
});
