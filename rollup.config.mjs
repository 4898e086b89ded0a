// ESM + CJS builds of every entry. Shared code lands in one chunk, so giambio and giambio/testing
// share one kernel. @assemblyscript/loader is bundled in: the package has no runtime dependencies.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const input = { index: 'src/index.ts', testing: 'src/testing.ts' };

export default {
  input,
  external: (id) => id.startsWith('node:'),
  output: [
    { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', sourcemap: true },
    { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
  ],
  plugins: [nodeResolve(), typescript({ tsconfig: './tsconfig.json' })],
};
