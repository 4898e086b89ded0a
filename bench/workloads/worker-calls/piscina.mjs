// worker-calls × piscina: the same N tiny calls, at most 64 in flight (like giambio's 64 tasks),
// 2 threads. Timed: first call → last result.
import { Piscina } from "piscina";
import { check, main, now, report, sizeN } from "../../lib/common.mjs";

const N = sizeN(20_000);
const IN_FLIGHT = 64;

main("worker-calls/piscina", async () => {
  const pool = new Piscina({ filename: new URL("../../lib/cpu-worker-piscina.mjs", import.meta.url).href, minThreads: 2, maxThreads: 2 });
  await Promise.all([pool.run({ op: "tiny", n: 0 }), pool.run({ op: "tiny", n: 0 })]);
  let sum = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async (_, t) => {
    for (let i = t; i < N; i += IN_FLIGHT) { const r = await pool.run({ op: "tiny", n: i }); sum += r; }
  }));
  const ms = now() - t0;
  await pool.destroy();
  check(sum, (N * (N + 1)) / 2, "sum of the results");
  report({ workload: "worker-calls", runtime: "piscina", n: N, ms, usPerCall: (ms * 1000) / N });
});
