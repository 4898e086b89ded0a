/** Starts a task body's generator; the body is checked first (src/check.ts). @internal */
import { checkBody, isGenerator, notAGenerator } from './check.js';
import type { Operation } from './task.js';

export { isGenerator };

const GeneratorFunction = Object.getPrototypeOf(function* () { /* a generator function */ }).constructor;

/** Calls `fn(...args)` and returns the generator, or throws a TypeError that says what went wrong. */
export function startGenerator<T>(what: string, fn: unknown, args: unknown[]): Operation<T> {
  // The common case, checked cheaply: a real generator function always returns a generator.
  if (fn instanceof GeneratorFunction) return (fn as (...a: unknown[]) => Operation<T>)(...args);
  checkBody(what, fn);
  const gen = (fn as (...a: unknown[]) => unknown)(...args);
  if (!isGenerator(gen)) throw notAGenerator(what, fn, gen);
  return gen as Operation<T>;
}
