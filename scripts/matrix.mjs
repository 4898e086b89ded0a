// The cross-environment test matrix (npm run test:matrix). Runs every cell below, one after the
// other and prints a table (environment × suite × result); with --write (npm run support-table) it
// also writes the table to docs/support-table.md, so a plain run never dirties the work tree.
// Exits 1 if any cell failed. Needs `npm run build` first, and Debian's chromium and firefox-esr.
//   node scripts/matrix.mjs                 every cell; prints the table
//   node scripts/matrix.mjs --write         every cell; also rewrites docs/support-table.md
//   node scripts/matrix.mjs --only=deno,bun cells whose environment or suite contains a word
//   node scripts/matrix.mjs --jobs=2        two cells at a time (the default is 1: 2 cores)
//
// Discussion: the suites run against three different builds on purpose. The vitest projects run the
// TypeScript sources (Node 20/22/24, Chromium, Firefox); the cross-runtime suite (test-runtimes/)
// runs the packed tarball installed in a scratch consumer (Node, Bun, Deno; ESM and CJS); the
// package cells lint and bundle that same tarball. Extra Node versions come from the npm `node`
// package through `npx -p`, never as a devDependency (it would shadow the system node in scripts).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeConsumer, pack, requireBuild, root } from './pack-consumer.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const only = args.only ? args.only.toLowerCase().split(',') : null;
const jobs = Math.max(1, Number(args.jobs ?? 1));
const write = args.write !== undefined;

const node = process.execPath;
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const bin = (name) => join(root, 'node_modules/.bin', name);
const EXTRA_NODES = ['22', '24'];

const started = performance.now();
const logDir = mkdtempSync(join(tmpdir(), 'giambio-matrix-'));
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' };

/** First line of `cmd --version`-like output, or '?' (versions label the table's environments). */
function version(cmd, argv, pattern = /(\d+\.\d+\.\d+\S*)/) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env, timeout: 120_000 });
  const m = `${r.stdout}${r.stderr}`.match(pattern);
  return m ? m[1] : '?';
}

// ---- what runs where --------------------------------------------------------------------------

