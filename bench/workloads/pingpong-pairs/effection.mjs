// pingpong-pairs × effection: PAIRS (500) pairs of spawned tasks at once, each pair with its own two
// createQueue() queues (as in pingpong/effection.mjs), exchanging N / PAIRS request/reply messages
// (N = 100 000 round trips in all). Timed: first spawn → every task joined.
import { createQueue, run, spawn } from "effection";
import { check, intOption, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const PAIRS = intOption("pairs", 500);
const ROUNDS = Math.ceil(N / PAIRS);

const counts = { served: 0, replies: 0 };

function* ponger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    const x = (yield* pair.requests.next()).value;
    counts.served++;
    pair.responses.add(x + 1);
  }
}

function* pinger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    pair.requests.add(i);
    const y = (yield* pair.responses.next()).value;
    if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
    counts.replies++;
  }
}

main("pingpong-pairs/effection", async () => {
  const ms = await run(function* () {
    const t0 = now();
    const tasks = [];
    for (let p = 0; p < PAIRS; p++) {
      const pair = { requests: createQueue(), responses: createQueue() };
      tasks.push(yield* spawn(() => ponger(pair)), yield* spawn(() => pinger(pair)));
    }
    for (const t of tasks) yield* t;
    return now() - t0;
  });
  check(counts.served, PAIRS * ROUNDS, "requests served");
  check(counts.replies, PAIRS * ROUNDS, "replies received");
  report({ workload: "pingpong-pairs", runtime: "effection", n: PAIRS * ROUNDS, ms, pairs: PAIRS });
});
