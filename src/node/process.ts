/**
 * Subprocesses: `runProcess(cmd, args)` runs a program to completion and returns its exit status
 * and output. No shell is involved: `args` reach the program as they are.
 *
 * Discussion: cancellation kills the child (SIGKILL unless `killSignal` says otherwise), closes
 * its pipes, and waits until Node has reaped it before raising `CancelledError` — so a cancelled
 * call leaves no zombie and no open pipe behind. That wait cannot be abandoned, but it is short:
 * the signal ends the process (a grandchild that keeps running is not waited for — its pipes are
 * closed on our side). Output is collected up to `maxBuffer` bytes per stream; past that the child
 * is killed and `ResourceBroken` raised, so a chatty child cannot grow memory without bound.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { runningKernel } from '../run-context.js';

import type { Operation } from '../task.js';
import { checkOptions, rangeError, toBytes, typeError } from '../check.js';
import { HostWait } from './host-wait.js';
import { brokenBy } from './os-error.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { debugOperation } from '../undriven.js';

/** Options of `runProcess` and `runProcessBytes`. */
export interface RunProcessOptions {
  /** Working directory (default: this process's). */
  cwd?: string;
  /** Environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed. Without it stdin is /dev/null. */
  input?: Uint8Array | string;
  /** Most bytes kept per output stream (default 64 MiB). */
  maxBuffer?: number;
  /** Signal sent on cancellation (default 'SIGKILL'). */
  killSignal?: NodeJS.Signals | number;
}

/** How a process ended, and what it printed. */
export interface ProcessResult<T = string> {
  /** Exit status, or null when a signal ended the process. */
  code: number | null;
  /** The signal that ended it, or null. */
  signal: NodeJS.Signals | null;
  /** Standard output (UTF-8 text; bytes with `runProcessBytes`). */
  stdout: T;
  /** Standard error (UTF-8 text; bytes with `runProcessBytes`). */
  stderr: T;
}

/**
 * Runs `cmd` with `args` and waits for it to exit; returns `{ code, signal, stdout, stderr }` as
 * text. A non-zero exit is not an error: check `code`. A checkpoint; cancelling it kills and reaps
 * the child.
 * @example
 * const { code, stdout } = yield* runProcess('git', ['rev-parse', 'HEAD']);
 * @throws {ResourceBroken} the program could not be started (`code` 'ENOENT', 'EACCES') or
 *   printed more than `maxBuffer` bytes.
 */
export function runProcess(cmd: string, args: readonly string[] = [], options?: RunProcessOptions): Operation<ProcessResult<string>> {
  return debugOperation(runProcessOperation(cmd, args, options), 'runProcess()');
}

/** The operation runProcess returns (named so that awaiting it says `runProcess()`). */
const runProcessOperation = function* runProcess(cmd: string, args: readonly string[] = [], options?: RunProcessOptions): Operation<ProcessResult<string>> {
  const result = yield* runProcessBytes(cmd, args, options);
  return { ...result, stdout: Buffer.from(result.stdout).toString('utf8'), stderr: Buffer.from(result.stderr).toString('utf8') };
};

/** `runProcess` with the output as bytes. */
export function runProcessBytes(cmd: string, args: readonly string[] = [], options?: RunProcessOptions): Operation<ProcessResult<Uint8Array>> {
  return debugOperation(runProcessBytesOperation(cmd, args, options), 'runProcessBytes()');
}

/** The operation runProcessBytes returns (named so that awaiting it says `runProcessBytes()`). */
const runProcessBytesOperation = function* runProcessBytes(cmd: string, args: readonly string[] = [], options?: RunProcessOptions): Operation<ProcessResult<Uint8Array>> {
  if (typeof cmd !== 'string' || cmd.length === 0) throw typeError('cmd', 'a program name or path', cmd);
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw typeError('args', 'an array of strings', args);
  const opts = checkOptions<RunProcessOptions>('options', options);
  const input = opts.input === undefined ? null : toBytes('options.input', opts.input);
  const maxBuffer = opts.maxBuffer ?? 64 * 1024 * 1024;
  if (typeof maxBuffer !== 'number' || !(maxBuffer >= 0)) throw rangeError('options.maxBuffer', 'a number of bytes ≥ 0', maxBuffer);
  const me = runningKernel('runProcess()').current!;
  throwIfCancelled(me);

  const what = `runProcess(${cmd})`;
  let child: ChildProcess;
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(opts.killSignal ?? 'SIGKILL');
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  const wait = new HostWait(stop, false);
  try {
    child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: [input === null ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  } catch (error) {
    throw error instanceof TypeError || error instanceof RangeError ? error : brokenBy(error, what);
  }
  const out = new Collector(maxBuffer);
  const err = new Collector(maxBuffer);
  let failure: unknown = null;
  const overflow = (): void => {
    failure ??= Object.assign(new Error(`output exceeded maxBuffer (${maxBuffer} bytes)`), { code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' });
    stop();
  };
  child.stdout!.on('data', (chunk: Buffer) => { if (!out.add(chunk)) overflow(); });
  child.stderr!.on('data', (chunk: Buffer) => { if (!err.add(chunk)) overflow(); });
  child.stdout!.on('error', () => {});
  child.stderr!.on('error', () => {});
  if (input !== null) {
    child.stdin!.on('error', () => {}); // EPIPE when the child exits without reading: not our failure
    child.stdin!.end(input);
  }
  child.on('error', (error) => { failure ??= error; });
  child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
    if (failure !== null) wait.wakeThrow(brokenBy(failure, what));
    else wait.wake({ code, signal, stdout: out.bytes(), stderr: err.bytes() });
  });
  return (yield* wait.wait(`${what} pid ${child.pid ?? '?'}`)) as ProcessResult<Uint8Array>;
};

/** Output of one stream, up to a limit. */
class Collector {
  #chunks: Buffer[] = [];
  #length = 0;
  constructor(readonly limit: number) {}

  /** False once the limit is passed. */
  add(chunk: Buffer): boolean {
    this.#length += chunk.length;
    if (this.#length > this.limit) return false;
    this.#chunks.push(chunk);
    return true;
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.#chunks);
  }
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(runProcessOperation, runProcessBytesOperation);
