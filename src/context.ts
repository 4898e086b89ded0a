/**
 * Task-local context (trio's contextvars, Effection's `createContext`): a value per task, inherited
 * by the tasks it spawns or starts, at spawn time.
 *
 * Discussion: a task's values are one immutable `Map` (`TaskImpl.context`), shared by reference with
 * every task spawned while it is current. A spawn copies that reference and nothing else, so spawning
 * costs the same with 0 or 100 contexts set; `set` and `with` build a new map for the current task only
 * (copy-on-write), which is also why a later change on either side never leaks to the other. Sets are
 * rare next to spawns and reads; a map with a handful of entries copies in well under a microsecond.
 * @internal
 */
import { GiambioError } from './errors.js';
import { checkString } from './check.js';
import { maybeRunningKernel } from './run-context.js';
import { startGenerator } from './spawnable.js';
import type { Operation, TaskImpl } from './task.js';
import { guardOperations } from './operation-guard.js';

/** The values of one task: never mutated once assigned to a task (not exported from the package). */
export type ContextValues = ReadonlyMap<Context<unknown>, unknown>;

const NO_DEFAULT: unique symbol = Symbol('no default');

function currentTaskFor(what: string): TaskImpl {
  const kernel = maybeRunningKernel();
  if (kernel === null) throw new GiambioError(`${what} must be called from inside a giambio task (context values belong to tasks)`);
  return kernel.current!;
}

function withValue(values: ContextValues | null, key: Context<unknown>, value: unknown): ContextValues {
  const next = new Map(values ?? undefined);
  next.set(key, value);
  return next;
}

function withoutValue(values: ContextValues | null, key: Context<unknown>): ContextValues | null {
  if (values === null || !values.has(key)) return values;
  const next = new Map(values);
  next.delete(key);
  return next.size === 0 ? null : next;
}

/**
 * A task-local value: each task sees its own, inherited from the task that spawned it. Create one
 * with `createContext`.
 * @example
 * const RequestId = createContext<string>('RequestId', '-');
 * yield* RequestId.with('r-42', function* () {
 *   console.log(RequestId.get()); // 'r-42', also in every task spawned in here
 * });
 */
export class Context<T> {
  readonly #default: T | typeof NO_DEFAULT;

  /** The name given to `createContext`, shown in errors. */
  readonly name: string;

  /** @internal Use `createContext`. */
  constructor(name: string, defaultValue: T | typeof NO_DEFAULT) {
    this.name = name;
    this.#default = defaultValue;
  }

  /**
   * The current task's value, else the default.
   * @example
   * const user = CurrentUser.get();
   * @throws {GiambioError} outside a task, or when the task has no value and there is no default.
   */
  get(): T {
    const values = currentTaskFor(`${this.name}.get()`).context;
    if (values !== null && values.has(this as Context<unknown>)) return values.get(this as Context<unknown>) as T;
    if (this.#default !== NO_DEFAULT) return this.#default;
    throw new GiambioError(`context ${this.name} has no value in this task and no default`);
  }

  /**
   * Sets the value for the current task from now on (and for the tasks it spawns from now on).
   * Tasks spawned earlier keep what they inherited.
   * @example
   * Locale.set('it');
   * @throws {GiambioError} outside a task.
   */
  set(value: T): void {
    const task = currentTaskFor(`${this.name}.set()`);
    task.context = withValue(task.context, this as Context<unknown>, value);
  }

  /**
   * Runs `body()` with the value set to `value`, and returns its result. Afterwards, also when
   * `body` raises or is cancelled, this context's previous value is back (other contexts keep what
   * `body` set).
   * @example
   * const reply = yield* Deadline.with(500, function* () { return yield* fetchReply(); });
   * @throws {GiambioError} outside a task. Whatever `body` raises.
   */
  *with<R>(value: T, body: () => Operation<R>): Operation<R> {
    const task = currentTaskFor(`${this.name}.with()`);
    const key = this as Context<unknown>;
    const before = task.context;
    const had = before !== null && before.has(key);
    const previous = had ? before.get(key) : undefined;
    const gen = startGenerator<R>(`${this.name}.with`, body, []);
    task.context = withValue(before, key, value);
    try {
      return yield* gen;
    } finally {
      task.context = had ? withValue(task.context, key, previous) : withoutValue(task.context, key);
    }
  }

  /** `Context(name)`. */
  toString(): string {
    return `Context(${this.name})`;
  }
}

/**
 * Creates a task-local context. `name` appears in errors; `defaultValue` is what `get()` returns in a
 * task that has no value (without one, `get()` there throws).
 * @example
 * import { run, createContext, createPool } from 'giambio';
 * const Locale = createContext<string>('Locale', 'en');
 * await run(function* () {
 *   Locale.set('it');
 *   yield* createPool(function* (pool) {
 *     pool.spawn(function* () { console.log(Locale.get()); }); // 'it': inherited at spawn
 *   });
 * });
 * @throws {TypeError} if `name` is not a string.
 */
export function createContext<T>(name: string, defaultValue?: T): Context<T> {
  checkString('name', name);
  // An explicit `undefined` is a default; only a missing argument means none.
  return new Context<T>(name, arguments.length < 2 ? NO_DEFAULT : defaultValue as T);
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(Context);
