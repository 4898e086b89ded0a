// Debugging tools, from a real run: a task tree, a deadlock report, and a logical task trace.
// `npm run build && node examples/debugging.mjs`
import { EventLoop, createPool, withTimeout, sleep, checkpoint, formatTaskTree, DeadlockError } from '../dist/index.mjs';
import { MockClock } from '../dist/testing.mjs';

// 1. The live task tree, taken while a server-like program is busy.
const loop = new EventLoop({ clock: new MockClock({ autojump: true }) });
await loop.run(function* main() {
  yield* withTimeout(30_000, function* (pool) {
    pool.spawnWith({ name: 'accept-loop' }, function* () { yield* sleep(60_000); });
    pool.spawn(function* handler(id) {
      yield* createPool(function* (inner) {
        inner.spawn(function* reader() { yield* sleep(1000); });
        inner.spawn(function* writer() { yield* sleep(2000); });
      });
    }, 1);
    yield* checkpoint();
    yield* checkpoint();
    console.log('--- loop.dumpTasks(), formatted ---');
    console.log(formatTaskTree(loop.dumpTasks()));
    pool.cancel();
  });
});

// 2. A deadlock: two tasks waiting for each other. The root fails with DeadlockError.
try {
  await new EventLoop({ clock: new MockClock({ autojump: true }) }).run(function* main() {
    yield* createPool(function* (pool) {
      const tasks = [];
      tasks.push(pool.spawn(function* producer() { yield* tasks[1].join(); }));
      tasks.push(pool.spawn(function* consumer() { yield* tasks[0].join(); }));
    });
  });
} catch (error) {
  if (!(error instanceof DeadlockError)) throw error;
  console.log('\n--- DeadlockError ---');
  console.log(error.message);
}

// 3. With debug: true, a failing task's error says where it was spawned and who was waiting.
try {
  await new EventLoop({ debug: true }).run(function* main() {
    yield* createPool(function* (pool) {
      pool.spawn(function* worker() {
        yield* createPool(function* (inner) {
          inner.spawn(function* parse() { yield* sleep(1); throw new SyntaxError('unexpected token'); });
        });
      });
    });
  });
} catch (error) {
  console.log('\n--- error.stack with debug: true (tail) ---');
  console.log(error.stack.slice(error.stack.indexOf('    giambio task trace')));
}
