// idle-memory × limit: N tasks parked forever (each yields the shared PARK instruction once),
// held by the parent's task list like the floor's. Heap and RSS bytes per task after a forced GC,
// against a GC'd baseline taken before the first spawn. Timed: first spawn → all N parked. Then
// every task is woken and the parent waits for all, so the script ends cleanly.
import { check, gc, main, memory, now, report, sizeN } from "../../lib/common.mjs";
import { PARK, run, spawn, WAIT_CHILDREN, wake, YIELD } from "../../lib/limit.mjs";

const N = sizeN(100_000);
const counts = { started: 0, finished: 0 };

function* idler(c) {
  c.started++;
  yield PARK;
  c.finished++;
}

main("idle-memory/limit", async () => {
  let result;
  await run(function* parent() {
    gc();
    const base = memory();
    const t0 = now();
    const tasks = new Array(N);
    for (let i = 0; i < N; i++) tasks[i] = spawn(idler, counts);
    while (counts.started < N) yield YIELD;
    const ms = now() - t0;
    gc();
    const after = memory();
    check(counts.started, N, "parked tasks");
    result = {
      ms,
      heapBytesPerTask: (after.heapUsed - base.heapUsed) / N,
      rssBytesPerTask: (after.rss - base.rss) / N,
    };
    for (let i = 0; i < N; i++) wake(tasks[i]);
    yield WAIT_CHILDREN;
  });
  check(counts.finished, N, "woken tasks");
  report({ workload: "idle-memory", runtime: "limit", n: N, ...result });
});
