// Shared helpers for every benchmark script: argument parsing, the fixed-seed
// PRNG for the timers workload, GC and memory/CPU measurement, and the one
// JSON line each script prints. Every runtime's script uses these same helpers,
// so differences in the numbers come from the runtime, not from the harness.

import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";

/** Hard limit for one script, in ms: the runner kills at 60 s too. */
export const WATCHDOG_MS = 60_000;

/**
 * Read an integer option: `--name=value` on argv wins over env `BENCH_NAME`,
 * which wins over `fallback`. `--n=` / `BENCH_N` is the workload size.
 */
export function intOption(name, fallback) {
  const flag = `--${name}=`;
  const arg = process.argv.find((a) => a.startsWith(flag));
  const raw = arg !== undefined ? arg.slice(flag.length) : process.env[`BENCH_${name.toUpperCase()}`];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`Expected \`${name}\` to be an integer ≥ 1, got \`${raw}\``);
  }
  return value;
}

/** The workload size N: `--n=` or env `BENCH_N`, else the WORKLOADS.md default. */
export function sizeN(defaultN) {
  return intOption("n", defaultN);
}

/** mulberry32: a tiny 32-bit PRNG; the same seed gives the same sequence in every runtime. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed of the timers workload's PRNG. */
export const TIMER_SEED = 42;
/** Largest sleep of the timers workload, in ms (smallest is 1). */
export const TIMER_MAX_MS = 200;

/**
 * The timers workload's N sleep durations: integers in 1..200 ms from
 * mulberry32(42), in spawn order. Identical for every runtime.
 */
export function timerDurations(n) {
  const rand = mulberry32(TIMER_SEED);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = 1 + Math.floor(rand() * TIMER_MAX_MS);
  return out;
}

/** Every SLEEP_AUDIT_EVERY-th sleeper of the timers workload is timed by `SleepAudit`. */
export const SLEEP_AUDIT_EVERY = 64;

/**
 * Checks that the timers workload's sleeps last what they ask, measured from the call, as `setTimeout`
 * (Node), trio and giambio define a sleep: every 64th sleeper notes the clock just before its sleep
 * (`begin(ms)`, which returns a ticket) and just after it (`end(ticket)`); `verify()` throws if one
 * woke more than 1 ms early (1 ms: libuv keeps whole milliseconds). A scheduler that dates a deadline
 * from the start of its batch instead of the sleep fails it. Every runtime's sleeper makes the same
 * two calls, so the cost (two clock reads per 64 sleepers) is the same for all.
 */
export class SleepAudit {
  constructor(n) {
    const samples = Math.ceil(n / SLEEP_AUDIT_EVERY);
    this.asked = new Float64Array(samples);
    this.began = new Float64Array(samples);
    this.ended = new Float64Array(samples).fill(NaN);
    this.calls = 0;
    this.taken = 0;
  }

  /** Before a sleep of `ms`: a ticket for `end` (-1 if this sleeper is not sampled). */
  begin(ms) {
    if (this.calls++ % SLEEP_AUDIT_EVERY !== 0) return -1;
    const i = this.taken++;
    this.asked[i] = ms;
    this.began[i] = performance.now();
    return i;
  }

  /** After the sleep whose `begin` returned `ticket`. */
  end(ticket) {
    if (ticket >= 0) this.ended[ticket] = performance.now();
  }

  /** Throws unless every sampled sleeper woke, none more than 1 ms before its duration. */
  verify() {
    for (let i = 0; i < this.taken; i++) {
      const slept = this.ended[i] - this.began[i];
      if (!(slept >= this.asked[i] - 1)) {
        throw new Error(
          `Assertion failed: sampled sleeper ${i} asked for ${this.asked[i]} ms and woke after ${slept.toFixed(2)} ms`);
      }
    }
  }
}

/** The largest of `values` (a loop: `Math.max(...values)` overflows the stack at a million). */
export function maxOf(values) {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

let gcFn = globalThis.gc;
/**
 * Force a full, synchronous GC. Uses `global.gc` (node --expose-gc); falls
 * back to enabling it at run time so a script also works under plain `node`.
 */
export function gc() {
  if (gcFn === undefined) {
    v8.setFlagsFromString("--expose-gc");
    gcFn = vm.runInNewContext("gc");
  }
  // Twice: the first pass can leave weak/finalizable objects for the second.
  gcFn();
  gcFn();
}

/** Heap used and RSS in bytes, right now (call `gc()` first for a settled number). */
export function memory() {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss };
}

/** Process CPU time (user + system) so far, in ms. */
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Monotonic clock in ms. */
/**
 * The timer of the timed regions: wall time, or with BENCH_CLOCK=cpu the process's CPU time (user +
 * system, every thread: GC helpers included). CPU time is much less sensitive to other load on a
 * shared machine, so it is the clock for A/B comparisons of CPU-bound workloads while the machine is
 * busy; the published table uses wall time.
 */
export const now = process.env.BENCH_CLOCK === "cpu" ? cpuMs : () => performance.now();

/** Throw unless `actual === expected`; `what` names the counter. */
export function check(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`Assertion failed: expected ${what} = ${expected}, got ${actual}`);
  }
}

/** Throw unless `cond`; `message` says what should have held. */
export function ensure(cond, message) {
  if (!cond) throw new Error(`Assertion failed: ${message}`);
}

/**
 * Kill the process if the script is still running after `ms`: every script is
 * bounded even when run by hand. Unref'd, so it never keeps the process alive.
 */
export function startWatchdog(label, ms = WATCHDOG_MS) {
  const t = setTimeout(() => {
    process.stderr.write(`${label}: watchdog fired after ${ms} ms\n`);
    process.exit(2);
  }, ms);
  t.unref();
  return t;
}

const round = (x, digits) => Number(x.toFixed(digits));

/**
 * Print the script's single JSON line. `ops` is the operation count used for
 * `opsPerSec` (defaults to `n`); `extra` fields (cpuMs, heapBytesPerTask, ...)
 * are appended as given.
 */
export function report({ workload, runtime, n, ms, ops = n, ...extra }) {
  const m = process.memoryUsage();
  const line = {
    workload,
    runtime,
    n,
    ms: round(ms, 3),
    opsPerSec: Math.round(ops / (ms / 1000)),
    heapUsedMB: round(m.heapUsed / 1048576, 2),
    rssMB: round(m.rss / 1048576, 2),
  };
  for (const [k, v] of Object.entries(extra)) line[k] = typeof v === "number" ? round(v, 3) : v;
  process.stdout.write(JSON.stringify(line) + "\n");
}

/**
 * Run `main` (an async function) as the script body: on error print it and
 * exit 1, so a failed assert is a failed run for the runner.
 */
export function main(label, fn) {
  startWatchdog(label);
  Promise.resolve()
    .then(fn)
    .then(
      () => {},
      (err) => {
        process.stderr.write(`${label}: ${err && err.stack ? err.stack : err}\n`);
        process.exit(1);
      },
    );
}
