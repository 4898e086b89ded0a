// idle-memory × giambio: N tasks parked forever (sleep(Infinity)) in one pool. Heap and RSS bytes
// per task after a forced GC, against a GC'd baseline taken before the first spawn. Timed: first
// spawn → all N parked. Like the floor's, the parent holds the N task handles. Then the pool is
// cancelled so the script ends cleanly, and every task must have ended cancelled.
import { checkpoint, createPool, run, sleep } from "../../../dist/index.mjs";
import { check, gc, main, memory, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);

main("idle-memory/giambio", async () => {
  let started = 0;
  let finished = 0;
  function* idler() {
    started++;
    yield* sleep(Infinity);
  }
  let result;
  await run(function* () {
    gc();
    const base = memory();
    const t0 = now();
    const tasks = new Array(N);
    yield* createPool(function* (pool) {
      for (let i = 0; i < N; i++) tasks[i] = pool.spawn(idler);
      while (started < N) yield* checkpoint();
      const ms = now() - t0;
      gc();
      const after = memory();
      result = {
        ms,
        heapBytesPerTask: (after.heapUsed - base.heapUsed) / N,
        rssBytesPerTask: (after.rss - base.rss) / N,
      };
      pool.cancel();
    });
    for (let i = 0; i < N; i++) if (tasks[i].state === "cancelled") finished++;
  });
  check(started, N, "parked tasks");
  check(finished, N, "cancelled tasks");
  report({ workload: "idle-memory", runtime: "giambio", n: N, ...result });
});
