#!/usr/bin/env node
// Benchmark runner: finds every bench/workloads/<workload>/<runtime>.mjs, runs
// each as its own `node --expose-gc` process several times, interleaved by
// round (every runtime of a workload once, then the next round) so that
// machine noise spreads over all runtimes alike, and prints the medians as
// one markdown table with each runtime's ratio to giambio. A runtime is just
// a file name: dropping `giambio.mjs` next to the others adds its column.
//
// Usage: node bench/run.mjs [--quick | --long] [--runs=5] [--only=spawn,pingpong]
//                           [--runtimes=giambio,floor] [--timeout=60000]
//   --quick     3 runs at N/10 (echo: 500 connections × 20 rounds), ~1 min.
//   --long      10× N (echo keeps its size) to show steady state after warm-up; by default only
//               giambio, limit, floor and native (effection and effect would pass the 60 s cap).
//   --only      workloads to run (default: all found).
//   --runtimes  runtimes to run (default: all found).
// Writes every raw run and the medians to bench/results/latest.json; the
// table goes to stdout, progress to stderr.

import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const WORKLOADS_DIR = path.join(BENCH_DIR, "workloads");
const RESULTS_FILE = path.join(BENCH_DIR, "results", "latest.json");

/** Display order; anything else found on disk follows alphabetically. */
const WORKLOAD_ORDER = ["spawn", "pingpong", "pingpong-pairs", "timers", "cancel", "idle-memory", "echo", "cpu-offload", "worker-calls"];
const RUNTIME_ORDER = ["giambio", "giambio-hooks", "limit", "floor", "native", "effection", "effect", "in-loop", "piscina"];
/** Ratios are to the first of these that has results for the workload. */
const REFERENCES = ["giambio", "floor", "native"];

/** N for --quick: a tenth of each workload's default (WORKLOADS.md). */
const QUICK_N = {
  spawn: 10_000,
  pingpong: 20_000,
  "pingpong-pairs": 10_000, // 500 pairs × 20 round trips
  timers: 10_000,
  cancel: 10_000,
  "idle-memory": 10_000,
  echo: 10_000, // 500 connections × 20 rounds
  "cpu-offload": 16, // jobs (the checksum is checked at the full 64)
  "worker-calls": 2_000,
};

/** N for --long: ten times each workload's default (echo is left at its default size). */
const LONG_N = {
  spawn: 1_000_000,
  pingpong: 2_000_000,
  "pingpong-pairs": 1_000_000, // 500 pairs × 2 000 round trips
  timers: 1_000_000,
  cancel: 1_000_000,
  "idle-memory": 1_000_000,
};
/** Runtimes --long runs unless --runtimes says otherwise. */
const LONG_RUNTIMES = ["giambio", "limit", "floor", "native"];

/** The runtime giambio's own ratio is taken to, in its own column. */
const LIMIT = "limit";

function parseArgs(argv) {
  const opts = { quick: false, long: false, runs: null, only: null, runtimes: null, timeout: 60_000 };
  for (const arg of argv) {
    const [key, value] = arg.startsWith("--") ? arg.slice(2).split(/=(.*)/s) : [arg, undefined];
    const list = () => value.split(",").map((s) => s.trim()).filter(Boolean);
    const int = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new TypeError(`Expected \`--${key}\` to be an integer ≥ 1, got \`${value}\``);
      return n;
    };
    if (key === "quick" && value === undefined) opts.quick = true;
    else if (key === "long" && value === undefined) opts.long = true;
    else if (key === "runs" && value) opts.runs = int();
    else if (key === "only" && value) opts.only = list();
    else if (key === "runtimes" && value) opts.runtimes = list();
    else if (key === "timeout" && value) opts.timeout = int();
    else throw new TypeError(`Unknown argument \`${arg}\`; see the usage at the top of bench/run.mjs`);
  }
  if (opts.quick && opts.long) throw new TypeError("`--quick` and `--long` exclude each other");
  if (opts.long) opts.runtimes ??= LONG_RUNTIMES;
  opts.runs ??= opts.quick ? 3 : 5;
  return opts;
}

