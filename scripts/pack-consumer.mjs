// Shared by scripts/matrix.mjs and scripts/check-package.mjs: pack the package (npm pack) and
// unpack the tarball into a scratch consumer project's node_modules/giambio, as npm would install
// it, so every check runs against exactly what would be published.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

/** Fails early with the fix when the build output is missing. */
export function requireBuild() {
  for (const file of ['dist/index.mjs', 'dist/index.cjs', 'dist/testing.mjs', 'dist/browser.mjs', 'dist/browser.cjs']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

/** Runs `npm pack` into `dir`; returns the tarball's path. */
export function pack(dir) {
  const out = execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: root, encoding: 'utf8' });
  return join(dir, out.trim().split('\n').pop());
}

/** Creates `dir` as a consumer ({"type":"module"}) with `tgz` unpacked in node_modules/giambio. */
export function makeConsumer(dir, tgz) {
  mkdirSync(join(dir, 'node_modules', 'giambio'), { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', join(dir, 'node_modules', 'giambio'), '--strip-components=1']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'giambio-consumer', private: true, type: 'module' }));
  return dir;
}
