// Issue 17 §2: with `debug: true`, every public giambio operation created in a task and never driven
// warns once, at the line that made it; without debug none of these warns (they are not resource
// operations). One table of makers, one per line, covering each family: pools, time, primitives,
// channels, combinators, context/resource/interop, streams, testing and lowlevel, node, workers.
import { describe, expect, it } from 'vitest';
import { checkpoint, sleep, sleepUntil } from '../../src/operations.js';
import { createPool, shield, skipAfter, withTimeout, type TaskPool } from '../../src/pool.js';
import { STATUS_IGNORED, type TaskStatus } from '../../src/start.js';
import { Queue } from '../../src/sync/queue.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import { Condition } from '../../src/sync/condition.js';
import { CapacityLimiter } from '../../src/sync/capacity-limiter.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import { openMemoryChannel } from '../../src/channel/open-memory-channel.js';
import { createBroadcast } from '../../src/channel/broadcast.js';
import { fromAsyncIterable } from '../../src/channel/from-async-iterable.js';
import { all, allSettled, map, race } from '../../src/combinators.js';
import { retry } from '../../src/retry.js';
import { createContext } from '../../src/context.js';
import { resource } from '../../src/resource.js';
import { openPortal } from '../../src/portal.js';
import { call, until, useAbortSignal } from '../../src/interop.js';
import { StapledStream } from '../../src/stream/stapled-stream.js';
import { lines } from '../../src/stream/lines.js';
import { receiveUntil } from '../../src/stream/receive-until.js';
import { memoryStreamPair, waitAllTasksBlocked } from '../../src/testing.js';
import { waitTaskRescheduled } from '../../src/lowlevel.js';
import { getAddrInfo, readFile, runProcess, serveTcp, socketPair, writeFile } from '../../src/node/index.js';
import { runInWorker, withWorkers } from '../../src/worker/node.js';
import * as core from '../../src/index.js';
import * as node from '../../src/node/index.js';
import * as testing from '../../src/testing.js';
import * as lowlevel from '../../src/lowlevel.js';
import * as workerNode from '../../src/worker/node.js';
import type { Operation } from '../../src/types.js';
import { runChecked } from '../helpers.js';
import { collectWarnings, linesOf, named } from './helpers.js';

const warnings = collectWarnings();
const lineOf = linesOf(import.meta.filename);

function* nothing(): Operation<void> { /* a body that is never run: its operation is dropped */ }
function* starter(status: TaskStatus<void>): Operation<void> { status.started(); }

