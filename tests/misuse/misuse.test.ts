/**
 * Bad input across the public API, as one table. Each row does one wrong thing and asserts the
 * error class and a message that says what was expected and what came (or which state forbids the
 * call). Then the loop must still work: a `task` row misbehaves inside a task, and afterwards the
 * same task sleeps, spawns into a pool and joins the child, and the core ends empty; a `plain` row
 * misbehaves outside any task, and afterwards a fresh loop does the same.
 */
import { describe, expect, it } from 'vitest';
import { EventLoop, run } from '../../src/loop.js';
import { checkpoint, clock, currentTask, sleep } from '../../src/operations.js';
import { createPool, shield, skipAfter, withTimeout, type TaskPool } from '../../src/pool.js';
import {
  EndOfChannel, GiambioError, ResourceBroken, ResourceClosed, WouldBlock,
} from '../../src/errors.js';
import { MockClock, waitAllTasksBlocked } from '../../src/testing.js';
import { Event } from '../../src/sync/event.js';
import { Queue } from '../../src/sync/queue.js';
import { Lock } from '../../src/sync/lock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import { CapacityLimiter } from '../../src/sync/capacity-limiter.js';
import { Condition } from '../../src/sync/condition.js';
import { MemoryChannel } from '../../src/channel/memory-channel.js';
import type { Operation, Task } from '../../src/task.js';
import { expectCoreEmpty, runChecked, virtualLoop } from '../helpers.js';

type ErrorClass = abstract new (...args: never[]) => Error;

interface Context {
  /** The loop running the task (for `task` rows). */
  loop: EventLoop;
}

interface Row {
  name: string;
  /** 'task': `act` is a generator run inside a task; 'plain': `act` runs outside any loop (may return a Promise). */
  where: 'task' | 'plain';
  act: (ctx: Context) => Operation<unknown> | unknown;
  error: ErrorClass;
  message: RegExp;
}

/** Cast for calls the type checker (rightly) refuses. */
const bad = <T>(value: unknown): T => value as T;
const noop = function* (): Operation<void> { /* nothing */ };

/** A task of another loop, parked in sleep (made in plain code: loops cannot start inside a task). */
const foreignTask: Task = (() => {
  const other = new EventLoop({ clock: new MockClock() });
  const task = other.start(function* target() { yield* sleep(10); });
  other.step();
  return task;
})();

/** Returns the pool of a createPool that has already exited. */
function* exitedPool(): Operation<TaskPool> {
  let saved!: TaskPool;
  yield* createPool(function* (pool) { saved = pool; });
  return saved;
}

