#!/usr/bin/env node
// Nightly leak check on the built package (dist/; run `npm run build` first):
//   node --expose-gc scripts/leak-check.mjs           1,000,000 cycles per workload
//   node --expose-gc scripts/leak-check.mjs --quick   100,000 cycles per workload (CI, < 30 s)
//   node --expose-gc scripts/leak-check.mjs --cycles 250000
//   node --expose-gc scripts/leak-check.mjs --quick --self-test   checks that a workload leaking
//                                                                 one small object per cycle FAILs
// Each workload runs its cycles in the root task of one long-lived loop on a virtual clock and
// samples, after a forced GC, the live JS heap, the wasm core's memory and the number of live tasks.
// After the first 20% of the cycles (warm-up: V8 still compiles and grows its caches) the heap must
// stay flat: it may not grow by more than 2 MB, nor trend upward by more than 8 bytes per cycle.
// The wasm memory may not grow at all, and the task table must keep recycling a handful of slots.
// Prints one table row per workload; exits 1 if any check fails. tests/leak/ is the CI-sized twin.
import v8 from 'node:v8';
import vm from 'node:vm';
import { EventLoop, createPool, withTimeout, skipAfter, sleep, checkpoint, TooSlowError } from '../dist/index.mjs';
import { MockClock } from '../dist/testing.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--cycles');
const CYCLES = at >= 0 ? Number(args[at + 1]) : args.includes('--quick') ? 100_000 : 1_000_000;
// Below ~50,000 cycles the JIT's warm-up noise is as large as what the trend check looks for.
if (!Number.isInteger(CYCLES) || CYCLES < 50_000) {
  console.error(`--cycles must be an integer ≥ 50000, got ${args[at + 1]}`);
  process.exit(2);
}
const SAMPLES = 10;
const WARM = Math.floor(CYCLES / 5);
const MAX_GROWTH = 2 * 1024 * 1024;   // bytes, from the end of the warm-up to the last sample
const MAX_SLOPE = 8;                  // bytes per cycle, Theil–Sen trend after the warm-up (an object per cycle is ≥ 16)
const SLOT_LIMIT = 2 ** 24;           // a task id's low bits are its core slot
const MB = 1024 * 1024;

const collect = typeof globalThis.gc === 'function'
  ? globalThis.gc
  : (v8.setFlagsFromString('--expose-gc'), vm.runInNewContext('gc'));

