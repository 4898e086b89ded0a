// pingpong × native: two async functions exchange N request/reply messages
// over two minimal promise channels (a parked reader is a pending promise;
// send resolves it, else buffers). The pinger sends i and awaits the reply
// (i + 1) before sending the next. Timed: first send → last reply received.
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(200_000);

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

main("pingpong/native", async () => {
  let replies = 0;
  let served = 0;
  const requests = new Channel();
  const responses = new Channel();
  async function ponger() {
    for (let i = 0; i < N; i++) {
      const x = await requests.recv();
      served++;
      responses.send(x + 1);
    }
  }
  async function pinger() {
    const t0 = now();
    for (let i = 0; i < N; i++) {
      requests.send(i);
      const y = await responses.recv();
      if (y !== i + 1) throw new Error(`bad reply ${y} to ${i}`);
      replies++;
    }
    return now() - t0;
  }
  const [, ms] = await Promise.all([ponger(), pinger()]);
  check(served, N, "requests served");
  check(replies, N, "replies received");
  report({ workload: "pingpong", runtime: "native", n: N, ms });
});
