// spawn × limit: N children of one parent, each a module-level generator function called with an
// argument; each yields the shared YIELD instruction once and returns; the parent waits for all
// (WAIT_CHILDREN). Timed: first spawn → all returned.
import { check, main, now, report, sizeN } from "../../lib/common.mjs";
import { run, spawn, WAIT_CHILDREN, YIELD } from "../../lib/limit.mjs";

const N = sizeN(100_000);
const counter = { finished: 0 };

function* child(counts) {
  yield YIELD; // one checkpoint
  counts.finished++;
}

function* parent(out) {
  const t0 = now();
  for (let i = 0; i < N; i++) spawn(child, counter);
  yield WAIT_CHILDREN;
  out.ms = now() - t0;
}

main("spawn/limit", async () => {
  const out = { ms: 0 };
  await run(parent, out);
  check(counter.finished, N, "finished children");
  report({ workload: "spawn", runtime: "limit", n: N, ms: out.ms });
});
