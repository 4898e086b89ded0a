import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/operations.js';
import { createPool } from '../../src/pool.js';
import { createContext } from '../../src/context.js';
import { resource } from '../../src/resource.js';
import type { TaskStatus } from '../../src/start.js';
import { CancelledError, GiambioError } from '../../src/errors.js';
import { runChecked, runCheckedRejects } from '../helpers.js';

describe('context', () => {
  it('get() returns the task\'s value, else the default', async () => {
    const Locale = createContext<string>('Locale', 'en');
    const seen = await runChecked(function* () {
      const before = Locale.get();
      Locale.set('it');
      return [before, Locale.get()];
    });
    expect(seen).toEqual(['en', 'it']);
  });

  it('get() with neither a value nor a default throws GiambioError naming the context', async () => {
    const User = createContext<string>('User');
    const error = await runCheckedRejects(function* () { User.get(); });
    expect(error).toBeInstanceOf(GiambioError);
    expect((error as Error).message).toMatch(/User/);
  });

  it('an explicit undefined default is a default', async () => {
    const Maybe = createContext<string | undefined>('Maybe', undefined);
    expect(await runChecked(function* () { return Maybe.get(); })).toBeUndefined();
  });

  it('get(), set() and with() outside a task throw GiambioError', () => {
    const C = createContext('C', 1);
    expect(() => C.get()).toThrow(GiambioError);
    expect(() => C.set(2)).toThrow(GiambioError);
    expect(() => C.with(2, function* () { /* nothing */ }).next()).toThrow(GiambioError);
  });

  it('a spawned task inherits the spawner\'s values at spawn time; later changes leak neither way', async () => {
    const C = createContext<string>('C', 'default');
    const log: string[] = [];
    await runChecked(function* () {
      C.set('parent-1');
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          log.push(`child sees ${C.get()}`);
          yield* sleep(2);
          log.push(`child still sees ${C.get()}`);
          C.set('child');
          log.push(`child set ${C.get()}`);
        });
        yield* sleep(1);
        C.set('parent-2');
        pool.spawn(function* () { log.push(`second child sees ${C.get()}`); });
        yield* sleep(5);
        log.push(`parent sees ${C.get()}`);
      });
    });
    expect(log).toEqual(['child sees parent-1', 'second child sees parent-2', 'child still sees parent-1', 'child set child', 'parent sees parent-2']);
  });

  it('with() sets the value only while the body runs and returns its result', async () => {
    const C = createContext<number>('C', 0);
    const seen = await runChecked(function* () {
      const inside = yield* C.with(5, function* () { yield* sleep(1); return C.get() * 2; });
      return [inside, C.get()];
    });
    expect(seen).toEqual([10, 0]);
  });

  it('with() restores the previous value on error and on cancellation, and keeps other contexts\' sets', async () => {
    const C = createContext<number>('C', 0);
    const D = createContext<string>('D', 'd0');
    const log: string[] = [];
    await runChecked(function* () {
      C.set(1);
      try {
        yield* C.with(2, function* () { D.set('d1'); throw new RangeError('boom'); });
      } catch (e) { log.push(`${(e as Error).message}: C=${C.get()} D=${D.get()}`); }
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          try { yield* C.with(3, function* () { yield* sleep(100); }); } catch (e) {
            log.push(`${e instanceof CancelledError ? 'cancelled' : 'other'}: C=${C.get()}`); throw e;
          }
        });
        yield* sleep(1);
        pool.cancel();
      });
    });
    expect(log).toEqual(['boom: C=1 D=d1', 'cancelled: C=1']);
  });

  it('a started task and a resource inherit the caller\'s values', async () => {
    const C = createContext<string>('C', 'none');
    const seen = await runChecked(function* () {
      C.set('caller');
      return yield* createPool(function* (pool) {
        const fromStart = yield* pool.start(function* (status: TaskStatus<string>) { status.started(C.get()); });
        const fromResource = yield* resource<string>(function* (provide) { yield* provide(C.get()); });
        return [fromStart, fromResource];
      });
    });
    expect(seen).toEqual(['caller', 'caller']);
  });

  it('many contexts: each task sees its own set, and a set copies only the setter\'s values', async () => {
    const contexts = Array.from({ length: 10 }, (_, i) => createContext<number>(`C${i}`, -1));
    const seen = await runChecked(function* () {
      contexts.forEach((c, i) => c.set(i));
      return yield* createPool(function* (pool) {
        const tasks = contexts.map((c, i) => pool.spawn(function* () { c.set(i * 10); yield* sleep(1); return contexts.map((x) => x.get()); }));
        yield* sleep(2);
        return [contexts.map((x) => x.get()), ...tasks.map((t) => t.result!)];
      });
    });
    expect(seen![0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // createPool's type includes undefined (a pool that cancelled itself)
    expect(seen![3]).toEqual([0, 1, 20, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('createContext checks its name', () => {
    expect(() => createContext(42 as never)).toThrow(TypeError);
  });
});
