// giambio/worker across runtimes (node --test, bun test, deno test), on the packed tarball: results,
// typed errors, cancellation of a generator export and of a busy loop (terminated and replaced),
// queueing beyond size, transfer, a crashing worker, and no worker left after the pool exits
// (Deno's resource sanitizer checks that too). The worker module is ./work.mjs.
import { run, createPool, skipAfter, sleep, CancelledError, ResourceBroken } from 'giambio';
import { withWorkers, runInWorker } from 'giambio/worker';

let test;
if (typeof Deno !== 'undefined') {
  test = (name, fn) => Deno.test({ name, fn });
} else if (typeof Bun !== 'undefined') {
  const { test: bunTest } = await import('bun:test');
  test = (name, fn) => bunTest(name, fn, 30_000);
} else {
  const { test: nodeTest } = await import('node:test');
  test = (name, fn) => nodeTest(name, fn);
}

const runtime = typeof Deno !== 'undefined' ? 'deno' : typeof Bun !== 'undefined' ? 'bun' : 'node';
const work = new URL('./work.mjs', import.meta.url);

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
function* caught(op) {
  try { yield* op; } catch (error) { return error; }
  throw new Error('expected the operation to throw');
}
const flags = () => new Int32Array(new SharedArrayBuffer(8));

test(`[${runtime}] worker: sync, async and generator exports return their results`, async () => {
  const out = await run(function* () {
    return yield* withWorkers(work, { size: 2 }, function* (workers) {
      return [yield* workers.call('add', 2, 3), yield* workers.call('addLater', 4, 5), yield* workers.call('nap', 5)];
    });
  });
  equal(out, [5, 9, 'napped'], 'results');
  equal(await run(function* () { return yield* runInWorker(work, 'add', 20, 22); }), 42, 'runInWorker');
});

test(`[${runtime}] worker: errors keep class, message and cause; unknown exports are TypeErrors`, async () => {
  await run(function* () {
    yield* withWorkers(work, { size: 1 }, function* (workers) {
      const error = yield* caught(workers.call('fail', 'too big'));
      assert(error instanceof RangeError, `a RangeError, got ${error && error.name}`);
      equal(error.message, 'too big', 'message');
      equal(error.cause, { code: 42 }, 'cause');
      assert(error.stack.includes('--- in worker'), 'the worker stack is appended');
      const unknown = yield* caught(workers.call('nope'));
      assert(unknown instanceof TypeError && /`add`/.test(unknown.message), `TypeError naming the exports, got ${unknown && unknown.message}`);
      const uncloneable = yield* caught(workers.call('add', () => 1, 2));
      assert(uncloneable instanceof TypeError, 'uncloneable arguments: TypeError');
    });
  });
});

test(`[${runtime}] worker: cancelling a generator export cancels it in the worker (finally runs there first)`, async () => {
  const f = flags();
  await run(function* () {
    yield* withWorkers(work, { size: 1 }, function* (workers) {
      yield* createPool(function* (pool) {
        const t = pool.spawn(function* () {
          const error = yield* caught(workers.call('napForever', f));
          assert(error instanceof CancelledError, 'the caller gets CancelledError');
          equal(Atomics.load(f, 1), 1, 'finally ran in the worker before call returned');
          throw error;
        });
        while (Atomics.load(f, 0) === 0) yield* sleep(2);
        t.cancel();
      });
      equal(workers.statistics().replaced, 0, 'no worker replaced');
    });
  });
});

test(`[${runtime}] worker: a busy loop is terminated after graceMs and its worker replaced`, async () => {
  await run(function* () {
    yield* withWorkers(work, { size: 1, graceMs: 30 }, function* (workers) {
      const before = yield* workers.call('whoAmI');
      const result = yield* skipAfter(50, function* () { return yield* workers.call('spinForever'); });
      equal(result, undefined, 'cancelled');
      equal(workers.statistics().replaced, 1, 'replaced');
      assert((yield* workers.call('whoAmI')) !== before, 'a new worker answers');
    });
  });
});

test(`[${runtime}] worker: calls beyond size wait; a cancelled queued call never starts`, async () => {
  await run(function* () {
    yield* withWorkers(work, { size: 1 }, function* (workers) {
      yield* workers.call('add', 0, 0);
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* workers.call('spin', 100); });
        const queued = pool.spawn(function* () { yield* workers.call('add', 1, 2); });
        pool.spawn(function* () { yield* workers.call('add', 3, 4); });
        yield* sleep(0);
        equal([workers.statistics().busy, workers.statistics().queued], [1, 2], 'busy and queued');
        queued.cancel();
      });
      equal(workers.statistics().started, 3, 'the cancelled queued call never started');
    });
  });
});

test(`[${runtime}] worker: callWith transfers an ArrayBuffer`, async () => {
  const buffer = new ArrayBuffer(64);
  const n = await run(function* () {
    return yield* withWorkers(work, { size: 1 }, function* (workers) {
      return yield* workers.callWith({ transfer: [buffer] }, 'byteLength', buffer);
    });
  });
  equal([n, buffer.byteLength], [64, 0], 'length there, detached here');
});

test(`[${runtime}] worker: a crashing worker fails its call with ResourceBroken and is replaced`, async () => {
  await run(function* () {
    yield* withWorkers(work, { size: 1 }, function* (workers) {
      const error = yield* caught(workers.call('crash'));
      assert(error instanceof ResourceBroken, `ResourceBroken, got ${error && error.name}: ${error && error.message}`);
      equal(workers.statistics().replaced, 1, 'replaced');
      equal(yield* workers.call('add', 1, 1), 2, 'the replacement works');
    });
  });
});

if (runtime !== 'deno') {
  // Deno's sanitizer already fails any test above that leaves a worker behind.
  test(`[${runtime}] worker: a program using a pool exits by itself`, async () => {
    const program = new URL('./worker-program.mjs', import.meta.url).pathname;
    const { spawnSync } = await import('node:child_process');
    const child = spawnSync(process.execPath, [program], { encoding: 'utf8', timeout: 15_000 });
    equal([child.status, child.stdout.trim()], [0, 'result 9'], `exit status and output (stderr: ${child.stderr})`);
  });
}
