// A whole program using a worker pool: worker.test.mjs runs it as a child process and checks that
// it prints its result and exits by itself (no worker thread or handle keeps it alive).
import { run } from 'giambio';
import { withWorkers } from 'giambio/worker';

const n = await run(function* () {
  return yield* withWorkers(new URL('./work.mjs', import.meta.url), { size: 2 }, function* (workers) {
    return (yield* workers.call('add', 1, 2)) + (yield* workers.call('nap', 1)).length;
  });
});
console.log(`result ${n}`);
