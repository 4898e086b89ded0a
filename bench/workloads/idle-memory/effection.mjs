// idle-memory × effection: one task owns N children each in `suspend()`.
// Heap and RSS bytes per task after a forced GC, against a GC'd baseline
// taken before the first spawn. Timed: first spawn → all N suspended. Then
// the owner is halted, so the script ends cleanly and the counts can be
// checked.
import { run, sleep, spawn, suspend } from "effection";
import { check, gc, main, memory, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);

main("idle-memory/effection", async () => {
  let started = 0;
  let cleaned = 0;
  function* idler() {
    started++;
    try {
      yield* suspend();
    } finally {
      cleaned++;
    }
  }
  const result = await run(function* () {
    yield* sleep(0);
    gc();
    const base = memory();
    const t0 = now();
    const group = yield* spawn(function* () {
      for (let i = 0; i < N; i++) yield* spawn(idler);
      yield* suspend();
    });
    while (started < N) yield* sleep(0);
    const ms = now() - t0;
    gc();
    const after = memory();
    check(started, N, "suspended tasks");
    yield* group.halt();
    return {
      ms,
      heapBytesPerTask: (after.heapUsed - base.heapUsed) / N,
      rssBytesPerTask: (after.rss - base.rss) / N,
    };
  });
  check(cleaned, N, "halted tasks");
  report({ workload: "idle-memory", runtime: "effection", n: N, ...result });
});