/** [name in the warning, a call that makes an operation and drops it], each on its own line. */
function makers(pool: TaskPool): Array<[string, () => unknown]> {
  const queue = new Queue<number>();
  const lock = new Lock();
  const semaphore = new Semaphore(1);
  const condition = new Condition();
  const limiter = new CapacityLimiter(1);
  const channel = new MemoryChannel<number>(1);
  const [send, receive] = openMemoryChannel<number>(1);
  const news = createBroadcast<number>();
  const context = createContext('user', 'nobody');
  const [a, b] = memoryStreamPair();
  const stapled = new StapledStream(a, b);
  const task = pool.spawn(nothing);
  return [
    ['createPool()', () => createPool(nothing)],
    ['withTimeout()', () => withTimeout(10, nothing)],
    ['skipAfter()', () => skipAfter(10, nothing)],
    ['shield()', () => shield(nothing)],
    ['pool.start()', () => pool.start(starter)],
    ['pool.startWith()', () => pool.startWith({ name: 'x' }, starter)],
    ['task.join()', () => task.join()],
    ['sleep()', () => sleep(1)],
    ['sleepUntil()', () => sleepUntil(1)],
    ['checkpoint()', () => checkpoint()],
    ['Queue.get()', () => queue.get()],
    ['Queue.put()', () => queue.put(1)],
    ['Event.wait()', () => new Event().wait()],
    ['lock.acquire()', () => lock.acquire()],
    ['lock.withLock()', () => lock.withLock(nothing)],
    ['semaphore.acquire()', () => semaphore.acquire()],
    ['semaphore.withPermit()', () => semaphore.withPermit(nothing)],
    ['condition.acquire()', () => condition.acquire()],
    ['condition.withLock()', () => condition.withLock(nothing)],
    ['condition.wait()', () => condition.wait()],
    ['limiter.acquire()', () => limiter.acquire()],
    ['limiter.acquireOnBehalfOf()', () => limiter.acquireOnBehalfOf('me')],
    ['capacityLimiter.withToken()', () => limiter.withToken(nothing)],
    ['MemoryChannel.read()', () => channel.read()],
    ['MemoryChannel.write()', () => channel.write(1)],
    ['memoryChannel.each()', () => channel.each(nothing)],
    ['SendChannel.send()', () => send.send(1)],
    ['ReceiveChannel.receive()', () => receive.receive()],
    ['ReceiveChannel.each()', () => receive.each(nothing)],
    ['Broadcast.send()', () => news.send(1)],
    ['fromAsyncIterable()', () => fromAsyncIterable([1, 2])],
    ['all()', () => all([nothing])],
    ['race()', () => race([nothing])],
    ['allSettled()', () => allSettled([nothing])],
    ['map()', () => map([1], nothing)],
    ['retry()', () => retry(nothing, { attempts: 2 })],
    ['context.with()', () => context.with('someone', nothing)],
    ['resource()', () => resource<number>(function* (provide) { yield* provide(1); })],
    ['openPortal()', () => openPortal()],
    ['until()', () => until(Promise.resolve(1))],
    ['call()', () => call(async () => 1)],
    ['useAbortSignal()', () => useAbortSignal()],
    ['memoryStream.sendAll()', () => a.sendAll('x')],
    ['memoryStream.receive()', () => b.receive()],
    ['StapledStream.sendAll()', () => stapled.sendAll('x')],
    ['StapledStream.receive()', () => stapled.receive()],
    ['receiveUntil()', () => receiveUntil(b, '\n')],
    ['lineChannel.receive()', () => lines(b).receive()],
    ['waitAllTasksBlocked()', () => waitAllTasksBlocked()],
    ['waitTaskRescheduled()', () => waitTaskRescheduled(() => true)],
    ['readFile()', () => readFile('/nonexistent')],
    ['writeFile()', () => writeFile('/nonexistent/file', 'x')],
    ['getAddrInfo()', () => getAddrInfo('localhost')],
    ['runProcess()', () => runProcess('true')],
    ['socketPair()', () => socketPair()],
    ['serveTcp()', () => serveTcp(STATUS_IGNORED, 0, nothing)],
    ['withWorkers()', () => withWorkers(new URL('./never.mjs', import.meta.url), {}, nothing)],
    ['runInWorker()', () => runInWorker(new URL('./never.mjs', import.meta.url), 'x')],
  ];
}

/** Makes every operation of the table in a task (and drives none); returns the table's names. */
async function dropAll(debug: boolean): Promise<string[]> {
  let names: string[] = [];
  await runChecked(function* () {
    yield* createPool(function* (pool) {
      const table = makers(pool);
      names = table.map(([name]) => name);
      for (const [, make] of table) make();
    });
  }, { debug });
  return names;
}

describe('debug: true tracks every family of operations', () => {
  it('each operation made and dropped warns once, naming it and the line that made it', async () => {
    const names = await dropAll(true);
    expect(names).toHaveLength(58);
    expect(named(warnings)).toEqual(names);
    for (const [i, name] of names.entries()) {
      expect(warnings[i]!.code).toBe('GIAMBIO_UNDRIVEN');
      expect(warnings[i]!.message).toContain(`families.test.ts:${lineOf(`['${name}', `)}:`);
      expect(warnings[i]!.message).toContain(`Write \`yield* ${name}\``);
    }
  });

  it('without debug none of them warns (they are not resource operations)', async () => {
    await dropAll(false);
    expect(warnings).toEqual([]);
  });

  it('without debug, after a debug loop ran, they still do not warn', async () => {
    await dropAll(true);
    warnings.length = 0;
    await dropAll(false);
    expect(warnings).toEqual([]);
  });
});

describe('coverage', () => {
  it('no public entry exports a bare generator function (it could not be tracked): each is a tracking wrapper', () => {
    // Generator methods are tracked through guardOperations (checked by tests/structure/operation-guard.test.ts).
    const GeneratorFunction = Object.getPrototypeOf(function* () { /* a generator function */ }).constructor;
    const bare = Object.entries({ core, node, testing, lowlevel, workerNode }).flatMap(([entry, exports]) =>
      Object.entries(exports).filter(([, value]) => value instanceof GeneratorFunction).map(([name]) => `${entry}.${name}`));
    expect(bare).toEqual([]);
  });
});
