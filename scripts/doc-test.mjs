#!/usr/bin/env node
// npm run test:docs — every fenced ```js / ```ts block of README.md and docs/guide/*.md is a test.
//
// Each block is written to .doc-test/ (gitignored, inside the repo, so `import 'giambio'` resolves
// by package self-reference to the BUILT package in dist/, exactly as a user's import would), then:
//   - every ```ts block is type-checked, all together, by tsc in strict mode (.doc-test/tsconfig.json);
//   - every block is run by node (ts blocks after an esbuild transform), a few at a time, and must
//     exit 0 within the time limit.
// A block that must not run is marked on the line right before its fence:
//     <!-- doc-test: skip — why it cannot run -->      neither run nor type-checked
//     <!-- doc-test: no-run — why it cannot run -->    not run; a ts block is still type-checked,
//                                                        a js block still syntax-checked (node --check)
// The reason is required. Failures are reported as file:line of the block's fence.
//
// Usage: node scripts/doc-test.mjs [--no-typecheck] [--jobs N] [--timeout ms] [file.md ...]
// Run `npm run build` first (npm run test:docs does).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.doc-test');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const typecheck = !args.includes('--no-typecheck');
if (!typecheck) args.splice(args.indexOf('--no-typecheck'), 1);
const jobs = Number(option('--jobs', String(Math.min(4, Math.max(2, availableParallelism())))));
const timeoutMs = Number(option('--timeout', '20000'));

const defaultFiles = () => {
  const guide = join(root, 'docs/guide');
  const pages = existsSync(guide) ? readdirSync(guide).filter((f) => f.endsWith('.md')).sort().map((f) => join(guide, f)) : [];
  return [join(root, 'README.md'), ...pages];
};
const files = args.length > 0 ? args.map((f) => resolve(f)) : defaultFiles();

if (!existsSync(join(root, 'dist/index.mjs'))) {
  console.error('doc-test: dist/ is missing: run `npm run build` first');
  process.exit(1);
}
{ // The blocks run against dist/: refuse a build older than the sources.
  const built = statSync(join(root, 'dist/index.mjs')).mtimeMs;
  const newer = readdirSync(join(root, 'src'), { recursive: true })
    .filter((f) => /\.ts$/.test(f) && statSync(join(root, 'src', f)).mtimeMs > built);
  if (newer.length > 0) {
    console.error(`doc-test: dist/ is older than src/ (${newer.slice(0, 3).join(', ')}${newer.length > 3 ? ', …' : ''}): run \`npm run build\` first`);
    process.exit(1);
  }
}

// ---- extraction ----------------------------------------------------------------------------------

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const SKIP = /^<!--\s*doc-test:\s*(skip|no-run)\b(.*?)-->\s*$/;
const ANY_MARKER = /^<!--\s*doc-test\b/;
const LANGS = { js: 'js', javascript: 'js', mjs: 'js', ts: 'ts', typescript: 'ts' };

