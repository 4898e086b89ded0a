// A first look at giambio: concurrent tasks in a pool, a timeout, and a cancellation.
// Run with `npm start` (or `node examples/concurrent-tasks.mjs` after `npm run build`).
import { run, createPool, withTimeout, sleep, clock, TooSlowError, CancelledError } from '../dist/index.mjs';

const started = performance.now();
const at = () => `${String(Math.round(performance.now() - started)).padStart(4)} ms`;

function* worker(name, ms) {
  console.log(`${at()}  ${name}: working for ${ms} ms`);
  try {
    yield* sleep(ms);
    console.log(`${at()}  ${name}: done`);
    return ms;
  } catch (error) {
    if (error instanceof CancelledError) console.log(`${at()}  ${name}: cancelled, cleaning up`);
    throw error;
  }
}

const elapsed = await run(function* main() {
  const begin = clock();
  // Three workers at once: the pool waits for all of them (about 300 ms, not 600).
  const results = yield* createPool(function* (pool) {
    const tasks = [pool.spawn(worker, 'alpha', 300), pool.spawn(worker, 'beta', 100), pool.spawn(worker, 'gamma', 200)];
    console.log(`${at()}  main: spawned ${tasks.length} workers`);
    return tasks;
  });
  console.log(`${at()}  main: all workers finished: ${results.map((t) => t.result).join(', ')}`);

  // A timeout is a pool with a deadline: on expiry everything inside is cancelled.
  try {
    yield* withTimeout(150, function* (pool) {
      pool.spawn(worker, 'slow', 1000);
      yield* worker('inline', 1000);
    });
  } catch (error) {
    if (!(error instanceof TooSlowError)) throw error;
    console.log(`${at()}  main: the slow work timed out after 150 ms, and both tasks were cleaned up`);
  }
  return clock() - begin;
});
console.log(`${at()}  finished: the root task ran for ${Math.round(elapsed)} ms of loop time`);
