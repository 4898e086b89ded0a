// cpu-offload × giambio in the loop: the same 64 jobs run one after another as giambio tasks on
// the loop's own thread (one core): the baseline the worker runtimes' speedup is measured against.
import { checkpoint, createPool } from "../../../dist/index.mjs";
import { giambioLoop } from "../../lib/giambio.mjs";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";
import { CHECKSUM, JOBS, job } from "../../lib/cpu-work.mjs";

const N = sizeN(JOBS);

main("cpu-offload/in-loop", async () => {
  let sum = 0;
  const ms = await giambioLoop().run(function* () {
    const t0 = now();
    yield* createPool(function* (pool) {
      for (let j = 1; j <= N; j++) pool.spawn(function* () { yield* checkpoint(); sum = (sum + job(j)) >>> 0; });
    });
    return now() - t0;
  });
  if (N === JOBS) check(sum, CHECKSUM, "checksum of the jobs");
  report({ workload: "cpu-offload", runtime: "in-loop", n: N, ms, workers: 0 });
});
