/**
 * fetch as an Operation: the request is aborted (AbortController) when cancellation reaches the
 * waiting task, and the body readers (`readText`, `readJson`, `readBytes`) cancel the body stream
 * the same way, so `withTimeout` bounds a whole request, headers and body.
 *
 * Discussion: a signal in `init` is honoured too; the two are combined, and aborting the caller's
 * signal rejects with its reason exactly as plain `fetch` would. Cancellation is not an error of
 * the request: the task gets `CancelledError`, and the abandoned promise's rejection is swallowed.
 */
import { typeError } from '../check.js';
import { newCancelledError } from '../errors.js';
import type { Operation } from '../task.js';
import { waitForHost } from '../host-wait.js';
import { guardOperations } from '../operation-guard.js';
import { debugOperation } from '../undriven.js';

/**
 * The controller behind each Response this module fetched. Cancelling the body stream alone does
 * not end the HTTP request in every browser (Firefox keeps the connection), aborting it does.
 */
const controllers = new WeakMap<Response, AbortController>();

/** Aborts `controller` when `signal` aborts, with its reason. */
function follow(signal: AbortSignal, controller: AbortController): void {
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true, signal: controller.signal });
}

/**
 * What the global `fetch` accepts (the DOM lib's `RequestInfo | URL`), written so that Node's types
 * (which have no `RequestInfo`) satisfy it too.
 */
export type FetchInput = string | URL | Request;

/** The URL for task dumps, cut short (a data: URL can be long). */
function urlOf(input: FetchInput): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url;
  return url.length > 100 ? `${url.slice(0, 99)}…` : url;
}

/**
 * Fetches `input` like the global `fetch`, parking the task until the response headers arrive.
 * Cancelling the task aborts the request.
 * @example
 * import { fetch, readJson } from 'giambio/browser';
 * const user = yield* withTimeout(2000, function* () {
 *   const response = yield* fetch('/api/user');
 *   return yield* readJson(response);
 * });
 * @throws {TypeError} from fetch itself (network error, bad URL), or the reason of `init.signal`.
 */
export function fetch(input: FetchInput, init?: RequestInit): Operation<Response> {
  return debugOperation(fetchOperation(input, init), 'fetch()');
}

/** The operation fetch returns (named so that awaiting it says `fetch()`). */
const fetchOperation = function* fetch(input: FetchInput, init?: RequestInit): Operation<Response> {
  if (init !== undefined && (typeof init !== 'object' || init === null)) {
    throw typeError(`fetch \`init\``, 'an object', init);
  }
  const controller = new AbortController();
  return yield* waitForHost<Response>('fetch()', `fetch ${urlOf(input)}`, (settle) => {
    const userSignal = init?.signal ?? null;
    // The link stays while the body is read: aborting the caller's signal later aborts the body too.
    if (userSignal !== null) follow(userSignal, controller);
    globalThis.fetch(input, { ...init, signal: controller.signal }).then((response) => {
      controllers.set(response, controller);
      settle.resolve(response);
    }, settle.reject);
    return () => controller.abort(newCancelledError('the fetch was cancelled'));
  });
};

/** Reads a body to the end through its reader; cancelling the task cancels the stream. */
function* readAll(response: Response, what: string): Operation<Uint8Array> {
  if (!(typeof Response === 'function' && response instanceof Response)) {
    throw typeError(`${what}'s argument`, 'a Response', response);
  }
  const body = response.body;
  if (body === null) return yield* waitForHost(what, 'read body', (settle) => { settle.resolve(new Uint8Array(0)); return () => {}; });
  if (body.locked || response.bodyUsed) throw new TypeError(`${what}: the response body was already read`);
  return yield* waitForHost<Uint8Array>(what, `read body of ${response.url}`, (settle) => {
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const pump = (): void => {
      reader.read().then(({ done, value }) => {
        if (done) { settle.resolve(concat(chunks, size)); return; }
        chunks.push(value);
        size += value.byteLength;
        pump();
      }, settle.reject);
    };
    pump();
    return () => {
      const reason = newCancelledError('the body read was cancelled');
      controllers.get(response)?.abort(reason);
      reader.cancel(reason).catch(() => {});
    };
  });
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) { out.set(chunk, offset); offset += chunk.byteLength; }
  return out;
}

/** Reads the whole body as bytes. Cancellable: the body stream is cancelled. */
export function readBytes(response: Response): Operation<Uint8Array> {
  return debugOperation(readAll(response, 'readBytes()'), 'readBytes()');
}

/** Reads the whole body as UTF-8 text. Cancellable: the body stream is cancelled. */
export function readText(response: Response): Operation<string> {
  return debugOperation(readTextOperation(response), 'readText()');
}

/** The operation readText returns (named so that awaiting it says `readText()`). */
const readTextOperation = function* readText(response: Response): Operation<string> {
  return new TextDecoder().decode(yield* readAll(response, 'readText()'));
};

/**
 * Reads the whole body and parses it as JSON. Cancellable: the body stream is cancelled.
 * @throws {SyntaxError} if the body is not JSON.
 */
export function readJson<T = unknown>(response: Response): Operation<T> {
  return debugOperation(readJsonOperation(response), 'readJson()');
}

/** The operation readJson returns (named so that awaiting it says `readJson()`). */
const readJsonOperation = function* readJson<T = unknown>(response: Response): Operation<T> {
  return JSON.parse(new TextDecoder().decode(yield* readAll(response, 'readJson()'))) as T;
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(fetchOperation, readAll, readTextOperation, readJsonOperation);
