/**
 * giambio: structured concurrency for JavaScript on generator tasks and a WebAssembly scheduler core.
 * This entry is environment-neutral: no node: imports. It only re-exports.
 *
 * @module giambio
 */
export type { Instruction, Operation, Task, TaskState } from './types.js';
export type { Clock } from './clock.js';
export type { Debugger } from './debugger.js';
export type { Host } from './host.js';
export { run, EventLoop, type EventLoopOptions, type LoopStatistics } from './loop.js';
export { sleep, sleepUntil, checkpoint, clock, currentTask, currentEffectiveDeadline } from './operations.js';
export { formatTaskTree, type TaskNode, type ScopeNode } from './diagnostics.js';
export { createPool, withTimeout, skipAfter, shield, TaskPool, type SpawnOptions } from './pool.js';
export { STATUS_IGNORED, type TaskStatus } from './start.js';
export { resource, type Provide } from './resource.js';
export { createContext, Context } from './context.js';
export { all, race, allSettled, map, type OperationFactory, type Settled, type MapOptions } from './combinators.js';
export { retry, type RetryOptions } from './retry.js';
export { openPortal, Portal, type PortalRunOptions } from './portal.js';
export {
  GiambioError, CancelledError, TaskCancelledError, TooSlowError, ResourceClosed, ResourceBusy,
  ResourceBroken, EndOfChannel, WouldBlock, InternalError, ErrorStack, DeadlockError,
  DelimiterNotFound, IncompleteRead,
} from './errors.js';
export { Event, type EventStatistics } from './sync/event.js';
export { Queue, type QueueStatistics } from './sync/queue.js';
export { Lock, type LockStatistics } from './sync/lock.js';
export { Semaphore, type SemaphoreOptions, type SemaphoreStatistics } from './sync/semaphore.js';
export { CapacityLimiter, type CapacityLimiterStatistics } from './sync/capacity-limiter.js';
export { Condition, type ConditionStatistics } from './sync/condition.js';
export { MemoryChannel, type MemoryChannelStatistics } from './channel/memory-channel.js';
export { openMemoryChannel, type MemoryChannelOptions } from './channel/open-memory-channel.js';
export type { SendChannel, ReceiveChannel, ChannelStatistics, Overflow } from './channel/channel-types.js';
export { createBroadcast, Broadcast, type BroadcastOptions, type BroadcastStatistics } from './channel/broadcast.js';
export { fromAsyncIterable, type FromAsyncIterableOptions, type IterableSource, type ReadableStreamLike } from './channel/from-async-iterable.js';
export type { ByteStream } from './stream/byte-stream.js';
export { StapledStream, type SendStream, type ReceiveStream } from './stream/stapled-stream.js';
export { lines, type LinesOptions } from './stream/lines.js';
export { receiveUntil, type ReceiveUntilOptions } from './stream/receive-until.js';
export { until, call, useAbortSignal } from './interop.js';
