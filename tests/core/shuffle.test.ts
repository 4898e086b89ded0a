// readySeed / readyShuffle: a seeded Fisher–Yates shuffle (xorshift32) of the READY tasks in place,
// used to shake out code that depends on FIFO order. It must be a permutation of the same tasks,
// deterministic for a seed, and leave the queue working as a FIFO afterwards.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Core } from '../../src/core.js';
import { STATE_READY, STATE_RUNNING, slotOfHandle } from '../../src/core-constants.js';
import { BUILDS, drain } from './helpers.js';

const DEFAULT_SEED = 0x9e3779b9;

/** The documented algorithm, in TS: Fisher–Yates from the back, j = xorshift32() % (i + 1). */
class ModelShuffler {
  private state = DEFAULT_SEED;

  seed(seed: number): void {
    this.state = seed >>> 0 === 0 ? DEFAULT_SEED : seed >>> 0;
  }

  shuffle(order: number[]): number[] {
    const out = [...order];
    for (let i = out.length - 1; i > 0; i--) {
      let x = this.state;
      x = (x ^ (x << 13)) >>> 0;
      x = (x ^ (x >>> 17)) >>> 0;
      x = (x ^ (x << 5)) >>> 0;
      this.state = x;
      const j = x % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

function modelShuffle(order: number[], seed: number): number[] {
  const model = new ModelShuffler();
  model.seed(seed);
  return model.shuffle(order);
}

/** Spawns `count` tasks after `offset` others were taken off the front (so the queue's head moved). */
function queueOf(core: Core, count: number, offset = 0): number[] {
  for (let i = 0; i < offset; i++) core.taskSpawn();
  for (let i = 0; i < offset; i++) core.runNext();
  return Array.from({ length: count }, () => slotOfHandle(core.taskSpawn()));
}

describe.each(BUILDS)('the ready-queue shuffle ($build build)', ({ make }) => {
  it('shuffling reorders the READY tasks without adding, losing or duplicating any', () => {
    const core = make();
    const slots = queueOf(core, 50);
    core.readyShuffle();
    expect(core.readyCount()).toBe(50);
    const order = drain(core);
    expect(order).not.toEqual(slots);
    expect([...order].sort((a, b) => a - b)).toEqual(slots);
  });

  it('the shuffle follows Fisher–Yates with xorshift32 for any seed, also after tasks left the front', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 255 }),
        (seed, count, offset) => {
          const core = make();
          core.readySeed(seed);
          const slots = queueOf(core, count, offset);
          core.readyShuffle();
          expect(drain(core)).toEqual(modelShuffle(slots, seed));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the same seed gives the same order on two cores', () => {
    const [a, b] = [make(), make()];
    a.readySeed(12345);
    b.readySeed(12345);
    queueOf(a, 30);
    queueOf(b, 30);
    a.readyShuffle();
    b.readyShuffle();
    expect(drain(b)).toEqual(drain(a));
  });

  it('the PRNG state carries over from one shuffle to the next instead of restarting at the seed', () => {
    const core = make();
    core.readySeed(12345);
    const slots = queueOf(core, 30);
    core.readyShuffle();
    core.readyShuffle();
    const model = new ModelShuffler();
    model.seed(12345);
    const expected = model.shuffle(model.shuffle(slots));
    const order = drain(core);
    expect(order).toEqual(expected);
    expect(order).not.toEqual(modelShuffle(modelShuffle(slots, 12345), 12345));
  });

  it('different seeds give different orders', () => {
    const [a, b] = [make(), make()];
    a.readySeed(1);
    b.readySeed(2);
    queueOf(a, 30);
    queueOf(b, 30);
    a.readyShuffle();
    b.readyShuffle();
    expect(drain(a)).not.toEqual(drain(b));
  });

  it('seed 0 and an unseeded core both use the default seed', () => {
    const [unseeded, zero, explicit] = [make(), make(), make()];
    zero.readySeed(0);
    explicit.readySeed(DEFAULT_SEED);
    for (const core of [unseeded, zero, explicit]) {
      queueOf(core, 20);
      core.readyShuffle();
    }
    const order = drain(unseeded);
    expect(drain(zero)).toEqual(order);
    expect(drain(explicit)).toEqual(order);
  });

  it('shuffling an empty queue or a single task changes nothing', () => {
    const core = make();
    core.readyShuffle();
    expect(core.readyCount()).toBe(0);
    expect(core.runNext()).toBe(-1);
    const [slot] = queueOf(core, 1);
    core.readyShuffle();
    expect(drain(core)).toEqual([slot]);
  });

  it('tasks made READY after a shuffle queue behind the shuffled ones, in FIFO order', () => {
    const core = make();
    const first = queueOf(core, 10);
    core.readyShuffle();
    const later = queueOf(core, 5);
    const order = drain(core);
    expect([...order.slice(0, 10)].sort((a, b) => a - b)).toEqual(first);
    expect(order.slice(10)).toEqual(later);
  });

  it('shuffled tasks stay READY until runNext takes them, which makes them RUNNING', () => {
    const core = make();
    const handles = Array.from({ length: 8 }, () => core.taskSpawn());
    core.readyShuffle();
    for (const h of handles) expect(core.taskState(h)).toBe(STATE_READY);
    drain(core);
    for (const h of handles) expect(core.taskState(h)).toBe(STATE_RUNNING);
  });
});
