// timers × giambio: N tasks each sleep a pseudo-random 1–200 ms (mulberry32(42), the same sequence
// for every runtime) in one pool. Timed: first spawn → pool exit, wall and process CPU.
import { createPool, run, sleep } from "../../../dist/index.mjs";
import { check, cpuMs, ensure, main, maxOf, now, report, SleepAudit, sizeN, timerDurations } from "../../lib/common.mjs";

const N = sizeN(100_000);

main("timers/giambio", async () => {
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
  const c0 = cpuMs();
  const t0 = now();
  await run(function* () {
    yield* createPool(function* (pool) {
      for (let i = 0; i < N; i++) pool.spawn(sleeper, durations[i]);
    });
  });
  const ms = now() - t0;
  const cpu = cpuMs() - c0;
  check(woke, N, "woken sleepers");
  ensure(ms >= maxMs - 1, `wall ${ms} ms ≥ longest sleep ${maxMs} ms`);
  audit.verify();
  report({ workload: "timers", runtime: "giambio", n: N, ms, cpuMs: cpu });
});
