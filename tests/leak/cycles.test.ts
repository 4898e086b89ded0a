/**
 * Leak tests, CI size: 100,000 tasks spawned and finished, 100,000 spawned and cancelled, 100,000
 * timeouts, each on one long-lived loop. After a forced GC the live heap may not grow by more than
 * 2 MB between cycle 20,000 and cycle 100,000, the wasm memory may not grow at all, and the task
 * table must recycle its slots (a handful in use, whatever the cycle). scripts/leak-check.mjs runs
 * the same workloads at 1,000,000 cycles (nightly).
 */
import { describe, expect, it } from 'vitest';
import { EventLoop, type LoopStatistics } from '../../src/loop.js';
import { MockClock } from '../../src/testing.js';
import { checkpoint, sleep } from '../../src/operations.js';
import { createPool, skipAfter, withTimeout, type TaskPool } from '../../src/pool.js';
import { TooSlowError } from '../../src/errors.js';
import { SLOT_LIMIT } from '../../src/core-constants.js';
import type { Operation, Task } from '../../src/task.js';
import { expectCoreEmpty } from '../helpers.js';
import { MB, liveHeap } from './gc.js';

const CYCLES = 100_000;
const WARM = 20_000;
/** Allowed growth of the live heap between cycle WARM and cycle CYCLES. */
const MAX_GROWTH = 2 * MB;

interface Probe {
  cycle: number;
  heap: number;
  wasm: number;
  stats: LoopStatistics;
  coreLive: number;
}

/** Runs `cycle(i)` CYCLES times in the root of a fresh loop; probes the heap and the core along the way. */
async function runCycles(cycle: (i: number, pool: TaskPool) => Operation<void>): Promise<{ probes: Probe[]; maxSlot: number; loop: EventLoop }> {
  const loop = new EventLoop({ clock: new MockClock({ autojump: true }) });
  const raw = loop.kernel.core.raw;
  const memory = raw.memory as WebAssembly.Memory;
  const probes: Probe[] = [];
  let maxSlot = 0;
  const probe = (i: number): void => {
    probes.push({ cycle: i, heap: liveHeap(), wasm: memory.buffer.byteLength, stats: loop.statistics(), coreLive: raw.liveTasks() });
  };
  await loop.run(function* root() {
    yield* createPool(function* (pool) {
      for (let i = 1; i <= CYCLES; i++) {
        yield* cycle(i, pool);
        if (i % 997 === 0) maxSlot = Math.max(maxSlot, slotOfLatest(pool));
        if (i === WARM || i === CYCLES / 2 || i === CYCLES) probe(i);
      }
    });
  });
  return { probes, maxSlot, loop };
}

/** The core slot of a task spawned now (the low bits of its id). */
function slotOfLatest(pool: TaskPool): number {
  const probeTask: Task = pool.spawn(function* () { /* ends at its first step */ });
  return probeTask.id % SLOT_LIMIT;
}

function report(name: string, probes: Probe[]): string {
  return `${name}: ` + probes.map((p) => `cycle ${p.cycle}: heap ${(p.heap / MB).toFixed(2)} MB, wasm ${(p.wasm / MB).toFixed(2)} MB, live tasks ${p.coreLive}`).join('; ');
}

function expectFlat(name: string, { probes, maxSlot, loop }: { probes: Probe[]; maxSlot: number; loop: EventLoop }): void {
  const first = probes[0]!;
  const last = probes[probes.length - 1]!;
  console.log(`${report(name, probes)}; growth ${((last.heap - first.heap) / 1024).toFixed(0)} KB; highest slot ${maxSlot}`);
  expect(last.heap - first.heap, `${name}: live heap growth from cycle ${first.cycle} to ${last.cycle}`).toBeLessThan(MAX_GROWTH);
  expect(last.wasm, `${name}: wasm memory`).toBe(first.wasm);
  for (const p of probes) {
    // Between cycles only the root (parked in nothing: it is running) and at most a finishing child are alive.
    expect(p.coreLive, `${name}: core live tasks at cycle ${p.cycle}`).toBeLessThanOrEqual(3);
    expect(p.stats.tasks.total, `${name}: live tasks at cycle ${p.cycle}`).toBeLessThanOrEqual(3);
    expect(p.stats.scopeTimers, `${name}: scope timers at cycle ${p.cycle}`).toBeLessThanOrEqual(1);
  }
  // Slots are recycled: 100,000 tasks went through a handful of slots.
  expect(maxSlot, `${name}: highest task slot used`).toBeLessThan(8);
  expectCoreEmpty(loop);
}

function* child(i: number): Operation<number> {
  yield* checkpoint();
  return i;
}

function* sleeper(): Operation<void> {
  yield* sleep(Infinity);
}

describe('leaks over 100,000 cycles', () => {
  it('spawn and finish: a child per cycle, joined, in a long-lived pool', async () => {
    expectFlat('spawn/finish', await runCycles(function* (i, pool) {
      const task = pool.spawn(child, i);
      expect(yield* task.join()).toBe(i);
    }));
  }, 60_000);

  it('spawn and finish: a short-lived pool per cycle', async () => {
    expectFlat('pool per cycle', await runCycles(function* (i) {
      yield* createPool(function* (inner) { inner.spawn(child, i); });
    }));
  }, 60_000);

  it('spawn and cancel: a parked child per cycle, cancelled', async () => {
    expectFlat('spawn/cancel', await runCycles(function* (_i, pool) {
      const task = pool.spawn(sleeper);
      yield* checkpoint(); // the child parks in sleep(Infinity)
      task.cancel();
      yield* checkpoint(); // it ends with CancelledError
      if (!task.done) throw new Error('the cancelled child did not end');
    }));
  }, 60_000);

  it('timeouts: withTimeout that expires and skipAfter that does not, with a child each', async () => {
    expectFlat('timeouts', await runCycles(function* (i) {
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
    }));
  }, 60_000);
});
