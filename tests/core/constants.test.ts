// The TS mirrors in src/core-constants.ts must equal the wasm's exported globals, in both builds.
import { describe, expect, it } from 'vitest';
import * as mirrors from '../../src/core-constants.js';
import { BUILDS } from './helpers.js';

const mirrorNames = Object.entries(mirrors)
  .filter(([, value]) => typeof value === 'number')
  .map(([name]) => name)
  .sort();

describe.each(BUILDS)('the $build core', ({ make }) => {
  const raw = make().raw as unknown as Record<string, unknown>;
  const globalNames = Object.keys(raw).filter((name) => raw[name] instanceof WebAssembly.Global).sort();

  it('exports the constants as globals', () => {
    expect(globalNames.length).toBeGreaterThan(0);
  });

  it.each(mirrorNames)('mirror %s equals the wasm global', (name) => {
    const global = raw[name];
    expect(global, `wasm export ${name}`).toBeInstanceOf(WebAssembly.Global);
    expect((global as WebAssembly.Global).value).toBe((mirrors as Record<string, unknown>)[name]);
  });

  it('has a TS mirror for every exported global', () => {
    expect(globalNames).toEqual(mirrorNames);
  });
});

describe('constant relations', () => {
  it('SLOT_LIMIT is 2^SLOT_BITS', () => {
    expect(mirrors.SLOT_LIMIT).toBe(2 ** mirrors.SLOT_BITS);
  });

  it('the largest handle (generation < GENERATION_LIMIT) is an exact f64 integer', () => {
    const largest = (mirrors.GENERATION_LIMIT - 1) * mirrors.SLOT_LIMIT + (mirrors.SLOT_LIMIT - 1);
    expect(largest).toBe(Number.MAX_SAFE_INTEGER);
    expect(mirrors.GENERATION_LIMIT * mirrors.SLOT_LIMIT).toBe(2 ** 53);
  });

  it('task states and outcome codes are distinct within their group', () => {
    const states = [mirrors.STATE_FREE, mirrors.STATE_READY, mirrors.STATE_RUNNING, mirrors.STATE_PARKED];
    const outcomes = [mirrors.OK, mirrors.STALE, mirrors.WRONG_STATE];
    expect(new Set(states).size).toBe(states.length);
    expect(new Set(outcomes).size).toBe(outcomes.length);
  });

  it('slotOfHandle splits a handle into its slot', () => {
    expect(mirrors.slotOfHandle(7 * mirrors.SLOT_LIMIT + 42)).toBe(42);
    expect(mirrors.slotOfHandle(0)).toBe(0);
    expect(mirrors.slotOfHandle(Number.MAX_SAFE_INTEGER)).toBe(mirrors.SLOT_LIMIT - 1);
  });
});
