// spawn × floor: N children in one parent; each yields to the scheduler once
// and returns; the parent joins them all. Timed: first spawn → all joined.
import { check, main, now, report, sizeN } from "../../lib/common.mjs";
import { join, run, spawn } from "../../lib/floor.mjs";

const N = sizeN(100_000);

main("spawn/floor", () => {
  let finished = 0;
  function* child() {
    yield; // one checkpoint
    finished++;
  }
  let ms = 0;
  run(function* parent() {
    const t0 = now();
    const tasks = new Array(N);
    for (let i = 0; i < N; i++) tasks[i] = spawn(child);
    for (let i = 0; i < N; i++) yield* join(tasks[i]);
    ms = now() - t0;
  });
  check(finished, N, "finished children");
  report({ workload: "spawn", runtime: "floor", n: N, ms });
});
