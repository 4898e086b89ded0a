// spawn × giambio: in one pool, spawn N children; each does `checkpoint()` (one schedule point)
// and returns; the pool waits for all of them. Timed: first spawn → all joined (pool exit).
import { checkpoint, createPool } from "../../../dist/index.mjs";
import { giambioLoop, RUNTIME } from "../../lib/giambio.mjs";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);

main(`spawn/${RUNTIME}`, async () => {
  let finished = 0;
  function* child() {
    yield* checkpoint();
    finished++;
  }
  const ms = await giambioLoop().run(function* parent() {
    const t0 = now();
    yield* createPool(function* (pool) {
      for (let i = 0; i < N; i++) pool.spawn(child);
    });
    return now() - t0;
  });
  check(finished, N, "finished children");
  report({ workload: "spawn", runtime: RUNTIME, n: N, ms });
});
