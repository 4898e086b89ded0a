// Bundles the demo page: plain node-resolve, nothing for the wasm (it is embedded in the package).
//   npx rollup -c examples/browser/rollup.config.mjs
// The demo imports 'giambio' and 'giambio/browser' like any app; inside this repository the
// package is resolved through its own exports map (package self-reference).
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'examples/browser/app.js',
  output: { file: 'examples/browser/dist/app.js', format: 'es', sourcemap: true },
  plugins: [nodeResolve({ browser: true })],
};
