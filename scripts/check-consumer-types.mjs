// Compiles a scratch consumer against the packed tarball, as strict projects would, with
// `skipLibCheck: false` so giambio's own declarations are checked too:
//   node    lib es2022 + @types/node, module nodenext, every entry from an .mts and a .cts file
//           (giambio/browser included: its types must not need the DOM lib in Node)
//   browser lib dom + es2022, no Node types, bundler resolution: giambio, giambio/testing, giambio/browser,
//           giambio/worker (its web build)
//   both    lib dom + es2022 + @types/node, every entry (the two sets of globals together)
//   node scripts/check-consumer-types.mjs [--tarball=giambio-x.tgz]
// Run `npm run build` first. Exits 1 if any configuration fails to compile.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeConsumer, pack, requireBuild, root } from './pack-consumer.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));

const ALL = ['giambio', 'giambio/node', 'giambio/testing', 'giambio/lowlevel', 'giambio/browser', 'giambio/worker'];
const BROWSER = ['giambio', 'giambio/testing', 'giambio/lowlevel', 'giambio/browser', 'giambio/worker'];
const base = { strict: true, skipLibCheck: false, noEmit: true, target: 'es2022', exactOptionalPropertyTypes: true };

/** One program importing every entry in `specs` (ESM import or CJS require). */
function program(specs, cjs) {
  const names = specs.map((spec, i) => [spec, `m${i}`]);
  const imports = names.map(([spec, name]) => cjs ? `import ${name} = require('${spec}');` : `import * as ${name} from '${spec}';`);
  // Operations of different entries mix (each entry's bundled declarations repeat the shared types).
  const mixed = specs[1] === 'giambio/node'
    ? "\nexport const mixed = () => m0.run(function* () { const server = yield* m1.listen(0, '127.0.0.1'); server.closeNow(); yield* m0.sleep(1); });\n"
    : '';
  return `${imports.join('\n')}\nexport const entries = [${names.map(([, name]) => name).join(', ')}];\n${mixed}`;
}

const configs = [
  { name: 'node', options: { ...base, lib: ['es2022'], types: ['node'], module: 'nodenext', moduleResolution: 'nodenext' },
    files: { 'node.mts': program(ALL, false), 'node.cts': program(ALL, true) } },
  { name: 'browser', options: { ...base, lib: ['dom', 'es2022'], types: [], module: 'esnext', moduleResolution: 'bundler' },
    files: { 'browser.ts': program(BROWSER, false) } },
  { name: 'both', options: { ...base, lib: ['dom', 'es2022'], types: ['node'], module: 'nodenext', moduleResolution: 'nodenext' },
    files: { 'both.mts': program(ALL, false) } },
];

let failures = 0;
const scratch = mkdtempSync(join(tmpdir(), 'giambio-types-'));
try {
  requireBuild();
  const tgz = args.tarball ? resolve(args.tarball) : pack(scratch);
  const dir = makeConsumer(join(scratch, 'consumer'), tgz);
  // The consumer's own typescript and @types/node: this repository's pins, linked, not downloaded.
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules/typescript'), join(dir, 'node_modules/typescript'), 'dir');
  symlinkSync(join(root, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), 'dir');
  for (const { name, options, files } of configs) {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: options, files: Object.keys(files) }, null, 2));
    const r = spawnSync(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${name}.json`], { cwd: dir, encoding: 'utf8' });
    const label = `${name}: lib ${options.lib.join('+')}${options.types.length ? ' + @types/node' : ', no Node types'}, skipLibCheck false (${Object.keys(files).join(', ')})`;
    if (r.status === 0) console.log(`ok - ${label}`);
    else {
      failures++;
      console.log(`not ok - ${label}`);
      console.log(`${r.stdout}${r.stderr}`.trimEnd().replace(/^/gm, '  '));
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failures > 0) process.exit(1);
