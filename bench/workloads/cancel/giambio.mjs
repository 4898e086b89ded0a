// cancel × giambio: N tasks each sleep 1 hour inside try/finally that counts cleanups; once all
// have started, cancel the pool. Timed: cancel → the pool has exited (every finally has run).
import { checkpoint, createPool, run, sleep } from "../../../dist/index.mjs";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const HOUR_MS = 3_600_000;

main("cancel/giambio", async () => {
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
  let t1 = 0;
  const setupMs = await run(function* () {
    const t0 = now();
    let setup = 0;
    yield* createPool(function* (pool) {
      for (let i = 0; i < N; i++) pool.spawn(sleeper);
      while (started < N) yield* checkpoint();
      setup = now() - t0;
      t1 = now();
      pool.cancel();
    });
    return setup;
  });
  const ms = now() - t1;
  check(started, N, "started sleepers");
  check(cleaned, N, "finally blocks run");
  report({ workload: "cancel", runtime: "giambio", n: N, ms, setupMs });
});
