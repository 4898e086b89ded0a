import { describe, expect, it, vi } from 'vitest';
import { nextFrame } from '../../src/browser/frame.js';
import { withTimeout } from '../../src/pool.js';
import { TooSlowError } from '../../src/errors.js';
import { runInBrowser, runInBrowserRejects } from './helpers.js';

describe('nextFrame', () => {
  it('returns increasing frame timestamps', async () => {
    const stamps = await runInBrowser(function* () {
      const stamps: number[] = [];
      for (let i = 0; i < 3; i++) stamps.push(yield* nextFrame());
      return stamps;
    });
    expect(stamps).toHaveLength(3);
    expect(stamps[1]!).toBeGreaterThan(stamps[0]!);
    expect(stamps[2]!).toBeGreaterThan(stamps[1]!);
  });

  it('cancellation cancels the frame request', async () => {
    const request = vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 7);
    const cancel = vi.spyOn(globalThis, 'cancelAnimationFrame');
    try {
      const error = await runInBrowserRejects(function* () { yield* withTimeout(10, function* () { yield* nextFrame(); }); });
      expect(error).toBeInstanceOf(TooSlowError);
      expect(request).toHaveBeenCalledTimes(1);
      expect(cancel).toHaveBeenCalledWith(7);
    } finally {
      request.mockRestore();
      cancel.mockRestore();
    }
  });
});
