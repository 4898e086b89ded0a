// pingpong-pairs × effect: PAIRS (500) pairs of forked fibers at once, each pair with its own two
// Queue.unbounded() queues (as in pingpong/effect.mjs), exchanging N / PAIRS request/reply messages
// (N = 100 000 round trips in all). Timed: first fork → every fiber joined.
import { Effect, Fiber, Queue } from "effect";
import { check, intOption, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(100_000);
const PAIRS = intOption("pairs", 500);
const ROUNDS = Math.ceil(N / PAIRS);

const counts = { served: 0, replies: 0 };

const ponger = (pair) =>
  Effect.gen(function* () {
    for (let i = 0; i < ROUNDS; i++) {
      const x = yield* Queue.take(pair.requests);
      counts.served++;
      yield* Queue.offer(pair.responses, x + 1);
    }
  });

const pinger = (pair) =>
  Effect.gen(function* () {
    for (let i = 0; i < ROUNDS; i++) {
      yield* Queue.offer(pair.requests, i);
      const y = yield* Queue.take(pair.responses);
      if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
      counts.replies++;
    }
  });

main("pingpong-pairs/effect", async () => {
  const ms = await Effect.runPromise(
    Effect.gen(function* () {
      const t0 = now();
      const fibers = [];
      for (let p = 0; p < PAIRS; p++) {
        const pair = { requests: yield* Queue.unbounded(), responses: yield* Queue.unbounded() };
        fibers.push(yield* Effect.forkChild(ponger(pair)), yield* Effect.forkChild(pinger(pair)));
      }
      yield* Fiber.joinAll(fibers);
      return now() - t0;
    }),
  );
  check(counts.served, PAIRS * ROUNDS, "requests served");
  check(counts.replies, PAIRS * ROUNDS, "replies received");
  report({ workload: "pingpong-pairs", runtime: "effect", n: PAIRS * ROUNDS, ms, pairs: PAIRS });
});
