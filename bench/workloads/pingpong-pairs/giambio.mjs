// pingpong-pairs × giambio: PAIRS (500) pairs at once in one pool, each a pinger and a ponger with
// their own two unbounded queues (putNowait + get, as in pingpong), exchanging N / PAIRS
// request/reply messages (N = 100 000 round trips in all). Timed: first spawn → pool exit.
import { createPool, Queue } from "../../../dist/index.mjs";
import { giambioLoop, RUNTIME } from "../../lib/giambio.mjs";
import { check, intOption, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const PAIRS = intOption("pairs", 500);
const ROUNDS = Math.ceil(N / PAIRS);

const counts = { served: 0, replies: 0 };

function* ponger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    const x = yield* pair.requests.get();
    counts.served++;
    pair.responses.putNowait(x + 1);
  }
}

function* pinger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    pair.requests.putNowait(i);
    const y = yield* pair.responses.get();
    if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
    counts.replies++;
  }
}

main(`pingpong-pairs/${RUNTIME}`, async () => {
  const ms = await giambioLoop().run(function* () {
    const t0 = now();
    yield* createPool(function* (pool) {
      for (let p = 0; p < PAIRS; p++) {
        const pair = { requests: new Queue(), responses: new Queue() };
        pool.spawn(ponger, pair);
        pool.spawn(pinger, pair);
      }
    });
    return now() - t0;
  });
  check(counts.served, PAIRS * ROUNDS, "requests served");
  check(counts.replies, PAIRS * ROUNDS, "replies received");
  report({ workload: "pingpong-pairs", runtime: RUNTIME, n: PAIRS * ROUNDS, ms, pairs: PAIRS });
});
