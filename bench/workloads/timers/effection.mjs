// timers × effection: in one scope, spawn N tasks each doing `sleep(d)` for a
// pseudo-random d of 1–200 ms (mulberry32(42), same sequence for every
// runtime); the parent joins every task. Timed: first spawn → all joined,
// wall and process CPU (user + sys).
import { run, scoped, sleep, spawn } from "effection";
import { check, cpuMs, ensure, main, maxOf, now, report, SleepAudit, sizeN, timerDurations } from "../../lib/common.mjs";

const N = sizeN(100_000);

main("timers/effection", async () => {
  const durations = timerDurations(N);
  const maxMs = maxOf(durations);
  const audit = new SleepAudit(N);
  let woke = 0;
  function* sleeper(ms) {
    const ticket = audit.begin(ms);
    yield* sleep(ms);
    audit.end(ticket);
    woke++;
  }
  const { ms, cpu } = await run(() =>
    scoped(function* () {
      const c0 = cpuMs();
      const t0 = now();
      const tasks = new Array(N);
      for (let i = 0; i < N; i++) {
        const d = durations[i];
        tasks[i] = yield* spawn(() => sleeper(d));
      }
      for (let i = 0; i < N; i++) yield* tasks[i];
      return { ms: now() - t0, cpu: cpuMs() - c0 };
    }),
  );
  check(woke, N, "woken sleepers");
  ensure(ms >= maxMs - 1, `wall ${ms} ms ≥ longest sleep ${maxMs} ms`);
  audit.verify();
  report({ workload: "timers", runtime: "effection", n: N, ms, cpuMs: cpu });
});
