/**
 * The only importer of the WebAssembly scheduler core. `Core` wraps one instance: the run queue,
 * the timer heap and the task state machine (see assembly/README.md). Only numbers cross.
 *
 * Discussion: a wasm trap (an abort on a broken invariant, or running out of memory) leaves the
 * instance in an unknown state, so the first one poisons the Core: it is rethrown as
 * `InternalError` carrying the core's message, and every later call fails fast with the same error.
 */
import { instantiateSync } from '@assemblyscript/loader';
import { InternalError } from './errors.js';
import { CORE_WASM_BASE64 } from './generated/core-wasm.js';
import { POSTED_CAPACITY } from './core-constants.js';

/** The raw exports, exactly as assembly/index.ts declares them. */
export interface CoreExports {
  taskSpawn(): number;
  taskSlot(handle: number): number;
  taskState(handle: number): number;
  runNext(): number;
  taskYield(slot: number): number;
  taskPark(slot: number): number;
  taskParkNext(slot: number, more: number): number;
  taskYieldNext(slot: number, more: number): number;
  taskSleep(slot: number, deadline: number): number;
  taskWake(handle: number): number;
  taskExit(slot: number): number;
  timerCreate(): number;
  timerArm(id: number, deadline: number): void;
  timerDisarm(id: number): number;
  timerFree(id: number): void;
  advance(now: number): number;
  timerTakeExpired(): number;
  nextDeadline(): number;
  timersDefer(): void;
  timersFlush(): void;
  readyCount(): number;
  readySeed(seed: number): void;
  readyShuffle(): void;
  liveTasks(): number;
  armedTimers(): number;
  scopeTimers(): number;
  statusAddress(): number;
  postedAddress(): number;
  applyPostedWakes(): void;
  memory: WebAssembly.Memory;
  [constant: string]: unknown;
}

/** Which build of the core to load: `release` (-O3, no asserts) or `debug` (asserts abort). */
export type CoreBuild = { readonly base64: string; readonly name: string };

export const RELEASE_CORE: CoreBuild = { base64: CORE_WASM_BASE64, name: 'release' };

const modules = new Map<string, WebAssembly.Module>();

/**
 * The embedded core's bytes. A native decoder where the platform has one (`Uint8Array.fromBase64`
 * in current browsers, Deno and Bun; `Buffer` in Node, where the `atob` loop took ~2.6 ms of every
 * process's start), else `atob` and a loop. @internal
 */
export function decodeBase64(b64: string): Uint8Array {
  const native = Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array };
  if (typeof native.fromBase64 === 'function') return native.fromBase64(b64);
  const NodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;
  if (NodeBuffer !== undefined) return NodeBuffer.from(b64, 'base64');
  return decodeBase64Portably(b64);
}

