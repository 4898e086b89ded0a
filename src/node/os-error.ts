/**
 * How failures from the operating system surface: every Node error from I/O (a reset, a refused
 * connection, a failed lookup, a missing file, a failed spawn) becomes a `ResourceBroken` whose
 * `cause` is the Node error and whose `code`, `errno` and `syscall` are copied from it, so
 * `error instanceof ResourceBroken` recognises them all and `error.code === 'ECONNREFUSED'` tells
 * them apart. Errors are made at the point they are raised, so their stack shows the caller.
 */
import { ResourceBroken } from '../errors.js';

/** The fields giambio/node copies from a Node system error onto the `ResourceBroken` it raises. */
export interface SystemErrorInfo {
  /** Node's error code: `'ECONNREFUSED'`, `'ECONNRESET'`, `'ENOENT'`, `'ERR_SSL_…'`, … */
  readonly code?: string;
  /** Node's error number (negative libuv errno). */
  readonly errno?: number;
  /** The system call that failed (`connect`, `open`, `spawn`, …). */
  readonly syscall?: string;
}

/** @internal A `ResourceBroken` for `what` caused by the Node error `cause`. */
export function brokenBy(cause: unknown, what: string): ResourceBroken & SystemErrorInfo {
  const info = (typeof cause === 'object' && cause !== null ? cause : {}) as SystemErrorInfo & { message?: string };
  const detail = info.code ?? info.message ?? String(cause);
  const error = new ResourceBroken(`${what} failed: ${detail}`, { cause }) as ResourceBroken & { -readonly [K in keyof SystemErrorInfo]: SystemErrorInfo[K] };
  if (typeof info.code === 'string') error.code = info.code;
  if (typeof info.errno === 'number') error.errno = info.errno;
  if (typeof info.syscall === 'string') error.syscall = info.syscall;
  return error;
}

/**
 * The Node error code carried by `error` (a `ResourceBroken` raised by giambio/node, or a Node
 * error), else undefined.
 * @example
 * try { yield* connect('127.0.0.1', port); }
 * catch (error) { if (errorCode(error) === 'ECONNREFUSED') retry(); else throw error; }
 */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
