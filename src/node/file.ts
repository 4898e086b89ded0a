/**
 * Files: `open` returns an `AsyncFile` (`read`, `write`, `close`); `readFile` and `writeFile` do
 * a whole file in one call. Built on Node's callback fs API (libuv's thread pool).
 *
 * Discussion: a file request in the thread pool cannot be interrupted, so a cancelled `read` or
 * `write` is *abandoned*: the task leaves at once, the request finishes in the background, and
 * the file runs one request at a time, so the next call waits for it first. Nothing is lost — the
 * bytes of an abandoned read are returned by the next `read` — and `close()` releases the file
 * descriptor only once no request uses it (never a read on a reused descriptor). An abandoned
 * `write` may have written a prefix of its data. `readFile`/`writeFile` are aborted through
 * Node's AbortSignal support; a cancelled `writeFile` may leave the file partly written.
 */
import * as fs from 'node:fs';
import { ResourceBusy, ResourceClosed } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation } from '../task.js';
import { checkpointTrap, scheduleTrap } from '../trap.js';
import { checkByteCount, toBytes, typeError } from '../check.js';
import { HostWait } from './host-wait.js';
import { brokenBy } from './os-error.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { debugOperation, trackOperation } from '../undriven.js';

type PathLike = string | URL;

function checkPath(path: unknown): PathLike {
  if ((typeof path === 'string' && path.length > 0) || path instanceof URL) return path;
  throw typeError('path', 'a non-empty string or a file: URL', path);
}

const EMPTY = Buffer.alloc(0);

/**
 * Opens `path` with `flags` ('r', 'r+', 'w', 'wx', 'a', … as in `fs.open`). A checkpoint;
 * cancellable (a descriptor opened after the cancellation is closed again).
 * @example
 * const file = yield* open('/tmp/log.txt', 'a');
 * try { yield* file.write('line\n'); } finally { yield* file.close(); }
 * @throws {ResourceBroken} the file could not be opened (`code` 'ENOENT', 'EACCES', …).
 */
export function open(path: string | URL, flags: string = 'r', mode: number = 0o666): Operation<AsyncFile> {
  return trackOperation(openOp(path, flags, mode), 'open()');
}

function* openOp(path: PathLike, flags: string = 'r', mode: number = 0o666): Operation<AsyncFile> {
  checkPath(path);
  if (typeof flags !== 'string') throw typeError('flags', `an fs.open flags string like 'r' or 'w'`, flags);
  const me = runningKernel('open()').current!;
  throwIfCancelled(me);
  let abandoned = false;
  const wait = new HostWait(() => { abandoned = true; });
  const what = `open(${String(path)})`;
  try {
    fs.open(path, flags, mode, (error, fd) => {
      if (error !== null) { wait.wakeThrow(brokenBy(error, what)); return; }
      if (abandoned) { fs.close(fd, () => {}); return; }
      wait.wake(fd);
    });
  } catch (error) {
    throw error instanceof TypeError || error instanceof RangeError ? error : brokenBy(error, what);
  }
  const fd = (yield* wait.wait(what)) as number;
  return new AsyncFile(fd, String(path));
}

/** An open file; one operation at a time. */
export class AsyncFile {
  readonly #fd: number;
  /** The path the file was opened with. */
  readonly path: string;
  /** A request is running on the descriptor (possibly for a task that was cancelled). */
  #busy = false;
  /** The parked task waits for its own request (false: for the descriptor to become free). */
  #own = false;
  /** Bytes of an abandoned read, returned by the next read. */
  #stash: Buffer = EMPTY;
  #closed = false;
  #released = false;
  readonly #wait = new HostWait(() => { this.#own = false; });
  readonly #closer = new HostWait(null, false);
  /** Promises of `Symbol.asyncDispose` waiting for the release. */
  #onReleased: Array<() => void> | null = null;

  /** @internal Use `open()`. */
  constructor(fd: number, path: string) {
    this.#fd = fd;
    this.path = path;
  }

