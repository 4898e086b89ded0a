import { describe, expect, it } from 'vitest';
import { Core } from '../../src/core.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import { InternalError } from '../../src/errors.js';

describe('scope timer ids', () => {
  it('freeing an id twice does not corrupt the free list (release build ignores it)', () => {
    const core = new Core();
    const a = core.timerCreate();
    core.timerFree(a);
    core.timerFree(a);
    expect(core.scopeTimers()).toBe(0);
    const b = core.timerCreate();
    const c = core.timerCreate();
    expect(b).not.toBe(c);
    expect(core.scopeTimers()).toBe(2);
  });

  it('arming a freed id is refused: the next create gets an unarmed timer', () => {
    const core = new Core();
    const a = core.timerCreate();
    core.timerFree(a);
    core.timerArm(a, 5);
    expect(core.armedTimers()).toBe(0);
    const b = core.timerCreate();
    expect(core.timerDisarm(b)).toBe(false);
  });

  it('the debug build aborts on a double free, and the core is poisoned', () => {
    const core = new Core(DEBUG_CORE);
    const a = core.timerCreate();
    core.timerFree(a);
    expect(() => core.timerFree(a)).toThrow(InternalError);
    expect(() => core.timerFree(a)).toThrow(/timer id is not allocated/);
    expect(() => core.timerCreate()).toThrow(InternalError);
  });

  it('a NaN deadline is refused, so the heap never holds NaN', () => {
    const core = new Core();
    const a = core.timerCreate();
    core.timerArm(a, NaN);
    expect(core.nextDeadline()).toBe(Infinity);
    expect(() => new Core(DEBUG_CORE).timerArm(0, 1)).toThrow(InternalError);
  });
});
