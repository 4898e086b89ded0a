// Issue 11 items 3 and 4: an operation is not a Promise. Awaiting one rejects with a TypeError that
// says what to do instead; driving one outside a task throws GiambioError; `yield*` is unaffected.
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import * as node from '../../src/node/index.js';
import * as testing from '../../src/testing.js';
import * as lowlevel from '../../src/lowlevel.js';
import { checkpoint, sleep } from '../../src/operations.js';
import { createPool, shield, skipAfter, withTimeout } from '../../src/pool.js';
import { GiambioError } from '../../src/errors.js';
import { Queue } from '../../src/sync/queue.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import { call, until } from '../../src/interop.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { connect } from '../../src/node/tcp.js';
import { readFile } from '../../src/node/file.js';
import { runChecked } from '../helpers.js';

const NOT_A_PROMISE = /returned a giambio operation, and operations are not Promises: `yield\*` it inside a task .*`run\(\.\.\.\)` \/ `task\.toPromise\(\)` from async code/;

/** Operations of several kinds, made outside any task (making one does nothing yet). */
function someOperations(): Array<[string, () => unknown]> {
  const queue = new Queue<number>();
  const channel = new MemoryChannel<number>(1);
  return [
    ['sleep(1000)', () => sleep(1000)],
    ['sleep(Infinity)', () => sleep(Infinity)],
    ['checkpoint()', () => checkpoint()],
    ['createPool(…)', () => createPool(function* () { /* empty */ })],
    ['shield(…)', () => shield(function* () { /* empty */ })],
    ['withTimeout(…)', () => withTimeout(10, function* () { /* empty */ })],
    ['skipAfter(…)', () => skipAfter(10, function* () { /* empty */ })],
    ['queue.get()', () => queue.get()],
    ['queue.put(1)', () => queue.put(1)],
    ['event.wait()', () => new Event<number>().wait()],
    ['lock.acquire()', () => new Lock().acquire()],
    ['semaphore.acquire()', () => new Semaphore(1).acquire()],
    ['channel.read()', () => channel.read()],
    ['until(promise)', () => until(Promise.resolve(1))],
    ['call(fn)', () => call(async () => 1)],
    ['waitAllTasksBlocked()', () => waitAllTasksBlocked()],
    ['connect(…) (giambio/node)', () => connect('127.0.0.1', 9)],
    ['readFile(…) (giambio/node)', () => readFile('/nonexistent')],
  ];
}

describe('awaiting an operation', () => {
  for (const [name, make] of someOperations()) {
    it(`rejects with a TypeError for ${name} in a plain async function`, async () => {
      const awaitIt = async (): Promise<unknown> => await (make() as unknown as Promise<unknown>);
      const error = await awaitIt().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(NOT_A_PROMISE);
    });
  }

  it('names the operation that was awaited', async () => {
    await expect((async () => { await (sleep(5) as unknown as Promise<void>); })()).rejects.toThrow(/^sleep\(\) returned/);
    await expect((async () => { await (new Queue().get() as unknown as Promise<void>); })()).rejects.toThrow(/^Queue\.get\(\) returned/);
    await expect((async () => { await (createPool(function* () { /* empty */ }) as unknown as Promise<void>); })()).rejects.toThrow(/^createPool\(\) \(or withTimeout, skipAfter, shield\) returned/);
  });

  it('leaves yield* of the same kinds of operation unaffected', async () => {
    const got = await runChecked(function* () {
      const queue = new Queue<number>();
      queue.putNowait(1);
      yield* sleep(10);
      yield* checkpoint();
      const item = yield* queue.get();
      const inner = yield* createPool(function* () { return 2; });
      const awaited = yield* until(Promise.resolve(3));
      return [item, inner, awaited];
    });
    expect(got).toEqual([1, 2, 3]);
  });

  it('gives every generator function and generator method of the public entries a refusing then', () => {
    const GeneratorFunction = Object.getPrototypeOf(function* () { /* a generator function */ }).constructor;
    const missing: string[] = [];
    const check = (fn: unknown, name: string): void => {
      if (fn instanceof GeneratorFunction && typeof (fn as { prototype: { then?: unknown } }).prototype.then !== 'function') missing.push(name);
    };
    for (const [entry, exports] of Object.entries({ core, node, testing, lowlevel })) {
      for (const [name, value] of Object.entries(exports)) {
        check(value, `${entry}.${name}`);
        if (typeof value === 'function' && value.prototype !== undefined) {
          for (const holder of [value, value.prototype as object]) {
            for (const key of Object.getOwnPropertyNames(holder)) {
              const d = Object.getOwnPropertyDescriptor(holder, key)!;
              check(d.value, `${entry}.${name}.${key}`);
            }
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('driving an operation outside a task', () => {
  const outside = /was driven outside a task|must be called from inside a giambio task/;
  for (const [name, make] of someOperations()) {
    if (name.includes('giambio/node')) continue; // generator bodies: covered by the generic case below
    it(`throws GiambioError for ${name}.next()`, () => {
      const op = make() as Iterator<unknown>;
      let caught: unknown = null;
      try { op.next(); } catch (error) { caught = error; }
      expect(caught).toBeInstanceOf(GiambioError);
      expect((caught as Error).message).toMatch(outside);
    });
  }

  it('sleep(10).next() does not hand out the internal trap', () => {
    expect(() => sleep(10).next()).toThrow(GiambioError);
    expect(() => sleep(10).next()).toThrow(/sleep\(\) was driven outside a task: giambio operations run inside a task/);
  });

  it('leaves the loop usable: the same kinds of operation then run in a task', async () => {
    expect(() => checkpoint().next()).toThrow(GiambioError);
    expect(await runChecked(function* () { yield* checkpoint(); return 'ran'; })).toBe('ran');
  });
});
