// pingpong-pairs × floor: PAIRS (500) pairs at once, each a pinger and a ponger with their own two
// floor channels, exchanging N / PAIRS request/reply messages (N = 100 000 round trips in all).
// Timed: first spawn → every pair joined.
import { check, intOption, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const PAIRS = intOption("pairs", 500);
const ROUNDS = Math.ceil(N / PAIRS);
import { Channel, join, run, spawn } from "../../lib/floor.mjs";

const counts = { served: 0, replies: 0 };

function* ponger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    const x = yield* pair.requests.recv();
    counts.served++;
    pair.responses.send(x + 1);
  }
}

function* pinger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    pair.requests.send(i);
    const y = yield* pair.responses.recv();
    if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
    counts.replies++;
  }
}

main("pingpong-pairs/floor", () => {
  let ms = 0;
  run(function* parent() {
    const t0 = now();
    const tasks = [];
    for (let p = 0; p < PAIRS; p++) {
      const pair = { requests: new Channel(), responses: new Channel() };
      tasks.push(spawn(ponger, pair), spawn(pinger, pair));
    }
    for (const t of tasks) yield* join(t);
    ms = now() - t0;
  });
  check(counts.served, PAIRS * ROUNDS, "requests served");
  check(counts.replies, PAIRS * ROUNDS, "replies received");
  report({ workload: "pingpong-pairs", runtime: "floor", n: PAIRS * ROUNDS, ms, pairs: PAIRS });
});
