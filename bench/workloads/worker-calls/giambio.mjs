// worker-calls × giambio: per-call overhead of giambio/worker. N tiny calls (n → n + 1, no work)
// from 64 tasks, 2 workers. Timed: first call → last result; usPerCall = ms × 1000 / N.
import { createPool } from "../../../dist/index.mjs";
import { withWorkers } from "../../../dist/worker-node.mjs";
import { giambioLoop, RUNTIME } from "../../lib/giambio.mjs";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(20_000);
const TASKS = 64;
const work = new URL("../../lib/cpu-worker-giambio.mjs", import.meta.url);

main(`worker-calls/${RUNTIME}`, async () => {
  let sum = 0;
  const ms = await giambioLoop().run(function* () {
    return yield* withWorkers(work, { size: 2 }, function* (workers) {
      yield* createPool(function* (pool) { for (let i = 0; i < 2; i++) pool.spawn(workers.call, "tiny", 0); });
      const t0 = now();
      yield* createPool(function* (pool) {
        for (let t = 0; t < TASKS; t++) {
          pool.spawn(function* () {
            for (let i = t; i < N; i += TASKS) { const r = yield* workers.call("tiny", i); sum += r; }
          });
        }
      });
      return now() - t0;
    });
  });
  check(sum, (N * (N + 1)) / 2, "sum of the results");
  report({ workload: "worker-calls", runtime: RUNTIME, n: N, ms, usPerCall: (ms * 1000) / N });
});
