// cancel × effection: one task owns N children; each sleeps 1 hour inside
// try/finally that counts cleanups. Once all N have started, halt the owning
// task (its scope halts every child); timed: halt → every finally has run.
import { run, sleep, spawn, suspend } from "effection";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const HOUR_MS = 3_600_000;

main("cancel/effection", async () => {
  let started = 0;
  let cleaned = 0;
  function* sleeper() {
    started++;
    try {
      yield* sleep(HOUR_MS);
    } finally {
      cleaned++;
    }
  }
  const { ms, setupMs } = await run(function* () {
    const t0 = now();
    const group = yield* spawn(function* () {
      for (let i = 0; i < N; i++) yield* spawn(sleeper);
      yield* suspend();
    });
    while (started < N) yield* sleep(0);
    const t1 = now();
    yield* group.halt();
    return { ms: now() - t1, setupMs: t1 - t0 };
  });
  check(cleaned, N, "finally blocks run");
  report({ workload: "cancel", runtime: "effection", n: N, ms, setupMs });
});
