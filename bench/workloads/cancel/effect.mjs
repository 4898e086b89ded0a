// cancel × effect: one fiber owns N child fibers; each sleeps 1 hour with a
// finalizer that counts cleanups (`Effect.ensuring`: Effect.gen's own
// try/finally does not run on interruption). Once all N have started,
// interrupt the owning fiber, which interrupts every child and waits for
// them; timed: interrupt → every finalizer has run.
import { Effect, Fiber } from "effect";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const HOUR_MS = 3_600_000;

main("cancel/effect", async () => {
  let started = 0;
  let cleaned = 0;
  const sleeper = Effect.gen(function* () {
    started++;
    yield* Effect.sleep(HOUR_MS);
  }).pipe(Effect.ensuring(Effect.sync(() => void cleaned++)));
  const { ms, setupMs } = await Effect.runPromise(
    Effect.gen(function* () {
      const t0 = now();
      const group = yield* Effect.forkChild(
        Effect.gen(function* () {
          for (let i = 0; i < N; i++) yield* Effect.forkChild(sleeper);
          yield* Effect.never;
        }),
      );
      while (started < N) yield* Effect.yieldNow;
      const t1 = now();
      yield* Fiber.interrupt(group);
      return { ms: now() - t1, setupMs: t1 - t0 };
    }),
  );
  check(cleaned, N, "finalizers run");
  report({ workload: "cancel", runtime: "effect", n: N, ms, setupMs });
});