/** @returns {{ file: string, line: number, lang: 'js'|'ts', code: string, skip: string | null }[]} */
function extract(file) {
  const rel = relative(root, file);
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  const errors = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    const marker = ANY_MARKER.test(lines[i].trim());
    if (marker && !SKIP.test(lines[i].trim())) {
      errors.push(`${rel}:${i + 1}: unknown doc-test marker (expected <!-- doc-test: skip — why --> or <!-- doc-test: no-run — why -->)`);
    }
    if (marker && !(i + 1 < lines.length && FENCE.test(lines[i + 1]))) {
      errors.push(`${rel}:${i + 1}: a doc-test skip marker must be on the line right before a code fence`);
    }
    if (!open) continue;
    const [, indent, fence, info] = open;
    const start = i;
    const body = [];
    for (i++; i < lines.length; i++) {
      const close = lines[i].trim();
      if (close.startsWith(fence[0].repeat(fence.length)) && close.replace(/[`~]/g, '') === '') break;
      body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i]);
    }
    const lang = LANGS[info.toLowerCase()];
    if (lang === undefined) continue;
    let skip = null;
    let mode = 'run';
    const prev = start > 0 ? SKIP.exec(lines[start - 1].trim()) : null;
    if (prev) {
      mode = prev[1];
      skip = prev[2].replace(/^\s*[—–:-]+\s*/, '').trim();
      if (skip === '') errors.push(`${rel}:${start}: doc-test ${mode} marker without a reason (write <!-- doc-test: ${mode} — why -->)`);
    }
    blocks.push({ file: rel, line: start + 1, lang, code: body.join('\n') + '\n', skip, mode });
  }
  return { blocks, errors };
}

const blocks = [];
const problems = [];
for (const file of files) {
  const { blocks: found, errors } = extract(file);
  blocks.push(...found);
  problems.push(...errors);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const slug = (b) => `${b.file.replace(/\.md$/, '').replace(/[^\w]+/g, '_')}_L${b.line}`;
const runnable = blocks.filter((b) => b.mode === 'run');
const syntaxOnly = blocks.filter((b) => b.mode === 'no-run' && b.lang === 'js');
const tsBlocks = blocks.filter((b) => b.lang === 'ts' && b.mode !== 'skip');
for (const b of blocks) {
  b.name = slug(b);
  // `export {}` keeps a block without imports a module (top-level await, no global clashes).
  b.source = b.code + (/^\s*(import|export)\s/m.test(b.code) ? '' : '\nexport {};\n');
  writeFileSync(join(outDir, `${b.name}.${b.lang === 'ts' ? 'ts' : 'mjs'}`), b.source);
}
writeFileSync(join(outDir, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023', 'ESNext.Disposable', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
    noEmit: true,
    skipLibCheck: true,
    isolatedModules: true,
    verbatimModuleSyntax: false,
  },
  files: tsBlocks.map((b) => `${b.name}.ts`),
}, null, 2) + '\n');

// ---- running -------------------------------------------------------------------------------------

function exec(cmd, argv, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, argv, { cwd: outDir, env: { ...process.env, NODE_NO_WARNINGS: '1' }, ...options });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    let timedOut = false;
    const timer = options.timeout === undefined ? null : setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, options.timeout);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, signal, out, timedOut });
    });
  });
}

/** Maps `NAME.ts(12,5)` / `NAME.ts:12:5` in tool output back to the markdown file and line. */
function mapBack(text) {
  let mapped = text;
  for (const b of blocks) {
    const ext = b.lang === 'ts' ? 'ts' : 'mjs';
    const pattern = new RegExp(`(?:[^\\s(]*/)?${b.name}\\.${ext}(?:\\((\\d+),(\\d+)\\)|:(\\d+):(\\d+))?`, 'g');
    mapped = mapped.replace(pattern, (_m, l1, c1, l2, c2) => {
      const l = l1 ?? l2;
      const c = c1 ?? c2;
      return l === undefined ? `${b.file}:${b.line}` : `${b.file}:${b.line + Number(l)}:${c}`;
    });
  }
  return mapped;
}

async function runBlock(b) {
  let file = join(outDir, `${b.name}.mjs`);
  if (b.lang === 'ts') {
    const { code } = await transform(b.source, { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: `${b.name}.ts` });
    file = join(outDir, `${b.name}.ts.mjs`);
    writeFileSync(file, code);
  }
  const started = Date.now();
  const result = await exec(process.execPath, ['--enable-source-maps', file], { timeout: timeoutMs });
  return { ...result, ms: Date.now() - started };
}

const started = Date.now();
const failures = [...problems];

const typecheckDone = typecheck && tsBlocks.length > 0
  ? exec(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'])
  : Promise.resolve(null);

let next = 0;
let passed = 0;
const indent = (text) => text.split('\n').map((l) => `    ${l}`).join('\n');
for (const b of syntaxOnly) {
  const r = await exec(process.execPath, ['--check', join(outDir, `${b.name}.mjs`)]);
  if (r.code !== 0) failures.push(`${b.file}:${b.line}: js block does not parse\n${indent(mapBack(r.out.trimEnd()))}`);
}
async function worker() {
  while (next < runnable.length) {
    const b = runnable[next++];
    const r = await runBlock(b);
    b.ms = r.ms;
    if (r.code === 0) { passed++; continue; }
    const why = r.timedOut ? `did not end within ${timeoutMs} ms` : `exited with ${r.signal ?? `code ${r.code}`}`;
    failures.push(`${b.file}:${b.line}: ${b.lang} block ${why}\n${indent(mapBack(r.out.trimEnd()))}`);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));

const tsc = await typecheckDone;
if (tsc !== null && tsc.code !== 0) {
  failures.push(`type check of the ts blocks (tsc --strict) failed:\n${indent(mapBack(tsc.out.trimEnd()))}`);
}

const slowest = runnable.filter((b) => b.ms !== undefined).sort((x, y) => y.ms - x.ms).slice(0, 3);
console.log(`slowest: ${slowest.map((b) => `${b.file}:${b.line} ${(b.ms / 1000).toFixed(1)} s`).join(', ')}`);
const skipped = blocks.filter((b) => b.mode !== 'run');
for (const b of skipped) console.log(`${b.mode.padEnd(6)} ${b.file}:${b.line} — ${b.skip}`);
console.log(`doc-test: ${blocks.length} blocks in ${files.length} files (${tsBlocks.length} ts type-checked${typecheck ? '' : ': NOT, --no-typecheck'}); `
  + `${passed}/${runnable.length} ran ok, ${skipped.length} not run; ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length > 0) {
  console.error(`\n${failures.length} failure(s):\n\n${failures.join('\n\n')}`);
  process.exit(1);
}
