/**
 * fromAsyncIterable: a reader task that pulls an iterable (a Node Readable, a web ReadableStream,
 * an async generator, any sync or async iterable) into a channel, so a task can receive from it
 * with cancellation working as everywhere else.
 *
 * Discussion: the reader is a `resource` (resource.ts): it lives in the calling task's innermost
 * pool, does not keep that pool open, and is torn down when the pool's body and children are done.
 * Teardown, or closing every receive handle, stops the reader and releases the source: `return()`
 * on its iterator, not awaited (an async iterator's `return()` waits for a pending `next()`, which
 * may never come); `cancel()` on a ReadableStream's reader and `destroy()` on a Node stream, which
 * also end a read that is still pending. The channel is a rendezvous by
 * default (`buffer` 0): the reader holds at most one item the receiver has not taken, and pulls
 * the next one only when that one was received. An error raised by the source reaches the receiver
 * after the items before it, in place of EndOfChannel; it does not fail the pool.
 */
import { CancelledError, ResourceBroken } from '../errors.js';
import { checkCount, checkOptions, typeError } from '../check.js';
import { until } from '../interop.js';
import { createPool } from '../pool.js';
import { resource } from '../resource.js';
import type { Operation } from '../types.js';
import { ChannelCore } from './channel-core.js';
import type { ReceiveChannel } from './channel-types.js';
import { MemoryReceiveChannel, MemorySendChannel } from './open-memory-channel.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';

/** Options of `fromAsyncIterable`. */
export interface FromAsyncIterableOptions {
  /** Items read ahead of the receiver (default 0: one item at a time, a rendezvous; Infinity = unbounded). */
  buffer?: number;
}

/**
 * A web `ReadableStream`, structurally (so the types need neither the DOM lib nor Node's): read
 * through `getReader()`. Give the item type explicitly: `fromAsyncIterable<Uint8Array>(response.body)`.
 */
export interface ReadableStreamLike {
  /** Locks the stream to a reader (called once, with no arguments). */
  getReader(...args: never[]): unknown;
  /** Cancels the stream (the reader's `cancel()` is what fromAsyncIterable calls). */
  cancel(reason?: unknown): Promise<void>;
}

/** What fromAsyncIterable accepts. */
export type IterableSource<T> = AsyncIterable<T> | Iterable<T> | ReadableStreamLike;

/** A source opened for pulling. @internal */
interface Puller<T> {
  /** The next result: a Promise for async sources, the result itself for sync iterators. */
  next(): Promise<IteratorResult<T>> | IteratorResult<T>;
  /** Releases the source if it has not ended (its result is not awaited; a rejection is dropped). */
  stop(): void;
}

const ignore = (): void => { /* the source's late outcome: nobody waits for it */ };

function isObject(value: unknown): value is Record<PropertyKey, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/** Throws the TypeError unless `source` can be pulled. */
function checkSource(source: unknown): void {
  if (isObject(source) && (typeof source.getReader === 'function' || typeof source[Symbol.asyncIterator] === 'function' || typeof source[Symbol.iterator] === 'function')) return;
  throw typeError('iterable', 'an async iterable, an iterable or a ReadableStream', source);
}

function open<T>(source: IterableSource<T>): Puller<T> {
  let ended = false;
  const end = <R>(result: R & { done?: boolean }): R => { if (result.done === true) ended = true; return result; };
  const fail = (error: unknown): never => { ended = true; throw error; };
  const s = source as unknown as Record<PropertyKey, unknown>;
  if (typeof s.getReader === 'function') {
    // A ReadableStream: its reader's cancel() also ends a pending read.
    const reader = (source as { getReader(): { read(): Promise<IteratorResult<T>>; cancel(): Promise<void> } }).getReader();
    return {
      next: () => reader.read().then(end, fail),
      stop: () => { if (!ended) { ended = true; reader.cancel().then(ignore, ignore); } },
    };
  }
  if (typeof s[Symbol.asyncIterator] === 'function') {
    const iterator = (source as AsyncIterable<T>)[Symbol.asyncIterator]();
    return {
      next: () => iterator.next().then(end, fail),
      stop: () => {
        if (ended) return;
        ended = true;
        if (typeof iterator.return === 'function') Promise.resolve(iterator.return()).then(ignore, ignore);
        // A Node stream: its iterator's return() waits for a pending read, which an idle stream
        // never completes; destroy() releases it now.
        if (typeof s.destroy === 'function' && typeof s.pipe === 'function') (s.destroy as () => void)();
      },
    };
  }
  const iterator = (source as Iterable<T>)[Symbol.iterator]();
  return {
    next: () => { try { return end(iterator.next()); } catch (error) { return fail(error); } },
    stop: () => {
      if (ended) return;
      ended = true;
      try { iterator.return?.(); } catch { /* the consumer is gone: nobody to tell */ }
    },
  };
}

