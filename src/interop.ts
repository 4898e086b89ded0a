/**
 * Promise and AbortSignal interop: waiting for a Promise inside a task (`until`), running an
 * AbortSignal-aware async function so that cancelling the task really cancels the work (`call`),
 * and an AbortSignal tied to the current cancel scope (`useAbortSignal`). The other direction,
 * a task's outcome as a Promise, is `task.toPromise()`.
 *
 * While a task waits for a promise it counts in `kernel.hostWaits`, so a virtual clock never jumps
 * past work the host is still doing.
 *
 * Discussion: a cancelled wait stops waiting at once; the promise itself cannot be stopped, so its
 * late outcome is dropped — a handler is always attached, so a late rejection is never reported as
 * unhandled. Work that can be stopped takes a signal: `call` aborts it with a CancelledError reason
 * when cancellation reaches the task.
 */
import { expectsError } from './check.js';
import { ResourceClosed, newCancelledError } from './errors.js';
import { runningKernel } from './run-context.js';
import { waitForHost } from './host-wait.js';

import type { CancelScope } from './scope.js';
import type { Operation } from './task.js';
import { guardOperations } from './operation-guard.js';
import { throwIfCancelled, cancelErrorOf } from './cancel-point.js';
import { debugOperation } from './undriven.js';

const ignore = (): void => { /* a late outcome nobody waits for */ };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function';
}

/** Parks the task until `promise` settles; aborts `controller` (if any) when cancellation withdraws it. */
function waitFor<T>(promise: PromiseLike<T>, controller: AbortController | null, what: string): Operation<T> {
  return waitForHost<T>(what, what, (settle, me) => {
    try {
      promise.then(settle.resolve, settle.reject);
    } catch (error) {
      settle.reject(error); // a thenable whose then() throws
    }
    // The abort reason is the CancelledError the task itself receives (its message says why).
    return () => controller?.abort(cancelErrorOf(me, `${what} was cancelled`));
  });
}

/**
 * Waits for `promise` and returns its value, or throws its rejection. Always a checkpoint. If the
 * task is cancelled first it stops waiting (the promise runs on; a later rejection is handled and
 * dropped, never reported as unhandled). Use `call` when the work can be aborted.
 * @example
 * const text = yield* until(readFile('notes.txt', 'utf8'));
 * @throws {TypeError} if `promise` is not a Promise (or thenable).
 */
export function until<T>(promise: PromiseLike<T>): Operation<T> {
  return debugOperation(untilOperation(promise), 'until()');
}

/** The operation until returns (named so that awaiting it says `until()`). */
const untilOperation = function* until<T>(promise: PromiseLike<T>): Operation<T> {
  const kernel = runningKernel('until()');
  const me = kernel.current!;
  if (!isThenable(promise)) {
    throw expectsError('until()', 'a Promise (or another thenable)', promise);
  }
  if (me.scope.effectivelyCancelled) promise.then(undefined, ignore);
  throwIfCancelled(me);
  return yield* waitFor(promise, null, 'until()');
};

/**
 * Calls `fn(signal)` and waits for the promise it returns. When cancellation reaches the task,
 * `signal` aborts (reason: a CancelledError), so `fetch` or any AbortSignal-aware API really stops.
 * Always a checkpoint: a task that is already cancelled does not call `fn`.
 * @example
 * const response = yield* call((signal) => fetch(url, { signal }));
 * @throws {TypeError} if `fn` is not a function or does not return a Promise.
 */
export function call<T>(fn: (signal: AbortSignal) => PromiseLike<T>): Operation<T> {
  return debugOperation(callOperation(fn), 'call()');
}

/** The operation call returns (named so that awaiting it says `call()`). */
const callOperation = function* call<T>(fn: (signal: AbortSignal) => PromiseLike<T>): Operation<T> {
  const kernel = runningKernel('call()');
  const me = kernel.current!;
  if (typeof fn !== 'function') {
    throw expectsError('call()', 'a function (signal) => Promise', fn);
  }
  throwIfCancelled(me);
  const controller = new AbortController();
  const promise = fn(controller.signal);
  if (!isThenable(promise)) {
    throw expectsError('call()', 'its function to return a Promise (or another thenable)', promise);
  }
  return yield* waitFor(promise, controller, 'call()');
};

/** The signal of each scope that asked for one (at most one controller per scope). */
const scopeSignals = new WeakMap<CancelScope, AbortController>();

/**
 * An AbortSignal tied to the current task's innermost cancel scope: it aborts when that scope is
 * cancelled (reason: a CancelledError) or ends (reason: a ResourceClosed), whichever comes first —
 * so listeners registered with `{ signal }` never outlive the scope. Every call in the same scope
 * returns the same signal. Not a checkpoint (it does not wait).
 * @example
 * const signal = yield* useAbortSignal();
 * button.addEventListener('click', onClick, { signal }); // removed when the scope ends
 * const response = yield* until(fetch(url, { signal }));
 */
export function useAbortSignal(): Operation<AbortSignal> {
  return debugOperation(useAbortSignalOperation(), 'useAbortSignal()');
}

/** The operation useAbortSignal returns (named so that awaiting it says `useAbortSignal()`). */
const useAbortSignalOperation = function* useAbortSignal(): Operation<AbortSignal> {
  const kernel = runningKernel('useAbortSignal()');
  const me = kernel.current!;
  kernel.ensureRootScope(me); // a child task's own scope, so that cancelling the task aborts it
  const scope = me.scope;
  let controller = scopeSignals.get(scope);
  if (controller === undefined) {
    const created = new AbortController();
    controller = created;
    scopeSignals.set(scope, created);
    const by = scope.cancelledBy;
    if (by !== null) created.abort(by.cancelError);
    else {
      scope.onEnd((cancelled) => {
        created.abort(cancelled ? scope.cancelledBy?.cancelError ?? newCancelledError('the scope was cancelled')
          : new ResourceClosed('the scope that owned this signal has ended'));
      });
    }
  }
  return controller.signal;
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(untilOperation, callOperation, useAbortSignalOperation);
