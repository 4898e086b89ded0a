// timers × effect: fork N child fibers each doing `Effect.sleep(d)` for a
// pseudo-random d of 1–200 ms (mulberry32(42), same sequence for every
// runtime); the parent joins them all. Timed: first fork → all joined, wall
// and process CPU (user + sys).
import { Effect, Fiber } from "effect";
import { check, cpuMs, ensure, main, maxOf, now, report, SleepAudit, sizeN, timerDurations } from "../../lib/common.mjs";

const N = sizeN(100_000);

main("timers/effect", async () => {
  const durations = timerDurations(N);
  const maxMs = maxOf(durations);
  const audit = new SleepAudit(N);
  let woke = 0;
  const sleeper = (ms) =>
    Effect.gen(function* () {
      const ticket = audit.begin(ms);
      yield* Effect.sleep(ms);
      audit.end(ticket);
      woke++;
    });
  const { ms, cpu } = await Effect.runPromise(
    Effect.gen(function* () {
      const c0 = cpuMs();
      const t0 = now();
      const fibers = new Array(N);
      for (let i = 0; i < N; i++) fibers[i] = yield* Effect.forkChild(sleeper(durations[i]));
      yield* Fiber.joinAll(fibers);
      return { ms: now() - t0, cpu: cpuMs() - c0 };
    }),
  );
  check(woke, N, "woken sleepers");
  ensure(ms >= maxMs - 1, `wall ${ms} ms ≥ longest sleep ${maxMs} ms`);
  audit.verify();
  report({ workload: "timers", runtime: "effect", n: N, ms, cpuMs: cpu });
});
