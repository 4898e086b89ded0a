// What every echo script shares besides its server: the workload's size and
// running the load generator (echo-client.mjs) as a child process. The
// server, written with the runtime under test, is the only thing that differs.

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { intOption } from "./common.mjs";

const CLIENT = fileURLToPath(new URL("./echo-client.mjs", import.meta.url));

/**
 * Connections and sequential round trips per connection: `--conns=` (500)
 * and `--rounds=` (200); `--n=` / `BENCH_N` sets the total round trips and
 * derives the rounds from it, keeping the 500 connections.
 */
export function echoSize() {
  const conns = intOption("conns", 500);
  let rounds = intOption("rounds", 200);
  const n = intOption("n", 0);
  if (n > 0) rounds = Math.max(1, Math.round(n / conns));
  return { conns, rounds, n: conns * rounds };
}

/**
 * Fork the load generator against 127.0.0.1:`port`; resolves with its report
 * `{ roundTrips, ms, ... }`, rejects if it fails or exits without reporting.
 */
export function runEchoClient(port, { conns, rounds }) {
  return new Promise((resolve, reject) => {
    const child = fork(CLIENT, [`--port=${port}`, `--conns=${conns}`, `--rounds=${rounds}`], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    child.on("message", (m) => {
      if (settled) return;
      settled = true;
      if (m && m.ok) resolve(m);
      else reject(new Error(`echo client failed: ${m && m.error}`));
    });
    child.on("error", (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    // 'close' comes after the IPC channel has closed, so a report sent
    // before exiting has been delivered by then.
    child.on("close", (code, signal) => {
      if (!settled) {
        settled = true;
        reject(new Error(`echo client exited (code ${code}, signal ${signal}) without a report`));
      }
    });
  });
}