/** The reader: pulls until the source ends, fails, or every receive handle is closed. */
function* pump<T>(puller: Puller<T>, sender: MemorySendChannel<T>, core: ChannelCore<T>): Operation<void> {
  try {
    for (;;) {
      const pending = puller.next();
      const result = pending instanceof Promise ? yield* until(pending) : pending;
      if (result.done === true) return;
      yield* sender.send(result.value);
    }
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    if (error instanceof ResourceBroken && core.openReceive === 0) return; // nobody receives any more
    core.fail(error); // the receiver gets it after the items before it
  } finally {
    sender.close();
    puller.stop(); // a no-op if the source ended
  }
}

/**
 * Pulls `iterable` into a channel from a reader task and returns the channel's receive half. The
 * reader lives like a `resource` in the calling task's innermost pool: leaving that pool, or
 * closing the receive half (every clone), stops it and releases the source (`return()`, or
 * `cancel()` on a ReadableStream). An error raised by the source is raised by `receive` after the
 * items before it.
 * @example
 * import { Readable } from 'node:stream';
 * import { createPool, fromAsyncIterable, run } from 'giambio';
 * await run(function* () {
 *   yield* createPool(function* () {
 *     const chunks = yield* fromAsyncIterable(Readable.from(['a', 'b', 'c']));
 *     yield* chunks.each(function* (chunk) { console.log(chunk); });
 *   });
 * });
 * @throws {TypeError} `iterable` is not an async iterable, an iterable or a ReadableStream.
 * @throws {TypeError | RangeError} `buffer` is not an integer ≥ 0 or Infinity.
 */
export function fromAsyncIterable<T>(iterable: AsyncIterable<T> | Iterable<T>, options?: FromAsyncIterableOptions): Operation<ReceiveChannel<T>>;
export function fromAsyncIterable<T = unknown>(stream: ReadableStreamLike, options?: FromAsyncIterableOptions): Operation<ReceiveChannel<T>>;
export function fromAsyncIterable<T>(iterable: IterableSource<T>, options: FromAsyncIterableOptions = {}): Operation<ReceiveChannel<T>> {
  checkSource(iterable);
  checkOptions('options', options);
  const buffer = checkCount('options.buffer', options.buffer ?? 0, 0, true);
  return debugOperation(openReader(iterable, buffer), 'fromAsyncIterable()');
}

/** The operation fromAsyncIterable returns (named so that awaiting it says `fromAsyncIterable()`). */
const openReader = function* fromAsyncIterable<T>(iterable: IterableSource<T>, buffer: number): Operation<ReceiveChannel<T>> {
  return yield* resource<ReceiveChannel<T>>(function* fromAsyncIterable(provide) {
    const core = new ChannelCore<T>(buffer, 'wait');
    const sender = new MemorySendChannel(core);
    const puller = open(iterable);
    try {
      yield* createPool(function* (pool) {
        const reader = pool.spawnWith({ name: 'fromAsyncIterable reader' }, pump<T>, puller, sender, core);
        // Every receive handle closed: stop reading (a pending read of the source is abandoned).
        core.owner = { room: () => {}, receiversGone: () => { reader.cancel(); } };
        yield* provide(new MemoryReceiveChannel(core));
      });
    } finally {
      core.owner = null;
      sender.close();
      puller.stop();
    }
  });
};

// Awaiting `fromAsyncIterable(…)` rejects (operation-guard.ts).
guardOperations(openReader);
