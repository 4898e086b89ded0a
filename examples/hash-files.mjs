// Hashes files in parallel on worker threads (giambio/worker), printing `digest  path` lines like
// sha256sum, with a progress line on stderr.
//
//   npm run build && node examples/hash-files.mjs [--workers=N] [--algorithm=sha256] FILE...
//
// The main loop only hands out work and prints: each file is read and hashed inside a worker
// (examples/hash-worker.mjs), so the hashing runs on every core. The digests are printed in the
// order of the arguments. Ctrl-C cancels everything: calls in flight stop at their next chunk,
// queued ones never start, and the process exits 130 with no thread left behind.
import { createPool } from '../dist/index.mjs';
import { main } from '../dist/node.mjs';
import { withWorkers } from '../dist/worker-node.mjs';

const options = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')));
const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const algorithm = options.algorithm ?? 'sha256';
const size = options.workers === undefined ? undefined : Number(options.workers);
const tty = process.stderr.isTTY === true;

/** One progress line, rewritten in place on a terminal; on a pipe only the final one is written. */
function progress(done, total, bytes, started, final = false) {
  const seconds = (performance.now() - started) / 1000;
  const mb = bytes / 1e6;
  const line = `hashed ${done}/${total} files, ${mb.toFixed(1)} MB in ${seconds.toFixed(2)} s (${(mb / Math.max(seconds, 1e-3)).toFixed(1)} MB/s)`;
  if (tty) process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
  else if (final) process.stderr.write(`${line}\n`);
}

main(function* () {
  if (files.length === 0) {
    console.error('usage: node examples/hash-files.mjs [--workers=N] [--algorithm=sha256] FILE...');
    process.exitCode = 2;
    return;
  }
  const work = new URL('./hash-worker.mjs', import.meta.url);
  const started = performance.now();
  const digests = new Array(files.length);
  let done = 0;
  let bytes = 0;
  yield* withWorkers(work, { size, name: 'hash' }, function* (workers) {
    yield* createPool(function* (pool) {
      files.forEach((file, i) => pool.spawn(function* () {
        const result = yield* workers.call('hashFile', file, algorithm);
        digests[i] = result.digest;
        bytes += result.bytes;
        progress(++done, files.length, bytes, started);
      }));
    });
  });
  progress(done, files.length, bytes, started, true);
  for (let i = 0; i < files.length; i++) console.log(`${digests[i]}  ${files[i]}`);
});
