/**
 * Argument checks: the one home of every "Expected …, got …" error and of `describe`, which says
 * what came. Two message shapes, both naming what was expected and what came:
 *   "Expected `ms` to be a number ≥ 0 (milliseconds), got `NaN` (number)"  — a named argument;
 *   "until() expects a Promise (or another thenable), got `42` (number)"   — a function's argument.
 * A wrong type raises TypeError, a value of the right type out of range RangeError. Checks run
 * before anything is taken or started, and return the checked value so a call site stays one line.
 * A leaf: no runtime imports (tests/structure/checks.test.ts keeps argument errors here).
 * @internal
 */

/** Formats a value for an argument error: "`NaN` (number)", "`\"1\"` (string)", "a generator object". */
export function describe(value: unknown): string {
  if (value === null) return '`null`';
  const type = typeof value;
  if (type === 'string') return `\`${JSON.stringify(value)}\` (string)`;
  if (type === 'number' || type === 'boolean' || type === 'bigint' || type === 'undefined') {
    return `\`${String(value)}\` (${type})`;
  }
  if (type === 'symbol') return `\`${String(value)}\` (symbol)`;
  if (type === 'function') {
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    const name = (value as { name?: string }).name || 'anonymous';
    return tag === 'Function' ? `a function (${name})` : `an ${tag === 'AsyncFunction' ? 'async function' : tag} (${name})`;
  }
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag === 'Generator') return 'a generator object';
  if (tag === 'Promise') return 'a Promise';
  return `${/^[AEIOU]/.test(tag) ? 'an' : 'a'} ${tag}`;
}

/** A plain name (`ms`, `options.buffer`) is quoted as code; a phrase ("EventLoop options") is kept. */
function subjectText(subject: string): string {
  return /^[\w$.]+$/.test(subject) ? `\`${subject}\`` : subject;
}

/**
 * "Expected <subject> to be <expectation>, got <what came>" — the argument has the wrong type.
 * `got` overrides the description of `value` ("none", "an empty one").
 */
export function typeError(subject: string, expectation: string, value: unknown, got = describe(value)): TypeError {
  return new TypeError(`Expected ${subjectText(subject)} to be ${expectation}, got ${got}`);
}

/** As `typeError`, for a value of the right type but out of range. */
export function rangeError(subject: string, expectation: string, value: unknown, got = describe(value)): RangeError {
  return new RangeError(`Expected ${subjectText(subject)} to be ${expectation}, got ${got}`);
}

/** "<callee> expects <expectation>, got <what came>": the argument of a one-argument function. */
export function expectsError(callee: string, expectation: string, value: unknown): TypeError {
  return new TypeError(`${callee} expects ${expectation}, got ${describe(value)}`);
}

// ---- Values ----

/** `options` as an object; undefined is `{}`. */
export function checkOptions<T extends object>(subject: string, options: unknown): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null) throw typeError(subject, 'an object', options);
  return options as T;
}

/** A string. */
export function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw typeError(name, 'a string', value);
  return value;
}

/** A function; `expectation` says which ("a function (item, index) => operation"). */
export function checkFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown, expectation = 'a function'): F {
  if (typeof value !== 'function') throw typeError(name, expectation, value);
  return value as F;
}

/** An AbortSignal. */
export function checkAbortSignal(name: string, value: unknown): AbortSignal {
  if (!(value instanceof AbortSignal)) throw typeError(name, 'an AbortSignal', value);
  return value;
}

/** A number ≥ 0 of milliseconds (Infinity allowed when `infinite`). */
export function checkMilliseconds(name: string, ms: unknown, infinite = true): number {
  if (typeof ms !== 'number') throw typeError(name, 'a number ≥ 0 (milliseconds)', ms);
  if (!(ms >= 0) || (!infinite && ms === Infinity)) {
    throw rangeError(name, `a ${infinite ? '' : 'finite '}number ≥ 0 (milliseconds)`, ms);
  }
  return ms;
}

/** An integer ≥ `min`, or Infinity when `infinite`; `unit` is appended to the expectation ("(bytes)"). */
export function checkCount(name: string, value: unknown, min: number, infinite: boolean, unit = ''): number {
  const expected = `an integer ≥ ${min}${infinite ? ' or Infinity' : ''}${unit === '' ? '' : ` ${unit}`}`;
  if (typeof value !== 'number') throw typeError(name, expected, value);
  if (!((Number.isInteger(value) && value >= min) || (infinite && value === Infinity))) {
    throw rangeError(name, expected, value);
  }
  return value;
}

/** A positive integer byte count (Infinity allowed when `infinite`). */
export function checkByteCount(name: string, n: unknown, infinite = false): number {
  return checkCount(name, n, 1, infinite, '(bytes)');
}

const encoder = new TextEncoder();

/** Bytes to send: a Uint8Array as is, a string as UTF-8. */
export function toBytes(name: string, data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') return encoder.encode(data);
  throw typeError(name, 'a Uint8Array or a string', data);
}

// ---- Network addresses (plain strings and numbers: checked the same on every platform) ----

/** A non-empty host name or address. */
export function checkHost(name: string, host: unknown): string {
  if (typeof host !== 'string') throw typeError(name, 'a host name or IP address (string)', host);
  if (host.length === 0 || host.length > 255 || /[\s\0/]/.test(host)) throw typeError(name, 'a host name or IP address', host);
  return host;
}

/** An integer port in 1‥65535 (0 too when `ephemeral`: let the system pick). */
export function checkPort(name: string, port: unknown, ephemeral: boolean): number {
  if (typeof port !== 'number') throw typeError(name, 'a port number', port);
  const low = ephemeral ? 0 : 1;
  if (!Number.isInteger(port) || port < low || port > 65535) throw rangeError(name, `an integer from ${low} to 65535`, port);
  return port;
}

// ---- Task bodies ----

/** Whether `value` is a generator object (an operation). */
export function isGenerator(value: unknown): value is Generator {
  return typeof value === 'object' && value !== null &&
    typeof (value as Generator).next === 'function' && typeof (value as Generator).throw === 'function' &&
    typeof (value as Generator).return === 'function';
}

/**
 * Throws the explanatory TypeError unless `body` is a function that is not async (`what` names
 * the callee: "pool.spawn"). Whether it really returns a generator is known only by calling it
 * (`notAGenerator`).
 */
export function checkBody(what: string, body: unknown): void {
  if (typeof body !== 'function') {
    if (isGenerator(body)) {
      throw new TypeError(
        `${what} expects a generator function and its arguments, got a generator object. ` +
        `Looks like you wrote ${what}(main(arg)): write ${what}(main, arg) instead`);
    }
    throw expectsError(what, 'a generator function (function*)', body);
  }
  const tag = Object.prototype.toString.call(body);
  if (tag === '[object AsyncFunction]' || tag === '[object AsyncGeneratorFunction]') {
    throw new TypeError(
      `${what} expects a generator function (function*), got ${describe(body)}: ` +
      'giambio tasks are generators that `yield*` operations; use `until(promise)` to wait for a Promise inside one');
  }
}

/** The TypeError for a body that was called and returned `result`, not a generator. */
export function notAGenerator(what: string, body: unknown, result: unknown): TypeError {
  return new TypeError(
    `${what} expects a generator function (function*); ${describe(body)} returned ${describe(result)} instead of a generator`);
}
