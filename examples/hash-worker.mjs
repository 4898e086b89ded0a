// The worker module of examples/hash-files.mjs: hashes one file, reading it in 1 MiB chunks.
// `hashFile` is a generator export, so it runs as a task in the worker's own giambio loop and
// checks for cancellation between chunks: a cancelled call stops at the next chunk, its `finally`
// closes the file, and the caller's call returns once that has happened.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { checkpoint } from '../dist/index.mjs';
import { expose } from '../dist/worker-node.mjs';

const CHUNK = 1 << 20;

/** Returns `{ digest, bytes }` for `path`. */
export function* hashFile(path, algorithm = 'sha256') {
  const hash = createHash(algorithm);
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      bytes += n;
      yield* checkpoint(); // cancellation point between chunks
    }
  } finally {
    closeSync(fd);
  }
  return { digest: hash.digest('hex'), bytes };
}

expose({ hashFile });
