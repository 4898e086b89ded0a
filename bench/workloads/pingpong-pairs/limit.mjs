// pingpong-pairs × limit: PAIRS (500) pairs at once, each a pinger and a ponger with their own two
// limit channels, exchanging N / PAIRS request/reply messages (N = 100 000 round trips in all).
// Timed: first spawn → every pair done.
import { check, intOption, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const PAIRS = intOption("pairs", 500);
const ROUNDS = Math.ceil(N / PAIRS);
import { Channel, run, spawn, WAIT_CHILDREN } from "../../lib/limit.mjs";

const counts = { served: 0, replies: 0 };

function* ponger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    const x = yield pair.requests.recvOp;
    counts.served++;
    pair.responses.send(x + 1);
  }
}

function* pinger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    pair.requests.send(i);
    const y = yield pair.responses.recvOp;
    if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
    counts.replies++;
  }
}

main("pingpong-pairs/limit", async () => {
  let ms = 0;
  await run(function* parent() {
    const t0 = now();
    for (let p = 0; p < PAIRS; p++) {
      const pair = { requests: new Channel(), responses: new Channel() };
      spawn(ponger, pair);
      spawn(pinger, pair);
    }
    yield WAIT_CHILDREN;
    ms = now() - t0;
  });
  check(counts.served, PAIRS * ROUNDS, "requests served");
  check(counts.replies, PAIRS * ROUNDS, "replies received");
  report({ workload: "pingpong-pairs", runtime: "limit", n: PAIRS * ROUNDS, ms, pairs: PAIRS });
});
