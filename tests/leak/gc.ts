/**
 * Forced garbage collection for the leak tests. `global.gc` exists when Node runs with
 * `--expose-gc`; inside vitest workers it usually does not, so the flag is switched on at run time
 * and `gc` is fetched from a fresh V8 context (V8 installs it in contexts created after the flag).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

function findGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** A full, synchronous collection (twice: the first may only queue finalizers' work). */
export const gc: () => void = (() => {
  const collect = findGc();
  return () => { collect(); collect(); };
})();

/** Bytes of live JavaScript heap after a full collection. */
export function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Lets the current job end, so WeakRefs created in it may be cleared by the next collection. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export const MB = 1024 * 1024;
