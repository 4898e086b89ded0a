// Type-level tests: misuse the compiler should reject. Checked by `tsc -p tsconfig.test.json`
// (each @ts-expect-error line must be an error); the bodies are never run.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Event } from '../../src/sync/event.js';
import { Queue } from '../../src/sync/queue.js';
import { Lock } from '../../src/sync/lock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import { call, until, useAbortSignal } from '../../src/interop.js';
import type { Operation } from '../../src/task.js';

function* misuse(): Operation<void> {
  const ev = new Event<number>();
  // @ts-expect-error the value must be a number
  ev.trigger('x');
  expectTypeOf(ev.wait()).toEqualTypeOf<Operation<number>>();

  const q = new Queue<string>();
  // @ts-expect-error only strings go in
  yield* q.put(1);
  expectTypeOf(q.get()).toEqualTypeOf<Operation<string>>();

  const lock = new Lock();
  // @ts-expect-error the body is a generator function, not an async one
  yield* lock.withLock(async () => 1);
  expectTypeOf(lock.withLock(function* () { return 1; })).toEqualTypeOf<Operation<number>>();

  // @ts-expect-error options are an object
  new Semaphore(1, 2);

  const ch = new MemoryChannel<number>(2);
  // @ts-expect-error only numbers go in
  yield* ch.write('1');
  // @ts-expect-error each() takes a generator function of the item
  yield* ch.each(async (item: number) => { void item; });

  // @ts-expect-error until() takes a promise
  yield* until(5);
  // @ts-expect-error call() takes a function of the signal
  yield* call(Promise.resolve(1));
  expectTypeOf(call((signal) => fetch('x', { signal }))).toEqualTypeOf<Operation<Response>>();
  expectTypeOf(useAbortSignal()).toEqualTypeOf<Operation<AbortSignal>>();
}

describe('types', () => {
  it('misuse is rejected by the compiler (see tsc)', () => {
    expect(typeof misuse).toBe('function');
  });
});
