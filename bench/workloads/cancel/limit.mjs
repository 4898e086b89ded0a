// cancel × limit: N tasks each sleep 1 hour (on the limit's timer heap) inside try/finally that
// counts cleanups; once all have started, one loop throws the shared CANCELLED error into each
// parked generator and catches it. Timed: cancel → every finally has run and the parent resumed.
import { check, main, now, report, sizeN } from "../../lib/common.mjs";
import { cancelSleepers, run, sleep, spawn, WAIT_CHILDREN, YIELD } from "../../lib/limit.mjs";

const N = sizeN(100_000);
const HOUR_MS = 3_600_000;
const counts = { started: 0, cleaned: 0 };

function* sleeper(c) {
  c.started++;
  try {
    yield sleep(HOUR_MS);
  } finally {
    c.cleaned++;
  }
}

main("cancel/limit", async () => {
  const out = { setupMs: 0, t1: 0, ms: 0 };
  await run(function* parent() {
    const t0 = now();
    for (let i = 0; i < N; i++) spawn(sleeper, counts);
    while (counts.started < N) yield YIELD;
    out.t1 = now();
    out.setupMs = out.t1 - t0;
    cancelSleepers();
    yield WAIT_CHILDREN;
    out.ms = now() - out.t1;
  });
  check(counts.started, N, "started sleepers");
  check(counts.cleaned, N, "finally blocks run");
  report({ workload: "cancel", runtime: "limit", n: N, ms: out.ms, setupMs: out.setupMs });
});
