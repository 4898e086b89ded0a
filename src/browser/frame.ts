/**
 * nextFrame: wait for the browser's next animation frame (requestAnimationFrame), the place for
 * DOM writes that should land in one paint. Cancelling the task cancels the frame request.
 */
import type { Operation } from '../task.js';
import { waitForHost } from '../host-wait.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';

/**
 * Waits until the next frame is about to be painted and returns its timestamp (ms, on the
 * `performance.now()` clock). Browsers pause frames in hidden tabs: so does this.
 * @example
 * import { nextFrame } from 'giambio/browser';
 * for (;;) { const t = yield* nextFrame(); draw(t); }
 * @throws {TypeError} where there is no requestAnimationFrame (workers without it, Node).
 */
export function nextFrame(): Operation<number> {
  return debugOperation(nextFrameOperation(), 'nextFrame()');
}

/** The operation nextFrame returns (named so that awaiting it says `nextFrame()`). */
const nextFrameOperation = function* nextFrame(): Operation<number> {
  if (typeof requestAnimationFrame !== 'function') {
    throw new TypeError('nextFrame() needs requestAnimationFrame, which this environment does not have');
  }
  return yield* waitForHost<number>('nextFrame()', 'animation frame', (settle) => {
    const id = requestAnimationFrame(settle.resolve);
    return () => cancelAnimationFrame(id);
  });
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(nextFrameOperation);
