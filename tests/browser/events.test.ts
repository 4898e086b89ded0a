import { describe, expect, it } from 'vitest';
import { on, once } from '../../src/browser/events.js';
import { createPool, withTimeout } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { CancelledError, EndOfChannel, TooSlowError } from '../../src/errors.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { CountingTarget, runInBrowser, runInBrowserRejects } from './helpers.js';
import { raisedBy } from '../helpers.js';

describe('once', () => {
  it('returns the next event of an EventTarget and removes its listener', async () => {
    const target = new CountingTarget();
    const detail = await runInBrowser(function* () {
      let detail: unknown;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { detail = (yield* once<CustomEvent>(target, 'ping')).detail; });
        yield* sleep(5);
        expect(target.count('ping')).toBe(1);
        target.dispatchEvent(new CustomEvent('ping', { detail: 42 }));
      });
      return detail;
    });
    expect(detail).toBe(42);
    expect(target.count('ping')).toBe(0);
  });

  it('waits for a click on a DOM button', async () => {
    const button = document.createElement('button');
    document.body.append(button);
    try {
      const type = await runInBrowser(function* () {
        let type = '';
        yield* createPool(function* (pool) {
          pool.spawn(function* () { type = (yield* once<MouseEvent>(button, 'click')).type; });
          yield* sleep(5);
          button.click();
        });
        return type;
      });
      expect(type).toBe('click');
    } finally {
      button.remove();
    }
  });

  it('cancellation removes the listener', async () => {
    const target = new CountingTarget();
    const error = await runInBrowserRejects(function* () {
      yield* withTimeout(20, function* () { yield* once(target, 'never'); });
    });
    expect(error).toBeInstanceOf(TooSlowError);
    expect(target.count('never')).toBe(0);
  });

  it('an event dispatched by another task wakes the waiter (synchronous dispatch inside a step)', async () => {
    const target = new EventTarget();
    const got = await runInBrowser(function* () {
      let got = false;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* once(target, 'go'); got = true; });
        yield* waitAllTasksBlocked();
        target.dispatchEvent(new Event('go'));
      });
      return got;
    });
    expect(got).toBe(true);
  });

  it('preventDefault happens inside the listener, in time', async () => {
    const target = new EventTarget();
    const notCancelled = await runInBrowser(function* () {
      let result = true;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { yield* once(target, 'submit', { preventDefault: true }); });
        yield* sleep(5);
        result = target.dispatchEvent(new Event('submit', { cancelable: true }));
      });
      return result;
    });
    expect(notCancelled).toBe(false);
  });

  it('rejects something that is not an EventTarget', async () => {
    const error = await runInBrowserRejects(function* () { yield* once({} as EventTarget, 'x'); });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/EventTarget, got an Object/);
  });
});

describe('on', () => {
  it('buffers events that come before next() and returns them in order', async () => {
    const target = new CountingTarget();
    const details = await runInBrowser(function* () {
      const events = on<CustomEvent>(target, 'n');
      for (let i = 0; i < 3; i++) target.dispatchEvent(new CustomEvent('n', { detail: i }));
      expect(events.buffered).toBe(3);
      const details = [];
      for (let i = 0; i < 3; i++) details.push((yield* events.next()).detail);
      events.close();
      return details;
    });
    expect(details).toEqual([0, 1, 2]);
    expect(target.count('n')).toBe(0);
  });

  it('streams DOM input events to a waiting task', async () => {
    const input = document.createElement('input');
    document.body.append(input);
    try {
      const values = await runInBrowser(function* () {
        const values: string[] = [];
        yield* createPool(function* (pool) {
          pool.spawn(function* () {
            const events = on(input, 'input');
            for (;;) {
              values.push(((yield* events.next()).target as HTMLInputElement).value);
              if (values.length === 2) return;
            }
          });
          yield* sleep(5);
          for (const value of ['a', 'ab']) { input.value = value; input.dispatchEvent(new Event('input')); yield* sleep(1); }
        });
        return values;
      });
      expect(values).toEqual(['a', 'ab']);
    } finally {
      input.remove();
    }
  });

  it('the listener is removed when the task that opened the stream ends, even by cancellation', async () => {
    const target = new CountingTarget();
    await runInBrowser(function* () {
      yield* createPool(function* (pool) {
        pool.spawn(function* listener() {
          const events = on(target, 'tick');
          for (;;) yield* events.next();
        });
        yield* sleep(5);
        expect(target.count('tick')).toBe(1);
        pool.cancel();
      });
    });
    expect(target.count('tick')).toBe(0);
  });

  it('an event handed to a waiter is kept even if the waiter is cancelled before it runs', async () => {
    const target = new EventTarget();
    const got = await runInBrowser(function* () {
      let got: unknown;
      yield* createPool(function* (pool) {
        const events = on<CustomEvent>(target, 'x');
        pool.spawn(function* () { got = (yield* events.next()).detail; yield* sleep(10_000); });
        yield* waitAllTasksBlocked();
        target.dispatchEvent(new CustomEvent('x', { detail: 'kept' }));
        pool.cancel();
      });
      return got;
    });
    expect(got).toBe('kept');
  });

  it('a cancelled next() loses no event: a later call gets it', async () => {
    const target = new EventTarget();
    const got = await runInBrowser(function* () {
      const events = on<CustomEvent>(target, 'x');
      // Before: the check sat inside a catch, so the test also passed if the timeout never fired.
      expect(yield* raisedBy(withTimeout(5, function* () { yield* events.next(); }))).toBeInstanceOf(TooSlowError);
      target.dispatchEvent(new CustomEvent('x', { detail: 'later' }));
      const detail = (yield* events.next()).detail;
      events.close();
      return detail;
    });
    expect(got).toBe('later');
  });

  it('close() wakes a waiting task with EndOfChannel; buffered events are still delivered first', async () => {
    const target = new EventTarget();
    const seen = await runInBrowser(function* () {
      const seen: unknown[] = [];
      const events = on<CustomEvent>(target, 'e');
      target.dispatchEvent(new CustomEvent('e', { detail: 1 }));
      events.close();
      seen.push((yield* events.next()).detail);
      try { yield* events.next(); } catch (error) { seen.push(error); }
      const other = on(target, 'f');
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* other.next(); } catch (error) { seen.push(error); } });
        yield* sleep(5);
        other.close();
      });
      return seen;
    });
    expect(seen[0]).toBe(1);
    expect(seen[1]).toBeInstanceOf(EndOfChannel);
    expect(seen[2]).toBeInstanceOf(EndOfChannel);
  });

  it('next() on a cancelled task raises CancelledError even with events buffered', async () => {
    const target = new EventTarget();
    const outcome = await runInBrowser(function* () {
      const events = on(target, 'b');
      target.dispatchEvent(new Event('b'));
      let outcome: unknown;
      yield* createPool(function* (pool) {
        pool.cancel();
        try { yield* events.next(); } catch (error) { outcome = error; }
      });
      expect(events.buffered).toBe(1);
      events.close();
      return outcome;
    });
    expect(outcome).toBeInstanceOf(CancelledError);
  });

  it('on() outside a task throws', () => {
    expect(() => on(new EventTarget(), 'x')).toThrow(/inside a giambio task/);
  });
});
