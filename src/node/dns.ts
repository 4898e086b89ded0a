/**
 * Name resolution: `getAddrInfo` asks the system resolver (getaddrinfo, like `dns.lookup` and
 * like `connect` does), so /etc/hosts and the system's configuration apply.
 *
 * Discussion: getaddrinfo runs on libuv's thread pool and cannot be interrupted. A cancelled
 * lookup is abandoned: the task leaves at once and the answer, when it comes, is dropped.
 */
import * as dns from 'node:dns';
import { runningKernel } from '../run-context.js';

import type { Operation } from '../task.js';
import { checkHost, checkOptions, typeError } from '../check.js';
import { HostWait } from './host-wait.js';
import { brokenBy } from './os-error.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { debugOperation } from '../undriven.js';

/** One address `getAddrInfo` found. */
export interface AddrInfo {
  /** The address, as text (`127.0.0.1`, `::1`). */
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Options of `getAddrInfo(host, options)`. */
export interface GetAddrInfoOptions {
  /** 4 or 6 for one address family only; 0 (default) for both. */
  family?: 0 | 4 | 6;
}

/**
 * Resolves `host` to its addresses, in the resolver's order. A checkpoint; cancellable.
 * @example
 * const [first] = yield* getAddrInfo('localhost');
 * @throws {TypeError} a bad host, before any lookup.
 * @throws {ResourceBroken} the lookup failed (`code` 'ENOTFOUND', 'EAI_AGAIN', …).
 */
export function getAddrInfo(host: string, options?: GetAddrInfoOptions): Operation<AddrInfo[]> {
  return debugOperation(getAddrInfoOperation(host, options), 'getAddrInfo()');
}

/** The operation getAddrInfo returns (named so that awaiting it says `getAddrInfo()`). */
const getAddrInfoOperation = function* getAddrInfo(host: string, options?: GetAddrInfoOptions): Operation<AddrInfo[]> {
  checkHost('host', host);
  const { family = 0 } = checkOptions<GetAddrInfoOptions>('options', options);
  if (family !== 0 && family !== 4 && family !== 6) throw typeError('options.family', '0, 4 or 6', family);
  const me = runningKernel('getAddrInfo()').current!;
  throwIfCancelled(me);
  const wait = new HostWait();
  dns.lookup(host, { all: true, family }, (error, addresses) => {
    if (error !== null) wait.wakeThrow(brokenBy(error, `getAddrInfo(${host})`));
    else wait.wake(addresses.map(({ address, family: f }) => ({ address, family: f })));
  });
  return (yield* wait.wait(`getAddrInfo ${host}`)) as AddrInfo[];
};

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(getAddrInfoOperation);