const rows: Row[] = [
  // ---- durations -------------------------------------------------------------------------------
  { name: 'sleep(NaN)', where: 'task', act: function* () { yield* sleep(NaN); },
    error: RangeError, message: /Expected `ms` to be a number ≥ 0 \(milliseconds\), got `NaN` \(number\)/ },
  { name: 'sleep(-1)', where: 'task', act: function* () { yield* sleep(-1); },
    error: RangeError, message: /Expected `ms` to be a number ≥ 0.*got `-1` \(number\)/ },
  { name: 'sleep("1")', where: 'task', act: function* () { yield* sleep(bad('1')); },
    error: TypeError, message: /Expected `ms` to be a number ≥ 0 \(milliseconds\), got `"1"` \(string\)/ },
  { name: 'sleep(undefined)', where: 'task', act: function* () { yield* sleep(bad(undefined)); },
    error: TypeError, message: /Expected `ms` to be a number.*got `undefined` \(undefined\)/ },
  { name: 'sleep(10n)', where: 'task', act: function* () { yield* sleep(bad(10n)); },
    error: TypeError, message: /Expected `ms` to be a number.*got `10` \(bigint\)/ },
  { name: 'withTimeout(-1, body)', where: 'task', act: function* () { yield* withTimeout(-1, noop); },
    error: RangeError, message: /Expected `ms` to be a number ≥ 0.*got `-1` \(number\)/ },
  { name: 'withTimeout(NaN, body)', where: 'task', act: function* () { yield* withTimeout(NaN, noop); },
    error: RangeError, message: /Expected `ms` to be a number ≥ 0.*got `NaN` \(number\)/ },
  { name: "skipAfter('x', body)", where: 'task', act: function* () { yield* skipAfter(bad('x'), noop); },
    error: TypeError, message: /Expected `ms` to be a number ≥ 0 \(milliseconds\), got `"x"` \(string\)/ },
  { name: 'pool.deadline = NaN', where: 'task', act: function* () { yield* createPool(function* (pool) { pool.deadline = NaN; }); },
    error: TypeError, message: /Expected `deadline` to be a number \(ms on the loop's clock, Infinity for none\), got `NaN` \(number\)/ },
  { name: "pool.deadline = '5'", where: 'task', act: function* () { yield* createPool(function* (pool) { pool.deadline = bad('5'); }); },
    error: TypeError, message: /Expected `deadline` to be a number.*got `"5"` \(string\)/ },

  // ---- bodies and task functions ---------------------------------------------------------------
  { name: 'pool.spawn(42)', where: 'task', act: function* () { yield* createPool(function* (pool) { pool.spawn(bad(42)); }); },
    error: TypeError, message: /pool\.spawn expects a generator function \(function\*\), got `42` \(number\)/ },
  { name: 'pool.spawn(main(1)): a generator object', where: 'task',
    act: function* () { yield* createPool(function* (pool) { pool.spawn(bad((function* (n: number) { yield* sleep(n); })(1))); }); },
    error: TypeError, message: /got a generator object\. Looks like you wrote pool\.spawn\(main\(arg\)\): write pool\.spawn\(main, arg\) instead/ },
  { name: 'pool.spawn(async function)', where: 'task', act: function* () { yield* createPool(function* (pool) { pool.spawn(bad(async () => 1)); }); },
    error: TypeError, message: /pool\.spawn expects a generator function \(function\*\), got an async function.*until\(promise\)/ },
  { name: 'pool.spawn(a function returning a Promise)', where: 'task',
    act: function* () { yield* createPool(function* (pool) { pool.spawn(bad(() => Promise.resolve(1))); }); },
    error: TypeError, message: /returned a Promise instead of a generator/ },
  { name: 'pool.spawnWith(null, fn)', where: 'task', act: function* () { yield* createPool(function* (pool) { pool.spawnWith(bad(null), noop); }); },
    error: TypeError, message: /Expected spawn options to be an object, got `null`/ },
  { name: 'pool.spawnWith({ name: 5 }, fn)', where: 'task', act: function* () { yield* createPool(function* (pool) { pool.spawnWith(bad({ name: 5 }), noop); }); },
    error: TypeError, message: /Expected `name` to be a string, got `5` \(number\)/ },
  { name: 'createPool(async function)', where: 'task', act: function* () { yield* createPool(bad(async () => 1)); },
    error: TypeError, message: /createPool expects a generator function \(function\*\), got an async function/ },
  { name: 'createPool(body returning 5)', where: 'task', act: function* () { yield* createPool(bad(() => 5)); },
    error: TypeError, message: /createPool expects a generator function \(function\*\); a function \(anonymous\) returned `5` \(number\) instead of a generator/ },
  { name: "shield('x')", where: 'task', act: function* () { yield* shield(bad('x')); },
    error: TypeError, message: /expects a generator function \(function\*\), got `"x"` \(string\)/ },
  { name: 'yield 5 (a value, not an operation)', where: 'task', act: function* () { yield 5; },
    error: TypeError, message: /yielded `5` \(number\) to the loop; tasks must `yield\*` operations/ },
  { name: 'yield sleep(1) (yield instead of yield*)', where: 'task', act: function* () { yield sleep(1); },
    error: TypeError, message: /yielded an operation \(a generator\) to the loop; tasks must `yield\*` operations \(for example `yield\* sleep\(10\)`\), never `yield` them or a value/ },
  { name: 'yield a Promise', where: 'task', act: function* () { yield Promise.resolve(1); },
    error: TypeError, message: /yielded a Promise to the loop/ },

  // ---- pools and tasks in the wrong state ------------------------------------------------------
  { name: 'spawn into a pool that has exited', where: 'task', act: function* () { (yield* exitedPool()).spawn(noop); },
    error: GiambioError, message: /cannot spawn into a pool that has exited/ },
  { name: 'move the deadline of a pool that has exited', where: 'task', act: function* () { (yield* exitedPool()).deadline = 5; },
    error: GiambioError, message: /cannot move the deadline of a pool that has exited/ },
  { name: 'a task joins itself', where: 'task', act: function* () { yield* currentTask().join(); },
    error: GiambioError, message: /task main cannot join itself: it would wait forever/ },
  // Before 231849c this was not refused, and the other loop was poisoned when the target ended.
  { name: 'join a task of another loop', where: 'task', act: function* () { yield* foreignTask.join(); },
    error: GiambioError, message: /cannot join Task\(target#\d+, parked\) from another loop/ },

  // ---- loops used from inside a task -----------------------------------------------------------
  { name: 'run() inside a task (re-entrant)', where: 'task', act: function* () { void run(noop); },
    error: GiambioError, message: /run\(\) called from inside a running task: start more tasks with createPool\(\) and pool\.spawn\(\) instead/ },
  { name: 'new EventLoop().run() inside a task', where: 'task', act: function* () { void new EventLoop().run(noop); },
    error: GiambioError, message: /run\(\) called from inside a running task/ },
  { name: 'loop.start() inside a task', where: 'task', act: function* () { new EventLoop({ clock: new MockClock() }).start(noop); },
    error: GiambioError, message: /loop\.start\(\) called from inside a running task/ },
  { name: 'loop.step() inside a task of that loop', where: 'task', act: function* ({ loop }) { loop.step(); },
    error: GiambioError, message: /loop\.step\(\) called while the loop is already stepping/ },
  { name: 'loop.runUntilIdle() inside a task of that loop', where: 'task', act: function* ({ loop }) { loop.runUntilIdle(); },
    error: GiambioError, message: /loop\.runUntilIdle\(\) called while the loop is already stepping/ },
  // Before 231849c this was not refused: the run never settled and finally blocks never ran.
  { name: 'loop.close() inside a task of that loop', where: 'task', act: function* ({ loop }) { loop.close(); },
    error: GiambioError, message: /loop\.close\(\) called from inside a task of this loop: cancel the root task or a pool instead/ },

  // ---- loops in the wrong state ----------------------------------------------------------------
  { name: 'run on a closed loop', where: 'plain',
    act: () => { const loop = new EventLoop({ clock: new MockClock() }); loop.close(); return loop.run(noop); },
    error: GiambioError, message: /loop\.run\(\) called on a closed loop/ },
  { name: 'step on a closed loop', where: 'plain',
    act: () => { const loop = new EventLoop({ clock: new MockClock() }); loop.close(); loop.step(); },
    error: GiambioError, message: /loop\.step\(\) called on a closed loop/ },
  { name: 'start a second root while the first runs', where: 'plain',
    act: () => { const loop = new EventLoop({ clock: new MockClock() }); loop.start(function* () { yield* sleep(1); }); loop.step(); loop.start(noop); },
    error: GiambioError, message: /this loop is already running a root task/ },
  { name: 'run(main(1)): a generator object', where: 'plain', act: () => run(bad((function* (n: number) { yield* sleep(n); })(1))),
    error: TypeError, message: /run expects a generator function and its arguments, got a generator object\. Looks like you wrote run\(main\(arg\)\): write run\(main, arg\) instead/ },
  { name: "new EventLoop('x')", where: 'plain', act: () => new EventLoop(bad('x')),
    error: TypeError, message: /Expected EventLoop options to be an object, got `"x"` \(string\)/ },
  { name: 'new EventLoop({ clock: {} })', where: 'plain', act: () => new EventLoop({ clock: bad({}) }),
    error: TypeError, message: /Expected `clock` to be an object with a now\(\) method, got an Object/ },
  { name: 'new EventLoop({ signal: {} })', where: 'plain', act: () => new EventLoop({ signal: bad({}) }),
    error: TypeError, message: /Expected `signal` to be an AbortSignal, got an Object/ },
  { name: 'new EventLoop({ seed: 1.5 })', where: 'plain', act: () => new EventLoop({ seed: 1.5 }),
    error: TypeError, message: /Expected `seed` to be an integer, got `1\.5` \(number\)/ },
  { name: 'new MockClock({ start: NaN })', where: 'plain', act: () => new MockClock({ start: NaN }),
    error: TypeError, message: /Expected `start` to be a finite number of ms, got `NaN` \(number\)/ },
  { name: 'mockClock.jump(-1)', where: 'plain', act: () => new MockClock().jump(-1),
    error: RangeError, message: /Expected `ms` to be a finite number ≥ 0 \(milliseconds\), got `-1` \(number\)/ },
  { name: 'mockClock.jump(Infinity)', where: 'plain', act: () => new MockClock().jump(Infinity),
    error: RangeError, message: /Expected `ms` to be a finite number ≥ 0 \(milliseconds\), got `Infinity` \(number\)/ },

  // ---- operations outside a loop ---------------------------------------------------------------
  { name: 'clock() outside a loop', where: 'plain', act: () => clock(),
    error: GiambioError, message: /clock\(\) must be called from inside a giambio task \(no loop is running one now\)/ },
  { name: 'currentTask() outside a loop', where: 'plain', act: () => currentTask(),
    error: GiambioError, message: /currentTask\(\) must be called from inside a giambio task/ },
  { name: 'createPool(body).next() from plain code', where: 'plain', act: () => createPool(noop).next(),
    error: GiambioError, message: /createPool\(\) must be called from inside a giambio task/ },
  { name: 'event.wait().next() from plain code', where: 'plain', act: () => new Event().wait().next(),
    error: GiambioError, message: /Event\.wait\(\) must be called from inside a giambio task/ },
  { name: 'queue.get().next() from plain code', where: 'plain', act: () => new Queue().get().next(),
    error: GiambioError, message: /Queue\.get\(\) must be called from inside a giambio task/ },
  { name: 'waitAllTasksBlocked().next() from plain code', where: 'plain', act: () => waitAllTasksBlocked().next(),
    error: GiambioError, message: /waitAllTasksBlocked\(\) must be called from inside a giambio task/ },

  // ---- primitives: sizes and counts ------------------------------------------------------------
  { name: 'new Queue(-1)', where: 'plain', act: () => new Queue(-1),
    error: RangeError, message: /Expected `maxsize` to be an integer ≥ 0 or Infinity, got `-1` \(number\)/ },
  { name: 'new Queue(1.5)', where: 'plain', act: () => new Queue(1.5),
    error: RangeError, message: /Expected `maxsize` to be an integer ≥ 0 or Infinity, got `1\.5` \(number\)/ },
  { name: "new Queue('3')", where: 'plain', act: () => new Queue(bad('3')),
    error: TypeError, message: /Expected `maxsize` to be an integer ≥ 0 or Infinity, got `"3"` \(string\)/ },
  { name: 'new Semaphore(NaN)', where: 'plain', act: () => new Semaphore(NaN),
    error: RangeError, message: /Expected `initial` to be an integer ≥ 0, got `NaN` \(number\)/ },
  { name: 'new Semaphore(Infinity)', where: 'plain', act: () => new Semaphore(Infinity),
    error: RangeError, message: /Expected `initial` to be an integer ≥ 0, got `Infinity` \(number\)/ },
  { name: 'capacityLimiter.total = -1', where: 'task', act: function* () { new CapacityLimiter(2).total = -1; },
    error: RangeError, message: /Expected `total` to be an integer ≥ 0 or Infinity, got `-1` \(number\)/ },
  { name: 'condition.notify(-1)', where: 'task',
    act: function* () { const c = new Condition(); yield* c.acquire(); try { c.notify(-1); } finally { c.release(); } },
    error: RangeError, message: /Expected `n` to be an integer ≥ 0 or Infinity, got `-1` \(number\)/ },
  { name: 'new Semaphore(1, { max: 0 })', where: 'plain', act: () => new Semaphore(1, { max: 0 }),
    error: RangeError, message: /Expected `max` to be an integer ≥ 1 or Infinity, got `0` \(number\)/ },
  { name: 'new CapacityLimiter(-1)', where: 'plain', act: () => new CapacityLimiter(-1),
    error: RangeError, message: /Expected `total` to be an integer ≥ 0 or Infinity, got `-1` \(number\)/ },
  { name: 'new MemoryChannel(-1)', where: 'plain', act: () => new MemoryChannel(-1),
    error: RangeError, message: /Expected `maxsize` to be an integer ≥ 0 or Infinity, got `-1` \(number\)/ },
  { name: "new Condition('lock')", where: 'plain', act: () => new Condition(bad('lock')),
    error: TypeError, message: /Expected `lock` to be a Lock, got `"lock"` \(string\)/ },

  // ---- primitives in the wrong state -----------------------------------------------------------
  { name: 'Event triggered twice', where: 'task', act: function* () { const e = new Event(); e.trigger(); e.trigger(); },
    error: GiambioError, message: /Event\.trigger\(\): the event has already been triggered \(an Event fires once\)/ },
  { name: 'queue.getNowait() on an empty queue', where: 'task', act: function* () { new Queue().getNowait(); },
    error: WouldBlock, message: /Queue\.getNowait\(\): the queue is empty/ },
  { name: 'queue.putNowait() on a full queue', where: 'task', act: function* () { const q = new Queue(1); q.putNowait(1); q.putNowait(2); },
    error: WouldBlock, message: /Queue\.putNowait\(\): the queue is full \(maxsize 1\)/ },
  { name: 'lock.release() when not held', where: 'task', act: function* () { new Lock().release(); },
    error: GiambioError, message: /Lock\.release\(\): the lock is not held \(task main tried to release it\)/ },
  { name: 'lock released twice', where: 'task', act: function* () { const lock = new Lock(); yield* lock.acquire(); lock.release(); lock.release(); },
    error: GiambioError, message: /Lock\.release\(\): the lock is not held/ },
  { name: 'lock acquired twice by one task (not re-entrant)', where: 'task',
    act: function* () { const lock = new Lock(); yield* lock.acquire(); try { yield* lock.acquire(); } finally { lock.release(); } },
    error: GiambioError, message: /Lock\.acquire\(\): task main already holds this lock \(Lock is not re-entrant\)/ },
  { name: 'lock released by a task that does not own it', where: 'task',
    act: function* () {
      const lock = new Lock();
      yield* lock.acquire();
      try {
        yield* createPool(function* (pool) { pool.spawnWith({ name: 'intruder' }, function* () { lock.release(); }); });
      } finally { lock.release(); }
    },
    error: GiambioError, message: /Lock\.release\(\): task intruder cannot release a lock held by task main; only the owner can/ },
  { name: 'lock acquired after its owner ended holding it', where: 'task',
    act: function* () {
      const lock = new Lock();
      yield* createPool(function* (pool) { pool.spawnWith({ name: 'holder' }, function* () { yield* lock.acquire(); }); });
      yield* lock.acquire();
    },
    error: ResourceBroken, message: /the lock is broken: its owner, task holder, ended without releasing it/ },
  { name: 'semaphore released above its max', where: 'task', act: function* () { new Semaphore(1, { max: 1 }).release(); },
    error: GiambioError, message: /Semaphore\.release\(\): released too many times \(the value is already at its max, 1\)/ },
  { name: 'semaphore.acquireNowait() with no permit', where: 'task', act: function* () { new Semaphore(0).acquireNowait(); },
    error: WouldBlock, message: /Semaphore\.acquireNowait\(\): no permit is available/ },
  { name: 'capacityLimiter released without a token', where: 'task', act: function* () { new CapacityLimiter(1).release(); },
    error: GiambioError, message: /CapacityLimiter\.release\(\): .*main.* does not hold a token of this limiter/ },
  { name: 'condition.wait() without holding its lock', where: 'task', act: function* () { yield* new Condition().wait(); },
    error: GiambioError, message: /Condition\.wait\(\): task main must hold the condition's lock to wait/ },
  { name: 'lock.withLock(a non-function)', where: 'task', act: function* () { yield* new Lock().withLock(bad(7)); },
    error: TypeError, message: /Lock\.withLock expects a generator function \(function\*\), got `7` \(number\)/ },
  { name: 'channel.write() after close()', where: 'task', act: function* () { const ch = new MemoryChannel<number>(); ch.close(); yield* ch.write(1); },
    error: ResourceClosed, message: /MemoryChannel\.write\(\): the channel is closed/ },
  { name: 'channel.writeNowait() after close()', where: 'task', act: function* () { const ch = new MemoryChannel<number>(); ch.close(); ch.writeNowait(1); },
    error: ResourceClosed, message: /MemoryChannel\.writeNowait\(\): the channel is closed/ },
  { name: 'channel.read() after close() and drain', where: 'task',
    act: function* () { const ch = new MemoryChannel<number>(); ch.writeNowait(1); ch.close(); expect(yield* ch.read()).toBe(1); yield* ch.read(); },
    error: EndOfChannel, message: /MemoryChannel\.read\(\): the channel is closed and every item has been read/ },
  { name: 'channel.readNowait() on an empty open channel', where: 'task', act: function* () { new MemoryChannel<number>().readNowait(); },
    error: WouldBlock, message: /MemoryChannel\.readNowait\(\): the channel is empty/ },
  { name: 'channel.each(a non-function)', where: 'task', act: function* () { yield* new MemoryChannel<number>().each(bad(null)); },
    error: TypeError, message: /MemoryChannel\.each expects a generator function \(function\*\), got `null`/ },
];

/** The after-check: the task sleeps exactly, spawns into a pool and joins the child. */
function* stillWorks(): Operation<void> {
  const start = clock();
  yield* sleep(5);
  expect(clock()).toBe(start + 5);
  const value = yield* createPool(function* (pool) {
    const child: Task<number> = pool.spawn(function* () { yield* sleep(1); return 42; });
    yield* checkpoint();
    return yield* child.join();
  });
  expect(value).toBe(42);
}

const NOTHING = Symbol('no error');

async function misbehave(row: Row): Promise<unknown> {
  let caught: unknown = NOTHING;
  if (row.where === 'task') {
    const { loop } = virtualLoop();
    await loop.run(function* main() {
      try { yield* (row.act as (ctx: Context) => Operation<unknown>)({ loop }); } catch (error) { caught = error; }
      yield* stillWorks();
    });
    expectCoreEmpty(loop);
    return caught;
  }
  try { await row.act({ loop: undefined as never }); } catch (error) { caught = error; }
  await runChecked(function* main() { yield* stillWorks(); });
  return caught;
}

describe('misuse', () => {
  it('the table has at least 40 rows, with distinct names', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const caught = await misbehave(row);
    if (caught === NOTHING) throw new Error(`no error was raised; expected ${row.error.name}`);
    if (process.env.MISUSE_PRINT === '1') console.log(`${row.name}\n  ${(caught as Error).name}: ${(caught as Error).message.split('\n')[0]}`);
    expect(caught).toBeInstanceOf(row.error);
    expect((caught as Error).message).toMatch(row.message);
  });
});
