// cpu-offload × piscina: the same 64 jobs as pool.run() calls on a piscina pool with the machine's
// parallelism (min = max threads, started before the timing).
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";
import { CHECKSUM, JOBS } from "../../lib/cpu-work.mjs";

const N = sizeN(JOBS);
const size = availableParallelism();

main("cpu-offload/piscina", async () => {
  const pool = new Piscina({ filename: new URL("../../lib/cpu-worker-piscina.mjs", import.meta.url).href, minThreads: size, maxThreads: size });
  await Promise.all(Array.from({ length: size }, () => pool.run({ op: "tiny", n: 0 })));
  const t0 = now();
  const results = await Promise.all(Array.from({ length: N }, (_, i) => pool.run({ op: "job", seed: i + 1 })));
  const ms = now() - t0;
  await pool.destroy();
  if (N === JOBS) check(results.reduce((a, b) => (a + b) >>> 0, 0), CHECKSUM, "checksum of the jobs");
  report({ workload: "cpu-offload", runtime: "piscina", n: N, ms, workers: size });
});
