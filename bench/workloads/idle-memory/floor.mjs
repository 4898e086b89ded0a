// idle-memory × floor: N tasks parked forever (each a generator that parks
// once), held by the parent's task list. Heap and RSS bytes per task after a
// forced GC, against a GC'd baseline taken before the first spawn. Timed:
// first spawn → all N parked. Then every task is woken and joined, so the
// script ends cleanly and the counts can be checked.
import { check, gc, main, memory, now, report, sizeN } from "../../lib/common.mjs";
import { join, PARK, run, spawn, wake } from "../../lib/floor.mjs";

const N = sizeN(100_000);

main("idle-memory/floor", () => {
  let started = 0;
  let finished = 0;
  function* idler() {
    started++;
    yield PARK;
    finished++;
  }
  let result;
  run(function* parent() {
    gc();
    const base = memory();
    const t0 = now();
    const tasks = new Array(N);
    for (let i = 0; i < N; i++) tasks[i] = spawn(idler);
    while (started < N) yield;
    const ms = now() - t0;
    gc();
    const after = memory();
    check(started, N, "parked tasks");
    result = {
      ms,
      heapBytesPerTask: (after.heapUsed - base.heapUsed) / N,
      rssBytesPerTask: (after.rss - base.rss) / N,
    };
    for (let i = 0; i < N; i++) wake(tasks[i]);
    for (let i = 0; i < N; i++) yield* join(tasks[i]);
  });
  check(finished, N, "woken tasks");
  report({ workload: "idle-memory", runtime: "floor", n: N, ...result });
});
