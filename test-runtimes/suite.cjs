// The cross-runtime suite: the same tests under Node (node:test), Bun (bun:test) and Deno
// (Deno.test), against the packed package installed in a scratch consumer (see scripts/matrix.mjs),
// loaded as ESM (esm.test.mjs) and as CommonJS (cjs.test.cjs). Runtime-neutral on purpose: no
// node: imports, its own tiny assertions.
'use strict';

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

async function rejects(promise, Class, what) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof Class)) throw new Error(`${what}: expected a ${Class.name}, got ${error && error.name}: ${error && error.message}`);
    return error;
  }
  throw new Error(`${what}: expected a ${Class.name}, but it resolved`);
}

/**
 * @param test `(name, fn, options?)`; options.channel marks tests whose loop leaves the browser
 *   host's MessageChannel open (Deno's resource sanitizer must be off for them).
 * @param api `{ g, testing, browser, flavour }`: the package's entries as this runtime loads them.
 */
function defineSuite(test, api) {
  const { g, testing, browser, flavour } = api;
  const { run, sleep, checkpoint, clock, createPool, withTimeout, skipAfter, EventLoop } = g;
  const name = (text) => `[${flavour}] ${text}`;

  test(name('run resolves with the root task value'), async () => {
    equal(await run(function* () { yield* checkpoint(); return 42; }), 42, 'value');
  });

  test(name('run rejects with the original error object'), async () => {
    const boom = new Error('boom');
    const error = await rejects(run(function* () { yield* sleep(1); throw boom; }), Error, 'failure');
    assert(error === boom, 'the very same object');
  });

  test(name('sleep waits on the real clock'), async () => {
    const t0 = performance.now();
    await run(function* () { yield* sleep(20); });
    assert(performance.now() - t0 >= 19, `slept ${performance.now() - t0} ms`);
  });

  test(name('checkpoint lets the other ready tasks run first'), async () => {
    const order = await run(function* () {
      const order = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { order.push('a1'); yield* checkpoint(); order.push('a2'); });
        pool.spawn(function* () { order.push('b1'); yield* checkpoint(); order.push('b2'); });
      });
      return order;
    });
    equal(order, ['a1', 'b1', 'a2', 'b2'], 'interleaving');
  });

  test(name('createPool waits for its children, which run concurrently'), async () => {
    const t0 = performance.now();
    const done = await run(function* () {
      const done = [];
      yield* createPool(function* (pool) {
        for (const ms of [30, 10, 20]) pool.spawn(function* () { yield* sleep(ms); done.push(ms); });
      });
      return done;
    });
    equal(done, [10, 20, 30], 'completion order');
    assert(performance.now() - t0 < 500, 'concurrent, not sequential');
  });

  test(name('a failing child cancels its siblings and its error surfaces'), async () => {
    const boom = new Error('child failed');
    let siblingCancelled = false;
    const error = await rejects(run(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          try { yield* sleep(10_000); } catch (e) { siblingCancelled = e instanceof g.CancelledError; throw e; }
        });
        pool.spawn(function* () { yield* sleep(5); throw boom; });
      });
    }), Error, 'pool failure');
    assert(error === boom, 'the child error itself');
    assert(siblingCancelled, 'the sibling saw CancelledError');
  });

  test(name('withTimeout raises TooSlowError; skipAfter returns undefined'), async () => {
    await rejects(run(function* () { yield* withTimeout(10, function* () { yield* sleep(10_000); }); }), g.TooSlowError, 'withTimeout');
    equal(await run(function* () { return (yield* skipAfter(10, function* () { yield* sleep(10_000); return 1; })) ?? 'skipped'; }), 'skipped', 'skipAfter');
  });

  test(name('cancellation runs finally blocks; join reports TaskCancelledError'), async () => {
    const seen = await run(function* () {
      const seen = [];
      yield* createPool(function* (pool) {
        const child = pool.spawn(function* () {
          try { yield* sleep(10_000); } finally { seen.push('finally'); }
        });
        pool.spawn(function* () {
          try { yield* child.join(); } catch (e) { seen.push(e instanceof g.TaskCancelledError ? 'TaskCancelledError' : String(e)); }
        });
        yield* sleep(5);
        child.cancel();
      });
      return seen;
    });
    equal(seen, ['finally', 'TaskCancelledError'], 'cleanup and join');
  });

  test(name('an AbortSignal cancels the loop'), async () => {
    const controller = new AbortController();
    const outcome = new EventLoop({ signal: controller.signal }).run(function* () { yield* sleep(10_000); });
    setTimeout(() => controller.abort(new RangeError('stop')), 5);
    await rejects(outcome, RangeError, 'abort reason');
  });

  test(name('virtual time: an hour passes at once and exactly'), async () => {
    const t0 = performance.now();
    const times = await testing.runVirtual(function* () {
      const times = [clock()];
      yield* sleep(3_600_000);
      times.push(clock());
      yield* withTimeout(1000, function* () { yield* sleep(999); });
      times.push(clock());
      return times;
    });
    equal(times, [0, 3_600_000, 3_600_999], 'virtual clock');
    assert(performance.now() - t0 < 1000, 'instant');
  });

  test(name('manual stepping with a MockClock'), () => {
    const mock = new testing.MockClock();
    const loop = new EventLoop({ clock: mock });
    const log = [];
    const task = loop.start(function* () { log.push(clock()); yield* sleep(100); log.push(clock()); return 'done'; });
    loop.step();
    equal(loop.nextDeadline(), 100, 'deadline');
    mock.jump(100);
    loop.step();
    equal(log, [0, 100], 'steps');
    equal(task.result, 'done', 'result');
    assert(loop.done, 'loop done');
  });

  test(name('errors are recognised with instanceof'), () => {
    assert(new g.CancelledError() instanceof g.GiambioError, 'CancelledError is a GiambioError');
    assert(new g.ErrorStack([1, 2]) instanceof AggregateError, 'ErrorStack is an AggregateError');
  });

  test(name('giambio/browser: browserHost drives a loop; once() waits for an EventTarget event'), async () => {
    const target = new EventTarget();
    const loop = new EventLoop({ host: browser.browserHost });
    const detail = await loop.run(function* () {
      let detail;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { detail = (yield* browser.once(target, 'ping')).type; });
        yield* sleep(5);
        target.dispatchEvent(new Event('ping'));
      });
      return detail;
    });
    equal(detail, 'ping', 'event type');
  }, { channel: true });

  test(name('giambio/browser: fetch of a data: URL, and on() streams'), async () => {
    const target = new EventTarget();
    const got = await new EventLoop({ host: browser.browserHost }).run(function* () {
      const text = yield* browser.readText(yield* browser.fetch('data:text/plain,hi'));
      const events = browser.on(target, 'n');
      target.dispatchEvent(new Event('n'));
      yield* events.next();
      events.close();
      return text;
    });
    equal(got, 'hi', 'body');
  }, { channel: true });
}

module.exports = { defineSuite };
