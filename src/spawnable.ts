/** Checks that a task body is a generator function and starts its generator. @internal */
import { describe } from './describe.js';
import type { Operation } from './task.js';

export function isGenerator(value: unknown): value is Operation<unknown> {
  return typeof value === 'object' && value !== null &&
    typeof (value as Generator).next === 'function' && typeof (value as Generator).throw === 'function' &&
    typeof (value as Generator).return === 'function';
}

/** Calls `fn(...args)` and returns the generator, or throws a TypeError that says what went wrong. */
const GeneratorFunction = Object.getPrototypeOf(function* () { /* a generator function */ }).constructor;

export function startGenerator<T>(what: string, fn: unknown, args: unknown[]): Operation<T> {
  // The common case, checked cheaply: a real generator function always returns a generator.
  if (fn instanceof GeneratorFunction) return (fn as (...a: unknown[]) => Operation<T>)(...args);
  if (typeof fn !== 'function') {
    if (isGenerator(fn)) {
      throw new TypeError(
        `${what} expects a generator function and its arguments, got a generator object. ` +
        `Looks like you wrote ${what}(main(arg)): write ${what}(main, arg) instead`);
    }
    throw new TypeError(`${what} expects a generator function (function*), got ${describe(fn)}`);
  }
  const tag = Object.prototype.toString.call(fn);
  if (tag === '[object AsyncFunction]' || tag === '[object AsyncGeneratorFunction]') {
    throw new TypeError(
      `${what} expects a generator function (function*), got ${describe(fn)}: ` +
      'giambio tasks are generators that `yield*` operations; use `until(promise)` to wait for a Promise inside one');
  }
  const gen = (fn as (...a: unknown[]) => unknown)(...args);
  if (!isGenerator(gen)) {
    throw new TypeError(
      `${what} expects a generator function (function*); ${describe(fn)} returned ${describe(gen)} instead of a generator`);
  }
  return gen as Operation<T>;
}
