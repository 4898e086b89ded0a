// spawn × giambio-hooks: the giambio script with a Debugger whose every hook is a no-op, to show
// what the hooks cost when set — and, by comparison with the plain giambio column, that a loop
// with no debugger pays nothing for them.
// spawn × giambio: in one pool, spawn N children; each does `checkpoint()` (one schedule point)
// and returns; the pool waits for all of them. Timed: first spawn → all joined (pool exit).
import { EventLoop, checkpoint, createPool } from "../../../dist/index.mjs";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const noop = () => {};
const NOOP_HOOKS = Object.fromEntries([
  "onStart", "onExit", "onTaskSpawn", "onTaskExit", "beforeTaskStep", "afterTaskStep", "beforeSleep",
  "afterSleep", "beforeIo", "afterIo", "beforeCancel", "afterCancel", "onExceptionRaised",
].map((hook) => [hook, noop]));

const N = sizeN(100_000);

main("spawn/giambio-hooks", async () => {
  let finished = 0;
  function* child() {
    yield* checkpoint();
    finished++;
  }
  const ms = await new EventLoop({ debugger: NOOP_HOOKS }).run(function* parent() {
    const t0 = now();
    yield* createPool(function* (pool) {
      for (let i = 0; i < N; i++) pool.spawn(child);
    });
    return now() - t0;
  });
  check(finished, N, "finished children");
  report({ workload: "spawn", runtime: "giambio-hooks", n: N, ms });
});