  /** close() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Reads up to `maxBytes` from the current position; an empty array at end of file. A
   * checkpoint; cancellable without losing bytes.
   * @throws {ResourceBroken} the read failed. @throws {ResourceClosed} the file was closed.
   * @throws {ResourceBusy} another task is using the file.
   */
  *read(maxBytes: number = 64 * 1024): Operation<Uint8Array> {
    checkByteCount('maxBytes', maxBytes);
    yield* this.#enter('AsyncFile.read()');
    if (this.#stash.length > 0) return yield* this.#fromStash(maxBytes);
    const buffer = Buffer.allocUnsafe(maxBytes);
    const n = (yield* this.#request('AsyncFile.read', (done) => fs.read(this.#fd, buffer, 0, maxBytes, null, done), (bytes) => {
      this.#stash = Buffer.concat([this.#stash, buffer.subarray(0, bytes)]);
    })) as number;
    return n === 0 ? EMPTY : buffer.subarray(0, n);
  }

  /**
   * Writes all of `data` (a string as UTF-8) at the current position (the end, with flag 'a').
   * A checkpoint. Cancelled, it may have written a prefix of `data`.
   * @throws {ResourceBroken} the write failed (`code` 'ENOSPC', …). @throws {ResourceClosed} closed.
   */
  *write(data: Uint8Array | string): Operation<void> {
    const bytes = toBytes('data', data);
    yield* this.#enter('AsyncFile.write()');
    if (bytes.length === 0) { yield scheduleTrap; return; }
    for (let offset = 0; offset < bytes.length;) {
      offset += (yield* this.#request('AsyncFile.write', (done) => fs.write(this.#fd, bytes, offset, bytes.length - offset, null, done), () => {})) as number;
    }
  }

  /**
   * Closes the file and waits until the descriptor is released (after an abandoned request, if
   * one is still running). A task waiting on the file gets `ResourceClosed`. Idempotent; inside a
   * cancelled scope it closes first and then raises `CancelledError`.
   */
  close(): Operation<void> {
    return trackOperation(this.#close(), 'file.close()');
  }

  *#close(): Operation<void> {
    runningKernel('AsyncFile.close()');
    this.closeNow();
    if (!this.#released && !this.#closer.waiting) {
      yield* this.#closer.wait('AsyncFile.close');
      return;
    }
    yield checkpointTrap;
  }

  /** Closes at once without waiting (for `using`); safe to call twice. */
  [Symbol.dispose](): void {
    this.closeNow();
  }

  /** Closes, and settles once Node has released the handle (for `await using` in plain async code). */
  [Symbol.asyncDispose](): Promise<void> {
    this.closeNow();
    if (this.#released) return Promise.resolve();
    return new Promise((resolve) => { (this.#onReleased ??= []).push(resolve); });
  }

  /** Checks that the file can be used now; waits for an abandoned request to finish. */
  *#enter(what: string): Operation<void> {
    const me = runningKernel(what).current!;
    if (this.#closed) throw new ResourceClosed(`${what} on a closed file`);
    if (this.#wait.waiting) throw new ResourceBusy(`another task is already using ${this.path}`);
    throwIfCancelled(me);
    while (this.#busy) {
      this.#own = false;
      yield* this.#wait.wait(`${what} (after a cancelled request)`);
      if (this.#closed) throw new ResourceClosed(`${what} on a closed file`);
    }
  }

  *#fromStash(maxBytes: number): Operation<Uint8Array> {
    const out = this.#stash.subarray(0, maxBytes);
    this.#stash = this.#stash.subarray(out.length);
    yield scheduleTrap;
    return out;
  }

  /**
   * Starts one fs request and parks until it completes. If the task is cancelled meanwhile, the
   * request keeps the descriptor busy until it completes; `abandoned` then gets its result.
   */
  *#request(reason: string, start: (done: (error: Error | null, n: number) => void) => void, abandoned: (n: number) => void): Operation<number> {
    this.#busy = true;
    this.#own = true;
    start((error, n) => {
      this.#busy = false;
      if (this.#own) {
        this.#own = false;
        if (error !== null) this.#wait.wakeThrow(brokenBy(error, reason));
        else this.#wait.wake(n);
        return;
      }
      if (error === null) abandoned(n);
      if (this.#closed) this.#release();
      else this.#wait.wake(); // a task waits for the descriptor
    });
    return (yield* this.#wait.wait(reason)) as number;
  }

  /**
   * Closes at once, synchronously and idempotently, without waiting for the host to release the
   * handle: for a `finally` that releases several resources (a cancelled `yield* a.close()` re-raises
   * the cancellation, and the next line would never run) and for `using`.
   * @example
   * try { … } finally { a.closeNow(); b.closeNow(); }
   */
  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stash = EMPTY;
    if (this.#wait.waiting) {
      this.#own = false; // its request, if any, is abandoned
      this.#wait.wakeThrowWith(() => new ResourceClosed(`${this.path} was closed while in use`));
    }
    if (!this.#busy) this.#release();
  }

  #release(): void {
    fs.close(this.#fd, () => {
      this.#released = true;
      this.#closer.wake();
      if (this.#onReleased !== null) for (const resolve of this.#onReleased) resolve();
    });
  }
}

/**
 * Reads a whole file: bytes, or a string with an `encoding`. A checkpoint; cancellable.
 * @example
 * const config = JSON.parse(yield* readFile('config.json', 'utf8'));
 * @throws {ResourceBroken} (`code` 'ENOENT', …).
 */
export function readFile(path: string | URL): Operation<Uint8Array>;
export function readFile(path: string | URL, encoding: BufferEncoding): Operation<string>;
export function readFile(path: string | URL, encoding?: BufferEncoding): Operation<Uint8Array | string> {
  return debugOperation(readFileOperation(path, encoding), 'readFile()');
}

/** The operation readFile returns (named so that awaiting it says `readFile()`). */
const readFileOperation = function* readFile(path: string | URL, encoding?: BufferEncoding): Operation<Uint8Array | string> {
  checkPath(path);
  if (encoding !== undefined && !Buffer.isEncoding(encoding)) throw typeError('encoding', `a Buffer encoding like 'utf8'`, encoding);
  return (yield* aborting(`readFile(${String(path)})`, (signal, done) => fs.readFile(path, { encoding: encoding ?? null, signal }, done))) as Uint8Array | string;
};

/**
 * Writes `data` (a string as UTF-8) to `path`, replacing it. A checkpoint; cancellable (a
 * cancelled write may leave the file partly written).
 * @throws {ResourceBroken} (`code` 'ENOENT' for a missing directory, 'EACCES', …).
 */
export function writeFile(path: string | URL, data: Uint8Array | string): Operation<void> {
  return debugOperation(writeFileOperation(path, data), 'writeFile()');
}

/** The operation writeFile returns (named so that awaiting it says `writeFile()`). */
const writeFileOperation = function* writeFile(path: string | URL, data: Uint8Array | string): Operation<void> {
  checkPath(path);
  const bytes = toBytes('data', data);
  yield* aborting(`writeFile(${String(path)})`, (signal, done) => fs.writeFile(path, bytes, { signal }, (error) => done(error, undefined)));
};

/** Runs an fs call that takes an AbortSignal; cancellation aborts it. */
function* aborting(what: string, start: (signal: AbortSignal, done: (error: Error | null, value: unknown) => void) => void): Operation<unknown> {
  const me = runningKernel(what).current!;
  throwIfCancelled(me);
  const controller = new AbortController();
  const wait = new HostWait(() => controller.abort());
  start(controller.signal, (error, value) => {
    if (error !== null) wait.wakeThrow(brokenBy(error, what));
    else wait.wake(value);
  });
  return yield* wait.wait(what);
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(open, readFileOperation, writeFileOperation, aborting, AsyncFile);
