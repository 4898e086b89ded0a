// timers × limit: N tasks each sleep a pseudo-random 1–200 ms (mulberry32(42), the same sequence
// for every runtime) on the limit's JS binary min-heap of (deadline, seq) with one host timer.
// Timed: first spawn → all returned, wall and process CPU.
import { check, cpuMs, ensure, main, maxOf, now, report, SleepAudit, sizeN, timerDurations } from "../../lib/common.mjs";
import { run, sleep, spawn, WAIT_CHILDREN } from "../../lib/limit.mjs";

const N = sizeN(100_000);
const counter = { woke: 0 };
const audit = new SleepAudit(N);

function* sleeper(ms) {
  const ticket = audit.begin(ms);
  yield sleep(ms);
  audit.end(ticket);
  counter.woke++;
}

main("timers/limit", async () => {
  const durations = timerDurations(N);
  const maxMs = maxOf(durations);
  const c0 = cpuMs();
  const t0 = now();
  await run(function* parent() {
    for (let i = 0; i < N; i++) spawn(sleeper, durations[i]);
    yield WAIT_CHILDREN;
  });
  const ms = now() - t0;
  const cpu = cpuMs() - c0;
  check(counter.woke, N, "woken sleepers");
  ensure(ms >= maxMs - 1, `wall ${ms} ms ≥ longest sleep ${maxMs} ms`);
  audit.verify();
  report({ workload: "timers", runtime: "limit", n: N, ms, cpuMs: cpu });
});