/** Test counts from each runner's summary line: "N tests" for the table. */
const counters = {
  vitest: (out) => count(out, /Tests\s+(?:(\d+) failed \| )?(\d+) passed/, (m) => [Number(m[2]), Number(m[1] ?? 0)]),
  nodeTest: (out) => count(out, /# pass (\d+)\s+# fail (\d+)/, (m) => [Number(m[1]), Number(m[2])]),
  bun: (out) => count(out, /(\d+) pass\s+(\d+) fail/, (m) => [Number(m[1]), Number(m[2])]),
  deno: (out) => count(out, /(?:ok|FAILED) \| (\d+) passed(?: \| (\d+) failed)?/, (m) => [Number(m[1]), Number(m[2] ?? 0)]),
  checks: (out) => [(out.match(/^ok - /gm) ?? []).length, (out.match(/^not ok - /gm) ?? []).length],
};

function count(out, pattern, read) {
  const m = out.match(pattern);
  return m ? read(m) : null;
}

/** How to read each environment's version (labels in the table). */
const probes = {
  node: () => process.version.slice(1),
  node22: () => version('npx', ['-y', '-p', 'node@22', '--', 'node', '--version']),
  node24: () => version('npx', ['-y', '-p', 'node@24', '--', 'node', '--version']),
  bun: () => version(bin('bun'), ['--version']),
  deno: () => version(bin('deno'), ['--version']),
  chromium: () => version('/usr/bin/chromium', ['--version']),
  firefox: () => version('/usr/bin/firefox-esr', ['--version'], /(\d+\.\d+(?:\.\d+)?esr)/),
};
const envNames = { node: 'Node', node22: 'Node', node24: 'Node', bun: 'Bun', deno: 'Deno', chromium: 'Chromium', firefox: 'Firefox ESR' };

function cells(consumer) {
  const tarball = `--tarball=${join(consumer, '..', 'giambio.tgz')}`;
  const vitestNode = 'vitest project `node` (tests/, TS sources)';
  const runtimes = 'test-runtimes on the packed tarball';
  const e2e = 'demo page end to end (Playwright: start, results, cancel, screenshot)';
  const list = [
    { env: 'node', suite: vitestNode, cmd: [node, vitest, 'run', '--project', 'node'], counter: 'vitest' },
    ...EXTRA_NODES.map((major) => ({
      env: `node${major}`, suite: vitestNode, cmd: ['npx', '-y', '-p', `node@${major}`, '--', 'node', vitest, 'run', '--project', 'node'], counter: 'vitest',
    })),
    { env: 'node', suite: `${runtimes}, ESM + CJS (node --test)`, cwd: consumer, cmd: [node, '--test', 'esm.test.mjs', 'cjs.test.cjs'], counter: 'nodeTest' },
    { env: 'bun', suite: `${runtimes}, ESM (bun test)`, cwd: consumer, cmd: [bin('bun'), 'test', './esm.test.mjs'], counter: 'bun' },
    { env: 'bun', suite: `${runtimes}, CJS (bun test)`, cwd: consumer, cmd: [bin('bun'), 'test', './cjs.test.cjs'], counter: 'bun' },
    { env: 'deno', suite: `${runtimes}, ESM (deno test, no permissions)`, cwd: consumer, cmd: [bin('deno'), 'test', '--no-check', 'esm.test.mjs'], counter: 'deno' },
    { env: 'deno', suite: `${runtimes}, CJS (deno test --allow-read=.)`, cwd: consumer, cmd: [bin('deno'), 'test', '--no-check', '--allow-read=.', 'cjs.test.cjs'], counter: 'deno' },
    { env: 'node', suite: `${runtimes}, giambio/worker (node --test)`, cwd: consumer, cmd: [node, '--test', 'worker.test.mjs'], counter: 'nodeTest' },
    { env: 'bun', suite: `${runtimes}, giambio/worker (bun test)`, cwd: consumer, cmd: [bin('bun'), 'test', './worker.test.mjs'], counter: 'bun' },
    { env: 'deno', suite: `${runtimes}, giambio/worker (deno test --allow-read=.)`, cwd: consumer, cmd: [bin('deno'), 'test', '--no-check', '--allow-read=.', 'worker.test.mjs'], counter: 'deno' },
    { env: 'chromium', suite: 'vitest browser project `chromium` (tests/browser/, TS sources)', cmd: [node, vitest, 'run', '--project', 'chromium'], counter: 'vitest' },
    { env: 'firefox', suite: 'vitest browser project `firefox` (tests/browser/, TS sources)', cmd: [node, vitest, 'run', '--project', 'firefox'], counter: 'vitest' },
    { env: 'rollup', suite: 'demo page bundle (examples/browser, node-resolve only)', cmd: [node, bin('rollup'), '-c', 'examples/browser/rollup.config.mjs'], counter: null, first: true },
    { env: 'chromium', suite: e2e, cmd: [node, 'examples/browser/e2e.mjs', 'chromium'], counter: 'checks' },
    { env: 'firefox', suite: e2e, cmd: [node, 'examples/browser/e2e.mjs', 'firefox'], counter: 'checks' },
    { env: 'package', suite: 'publint on the packed tarball', cmd: [node, 'scripts/check-package.mjs', tarball, '--only=publint'], counter: 'checks' },
    { env: 'package', suite: 'attw on the packed tarball (node16 CJS + ESM, bundler)', cmd: [node, 'scripts/check-package.mjs', tarball, '--only=attw'], counter: 'checks' },
    { env: 'package', suite: 'browser bundles by rollup and esbuild: no wasm plugin, no node: import, they run', cmd: [node, 'scripts/check-package.mjs', tarball, '--only=bundle'], counter: 'checks' },
    { env: 'package', suite: 'size budget of the core entry (min+gzip, wasm included)', cmd: [node, 'scripts/check-package.mjs', tarball, '--only=size'], counter: 'checks', detail: (out) => out.match(/giambio: \d+ B minified, (\d+ B) min\+gzip/)?.[1] },
  ];
  const kept = list.filter((c) => only === null || only.some((w) => `${c.env} ${envNames[c.env] ?? ''} ${c.suite}`.toLowerCase().includes(w)));
  const versions = {};
  for (const cell of kept) {
    if (probes[cell.env] !== undefined) versions[cell.env] ??= probes[cell.env]();
    cell.env = probes[cell.env] !== undefined ? `${envNames[cell.env]} ${versions[cell.env]}` : cell.env;
  }
  return kept;
}

// ---- running --------------------------------------------------------------------------------

/** Runs one cell with its output in a log file; resolves with its status and timing. */
function runCell(cell, index) {
  const log = join(logDir, `${String(index).padStart(2, '0')}-${`${cell.env}-${cell.suite}`.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.log`);
  const out = createWriteStream(log);
  const t0 = performance.now();
  return new Promise((resolve) => {
    let text = '';
    const child = spawn(cell.cmd[0], cell.cmd.slice(1), { cwd: cell.cwd ?? root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk) => { text += chunk; out.write(chunk); };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => { text += '\n[matrix] timed out after 5 minutes\n'; try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      text = text.replace(/\x1b\[[0-9;]*m/g, ''); // some runners colour their output regardless
      out.end();
      const seconds = (performance.now() - t0) / 1000;
      const counts = cell.counter ? counters[cell.counter](text) : null;
      const passed = code === 0 && (counts === null ? cell.counter === null : counts[1] === 0 && counts[0] > 0);
      resolve({ ...cell, passed, code, seconds, counts, log, text, detail: cell.detail?.(text) });
    });
  });
}

function describeResult(r) {
  const tests = r.counts === null ? '' : r.counter === 'checks' ? ` (${r.counts[0]} checks${r.counts[1] ? `, ${r.counts[1]} failed` : ''})` : ` (${r.counts[0]} tests${r.counts[1] ? `, ${r.counts[1]} failed` : ''})`;
  const exit = !r.passed && (r.counts === null || r.counts[1] === 0) ? `, exit code ${r.code}` : '';
  return `${r.passed ? 'pass' : 'FAIL'}${tests}${exit}${r.detail ? `, ${r.detail}` : ''}`;
}

async function main() {
  requireBuild();
  const scratch = mkdtempSync(join(tmpdir(), 'giambio-consumer-'));
  const tgz = pack(scratch);
  cpSync(tgz, join(scratch, 'giambio.tgz'));
  const consumer = makeConsumer(join(scratch, 'consumer'), tgz);
  for (const file of readdirSync(join(root, 'test-runtimes'))) cpSync(join(root, 'test-runtimes', file), join(consumer, file));
  const list = cells(consumer);
  console.log(`matrix: ${list.length} cells, ${jobs} at a time; logs in ${logDir}`);

  // Cells marked `first` (the demo bundle, which the end-to-end cells load) run before the rest.
  const order = [...list.keys()].sort((a, b) => Number(Boolean(list[b].first)) - Number(Boolean(list[a].first)));
  const results = new Array(list.length);
  let next = 0;
  const report = (result) => {
    console.log(`${result.passed ? 'pass' : 'FAIL'}  ${result.seconds.toFixed(1).padStart(5)} s  ${result.env} | ${result.suite}`);
    if (!result.passed) console.log(result.text.trimEnd().split('\n').slice(-30).map((l) => `      ${l}`).join('\n'));
  };
  while (next < order.length && list[order[next]].first) {
    const i = order[next++];
    report(results[i] = await runCell(list[i], i));
  }
  const lane = async () => {
    while (next < order.length) {
      const i = order[next++];
      const result = await runCell(list[i], i);
      results[i] = result;
      report(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, list.length) }, lane));

  const total = (performance.now() - started) / 1000;
  const table = [
    '| environment | suite | result | time |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.env} | ${r.suite} | ${r.passed ? '✅' : '❌'} ${describeResult(r)} | ${r.seconds.toFixed(1)} s |`),
  ].join('\n');
  const failed = results.filter((r) => !r.passed);
  console.log(`\n${table}\n\n${results.length - failed.length}/${results.length} cells passed in ${total.toFixed(0)} s (logs: ${logDir})`);

  if (write) {
    const when = new Date().toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ');
    writeFileSync(join(root, 'docs/support-table.md'), [
      '<!-- GENERATED by scripts/matrix.mjs --write (npm run support-table) from its last run. Do not edit. -->',
      '# Support table',
      '',
      `Last run: ${when}, Linux ${process.arch}, ${cpus().length} cores, ${results.length - failed.length}/${results.length} cells passed, ${Math.floor(total / 60)} min ${Math.round(total % 60)} s in total.`,
      '',
      table,
      '',
    ].join('\n'));
    console.log('wrote docs/support-table.md');
  }
  process.exitCode = failed.length > 0 ? 1 : 0;
}

await main();
