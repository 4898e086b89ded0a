// idle-memory × native: N async functions each suspended forever on a
// promise whose resolver the parent keeps (a wakeable idle task; a promise
// nobody can resolve would simply be garbage). Heap and RSS bytes per task
// after a forced GC, against a GC'd baseline taken before the first spawn.
// Timed: first spawn → all N suspended. Then every task is woken and awaited,
// so the script ends cleanly and the counts can be checked.
import { check, gc, main, memory, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const yieldNow = () => new Promise((resolve) => setImmediate(resolve));

main("idle-memory/native", async () => {
  let started = 0;
  let finished = 0;
  const wakers = new Array(N);
  async function idler(i) {
    started++;
    await new Promise((resolve) => {
      wakers[i] = resolve;
    });
    finished++;
  }
  await yieldNow();
  gc();
  const base = memory();
  const t0 = now();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) tasks[i] = idler(i);
  while (started < N) await yieldNow();
  const ms = now() - t0;
  gc();
  const after = memory();
  check(started, N, "suspended tasks");
  for (let i = 0; i < N; i++) wakers[i]();
  await Promise.all(tasks);
  check(finished, N, "woken tasks");
  report({
    workload: "idle-memory",
    runtime: "native",
    n: N,
    ms,
    heapBytesPerTask: (after.heapUsed - base.heapUsed) / N,
    rssBytesPerTask: (after.rss - base.rss) / N,
  });
});