/** The fallback decoder (any platform with `atob`). @internal */
export function decodeBase64Portably(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Instantiates a fresh core (synchronously: no top-level await, so the CJS build works too). */
export function instantiateCore(build: CoreBuild = RELEASE_CORE): CoreExports {
  let module = modules.get(build.base64);
  if (module === undefined) {
    module = new WebAssembly.Module(decodeBase64(build.base64) as BufferSource);
    modules.set(build.base64, module);
  }
  // The loader supplies env.abort, which turns an abort's message pointer into readable text.
  // Its demangled `exports` wrap every function in a rest-args closure (an array per call), so the
  // hot path calls the instance's own exports instead.
  return instantiateSync<CoreExports>(module, {}).instance.exports as unknown as CoreExports;
}

/**
 * One core instance behind a guard. Every method is a single wasm call; the core counts its calls
 * itself (status block), so tests can assert the cost of a context switch exactly (a regression
 * guard, not a timer).
 */
export class Core {
  readonly raw: CoreExports;
  /** Set by the first trap; every later call rethrows it. */
  failure: InternalError | null = null;
  /**
   * Views of the core's status block (assembly/status.ts) and of its box of posted wakes
   * (assembly/posted-wakes.ts), re-made when memory growth detaches them.
   */
  #statusF64: Float64Array;
  #statusI32: Int32Array;
  #posted: Int32Array;
  readonly #statusAt: number;
  readonly #postedAt: number;

  constructor(build: CoreBuild = RELEASE_CORE) {
    this.raw = instantiateCore(build);
    this.#statusAt = this.raw.statusAddress();
    this.#postedAt = this.raw.postedAddress();
    this.#statusF64 = new Float64Array(this.raw.memory.buffer, this.#statusAt, 3);
    this.#statusI32 = new Int32Array(this.raw.memory.buffer, this.#statusAt, 4);
    this.#posted = new Int32Array(this.raw.memory.buffer, this.#postedAt, POSTED_CAPACITY);
  }

  /** Rebuilds the views after memory growth detached them (a detached view has length 0). */
  #remapStatus(): void {
    this.#statusF64 = new Float64Array(this.raw.memory.buffer, this.#statusAt, 3);
    this.#statusI32 = new Int32Array(this.raw.memory.buffer, this.#statusAt, 4);
    this.#posted = new Int32Array(this.raw.memory.buffer, this.#postedAt, POSTED_CAPACITY);
  }

  /**
   * PARKED → READY for the task in `slot`, without a call: the slot goes into the core's box of
   * posted wakes, which the core applies, in order, at the start of its next call (so every answer
   * it gives already counts them). Only for a task the caller knows is live and parked: the core
   * aborts on any other (poisoning this Core at that call). A full box is applied first (a call).
   */
  postWake(slot: number): void {
    this.check();
    if (this.#statusI32.length === 0) this.#remapStatus();
    let count = this.#statusI32[3]!;
    if (count === POSTED_CAPACITY) {
      try { this.raw.applyPostedWakes(); } catch (e) { throw this.fail(e); }
      if (this.#statusI32.length === 0) this.#remapStatus();
      count = 0;
    }
    this.#posted[count] = slot;
    this.#statusI32[3] = count + 1;
  }

  /**
   * `nextDeadline()` read from the status block: no crossing. Valid between calls into the core
   * (the core keeps the block up to date before every export returns).
   */
  nextDeadlineNow(): number {
    this.check();
    if (this.#statusF64.length === 0) this.#remapStatus();
    return this.#statusF64[0]!;
  }

  /**
   * Calls into the wasm so far, read from the status block, where the core counts each call itself
   * (so the wrappers carry no counter of their own).
   */
  get crossings(): number {
    if (this.#statusF64.length === 0) this.#remapStatus();
    return this.#statusF64[2]!;
  }

  /** `readyCount()` read from the status block: no crossing (the READY tasks and the posted wakes). */
  readyNow(): number {
    this.check();
    if (this.#statusI32.length === 0) this.#remapStatus();
    return this.#statusI32[2]! + this.#statusI32[3]!;
  }

  /**
   * Converts whatever the wasm threw into the poisoning InternalError; an InternalError the kernel
   * raised itself (a broken invariant on its side) poisons the core as it is.
   */
  fail(error: unknown): InternalError {
    if (this.failure === null) {
      if (error instanceof InternalError) return (this.failure = error);
      const text = error instanceof Error ? error.message : String(error);
      this.failure = new InternalError(`the scheduler core failed: ${text}`, { cause: error });
    }
    return this.failure;
  }

  private check(): void {
    if (this.failure !== null) throw this.failure;
  }

  taskSpawn(): number { this.check(); try { return this.raw.taskSpawn(); } catch (e) { throw this.fail(e); } }
  taskState(handle: number): number { this.check(); try { return this.raw.taskState(handle); } catch (e) { throw this.fail(e); } }
  runNext(): number { this.check(); try { return this.raw.runNext(); } catch (e) { throw this.fail(e); } }
  taskYield(slot: number): number { this.check(); try { return this.raw.taskYield(slot); } catch (e) { throw this.fail(e); } }
  taskPark(slot: number): number { this.check(); try { return this.raw.taskPark(slot); } catch (e) { throw this.fail(e); } }
  taskParkNext(slot: number, more: number): number { this.check(); try { return this.raw.taskParkNext(slot, more); } catch (e) { throw this.fail(e); } }
  taskYieldNext(slot: number, more: number): number { this.check(); try { return this.raw.taskYieldNext(slot, more); } catch (e) { throw this.fail(e); } }
  taskSleep(slot: number, deadline: number): number { this.check(); try { return this.raw.taskSleep(slot, deadline); } catch (e) { throw this.fail(e); } }
  taskWake(handle: number): number { this.check(); try { return this.raw.taskWake(handle); } catch (e) { throw this.fail(e); } }
  taskExit(slot: number): number { this.check(); try { return this.raw.taskExit(slot); } catch (e) { throw this.fail(e); } }
  timerCreate(): number { this.check(); try { return this.raw.timerCreate(); } catch (e) { throw this.fail(e); } }
  timerArm(id: number, deadline: number): void { this.check(); try { this.raw.timerArm(id, deadline); } catch (e) { throw this.fail(e); } }
  timerDisarm(id: number): boolean { this.check(); try { return this.raw.timerDisarm(id) !== 0; } catch (e) { throw this.fail(e); } }
  timerFree(id: number): void { this.check(); try { this.raw.timerFree(id); } catch (e) { throw this.fail(e); } }
  advance(now: number): number { this.check(); try { return this.raw.advance(now); } catch (e) { throw this.fail(e); } }
  timerTakeExpired(): number { this.check(); try { return this.raw.timerTakeExpired(); } catch (e) { throw this.fail(e); } }
  nextDeadline(): number { this.check(); try { return this.raw.nextDeadline(); } catch (e) { throw this.fail(e); } }
  timersDefer(): void { this.check(); try { this.raw.timersDefer(); } catch (e) { throw this.fail(e); } }
  timersFlush(): void { this.check(); try { this.raw.timersFlush(); } catch (e) { throw this.fail(e); } }
  readyCount(): number { this.check(); try { return this.raw.readyCount(); } catch (e) { throw this.fail(e); } }
  readySeed(seed: number): void { this.check(); try { this.raw.readySeed(seed); } catch (e) { throw this.fail(e); } }
  readyShuffle(): void { this.check(); try { this.raw.readyShuffle(); } catch (e) { throw this.fail(e); } }
  liveTasks(): number { this.check(); try { return this.raw.liveTasks(); } catch (e) { throw this.fail(e); } }
  armedTimers(): number { this.check(); try { return this.raw.armedTimers(); } catch (e) { throw this.fail(e); } }
  scopeTimers(): number { this.check(); try { return this.raw.scopeTimers(); } catch (e) { throw this.fail(e); } }
}