function byOrder(order) {
  return (a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/** { workload: [runtime, ...] } from the files present, filtered by the options. */
function discover(opts) {
  const plan = {};
  const workloads = readdirSync(WORKLOADS_DIR)
    .filter((w) => statSync(path.join(WORKLOADS_DIR, w)).isDirectory())
    .sort(byOrder(WORKLOAD_ORDER));
  for (const w of workloads) {
    if (opts.only && !opts.only.includes(w)) continue;
    const runtimes = readdirSync(path.join(WORKLOADS_DIR, w))
      .filter((f) => f.endsWith(".mjs"))
      .map((f) => f.slice(0, -4))
      .filter((r) => !opts.runtimes || opts.runtimes.includes(r))
      .sort(byOrder(RUNTIME_ORDER));
    if (runtimes.length > 0) plan[w] = runtimes;
  }
  for (const w of opts.only ?? []) {
    if (!plan[w]) process.stderr.write(`warning: no scripts for workload \`${w}\`\n`);
  }
  return plan;
}

/**
 * Run one script in its own process group (so an echo client it forked dies
 * with it on timeout). Resolves `{ ok: true, result }` with the JSON line it
 * printed, or `{ ok: false, reason }`.
 */
function runScript(workload, runtime, opts) {
  const script = path.join(WORKLOADS_DIR, workload, `${runtime}.mjs`);
  const args = ["--expose-gc", script];
  if (opts.quick && QUICK_N[workload]) args.push(`--n=${QUICK_N[workload]}`);
  if (opts.long && LONG_N[workload]) args.push(`--n=${LONG_N[workload]}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, opts.timeout);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ ok: false, reason: `timeout after ${opts.timeout / 1000} s` });
      const line = stdout
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.startsWith("{"));
      let result = null;
      try {
        result = line ? JSON.parse(line) : null;
      } catch {
        result = null;
      }
      if (code !== 0 || result === null) {
        const why = stderr.trim().split("\n").find((l) => /Error:|failed|Assertion/.test(l)) ?? stderr.trim().split("\n").pop() ?? "";
        return resolve({ ok: false, reason: `exit ${signal ?? code}${result ? "" : ", no JSON line"}: ${why.slice(0, 200)}` });
      }
      resolve({ ok: true, result });
    });
  });
}

function median(xs) {
  const s = xs.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median of every numeric field over the successful runs. */
function medians(results) {
  const keys = new Set(results.flatMap((r) => Object.keys(r)));
  const out = {};
  for (const k of keys) {
    const m = median(results.map((r) => r[k]));
    if (m !== undefined) out[k] = m;
  }
  return out;
}

/** The number a workload's ratio compares (lower is better for every one). */
function primary(workload, m) {
  if (workload === "idle-memory") return m.heapBytesPerTask;
  return m.ms;
}

const fmtInt = (x) => Math.round(x).toLocaleString("en-US");
const fmtMs = (x) => (x >= 100 ? fmtInt(x) : x.toFixed(1)) + " ms";
const fmtRate = (x) => (x >= 1e6 ? (x / 1e6).toFixed(2) + "M" : x >= 1e3 ? (x / 1e3).toFixed(1) + "k" : fmtInt(x));
const fmtRatio = (x) => (x === undefined || !Number.isFinite(x) ? "" : "×" + (x >= 10 ? x.toFixed(1) : x.toFixed(2)));

/** One table cell: the workload's numbers and the ratio(s) to the reference. */
function cell(workload, m, ref) {
  const r = (a, b) => (ref && a !== undefined && b ? a / b : undefined);
  switch (workload) {
    case "timers": {
      const wall = `${fmtMs(m.ms)} wall · ${fmtMs(m.cpuMs)} cpu`;
      const ratios = ref ? ` (${fmtRatio(r(m.ms, ref.ms))} wall, ${fmtRatio(r(m.cpuMs, ref.cpuMs))} cpu)` : "";
      return wall + ratios;
    }
    case "idle-memory":
      return (
        `${fmtInt(m.heapBytesPerTask)} B heap · ${fmtInt(m.rssBytesPerTask)} B rss /task` +
        (ref ? ` (${fmtRatio(r(m.heapBytesPerTask, ref.heapBytesPerTask))} heap)` : "")
      );
    case "worker-calls":
      return `${fmtMs(m.ms)} · ${m.usPerCall.toFixed(1)} µs/call` + (ref ? ` (${fmtRatio(r(m.ms, ref.ms))})` : "");
    case "pingpong":
    case "pingpong-pairs":
    case "echo":
      return `${fmtMs(m.ms)} · ${fmtRate(m.opsPerSec)} rt/s` + (ref ? ` (${fmtRatio(r(m.ms, ref.ms))})` : "");
    default:
      return fmtMs(m.ms) + (ref ? ` (${fmtRatio(r(primary(workload, m), primary(workload, ref)))})` : "");
  }
}

/** giambio's ratio to the limit for one workload ("" when either has no result). */
function limitRatio(workload, w) {
  const g = w.runtimes.giambio;
  const l = w.runtimes[LIMIT];
  if (!g || !l || g.runs.length === 0 || l.runs.length === 0) return "";
  const a = g.median;
  const b = l.median;
  if (workload === "timers") return `${fmtRatio(a.ms / b.ms)} wall · ${fmtRatio(a.cpuMs / b.cpuMs)} cpu`;
  return fmtRatio(primary(workload, a) / primary(workload, b));
}

function table(summary, opts) {
  const runtimes = [...new Set(Object.values(summary).flatMap((w) => Object.keys(w.runtimes)))].sort(
    byOrder(RUNTIME_ORDER),
  );
  const lines = [];
  lines.push(`| workload | N | giambio ÷ ${LIMIT} | ${runtimes.join(" | ")} |`);
  lines.push(`|---|---|---|${runtimes.map(() => "---").join("|")}|`);
  for (const [workload, w] of Object.entries(summary)) {
    const ref = w.reference ? w.runtimes[w.reference].median : null;
    const cells = runtimes.map((rt) => {
      const entry = w.runtimes[rt];
      if (!entry) return "—";
      if (entry.runs.length === 0) return `FAILED (${entry.failures[0]})`;
      const failed = entry.failures.length ? ` [${entry.failures.length} failed]` : "";
      return cell(workload, entry.median, rt === w.reference ? null : ref) + (rt === w.reference ? " (ref)" : "") + failed;
    });
    const n = Object.values(w.runtimes).find((e) => e.median.n)?.median.n;
    lines.push(`| ${workload} | ${n ? fmtInt(n) : "?"} | ${limitRatio(workload, w)} | ${cells.join(" | ")} |`);
  }
  const refs = [...new Set(Object.values(summary).map((w) => w.reference).filter(Boolean))];
  return [
    `Medians of ${opts.runs} runs${opts.quick ? " (--quick: N/10)" : opts.long ? " (--long: 10× N)" : ""}, ` +
      `node ${process.version}, ${new Date().toISOString()}. Ratio = runtime / ${refs.join(" or ") || "reference"} ` +
      `(ms; heap bytes/task for idle-memory): above 1 is slower or larger than the reference. ` +
      `"giambio ÷ ${LIMIT}" is giambio's ratio to the limit (the targets are ratios to it).`,
    "",
    ...lines,
  ].join("\n");
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const plan = discover(opts);
  if (Object.keys(plan).length === 0) throw new Error("No benchmark scripts matched the filters");
  const summary = {};
  for (const [workload, runtimes] of Object.entries(plan)) {
    const entries = Object.fromEntries(runtimes.map((rt) => [rt, { runs: [], failures: [], median: {} }]));
    for (let round = 0; round < opts.runs; round++) {
      // Rotate the order each round so no runtime always runs first.
      const order = runtimes.map((_, i) => runtimes[(i + round) % runtimes.length]);
      for (const rt of order) {
        process.stderr.write(`[${workload} ${round + 1}/${opts.runs}] ${rt} ... `);
        const out = await runScript(workload, rt, opts);
        if (out.ok) {
          entries[rt].runs.push(out.result);
          process.stderr.write(`${out.result.ms.toFixed(1)} ms\n`);
        } else {
          entries[rt].failures.push(out.reason);
          process.stderr.write(`FAILED: ${out.reason}\n`);
        }
      }
    }
    for (const e of Object.values(entries)) e.median = medians(e.runs);
    const reference = REFERENCES.find((r) => entries[r] && entries[r].runs.length > 0) ?? null;
    summary[workload] = { reference, runtimes: entries };
  }
  const markdown = table(summary, opts);
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(
    RESULTS_FILE,
    JSON.stringify(
      { date: new Date().toISOString(), node: process.version, quick: opts.quick, long: opts.long, runs: opts.runs, workloads: summary, markdown },
      null,
      2,
    ) + "\n",
  );
  process.stdout.write(markdown + "\n");
  process.stderr.write(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
  const anyFailed = Object.values(summary).some((w) => Object.values(w.runtimes).some((e) => e.failures.length > 0));
  process.exitCode = anyFailed ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(2);
});
