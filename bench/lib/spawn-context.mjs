// spawn-context: the spawn workload with K task-local contexts set in the parent before it spawns
// (issue 12 §3: spawning must not get slower with the number of contexts: a spawn copies one
// reference, the values are copy-on-write). giambio.mjs sets none, giambio-ctx10.mjs sets 10; the children do the same work in both.
import { checkpoint, createContext, createPool, run } from "../../dist/index.mjs";
import { check, main, now, report, sizeN } from "./common.mjs";

export function spawnWithContexts(runtime, contexts) {
  const N = sizeN(100_000);
  main(`spawn-context/${runtime}`, async () => {
    const keys = Array.from({ length: contexts }, (_, i) => createContext(`C${i}`, 0));
    let finished = 0;
    function* child() {
      yield* checkpoint();
      finished++;
    }
    const ms = await run(function* parent() {
      keys.forEach((key, i) => key.set(i + 1));
      const t0 = now();
      yield* createPool(function* (pool) {
        for (let i = 0; i < N; i++) pool.spawn(child);
      });
      return now() - t0;
    });
    check(finished, N, "finished children");
    report({ workload: "spawn-context", runtime, n: N, ms });
  });
}
