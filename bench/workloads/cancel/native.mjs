// cancel × native: N async functions each await a 1-hour abortable sleep
// (node:timers/promises setTimeout with an AbortSignal) inside try/finally
// that counts cleanups. The native stand-in for a cancel scope is the list of
// the tasks' AbortControllers. Once all N have started, abort every one;
// timed: first abort → every finally has run (all N promises settled).
//
// Discussion: one controller per task, not one shared signal, because adding
// N listeners to one AbortSignal is O(N²) in Node's EventTarget (100 000 took
// over a minute): that would measure a Node quirk, not cancellation.
import { setTimeout as sleep } from "node:timers/promises";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const HOUR_MS = 3_600_000;
const yieldNow = () => new Promise((resolve) => setImmediate(resolve));

main("cancel/native", async () => {
  let started = 0;
  let cleaned = 0;
  const scope = new Array(N);
  async function sleeper(signal) {
    started++;
    try {
      await sleep(HOUR_MS, undefined, { signal });
    } finally {
      cleaned++;
    }
  }
  const t0 = now();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) {
    scope[i] = new AbortController();
    tasks[i] = sleeper(scope[i].signal);
  }
  while (started < N) await yieldNow();
  const t1 = now();
  for (let i = 0; i < N; i++) scope[i].abort();
  const outcomes = await Promise.allSettled(tasks);
  const ms = now() - t1;
  check(cleaned, N, "finally blocks run");
  check(outcomes.filter((o) => o.status === "rejected").length, N, "cancelled sleepers");
  report({ workload: "cancel", runtime: "native", n: N, ms, setupMs: t1 - t0 });
});
