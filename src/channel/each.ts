/**
 * `each(body)` for every receive half (the caller checks `body` with checkBody first, eagerly): receive until EndOfChannel, running `body` per item in the
 * calling task; `false` from `body` stops early.
 * @internal
 */
import { EndOfChannel } from '../errors.js';
import { startGenerator } from '../spawnable.js';
import type { Operation } from '../types.js';
import { guardOperations } from '../operation-guard.js';

export const receiveEach = function* each<T>(what: string, receive: () => Operation<T>, body: (item: T) => Operation<unknown>): Operation<void> {
  for (;;) {
    let item: T;
    try {
      item = yield* receive();
    } catch (error) {
      if (error instanceof EndOfChannel) return;
      throw error;
    }
    if ((yield* startGenerator<unknown>(what, body, [item])) === false) return;
  }
};

// Awaiting `channel.each(…)` rejects (operation-guard.ts).
guardOperations(receiveEach);
