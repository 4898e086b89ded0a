// pingpong-pairs × native: PAIRS (500) pairs of async functions at once, each pair with its own two
// promise channels (as in pingpong/native.mjs), exchanging N / PAIRS request/reply messages
// (N = 100 000 round trips in all). Timed: first call → all settled (Promise.all).
import { check, intOption, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const PAIRS = intOption("pairs", 500);
const ROUNDS = Math.ceil(N / PAIRS);

/** Unbounded single-reader channel on Promises: the idiomatic native queue. */
class Channel {
  constructor() {
    this.buffer = [];
    this.reader = null;
  }
  send(value) {
    const reader = this.reader;
    if (reader !== null) {
      this.reader = null;
      reader(value);
    } else {
      this.buffer.push(value);
    }
  }
  recv() {
    if (this.buffer.length > 0) return Promise.resolve(this.buffer.shift());
    return new Promise((resolve) => {
      this.reader = resolve;
    });
  }
}

const counts = { served: 0, replies: 0 };

async function ponger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    const x = await pair.requests.recv();
    counts.served++;
    pair.responses.send(x + 1);
  }
}

async function pinger(pair) {
  for (let i = 0; i < ROUNDS; i++) {
    pair.requests.send(i);
    const y = await pair.responses.recv();
    if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
    counts.replies++;
  }
}

main("pingpong-pairs/native", async () => {
  const t0 = now();
  const tasks = [];
  for (let p = 0; p < PAIRS; p++) {
    const pair = { requests: new Channel(), responses: new Channel() };
    tasks.push(ponger(pair), pinger(pair));
  }
  await Promise.all(tasks);
  const ms = now() - t0;
  check(counts.served, PAIRS * ROUNDS, "requests served");
  check(counts.replies, PAIRS * ROUNDS, "replies received");
  report({ workload: "pingpong-pairs", runtime: "native", n: PAIRS * ROUNDS, ms, pairs: PAIRS });
});
