// spawn × effection: in one scope, spawn N children; each does `sleep(0)`
// (effection's only yield) and returns; the parent joins every task.
// Timed: first spawn → all joined.
import { run, scoped, sleep, spawn } from "effection";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);

main("spawn/effection", async () => {
  let finished = 0;
  function* child() {
    yield* sleep(0);
    finished++;
  }
  const ms = await run(() =>
    scoped(function* parent() {
      const t0 = now();
      const tasks = new Array(N);
      for (let i = 0; i < N; i++) tasks[i] = yield* spawn(child);
      for (let i = 0; i < N; i++) yield* tasks[i];
      return now() - t0;
    }),
  );
  check(finished, N, "finished children");
  report({ workload: "spawn", runtime: "effection", n: N, ms });
});
