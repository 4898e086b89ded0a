// timers × native: N async functions each await a setTimeout promise of a
// pseudo-random 1–200 ms (mulberry32(42), same sequence for every runtime);
// the parent awaits them all. Timed: first spawn → all joined, wall and
// process CPU (user + sys).
import { check, cpuMs, ensure, main, maxOf, now, report, SleepAudit, sizeN, timerDurations } from "../../lib/common.mjs";

const N = sizeN(100_000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

main("timers/native", async () => {
  const durations = timerDurations(N);
  const maxMs = maxOf(durations);
  const audit = new SleepAudit(N);
  let woke = 0;
  async function sleeper(ms) {
    const ticket = audit.begin(ms);
    await sleep(ms);
    audit.end(ticket);
    woke++;
  }
  const c0 = cpuMs();
  const t0 = now();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) tasks[i] = sleeper(durations[i]);
  await Promise.all(tasks);
  const ms = now() - t0;
  const cpu = cpuMs() - c0;
  check(woke, N, "woken sleepers");
  ensure(ms >= maxMs - 1, `wall ${ms} ms ≥ longest sleep ${maxMs} ms`);
  audit.verify();
  report({ workload: "timers", runtime: "native", n: N, ms, cpuMs: cpu });
});
