import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync as readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, skipAfter } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { CancelledError, ResourceBroken, ResourceClosed } from '../../src/errors.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { open, readFile, writeFile, runProcess, runProcessBytes, errorCode } from '../../src/node/index.js';
import { runNode, runNodeRejects, text } from './helpers.js';

let dir = '';
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'giambio-fs-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('files', () => {
  it('writeFile / readFile round-trip bytes and text', async () => {
    const path = join(dir, 'a.txt');
    const got = await runNode(function* () {
      yield* writeFile(path, 'héllo');
      return [yield* readFile(path, 'utf8'), [...(yield* readFile(path))]];
    });
    expect(got).toEqual(['héllo', [...Buffer.from('héllo')]]);
  });

  it('open / write / read / close, with reads in pieces and an empty array at EOF', async () => {
    const path = join(dir, 'b.bin');
    const got = await runNode(function* () {
      const out = yield* open(path, 'w');
      try { yield* out.write('0123456789'); yield* out.write(new Uint8Array([65, 66])); } finally { yield* out.close(); }
      const file = yield* open(path);
      try {
        const pieces: string[] = [];
        for (let data = yield* file.read(4); data.length > 0; data = yield* file.read(4)) pieces.push(text(data));
        return pieces;
      } finally { yield* file.close(); yield* file.close(); }
    });
    expect(got).toEqual(['0123', '4567', '89AB']);
  });

  it('append mode writes at the end', async () => {
    const path = join(dir, 'c.txt');
    await runNode(function* () {
      yield* writeFile(path, 'a');
      const file = yield* open(path, 'a');
      try { yield* file.write('b'); } finally { yield* file.close(); }
    });
    expect(readSync(path, 'utf8')).toBe('ab');
  });

  it('a missing file raises ResourceBroken with code ENOENT; a bad path is a TypeError', async () => {
    const missing = await runNodeRejects(function* () { yield* open(join(dir, 'missing')); });
    expect(missing).toBeInstanceOf(ResourceBroken);
    expect(errorCode(missing)).toBe('ENOENT');
    const missing2 = await runNodeRejects(function* () { yield* readFile(join(dir, 'missing')); });
    expect(errorCode(missing2)).toBe('ENOENT');
    expect(await runNodeRejects(function* () { yield* open(''); })).toBeInstanceOf(TypeError);
    expect(await runNodeRejects(function* () { yield* writeFile(join(dir, 'x'), 5 as never); })).toBeInstanceOf(TypeError);
  });

  it('a cancelled read loses nothing: the bytes of the abandoned request come with the next read', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const got = await runNode(function* () {
      const file = yield* open(fifo, 'r+'); // O_RDWR: opening a FIFO does not block
      try {
        // The read blocks in the thread pool until someone writes; cancel it.
        expect(yield* skipAfter(20, function* () { return yield* file.read(); })).toBeUndefined();
        yield* writeFile(fifo, 'late bytes');
        return text(yield* file.read());
      } finally { yield* file.close(); }
    });
    expect(got).toBe('late bytes');
  });

  it('close() while another task reads wakes it with ResourceClosed and releases the descriptor afterwards', async () => {
    const fifo = join(dir, 'fifo2');
    execFileSync('mkfifo', [fifo]);
    const error = await runNode(function* () {
      const file = yield* open(fifo, 'r+');
      let caught: unknown = null;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* file.read(); } catch (e) { caught = e; } });
        yield* sleep(10);
        // The request still blocks in the thread pool: unblock it so the descriptor can be released.
        pool.spawn(function* () { yield* sleep(10); yield* writeFile(fifo, 'x'); });
        yield* file.close();
      });
      return caught;
    });
    expect(error).toBeInstanceOf(ResourceClosed);
  });
});

describe('runProcess', () => {
  const node = process.execPath;

  it('returns the exit code and the output', async () => {
    const result = await runNode(function* () {
      return yield* runProcess(node, ['-e', 'console.log("out"); console.error("err"); process.exit(3)']);
    });
    expect(result).toEqual({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
  });

  it('feeds `input` to stdin; runProcessBytes returns bytes', async () => {
    const result = await runNode(function* () {
      return yield* runProcessBytes(node, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'piped' });
    });
    expect(result.code).toBe(0);
    expect(text(result.stdout)).toBe('piped');
  });

  it('cancellation kills the child and reaps it before CancelledError is raised', async () => {
    const t0 = performance.now();
    const outcome = await runNode(function* () {
      let error: unknown = null;
      yield* createPool(function* (pool) {
        pool.spawn(function* () {
          try { yield* runProcess(node, ['-e', 'setTimeout(() => {}, 60_000)']); } catch (e) { error = e; throw e; }
        });
        yield* sleep(100);
        pool.cancel();
      });
      return error;
    });
    expect(outcome).toBeInstanceOf(CancelledError);
    expect(performance.now() - t0).toBeLessThan(2000); // the leak check in runNode saw no ProcessWrap left
  });

  it('a missing program raises ResourceBroken ENOENT; too much output raises ResourceBroken', async () => {
    const missing = await runNodeRejects(function* () { yield* runProcess('/nonexistent/program'); });
    expect(missing).toBeInstanceOf(ResourceBroken);
    expect(errorCode(missing)).toBe('ENOENT');
    const chatty = await runNodeRejects(function* () {
      yield* runProcess(node, ['-e', 'process.stdout.write("x".repeat(100000))'], { maxBuffer: 1000 });
    });
    expect(chatty).toBeInstanceOf(ResourceBroken);
    expect(errorCode(chatty)).toBe('ERR_CHILD_PROCESS_STDIO_MAXBUFFER');
    expect(await runNodeRejects(function* () { yield* runProcess(node, [1] as never); })).toBeInstanceOf(TypeError);
  });

  it('a process killed by a signal reports it', async () => {
    const result = await runNode(function* () {
      return yield* runProcess(node, ['-e', 'process.kill(process.pid, "SIGTERM")']);
    });
    expect(result.code).toBeNull();
    expect(result.signal).toBe('SIGTERM');
  });

  it('a task waiting for its child is blocked (waitAllTasksBlocked returns) and gets the result', async () => {
    const result = await runNode(function* () {
      return yield* createPool(function* (pool) {
        const task = pool.spawn(function* () { return (yield* runProcess(node, ['-e', 'console.log(1)'])).stdout; });
        yield* waitAllTasksBlocked();
        return yield* task.join();
      });
    });
    expect(result).toBe('1\n');
  });
});
