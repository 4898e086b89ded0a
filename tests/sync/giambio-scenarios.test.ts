// giambio's events, event_timeout, lock and queue scripts (../shared/GIAMBIO.md §3), as assertions
// on exact virtual times. Differences from giambio's printed order come from two deliberate
// choices, noted at each test: Event.trigger() is synchronous (giambio awaited it, and it ran the
// waiters first), and every blocking method is always a checkpoint (giambio's put/get on a queue
// with room did not yield).
import { describe, expect, it } from 'vitest';
import { clock, sleep } from '../../src/operations.js';
import { createPool, skipAfter } from '../../src/pool.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { Queue } from '../../src/sync/queue.js';
import type { Operation } from '../../src/task.js';
import { runChecked } from '../helpers.js';

/** A log of `t<ms> message` lines. */
function recorder() {
  const lines: string[] = [];
  return { lines, log: (message: string) => { lines.push(`t${clock()} ${message}`); } };
}

describe('giambio scenarios: sync primitives', () => {
  it('events: the child waits for the value the parent triggers after 3 s, then sleeps 5 s', async () => {
    const { lines, log } = recorder();
    function* child(ev: Event<boolean>, pause: number): Operation<void> {
      log('[child] Child is alive! Going to wait until notified');
      const startTotal = clock();
      const data = yield* ev.wait();
      const endPause = clock() - startTotal;
      log(`[child] Parent set the event with value ${data}, exiting in ${pause} seconds`);
      const startSleep = clock();
      yield* sleep(pause * 1000);
      const endSleep = clock() - startSleep;
      log(`[child] Done! Slept for ${(clock() - startTotal) / 1000} seconds total (${endPause / 1000} waiting, ${endSleep / 1000} sleeping), nice nap!`);
    }
    await runChecked(function* parent() {
      const pause = 3;
      const start = clock();
      yield* createPool(function* (pool) {
        const event = new Event<boolean>();
        log('[parent] Spawning child task');
        pool.spawn(child, event, pause + 2);
        log(`[parent] Sleeping ${pause} second(s) before setting the event`);
        yield* sleep(pause * 1000);
        event.trigger(true);
        log('[parent] Event set, awaiting child completion');
      });
      log(`[parent] Child exited in ${(clock() - start) / 1000} seconds`);
    });
    // trigger() is synchronous: the parent's next line comes before the child runs (same instant).
    expect(lines).toEqual([
      't0 [parent] Spawning child task',
      't0 [parent] Sleeping 3 second(s) before setting the event',
      't0 [child] Child is alive! Going to wait until notified',
      't3000 [parent] Event set, awaiting child completion',
      't3000 [child] Parent set the event with value true, exiting in 5 seconds',
      't8000 [child] Done! Slept for 8 seconds total (3 waiting, 5 sleeping), nice nap!',
      't8000 [parent] Child exited in 8 seconds',
    ]);
  });

  it('event_timeout: skipAfter(5 s) cancels the child sleeping after the event, silently', async () => {
    const { lines, log } = recorder();
    function* child(ev: Event<boolean>, pause: number): Operation<void> {
      log('[child] Child is alive! Going to wait until notified');
      const data = yield* ev.wait();
      log(`[child] Parent set the event with value ${data}, exiting in ${pause} seconds`);
      yield* sleep(pause * 1000);
      log('[child] Done!');
    }
    await runChecked(function* parent() {
      const pause = 2;
      const start = clock();
      let timedOut = false;
      yield* skipAfter(5000, function* (pool) {
        const event = new Event<boolean>();
        log('[parent] Spawning child task');
        pool.spawn(child, event, pause + 2);
        log(`[parent] Sleeping ${pause} second(s) before setting the event`);
        yield* sleep(pause * 1000);
        event.trigger(true);
        log('[parent] Event set, awaiting child completion');
        try { yield* sleep(Infinity); } finally { timedOut = pool.timedOut; }
      });
      if (timedOut) log('[parent] Timeout has expired!');
      log(`[parent] Child exited in ${(clock() - start) / 1000} seconds`);
    });
    expect(lines).toEqual([
      't0 [parent] Spawning child task',
      't0 [parent] Sleeping 2 second(s) before setting the event',
      't0 [child] Child is alive! Going to wait until notified',
      't2000 [parent] Event set, awaiting child completion',
      't2000 [child] Parent set the event with value true, exiting in 4 seconds',
      't5000 [parent] Timeout has expired!',
      't5000 [parent] Child exited in 5 seconds',
    ]);
  });

  it('lock: two lockers put their ranges in order while two counters run unlocked', async () => {
    const { lines, log } = recorder();
    function* child(start: number, limit: number, q: Queue<number>, l: Lock): Operation<void> {
      yield* l.withLock(function* () {
        while (start <= limit) {
          log(`[locked (${limit})] ${start}`);
          yield* q.put(start);
          start++;
          yield* sleep(1000);
        }
      });
    }
    function* other(stop: number): Operation<void> {
      for (let n = stop; n > 0; n--) {
        log(`[unlocked (${stop})] ${n}`);
        yield* sleep(1000);
      }
    }
    const queue = new Queue<number>();
    await runChecked(function* main() {
      const lock = new Lock();
      yield* createPool(function* (pool) {
        pool.spawn(child, 1, 5, queue, lock);
        pool.spawn(child, 6, 10, queue, lock);
        pool.spawn(other, 10);
        pool.spawn(other, 5);
      });
      log(`Result: ${queue}`);
      log('[main] Done');
    });
    // acquire() is always a checkpoint, so the first locker logs after the counters at t0 (giambio:
    // before them), and keeps that place since its timers are armed after theirs.
    const expected: string[] = [];
    for (let s = 0; s < 5; s++) {
      expected.push(`t${s * 1000} [unlocked (10)] ${10 - s}`, `t${s * 1000} [unlocked (5)] ${5 - s}`, `t${s * 1000} [locked (5)] ${s + 1}`);
    }
    for (let s = 5; s < 10; s++) expected.push(`t${s * 1000} [unlocked (10)] ${10 - s}`, `t${s * 1000} [locked (10)] ${s + 1}`);
    expected.push('t10000 Result: Queue(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)', 't10000 [main] Done');
    expect(lines).toEqual(expected);
  });

  it('queue: a producer fills a Queue(2) ahead of a consumer that takes one item per second', async () => {
    const { lines, log } = recorder();
    function* producer(q: Queue<number | null>, n: number): Operation<void> {
      for (let i = 0; i < n; i++) {
        yield* q.put(i);
        log(`Produced ${i}`);
      }
      yield* q.put(null);
      log('Producer done');
    }
    function* consumer(q: Queue<number | null>): Operation<void> {
      for (;;) {
        const item = yield* q.get();
        if (item === null) { log('Consumer done'); break; }
        log(`Consumed ${item}`);
        yield* sleep(1000);
      }
    }
    await runChecked(function* main() {
      const queue = new Queue<number | null>(2);
      log('Starting consumer and producer');
      yield* createPool(function* (pool) {
        pool.spawn(producer, queue, 5);
        pool.spawn(consumer, queue);
      });
      log('Bye!');
    });
    // put() and get() are always checkpoints, so at t0 the consumer logs between two puts.
    expect(lines).toEqual([
      't0 Starting consumer and producer',
      't0 Produced 0',
      't0 Consumed 0',
      't0 Produced 1',
      't0 Produced 2',
      't1000 Produced 3',
      't1000 Consumed 1',
      't2000 Produced 4',
      't2000 Consumed 2',
      't3000 Producer done',
      't3000 Consumed 3',
      't4000 Consumed 4',
      't5000 Consumer done',
      't5000 Bye!',
    ]);
  });
});
