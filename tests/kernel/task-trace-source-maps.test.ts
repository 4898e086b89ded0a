// Logical task traces under source maps (tsx, node --enable-source-maps): a frame of giambio's own
// files reads `at <anonymous> (…/src/loop.ts:…)` there, and an anonymous user function reads
// `at <anonymous> (app.ts:…)`; the spawn site must be the user's line, not a library frame or
// `Generator.next (<anonymous>)`. Each program runs in a child process that must exit by itself
// (nothing left open).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'giambio-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The program; `FROM` is where giambio comes from. Spawn sites: worker line 5, middle line 10, main line 9. */
const program = (from: string): string => `import { EventLoop, createPool, sleep } from '${from}';
function* worker(n: number) { yield* sleep(1); throw new Error('worker ' + n + ' failed'); }
function* middle() {
  yield* createPool(function* inner(pool) {
    pool.spawn(worker, 7);
  });
}
try {
  await new EventLoop({ debug: true }).run(function* main() {
    yield* createPool(function* (pool) { pool.spawn(middle); });
  });
} catch (e) { console.log((e as Error).stack); }
`;

function trace(file: string): string {
  const r = spawnSync(process.execPath, ['--enable-source-maps', file], { encoding: 'utf8', timeout: 20_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.slice(r.stdout.indexOf('giambio task trace'));
}

function expectUserSites(text: string, file: string): void {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(text).toMatch(new RegExp(`task worker #\\d+ failed\\n\\s+spawned at inner \\(${escaped}:5:\\d+\\)`));
  expect(text).toMatch(new RegExp(`task middle #\\d+ waiting on children of a pool\\n\\s+spawned at <anonymous> \\(${escaped}:10:\\d+\\)`));
  expect(text).toMatch(new RegExp(`task main #\\d+ waiting on children of a pool\\n\\s+spawned at <anonymous> \\(${escaped}:9:\\d+\\)`));
  expect(text).not.toContain('Generator.next');
}

describe('logical task traces under source maps', () => {
  it('a TypeScript program bundled with the sources (as tsx runs it) names the user lines, anonymous functions included', async () => {
    const source = join(dir, 'app.ts');
    writeFileSync(source, program(join(root, 'src/index.ts')));
    await esbuild.build({ entryPoints: [source], bundle: true, platform: 'node', format: 'esm', sourcemap: true, outfile: join(dir, 'app.mjs'), logLevel: 'silent' });
    expectUserSites(trace(join(dir, 'app.mjs')), source);
  });

  it('a program on the built package (its chunks map to src/) names the user lines', async () => {
    const source = join(dir, 'plain.ts');
    writeFileSync(source, program(join(root, 'dist/index.mjs')));
    // Types stripped only, giambio left external: the library frames come from dist/ through its maps.
    await esbuild.build({ entryPoints: [source], bundle: false, platform: 'node', format: 'esm', sourcemap: true, outfile: join(dir, 'plain.mjs'), logLevel: 'silent' });
    expectUserSites(trace(join(dir, 'plain.mjs')), source);
  });
});
