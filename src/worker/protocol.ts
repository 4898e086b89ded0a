/**
 * The messages between a pool (the caller's thread) and a worker, and how errors cross: the same
 * few shapes over `worker_threads` and Web Workers. Errors travel as plain records (name, message,
 * stack, cause, primitive own properties) rather than as structured-clone Errors, because runtimes
 * disagree on which of those fields a cloned Error keeps.
 */
import {
  GiambioError, ResourceBroken, ResourceBusy, ResourceClosed, TooSlowError, WouldBlock, EndOfChannel,
} from '../errors.js';

/** Caller → worker: run export `n` with `a` as call `i`. */
export interface CallMessage { t: 'call'; i: number; n: string; a: unknown[] }
/** Caller → worker: stop call `i` (a generator export is cancelled; a plain one cannot be). */
export interface CancelMessage { t: 'cancel'; i: number }
export type ToWorker = CallMessage | CancelMessage;

/** Worker → caller: the module called expose(); `n` are the export names. */
export interface ReadyMessage { t: 'ready'; n: string[] }
/** Worker → caller: call `i` returned `v`. */
export interface ResultMessage { t: 'ok'; i: number; v: unknown }
/** Worker → caller: call `i` failed with `e`. */
export interface ErrorMessage { t: 'err'; i: number; e: SerializedError }
/** Worker → caller: call `i` was cancelled as asked (its `finally` blocks have run). */
export interface CancelledMessage { t: 'cancelled'; i: number }
export type FromWorker = ReadyMessage | ResultMessage | ErrorMessage | CancelledMessage;

/** An error (or any thrown value) as it crosses the thread boundary. */
export interface SerializedError {
  /** Not an Error at all: the thrown value itself (if cloneable). */
  thrown?: unknown;
  name: string;
  message: string;
  stack: string;
  /** The cause: another serialized error (`error`), or a cloneable value (`value`). */
  cause?: { error: SerializedError } | { value: unknown };
  /** Own enumerable properties with primitive values (`code`, `errno`, …). */
  props?: Record<string, string | number | boolean | null>;
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** Worker side: turns anything thrown into a cloneable record. `depth` bounds cause chains. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    const text = (() => { try { return String(error); } catch { return Object.prototype.toString.call(error); } })();
    return { thrown: cloneable(error) ? error : text, name: 'Error', message: text, stack: '' };
  }
  const out: SerializedError = { name: String(error.name), message: String(error.message), stack: String(error.stack ?? '') };
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && depth < 8) {
    if (cause instanceof Error) out.cause = { error: serializeError(cause, depth + 1) };
    else if (cloneable(cause)) out.cause = { value: cause };
  }
  for (const key of Object.keys(error)) {
    if (key === 'cause' || key === 'name' || key === 'message' || key === 'stack') continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      (out.props ??= {})[key] = value;
    }
  }
  return out;
}

type ErrorClass = new (message?: string, options?: { cause?: unknown }) => Error;

/** Classes rebuilt by name on the caller's side; anything else becomes an `Error` with that name. */
const CLASSES: Record<string, ErrorClass> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
  GiambioError, TooSlowError, ResourceClosed, ResourceBusy, ResourceBroken, EndOfChannel, WouldBlock,
};

/**
 * Caller side: rebuilds the error with the same class (for the standard and giambio classes),
 * name, message, cause and properties; the worker's stack follows the caller's, after a marker line.
 * (A CancelledError is never rebuilt as one: only the runtime raises those.)
 */
export function deserializeError(record: SerializedError, worker: string): unknown {
  if ('thrown' in record) return record.thrown;
  const cause = record.cause === undefined ? undefined
    : 'error' in record.cause ? deserializeError(record.cause.error, worker) : record.cause.value;
  const Class = Object.hasOwn(CLASSES, record.name) ? CLASSES[record.name]! : Error;
  const error = record.cause === undefined ? new Class(record.message) : new Class(record.message, { cause });
  if (error.name !== record.name) Object.defineProperty(error, 'name', { value: record.name, writable: true, configurable: true });
  if (record.props !== undefined) Object.assign(error, record.props);
  if (record.stack !== '') {
    // V8 stacks start with "Name: message": keep only the frames (Firefox/WebKit stacks have no header).
    const header = `${record.name}: ${record.message}`;
    const frames = record.stack.startsWith(header) ? record.stack.slice(header.length).replace(/^\n/, '') : record.stack;
    const here = error.stack ?? `${record.name}: ${record.message}`;
    Object.defineProperty(error, 'stack', {
      value: `${here}\n    --- in worker ${worker} ---\n${frames}`, writable: true, configurable: true,
    });
  }
  return error;
}