function liveHeap() {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

function* child(i) {
  yield* checkpoint();
  return i;
}

function* sleeper() {
  yield* sleep(Infinity);
}

/** One cycle of each workload, run in the root task; `pool` is a pool that lives for all cycles. */
const workloads = {
  'spawn/finish': function* (i, pool) {
    const task = pool.spawn(child, i);
    if ((yield* task.join()) !== i) throw new Error('join returned the wrong value');
  },
  'pool per cycle': function* (i) {
    yield* createPool(function* (inner) { inner.spawn(child, i); });
  },
  'spawn/cancel': function* (_i, pool) {
    const task = pool.spawn(sleeper);
    yield* checkpoint();   // the child parks in sleep(Infinity)
    task.cancel();
    yield* checkpoint();   // and ends, cancelled
    if (task.state !== 'cancelled') throw new Error(`the cancelled child is ${task.state}`);
  },
  timeouts: function* (i) {
    if (i % 2 === 0) {
      try {
        yield* withTimeout(1, function* (inner) { inner.spawn(sleeper); });
        throw new Error('withTimeout did not time out');
      } catch (error) {
        if (!(error instanceof TooSlowError)) throw error;
      }
    } else {
      yield* skipAfter(10, function* (inner) { inner.spawn(child, i); yield* sleep(1); });
    }
  },
};

/** Theil–Sen slope of y over x: the median of the pairwise slopes, so one noisy sample does not tilt it. */
function slope(points) {
  const slopes = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) slopes.push((points[j].y - points[i].y) / (points[j].x - points[i].x));
  }
  return median(slopes);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function runWorkload(name, cycle) {
  const loop = new EventLoop({ clock: new MockClock({ autojump: true }) });
  const raw = loop.kernel.core.raw;
  const samples = [];
  let maxSlot = 0;
  let maxLive = 0;
  const every = Math.floor((CYCLES - WARM) / (SAMPLES - 1));
  const started = performance.now();
  let timed = 0;
  let last = started;
  await loop.run(function* root() {
    yield* createPool(function* (pool) {
      for (let i = 1; i <= CYCLES; i++) {
        yield* cycle(i, pool);
        if (i % 1009 === 0) {
          maxSlot = Math.max(maxSlot, pool.spawn(function* () { /* ends at its first step */ }).id % SLOT_LIMIT);
          maxLive = Math.max(maxLive, raw.liveTasks());
        }
        if (i >= WARM && (i - WARM) % every === 0 && samples.length < SAMPLES) {
          timed += performance.now() - last;
          samples.push({ cycle: i, heap: liveHeap(), wasm: raw.memory.buffer.byteLength, live: raw.liveTasks() });
          last = performance.now();
        }
      }
    });
  });
  timed += performance.now() - last;
  const stats = loop.statistics();
  const first = samples[0];
  const final = samples[samples.length - 1];
  // Medians of the first and last three samples, so one noisy sample does not decide it.
  const growth = median(samples.slice(-3).map((s) => s.heap)) - median(samples.slice(0, 3).map((s) => s.heap));
  const trend = slope(samples.map((s) => ({ x: s.cycle, y: s.heap })));
  const failures = [];
  if (growth > MAX_GROWTH) failures.push(`heap grew ${(growth / MB).toFixed(2)} MB after the warm-up (limit ${MAX_GROWTH / MB} MB)`);
  if (trend > MAX_SLOPE) failures.push(`heap trends up by ${trend.toFixed(2)} bytes per cycle (limit ${MAX_SLOPE})`);
  if (final.wasm !== first.wasm) failures.push(`wasm memory grew from ${first.wasm} to ${final.wasm} bytes`);
  if (maxSlot >= 8) failures.push(`task slots are not recycled: slot ${maxSlot} was used`);
  if (maxLive > 3) failures.push(`${maxLive} tasks were alive between cycles`);
  if (stats.tasks.total !== 0 || raw.liveTasks() !== 0 || stats.timers !== 0 || stats.scopeTimers !== 0) {
    failures.push(`left behind: ${raw.liveTasks()} tasks, ${stats.timers} timers, ${stats.scopeTimers} scope timers`);
  }
  return {
    name,
    cycles: CYCLES,
    seconds: (performance.now() - started) / 1000,
    rate: Math.round(CYCLES / (timed / 1000)),
    heap: samples.map((s) => (s.heap / MB).toFixed(2)),
    growth,
    trend,
    wasm: final.wasm,
    maxSlot,
    failures,
  };
}

/** For --self-test: keeps one small object per cycle, as a leaking loop would. */
const kept = [];
if (args.includes('--self-test')) {
  for (const name of Object.keys(workloads)) delete workloads[name];
  workloads['leaky (self-test)'] = function* (i, pool) {
    kept.push({ i });
    yield* workloadsSelfTestChild(pool, i);
  };
}

function* workloadsSelfTestChild(pool, i) {
  yield* pool.spawn(child, i).join();
}

console.log(`giambio leak check: ${CYCLES.toLocaleString('en')} cycles per workload, heap sampled ${SAMPLES} times after ${WARM.toLocaleString('en')} cycles of warm-up (node ${process.version})`);
let failed = false;
for (const [name, cycle] of Object.entries(workloads)) {
  const r = await runWorkload(name, cycle);
  const status = r.failures.length === 0 ? 'ok' : 'FAIL';
  console.log(
    `${status.padEnd(4)} ${r.name.padEnd(15)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.rate.toLocaleString('en').padStart(9)} cycles/s  ` +
    `heap MB [${r.heap.join(' ')}]  growth ${(r.growth / 1024).toFixed(0)} KB  trend ${r.trend.toFixed(3)} B/cycle  ` +
    `wasm ${(r.wasm / 1024).toFixed(0)} KB  highest slot ${r.maxSlot}`,
  );
  for (const f of r.failures) console.log(`     ${f}`);
  failed ||= r.failures.length > 0;
}
if (args.includes('--self-test')) {
  console.log(failed ? 'self-test ok: the leaking workload was caught' : 'self-test FAILED: the leaking workload was not caught');
  process.exit(failed ? 0 : 1);
}
process.exit(failed ? 1 : 0);
