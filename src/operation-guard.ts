/**
 * Operations are not Promises. An operation object (what `sleep(10)`, `queue.get()`, `connect(…)`
 * return) is a generator-like object that a task drives with `yield*`; `await op` in an async
 * function would resolve at once with the object itself and let the program race on. So every
 * operation giambio creates has a `then` that throws a TypeError saying what to do instead: `await`
 * (and `Promise.resolve(op)`) call `then`, and the promise rejects with it.
 *
 * Discussion: the `then` lives on the prototype (a generator function's `prototype`, an operation
 * class's prototype), installed once at module load, so an operation object costs nothing more to
 * make and `yield*` (which calls only `next`/`throw`/`return`) never looks at it. Modules call
 * `guardOperations(...)` once, after their declarations, with every generator function, class or
 * operation object they export; a class has all of its generator methods (static too) guarded.
 * tests/structure/operation-guard.test.ts checks every public entry's exports. That makes this the
 * one list of generator methods that make operations, so it also registers them for debug-mode
 * tracking of operations that are never driven (undriven.ts, `trackMethodsInDebug`).
 * @internal
 */
import { GiambioError } from './errors.js';
import { maybeRunningKernel } from './run-context.js';
import { TrackedOperation, trackMethodsInDebug } from './undriven.js';

const GeneratorFunction = Object.getPrototypeOf(function* () { /* a generator function */ }).constructor;

/** A `then` that refuses: awaiting the operation `name` rejects with this TypeError. */
function refusingThen(name: string | ((op: never) => string)): () => never {
  return function then(this: never): never {
    throw new TypeError(
      `${typeof name === 'string' ? name : name(this)} returned a giambio operation, and operations are not Promises: \`yield*\` it inside a task ` +
      '(a generator passed to run() or pool.spawn()), or use `run(...)` / `task.toPromise()` from async code');
  };
}

function defineThen(target: object, name: string | ((op: never) => string)): void {
  if (Object.prototype.hasOwnProperty.call(target, 'then')) return;
  Object.defineProperty(target, 'then', { value: refusingThen(name), writable: true, configurable: true, enumerable: false });
}

function isGeneratorFunction(value: unknown): value is (...args: never[]) => Generator {
  return value instanceof GeneratorFunction;
}

/**
 * Guards the generator methods found on `holder` (a prototype, or a class for its static ones), and
 * has them tracked in debug mode under the name users write (`lock.acquire()`, `TaskPool.runPool()`).
 */
function guardMethods(holder: object, prefix: string, instancePrefix: string): void {
  for (const key of Object.getOwnPropertyNames(holder)) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, key)!;
    if (!isGeneratorFunction(descriptor.value)) continue;
    defineThen(descriptor.value.prototype as object, `${prefix}${key}()`);
    trackMethodsInDebug(holder as Record<string, unknown>, key, `${instancePrefix}${key}()`);
  }
}

/**
 * Gives every operation object that `targets` create a `then` that rejects when awaited. A target
 * is a generator function, a class (its generator methods, and the class itself if its instances
 * are operations: it has `next` and `[Symbol.iterator]`), or an operation object.
 */
export function guardOperations(...targets: object[]): void {
  for (const target of targets) {
    if (isGeneratorFunction(target)) {
      defineThen(target.prototype as object, `${target.name || 'an operation'}()`);
    } else if (typeof target === 'function') {
      const cls = target as { name: string; prototype: Record<PropertyKey, unknown> };
      const instance = cls.name.charAt(0).toLowerCase() + cls.name.slice(1);
      guardMethods(cls.prototype, `${cls.name}.`, `${instance}.`);
      guardMethods(cls, `${cls.name}.`, `${cls.name}.`);
      const proto = cls.prototype;
      if (typeof proto.next === 'function' && typeof proto[Symbol.iterator] === 'function') defineThen(proto, `${cls.name}`);
    } else {
      defineThen(target, 'an operation');
    }
  }
}

/**
 * Like `guardOperations` for one operation class, naming its objects as users know them (`sleep()`),
 * or by a function of the object when one class serves several operations.
 */
export function guardOperationClass<O>(cls: { prototype: O }, name: string | ((op: O) => string)): void {
  defineThen(cls.prototype as object, name as (op: never) => string);
}

/** Guards one operation object that is not made by a class (a shared singleton). */
export function guardOperationObject(op: object, name: string): void {
  defineThen(op, name);
}

/**
 * Throws unless a task of a running loop is executing: for operation objects that are not
 * generators (a generator's body already asks the run context) at their first step.
 * @throws {GiambioError} outside a task.
 */
export function refuseOutsideTask(what: string): void {
  if (maybeRunningKernel() === null) {
    throw new GiambioError(
      `${what} was driven outside a task: giambio operations run inside a task (\`yield*\` them in a ` +
      'generator passed to run() or pool.spawn())');
  }
}

// Awaiting a tracked operation rejects like any other, naming it as written.
guardOperationClass(TrackedOperation, (op: TrackedOperation<unknown>) => op.what);
