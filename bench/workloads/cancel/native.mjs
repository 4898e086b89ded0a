// cancel × native: N async functions each await a 1-hour sleep inside try/finally that counts
// cleanups. Plain async/await has no scopes, so the idiomatic stand-in is one shared "cancelled"
// promise that every sleeper races against its timer (clearing the timer in finally). Once all N
// have started, reject it; timed: cancel → every finally has run (all N promises settled).
//
// Discussion: an AbortController per task (node:timers/promises with { signal }) is the other
// idiom, but Node builds an AbortError per abort and it measures ~20x slower; one AbortSignal
// shared by all N is O(N²) to set up in Node's EventTarget. The race is the fastest plain form.
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const HOUR_MS = 3_600_000;
const yieldNow = () => new Promise((resolve) => setImmediate(resolve));

main("cancel/native", async () => {
  let started = 0;
  let cleaned = 0;
  let cancelScope;
  const cancelled = new Promise((_, reject) => { cancelScope = reject; });
  cancelled.catch(() => {});
  async function sleeper() {
    started++;
    let timer;
    try {
      await Promise.race([new Promise((resolve) => { timer = setTimeout(resolve, HOUR_MS); }), cancelled]);
    } finally {
      clearTimeout(timer);
      cleaned++;
    }
  }
  const t0 = now();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) tasks[i] = sleeper();
  while (started < N) await yieldNow();
  const t1 = now();
  cancelScope(new Error("cancelled"));
  const outcomes = await Promise.allSettled(tasks);
  const ms = now() - t1;
  check(cleaned, N, "finally blocks run");
  check(outcomes.filter((o) => o.status === "rejected").length, N, "cancelled sleepers");
  report({ workload: "cancel", runtime: "native", n: N, ms, setupMs: t1 - t0 });
});
