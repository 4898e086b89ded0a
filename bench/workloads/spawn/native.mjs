// spawn × native: N async functions; each yields to the event loop once
// (setImmediate, Node's "let everything else run" turn) and returns; the
// parent awaits them all. Timed: first spawn → all joined.
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const yieldNow = () => new Promise((resolve) => setImmediate(resolve));

main("spawn/native", async () => {
  let finished = 0;
  async function child() {
    await yieldNow();
    finished++;
  }
  const t0 = now();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) tasks[i] = child();
  await Promise.all(tasks);
  const ms = now() - t0;
  check(finished, N, "finished children");
  report({ workload: "spawn", runtime: "native", n: N, ms });
});
