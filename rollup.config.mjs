// ESM + CJS builds of every entry. Shared code lands in chunks, so giambio, giambio/testing,
// giambio/node and giambio/browser share one kernel. @assemblyscript/loader is bundled in: the
// package has no runtime dependencies. node: built-ins stay external (only giambio/node uses them).
import { existsSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

export const entries = {
  index: 'src/index.ts',
  testing: 'src/testing.ts',
  lowlevel: 'src/lowlevel.ts',
  node: 'src/node/index.ts',
  browser: 'src/browser/index.ts',
  'worker-node': 'src/worker/node.ts',
  'worker-web': 'src/worker/web.ts',
};

const input = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

export default {
  input,
  external: (id) => id.startsWith('node:'),
  output: [
    { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', sourcemap: true },
    { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
  ],
  plugins: [nodeResolve(), typescript({ tsconfig: './tsconfig.json' })],
};
