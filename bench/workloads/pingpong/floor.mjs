// pingpong × floor: a pinger and a ponger exchange N request/reply messages
// over two floor channels; the pinger sends i, waits for the reply (i + 1)
// before sending the next. Timed: first send → last reply received.
import { check, main, now, report, sizeN } from "../../lib/common.mjs";
import { Channel, join, run, spawn } from "../../lib/floor.mjs";

const N = sizeN(200_000);

main("pingpong/floor", () => {
  let replies = 0;
  let served = 0;
  let ms = 0;
  run(function* parent() {
    const requests = new Channel();
    const responses = new Channel();
    const ponger = spawn(function* () {
      for (let i = 0; i < N; i++) {
        const x = yield* requests.recv();
        served++;
        responses.send(x + 1);
      }
    });
    const pinger = spawn(function* () {
      const t0 = now();
      for (let i = 0; i < N; i++) {
        requests.send(i);
        const y = yield* responses.recv();
        if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
        replies++;
      }
      ms = now() - t0;
    });
    yield* join(ponger);
    yield* join(pinger);
  });
  check(served, N, "requests served");
  check(replies, N, "replies received");
  report({ workload: "pingpong", runtime: "floor", n: N, ms });
});
