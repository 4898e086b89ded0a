// cpu-offload × giambio: the 64 jobs of ~10 ms of CPU (bench/lib/cpu-work.mjs) run as 64 tasks
// calling into `withWorkers` with the machine's parallelism. Timed: pool open (workers started) →
// every result back; worker start-up is outside the timing, as for the piscina runtime.
import { createPool } from "../../../dist/index.mjs";
import { withWorkers } from "../../../dist/worker-node.mjs";
import { giambioLoop, RUNTIME } from "../../lib/giambio.mjs";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";
import { CHECKSUM, JOBS } from "../../lib/cpu-work.mjs";

const N = sizeN(JOBS);
const work = new URL("../../lib/cpu-worker-giambio.mjs", import.meta.url);

main(`cpu-offload/${RUNTIME}`, async () => {
  let sum = 0;
  const { ms, size } = await giambioLoop().run(function* () {
    return yield* withWorkers(work, {}, function* (workers) {
      yield* createPool(function* (pool) { for (let i = 0; i < workers.size; i++) pool.spawn(workers.call, "tiny", 0); });
      const t0 = now();
      yield* createPool(function* (pool) {
        for (let j = 1; j <= N; j++) pool.spawn(function* () { const r = yield* workers.call("job", j); sum = (sum + r) >>> 0; });
      });
      return { ms: now() - t0, size: workers.size };
    });
  });
  if (N === JOBS) check(sum, CHECKSUM, "checksum of the jobs");
  report({ workload: "cpu-offload", runtime: RUNTIME, n: N, ms, workers: size });
});
