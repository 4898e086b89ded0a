// Helpers for the giambio/node tests: real time, the Node host, the debug core, and leak checks
// (the core is empty and no Node handle outlives the test).
import { expect } from 'vitest';
import { EventLoop } from '../../src/loop.js';
import { DEBUG_CORE } from '../../src/core-debug.js';
import type { Operation } from '../../src/task.js';
import { nodeHost } from '../../src/node/index.js';
import { MockClock } from '../../src/testing.js';
import { expectCoreEmpty, rejectionOf } from '../helpers.js';

/** Handle kinds that giambio/node creates; vitest's own (MessagePort, pipes, TTY) are not counted. */
const WATCHED = new Set([
  'TCPSocketWrap', 'TCPServerWrap', 'TCPWrap', 'TLSWrap', 'UDPWrap', 'ProcessWrap', 'PipeWrap', 'SignalWrap',
  'FSReqCallback', 'FSReqPromise', 'FileHandle', 'GetAddrInfoReqWrap', 'ConnectWrap', 'WriteWrap', 'ShutdownWrap',
  'Timeout', 'Immediate',
]);

export function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (WATCHED.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Waits (a bounded number of event-loop turns, ≤ ~200 ms) until no watched handle kind has more
 * entries than in `before`; fails with the difference otherwise.
 */
export async function expectNoLeakedHandles(before: Map<string, number>): Promise<void> {
  let extra: string[] = [];
  for (let i = 0; i < 40; i++) {
    const now = handleCounts();
    extra = [...now].filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => `${kind}×${n - (before.get(kind) ?? 0)}`);
    if (extra.length === 0) return;
    if (i < 20) await turn(); else await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(extra, 'Node handles left open after the test').toEqual([]);
}

/**
 * Runs `main` on a real-time loop with the Node host and the debug core; afterwards checks that
 * the core is empty (no tasks, timers, host waits) and that no socket, server, process, file
 * request or timer outlived the run.
 */
export async function runNode<T>(main: () => Operation<T>, options: { virtual?: boolean } = {}): Promise<T> {
  const before = handleCounts();
  const clock = options.virtual === true ? new MockClock({ autojump: true }) : undefined;
  const loop = new EventLoop({ host: nodeHost, core: DEBUG_CORE, clock });
  let result: T;
  try {
    result = await loop.run(main);
  } catch (error) {
    // The run's own failure is the interesting one; the checks still run (and would report too).
    try { expectCoreEmpty(loop); await expectNoLeakedHandles(before); } catch (leak) { (error as { leak?: unknown }).leak = leak; }
    throw error;
  }
  expectCoreEmpty(loop);
  await expectNoLeakedHandles(before);
  return result;
}

/** Like runNode, but resolves with the rejection reason (and fails if it resolved). */
export function runNodeRejects(main: () => Operation<unknown>): Promise<unknown> {
  return rejectionOf(runNode(main));
}

export const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
