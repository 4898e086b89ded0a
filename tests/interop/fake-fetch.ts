// A fetch-like AbortSignal consumer for the interop tests: resolves after `ms` real milliseconds,
// or rejects with `signal.reason` as soon as the signal aborts. Like fetch, it registers one
// 'abort' listener and removes it when it settles, and counts how many are still registered.
export interface FakeFetch {
  (signal: AbortSignal, ms: number, value?: string): Promise<string>;
  /** Listeners currently registered by this consumer. */
  listeners: number;
  /** Requests that ended because of an abort. */
  aborted: number;
}

export function fakeFetch(): FakeFetch {
  const fetch = ((signal: AbortSignal, ms: number, value = 'response') => new Promise<string>((resolve, reject) => {
    if (signal.aborted) { fetch.aborted++; reject(signal.reason); return; }
    const onAbort = (): void => {
      clearTimeout(timer);
      fetch.listeners--;
      fetch.aborted++;
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      fetch.listeners--;
      resolve(value);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
    fetch.listeners++;
  })) as FakeFetch;
  fetch.listeners = 0;
  fetch.aborted = 0;
  return fetch;
}
